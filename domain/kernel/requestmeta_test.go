package kernel_test

import (
	"context"
	"testing"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

func TestRequestMetaTravelsInTheContext(t *testing.T) {
	t.Parallel()
	if m := kernel.RequestMetaFrom(context.Background()); m != (kernel.RequestMeta{}) {
		t.Fatalf("empty context carries %+v", m)
	}
	want := kernel.RequestMeta{IP: "192.0.2.1", UserAgent: "ua", RequestID: "r1", ActorID: "u1"}
	if got := kernel.RequestMetaFrom(kernel.WithRequestMeta(context.Background(), want)); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}
