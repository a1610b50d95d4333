package identityapp_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/memory/identitymem"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// slowWrites is a user repository whose updates take delay, as on a store
// far away or under load.
type slowWrites struct {
	*identitymem.UserRepository
	delay time.Duration
}

func (r slowWrites) UpdateFrom(ctx context.Context, cur *identity.User, fn func(*identity.User) error) (*identity.User, error) {
	time.Sleep(r.delay)
	return r.UserRepository.UpdateFrom(ctx, cur, fn)
}

// A login for an unknown address takes as long as one with a wrong password,
// which also writes the failed attempt to the account, even when that write
// is slow: the time of the answer must not tell which addresses are
// registered. (The hasher here is the fast test one, so without the wait an
// unknown address would be answered in well under a millisecond.)
func TestAnUnknownAddressTakesAsLongAsAWrongPassword(t *testing.T) {
	const writeDelay = 40 * time.Millisecond
	f := newFixtureWith(t, func(u *identitymem.UserRepository) identityport.UserRepository {
		return slowWrites{UserRepository: u, delay: writeDelay}
	})
	f.signup(t, "known@example.org")
	login := func(email string) time.Duration {
		t.Helper()
		start := time.Now()
		if _, err := f.svc.Login(context.Background(), email, "wrong-Passw0rd", kernel.RequestMeta{}); !errors.Is(err, identity.ErrBadCredentials) {
			t.Fatalf("login %s: want bad credentials, got %v", email, err)
		}
		return time.Since(start)
	}
	for range 3 { // below the lockout threshold
		if d := login("known@example.org"); d < writeDelay {
			t.Fatalf("a wrong password took %v, less than its write", d)
		}
	}
	for i := range 5 {
		if d := login(fmt.Sprintf("nobody%d@example.org", i)); d < writeDelay*3/4 || d > 10*writeDelay {
			t.Errorf("an unknown address took %v; a wrong password takes about %v", d, writeDelay)
		}
	}
}
