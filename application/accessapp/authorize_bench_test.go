package accessapp_test

import (
	"context"
	"testing"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// BenchmarkAuthorize is the access check every request makes (an admin and a
// member, the snapshot loaded): go test -run '^$' -bench Authorize ./application/accessapp/
func BenchmarkAuthorize(b *testing.B) {
	svc, holders := seeded(b)
	ctx := context.Background()
	for _, name := range []string{kernel.AdminRoleName, "member"} {
		p := holders[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.Authorize(ctx, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
