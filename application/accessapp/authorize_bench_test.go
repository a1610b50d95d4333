package accessapp_test

import (
	"context"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/memory/accessmem"
	"github.com/civicdatatrust/civictrust/application/accessapp"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// BenchmarkAuthorize is the access check every request makes (an admin and a
// member, the snapshot loaded): go test -run '^$' -bench Authorize ./application/accessapp/
func BenchmarkAuthorize(b *testing.B) {
	clock := &fakeClock{t: time.Date(2025, 9, 4, 18, 0, 0, 0, time.UTC)}
	roles := accessmem.NewRoleRepository()
	svc := accessapp.New(accessapp.Deps{Roles: roles, Modules: accessmem.NewModuleRepository(), Clock: clock}, 2*time.Second)
	ctx := context.Background()
	if err := svc.Seed(ctx); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{kernel.AdminRoleName, "member"} {
		role, err := roles.GetByName(ctx, name)
		if err != nil {
			b.Fatal(err)
		}
		p := kernel.Principal{UserID: "u", RoleIDs: []string{role.ID}}
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
