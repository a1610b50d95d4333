package identityapp_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/civicdatatrust/civictrust/adapters/crypto/jwtkeys"
	"github.com/civicdatatrust/civictrust/adapters/crypto/passwordhash"
	"github.com/civicdatatrust/civictrust/adapters/memory/identitymem"
	"github.com/civicdatatrust/civictrust/application/identityapp"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// roles is a fixed role directory: admin and a self-assignable member.
type roles struct{}

var (
	adminRole  = identityport.RoleInfo{ID: "aaaaaaaaaaaaaaaaaaaaaaaa", Name: "admin"}
	memberRole = identityport.RoleInfo{ID: "bbbbbbbbbbbbbbbbbbbbbbbb", Name: "member", SelfAssignable: true}
)

func (roles) Resolve(_ context.Context, refs []string) ([]identityport.RoleInfo, []string, error) {
	var out []identityport.RoleInfo
	var unknown []string
	for _, r := range refs {
		switch strings.ToLower(r) {
		case "admin", adminRole.ID:
			out = append(out, adminRole)
		case "member", memberRole.ID:
			out = append(out, memberRole)
		default:
			unknown = append(unknown, r)
		}
	}
	return out, unknown, nil
}

func (roles) ByIDs(_ context.Context, ids []string) ([]identityport.RoleInfo, error) {
	var out []identityport.RoleInfo
	for _, id := range ids {
		switch id {
		case adminRole.ID:
			out = append(out, adminRole)
		case memberRole.ID:
			out = append(out, memberRole)
		}
	}
	return out, nil
}
func (roles) AdminRoleID(context.Context) (string, error)   { return adminRole.ID, nil }
func (roles) DefaultRoleID(context.Context) (string, error) { return memberRole.ID, nil }

// mailbox keeps sent messages.
type mailbox struct {
	mu   sync.Mutex
	sent []platformport.Message
}

func (m *mailbox) Send(_ context.Context, msg platformport.Message) error {
	m.mu.Lock()
	m.sent = append(m.sent, msg)
	m.mu.Unlock()
	return nil
}

func (m *mailbox) lastToken(t *testing.T) string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	body := m.sent[len(m.sent)-1].Body
	_, after, ok := strings.Cut(body, "Token: ")
	if !ok {
		t.Fatalf("no token in %q", body)
	}
	return strings.TrimSpace(strings.SplitN(after, "\n", 2)[0])
}

type fixture struct {
	svc   *identityapp.Service
	clock *fakeClock
	users *identitymem.UserRepository
	mail  *mailbox
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, nil)
}

