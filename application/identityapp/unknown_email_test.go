package identityapp_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/civicdatatrust/civictrust/application/identityapp"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// countingHasher counts the password checks that cost a hash.
type countingHasher struct {
	identityport.PasswordHasher
	checks atomic.Int32
}

func (h *countingHasher) Verify(ctx context.Context, password, encoded string) (ok, rehash bool, err error) {
	h.checks.Add(1)
	return h.PasswordHasher.Verify(ctx, password, encoded)
}

func (h *countingHasher) DummyVerify(ctx context.Context, password string) {
	h.checks.Add(1)
	h.PasswordHasher.DummyVerify(ctx, password)
}

// A login for an unknown address gets the answer a wrong password gets, and
// costs the same one hash, so that neither the answer nor the hash's time
// tells which addresses are registered.
func TestAnUnknownAddressCostsAHashLikeAWrongPassword(t *testing.T) {
	var hasher *countingHasher
	f := newFixtureWith(t, func(d *identityapp.Deps) {
		hasher = &countingHasher{PasswordHasher: d.Hasher}
		d.Hasher = hasher
	})
	f.signup(t, "known@example.org")
	for _, email := range []string{"known@example.org", "nobody@example.org"} {
		before := hasher.checks.Load()
		_, err := f.svc.Login(context.Background(), email, "wrong-Passw0rd")
		if !errors.Is(err, identity.ErrBadCredentials) {
			t.Fatalf("login %s: want bad credentials, got %v", email, err)
		}
		if n := hasher.checks.Load() - before; n != 1 {
			t.Errorf("login %s cost %d password checks, want 1", email, n)
		}
	}
}
