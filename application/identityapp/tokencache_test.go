package identityapp_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/application/identityapp"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// countingIssuer counts signature verifications and can be switched to refuse
// every token (as after its key was removed from the key set).
type countingIssuer struct {
	identityport.TokenIssuer
	mu       sync.Mutex
	verified int
	refuse   bool
}

func (c *countingIssuer) Verify(token string, now time.Time) (identityport.AccessClaims, error) {
	c.mu.Lock()
	c.verified++
	refuse := c.refuse
	c.mu.Unlock()
	if refuse {
		return identityport.AccessClaims{}, identity.ErrInvalidToken
	}
	return c.TokenIssuer.Verify(token, now)
}

func (c *countingIssuer) count() int { c.mu.Lock(); defer c.mu.Unlock(); return c.verified }

func loggedInWithCountingIssuer(t *testing.T) (*fixture, *countingIssuer, string) {
	t.Helper()
	f := newFixture(t)
	issuer := &countingIssuer{TokenIssuer: f.svc.Issuer}
	f.svc.Issuer = issuer
	f.signup(t, "tokens@example.org")
	res, err := f.svc.Login(context.Background(), "tokens@example.org", "Passw0rd-ok", kernel.RequestMeta{})
	if err != nil {
		t.Fatal(err)
	}
	return f, issuer, res.AccessToken
}

func TestAVerifiedTokenIsNotVerifiedAgainWithinTheCacheTTL(t *testing.T) {
	f, issuer, token := loggedInWithCountingIssuer(t)
	ctx := context.Background()
	for range 5 {
		if _, err := f.svc.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
	}
	if n := issuer.count(); n != 1 {
		t.Fatalf("5 requests with one token: %d signature checks, want 1", n)
	}
	// A key removed from the key set stops being honoured once the entry expires.
	issuer.mu.Lock()
	issuer.refuse = true
	issuer.mu.Unlock()
	f.clock.Advance(5 * time.Second)
	if _, err := f.svc.Authenticate(ctx, token); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("after the cache TTL the token must be verified again: got %v", err)
	}
	if n := issuer.count(); n != 2 {
		t.Fatalf("signature checks after the TTL: %d, want 2", n)
	}
}

func TestACachedTokenStillExpiresOnTime(t *testing.T) {
	f, issuer, token := loggedInWithCountingIssuer(t)
	ctx := context.Background()
	// Verified 2 s before the token's expiry (15 min): a cache entry living the
	// full AUTH_CACHE_TTL (5 s) would outlive the token by 3 s.
	f.clock.Advance(15*time.Minute - 2*time.Second)
	if _, err := f.svc.Authenticate(ctx, token); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	if _, err := f.svc.Authenticate(ctx, token); err != nil {
		t.Fatalf("1 s before its expiry: %v", err)
	}
	before := issuer.count()
	f.clock.Advance(2 * time.Second)
	if _, err := f.svc.Authenticate(ctx, token); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("1 s past its expiry: want invalid token, got %v", err)
	}
	if issuer.count() != before+1 {
		t.Errorf("past its expiry the token must be checked again, not answered from the cache")
	}
}

func TestARejectedTokenIsCheckedEveryTime(t *testing.T) {
	f, issuer, token := loggedInWithCountingIssuer(t)
	ctx := context.Background()
	forged := token[:len(token)-4] + "AAAA"
	for range 3 {
		if _, err := f.svc.Authenticate(ctx, forged); !errors.Is(err, identity.ErrInvalidToken) {
			t.Fatalf("forged signature: want invalid token, got %v", err)
		}
	}
	if n := issuer.count(); n != 3 {
		t.Fatalf("3 forged requests: %d signature checks, want 3 (failures are never cached)", n)
	}
}

func TestLogoutEndsACachedTokenAtOnce(t *testing.T) {
	f, _, token := loggedInWithCountingIssuer(t)
	ctx := context.Background()
	p, err := f.svc.Authenticate(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Logout(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, token); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("after logout on this instance: want invalid token, got %v", err)
	}
}

func TestAZeroCacheTTLChecksEveryRequest(t *testing.T) {
	f := newFixture(t)
	svc := identityapp.New(f.svc.Deps, identityapp.Settings{
		RefreshTTL: time.Hour, RefreshAbsoluteTTL: time.Hour,
		Lockout: identity.LockoutPolicy{Threshold: 5, Duration: time.Minute}, AuthCacheTTL: 0,
	})
	issuer := &countingIssuer{TokenIssuer: svc.Issuer}
	svc.Issuer = issuer
	ctx := context.Background()
	if _, err := svc.Signup(ctx, identityport.SignupInput{Name: "No Cache", Email: "nocache@example.org",
		Password: "Passw0rd-ok", RoleRefs: []string{"member"}}, kernel.RequestMeta{}); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Login(ctx, "nocache@example.org", "Passw0rd-ok", kernel.RequestMeta{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Authenticate(ctx, res.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	// Revoked behind the service's back (as on another replica): seen at once.
	if _, err := svc.SessionStore.Update(ctx, p.SessionID, func(s *identity.Session) error { s.Revoke(f.clock.Now()); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, res.AccessToken); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("AUTH_CACHE_TTL=0: a revoked session must be refused at once, got %v", err)
	}
	if n := issuer.count(); n != 2 {
		t.Fatalf("AUTH_CACHE_TTL=0: %d signature checks for 2 requests, want 2", n)
	}
}