// newFixtureWith is newFixture with the dependencies that adjust (unless nil)
// changed before the service is built.
func newFixtureWith(t *testing.T, adjust func(*identityapp.Deps)) *fixture {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	_, priv, _ := ed25519.GenerateKey(nil)
	keys, err := jwtkeys.NewKeySet(map[string]ed25519.PrivateKey{"k1": priv}, "k1")
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := jwtkeys.NewIssuer(keys, jwtkeys.IssuerOptions{Issuer: "test", Audience: "test", TTL: 15 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{clock: clock, users: identitymem.NewUserRepository(), mail: &mailbox{}}
	deps := identityapp.Deps{
		Users: f.users, SessionStore: identitymem.NewSessionRepository(), Tokens: identitymem.NewOneTimeTokenRepository(),
		Hasher: passwordhash.NewInsecureFast(), Issuer: issuer, Roles: roles{}, Mailer: f.mail, Clock: clock,
	}
	if adjust != nil {
		adjust(&deps)
	}
	f.svc = identityapp.New(deps, identityapp.Settings{
		RefreshTTL: 7 * 24 * time.Hour, RefreshAbsoluteTTL: 30 * 24 * time.Hour,
		Lockout:          identity.LockoutPolicy{Threshold: 5, Duration: 15 * time.Minute},
		PasswordResetTTL: 30 * time.Minute, VerificationTTL: 48 * time.Hour,
		PublicBaseURL: "http://localhost",
	})
	return f
}

func (f *fixture) signup(t *testing.T, email string) {
	t.Helper()
	_, err := f.svc.Signup(context.Background(), identityport.SignupInput{Name: "Test User", Email: email,
		Password: "Passw0rd-ok", RoleRefs: []string{"member"}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLockoutEndsAfterItsDuration(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.signup(t, "lock@example.org")
	for range 5 {
		if _, err := f.svc.Login(ctx, "lock@example.org", "wrong-Passw0rd"); !errors.Is(err, identity.ErrBadCredentials) {
			t.Fatalf("want bad credentials, got %v", err)
		}
	}
	var locked *identity.LockedError
	if _, err := f.svc.Login(ctx, "lock@example.org", "Passw0rd-ok"); !errors.As(err, &locked) {
		t.Fatalf("want locked, got %v", err)
	}
	if got := locked.Until.Sub(f.clock.Now()); got != 15*time.Minute {
		t.Fatalf("locked for %v", got)
	}
	f.clock.Advance(15*time.Minute + time.Second)
	if _, err := f.svc.Login(ctx, "lock@example.org", "Passw0rd-ok"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

func TestBcryptHashIsAcceptedAndUpgradedToArgon2id(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.signup(t, "legacy@example.org")
	legacy, _ := bcrypt.GenerateFromPassword([]byte("Legacy-Passw0rd"), 4)
	u, _ := f.users.GetByEmail(ctx, "legacy@example.org")
	if _, err := f.users.Update(ctx, u.ID(), func(u *identity.User) error { u.RehashPassword(string(legacy)); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Login(ctx, "legacy@example.org", "Legacy-Passw0rd"); err != nil {
		t.Fatalf("bcrypt login: %v", err)
	}
	u, _ = f.users.GetByEmail(ctx, "legacy@example.org")
	if !strings.HasPrefix(u.PasswordHash(), "$argon2id$") {
		t.Fatalf("hash not upgraded: %q", u.PasswordHash()[:10])
	}
	if _, err := f.svc.Login(ctx, "legacy@example.org", "Legacy-Passw0rd"); err != nil {
		t.Fatalf("login after the upgrade: %v", err)
	}
}

func TestPasswordResetTokenExpiresAfter30Minutes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.signup(t, "reset@example.org")
	if err := f.svc.RequestPasswordReset(ctx, "reset@example.org"); err != nil {
		t.Fatal(err)
	}
	tok := f.mail.lastToken(t)
	f.clock.Advance(31 * time.Minute)
	if err := f.svc.ResetPassword(ctx, tok, "New-Passw0rd"); !errors.Is(err, identity.ErrInvalidOneTime) {
		t.Fatalf("want invalid token, got %v", err)
	}
}

func TestRefreshStopsAtTheAbsoluteLifetime(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.signup(t, "long@example.org")
	res, err := f.svc.Login(ctx, "long@example.org", "Passw0rd-ok")
	if err != nil {
		t.Fatal(err)
	}
	refresh := res.RefreshToken
	// Refreshing every 6 days keeps the sliding window open, but not past 30 days.
	for day := 6; day <= 30; day += 6 {
		f.clock.Advance(6 * 24 * time.Hour)
		pair, err := f.svc.Refresh(ctx, refresh)
		if day < 30 && err != nil {
			t.Fatalf("day %d: %v", day, err)
		}
		if day >= 30 {
			if !errors.Is(err, identity.ErrInvalidRefresh) {
				t.Fatalf("day %d: want invalid refresh, got %v", day, err)
			}
			return
		}
		refresh = pair.RefreshToken
	}
}

func TestSlidingRefreshExpiresAfterAWeekUnused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.signup(t, "idle@example.org")
	res, err := f.svc.Login(ctx, "idle@example.org", "Passw0rd-ok")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(7*24*time.Hour + time.Minute)
	if _, err := f.svc.Refresh(ctx, res.RefreshToken); !errors.Is(err, identity.ErrInvalidRefresh) {
		t.Fatalf("want invalid refresh, got %v", err)
	}
}

func TestAccessTokenOfASessionRevokedElsewhereFailsAtOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.signup(t, "cache@example.org")
	res, err := f.svc.Login(ctx, "cache@example.org", "Passw0rd-ok")
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.Authenticate(ctx, res.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	// Revoke behind this instance's back (as another replica would), through the repository.
	sessions := f.svc.SessionStore
	if _, err := sessions.Update(ctx, p.SessionID, func(s *identity.Session) error { s.Revoke(f.clock.Now()); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, res.AccessToken); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("a session revoked by another replica: want invalid token at once, got %v", err)
	}
}

// The principal of a session (a download link's) is what a token of the
// session gives, and is refused once the session ends or the user is
// disabled.
func TestSessionPrincipalFollowsTheSessionAndTheUser(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.signup(t, "link@example.org")
	res, err := f.svc.Login(ctx, "link@example.org", "Passw0rd-ok")
	if err != nil {
		t.Fatal(err)
	}
	byToken, err := f.svc.Authenticate(ctx, res.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.SessionPrincipal(ctx, byToken.UserID, byToken.SessionID)
	if err != nil || p.UserID != byToken.UserID || p.SessionID != byToken.SessionID || !slices.Equal(p.RoleNames, byToken.RoleNames) {
		t.Fatalf("SessionPrincipal = %+v, %v; want %+v", p, err, byToken)
	}
	if _, err := f.svc.SessionPrincipal(ctx, "a00000000000000000000009", byToken.SessionID); !errors.Is(err, identity.ErrInvalidToken) {
		t.Errorf("another user's session: %v, want ErrInvalidToken", err)
	}
	if _, err := f.svc.Users.Update(ctx, p.UserID, func(u *identity.User) error {
		_, err := u.ChangeAccount(identity.AccountChange{Active: new(false)}, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SessionPrincipal(ctx, p.UserID, p.SessionID); !errors.Is(err, identity.ErrInvalidToken) {
		t.Errorf("a disabled user: %v, want ErrInvalidToken", err)
	}
	if _, err := f.svc.Users.Update(ctx, p.UserID, func(u *identity.User) error {
		_, err := u.ChangeAccount(identity.AccountChange{Active: new(true)}, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Logout(ctx, byToken); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SessionPrincipal(ctx, p.UserID, p.SessionID); !errors.Is(err, identity.ErrInvalidToken) {
		t.Errorf("a session logged out: %v, want ErrInvalidToken", err)
	}
}
