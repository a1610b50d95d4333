package identityhttp_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mail"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// countingHasher counts the password checks that found a wrong password.
type countingHasher struct {
	identityport.PasswordHasher
	// wrong counts the wrong passwords whose check began before a right
	// one's ended: those checked alongside it. A wrong password checked after
	// a successful login is in a lockout window of its own.
	wrong     atomic.Int64
	rightDone atomic.Bool
}

func (h *countingHasher) Verify(ctx context.Context, password, encoded string) (bool, bool, error) {
	alongside := !h.rightDone.Load()
	ok, rehash, err := h.PasswordHasher.Verify(ctx, password, encoded)
	switch {
	case err == nil && ok:
		h.rightDone.Store(true)
	case err == nil && alongside:
		h.wrong.Add(1)
	}
	return ok, rehash, err
}

// reset starts a new count.
func (h *countingHasher) reset() {
	h.wrong.Store(0)
	h.rightDone.Store(false)
}

// withCountingHasher starts an app whose password checks are counted.
func withCountingHasher(t *testing.T, opts ...apitest.Option) (*apitest.App, *countingHasher) {
	h := &countingHasher{}
	opts = append(opts, apitest.WithFxOption(fx.Decorate(func(inner identityport.PasswordHasher) identityport.PasswordHasher {
		h.PasswordHasher = inner
		return h
	})))
	return apitest.Start(t, opts...), h
}

// stores are the stores the races run on: the embedded default, and the
// Mongo adapter on a real MongoDB only (FerretDB cannot run them faithfully
// for the reason limitation, one of mongotest's; set MONGODB_TEST_URI).
func stores(limitation string) map[string]func(t *testing.T) []apitest.Option {
	return map[string]func(t *testing.T) []apitest.Option{
		"sqlite": func(*testing.T) []apitest.Option { return nil },
		"mongodb": func(t *testing.T) []apitest.Option {
			mongotest.SkipOnFerretDB(t, limitation)
			return []apitest.Option{apitest.OnMongo(t)}
		},
	}
}

// Thirty logins at once, one of them with the right password: at most five
// wrong passwords are ever checked alongside it before the account locks,
// and the others are refused with 423 without their password being checked.
// A right password does not take back the attempts reserved while it was
// checked.
func TestHardening_the_lockout_cannot_be_raced(t *testing.T) {
	for name, opts := range stores(mongotest.TwoStepUpdates) {
		t.Run(name, func(t *testing.T) {
			app, hasher := withCountingHasher(t, opts(t)...)
			for round := range 5 {
				email, _ := newMember(t, app, "raced")
				hasher.reset()
				rs := porttestkit.AtOnce(30, func(i int) *apitest.Response {
					password := "Wrong-Passw0rd"
					if i == 17 {
						password = memberPassword
					}
					return app.Post(authPath+"/login", "", map[string]any{"email": email, "password": password})
				})
				counts := countStatuses(rs)
				if n := hasher.wrong.Load(); n > 5 {
					t.Fatalf("round %d: %d wrong passwords were checked (statuses %v), want at most 5", round, n, counts)
				}
				if (counts[http.StatusOK] == 0 && counts[http.StatusUnauthorized] > 5) || counts[http.StatusOK]+counts[http.StatusUnauthorized]+counts[http.StatusLocked] != 30 {
					t.Fatalf("round %d: statuses %v", round, counts)
				}
				if counts[http.StatusOK] == 0 {
					// The right password came after the lock: the account stays locked.
					app.Post(authPath+"/login", "", map[string]any{"email": email, "password": memberPassword}).Expect(t, http.StatusLocked)
				}
			}
		})
	}
}

// Two administrators removing each other at the same moment (disabling,
// demoting or deleting the other) never leave the service without one:
// exactly one of them succeeds, round after round.
func TestHardening_two_admins_cannot_remove_each_other_at_once(t *testing.T) {
	removals := []func(app *apitest.App, by apitest.Tokens, id string) *apitest.Response{
		func(app *apitest.App, by apitest.Tokens, id string) *apitest.Response {
			return app.Put(usrPath(id), by.Access, map[string]any{"status": false})
		},
		func(app *apitest.App, by apitest.Tokens, id string) *apitest.Response {
			return app.Put(usrPath(id), by.Access, map[string]any{"role": "member"})
		},
		func(app *apitest.App, by apitest.Tokens, id string) *apitest.Response {
			return app.Delete(usrPath(id), by.Access)
		},
	}
	for name, opts := range stores(mongotest.NoTransactions) {
		t.Run(name, func(t *testing.T) {
			app := apitest.Start(t, opts(t)...)
			admin := app.Admin()
			for round := range 20 {
				deputy := app.Member(fmt.Sprintf("Deputy %d", round))
				app.Put(usrPath(deputy.UserID), admin.Access, map[string]any{"role": "admin"}).Expect(t, http.StatusOK)
				pair := []apitest.Tokens{admin, deputy}
				rs := porttestkit.AtOnce(2, func(i int) *apitest.Response {
					return removals[(round+i)%len(removals)](app, pair[i], pair[1-i].UserID)
				})
				won := 0
				for i, r := range rs {
					switch r.Status {
					case http.StatusOK, http.StatusNoContent:
						won++
					case http.StatusConflict:
						usrError(t, r, http.StatusConflict, "last_admin")
					case http.StatusForbidden, http.StatusUnauthorized:
						// The other had already removed this caller when its request was checked.
					default:
						t.Fatalf("round %d: removal %d answered %d: %s", round, i, r.Status, r.Body)
					}
				}
				// Whoever still administers can list the users; the other cannot.
				var left []apitest.Tokens
				for _, who := range pair {
					if app.Get(usrBase, who.Access).Status == http.StatusOK {
						left = append(left, who)
					}
				}
				if len(left) != 1 || won != 1 {
					t.Fatalf("round %d: statuses %d and %d, %d administrators left, want exactly one of each", round, rs[0].Status, rs[1].Status, len(left))
				}
				admin = left[0]
			}
		})
	}
}

// A stolen access token cannot move the account to another mailbox: one's
// own email changes with the password, which counts like a login, and both
// addresses hear of it.
func TestHardening_a_self_service_email_change_needs_the_password(t *testing.T) {
	app := apitest.Start(t)
	email, tok := newMember(t, app, "owner")
	thief := uniqueEmail("thief")
	put := func(body map[string]any) *apitest.Response {
		return app.Put("/api/v1/users/"+tok.UserID, tok.Access, body)
	}

	errs := validationErrors(t, put(map[string]any{"email": thief}))
	expectEntry(t, errs[0], "missing", loc("body", "current_password"), "Field required")
	expectCode(t, put(map[string]any{"email": thief, "current_password": "Wrong-Passw0rd"}),
		http.StatusBadRequest, "Current password is incorrect", "invalid_password")
	if got := me(app, tok.Access).JSON()["email"]; got != email {
		t.Fatalf("the email changed without the password: %v", got)
	}
	// Changing one's name needs no password.
	put(map[string]any{"name": "Still Me"}).Expect(t, http.StatusOK)

	newEmail := uniqueEmail("moved")
	put(map[string]any{"email": newEmail, "current_password": memberPassword}).Expect(t, http.StatusOK)
	if v := me(app, tok.Access).JSON()["auth"].(map[string]any)["email_verified"]; v != false {
		t.Errorf("email_verified = %v after the change", v)
	}
	notice, err := mail.LatestTo(app.MailDir(), email)
	if err != nil || !strings.Contains(notice.Body, newEmail) {
		t.Fatalf("no notice to the old address naming the new one: %+v, %v", notice, err)
	}
	app.Post(authPath+"/verify-email", "", map[string]any{"token": mailedToken(t, app, newEmail)}).Expect(t, http.StatusOK)

	// An administrator changes it without a password; the same mails go out.
	admin := app.Admin()
	third := uniqueEmail("third")
	app.Put("/api/v1/users/"+tok.UserID, admin.Access, map[string]any{"email": third}).Expect(t, http.StatusOK)
	if notice, err := mail.LatestTo(app.MailDir(), newEmail); err != nil || !strings.Contains(notice.Body, third) {
		t.Fatalf("no notice to the previous address: %+v, %v", notice, err)
	}
	mailedToken(t, app, third)
}

// A wrong current password, in a password change or an email change, counts
// as a failed login.
func TestHardening_a_wrong_current_password_counts_toward_the_lockout(t *testing.T) {
	app := apitest.Start(t)
	for _, change := range []func(tok string, userID string) *apitest.Response{
		func(tok, _ string) *apitest.Response {
			return app.Post(authPath+"/change-password", tok, map[string]any{"current_password": "Wrong-Passw0rd", "new_password": "Another-Passw0rd1"})
		},
		func(tok, userID string) *apitest.Response {
			return app.Put("/api/v1/users/"+userID, tok, map[string]any{"email": uniqueEmail("x"), "current_password": "Wrong-Passw0rd"})
		},
	} {
		email, tok := newMember(t, app, "guess")
		for range 5 {
			change(tok.Access, tok.UserID).Expect(t, http.StatusBadRequest)
		}
		change(tok.Access, tok.UserID).Expect(t, http.StatusLocked)
		app.Post(authPath+"/login", "", map[string]any{"email": email, "password": memberPassword}).Expect(t, http.StatusLocked)
	}
}

// A reset, a password change or an email change voids every reset link the
// account has outstanding.
func TestHardening_old_reset_links_die_with_a_password_or_email_change(t *testing.T) {
	app := apitest.Start(t)
	requestReset := func(email string) string {
		app.Post(authPath+"/password-reset-request", "", map[string]any{"email": email}).Expect(t, http.StatusOK)
		return mailedToken(t, app, email)
	}
	reset := func(token string) *apitest.Response {
		return app.Post(authPath+"/password-reset", "", map[string]any{"token": token, "new_password": "Brand-New-Passw0rd"})
	}
	for name, change := range map[string]func(t *testing.T, email string, tok apitest.Tokens){
		"a_reset": func(t *testing.T, email string, _ apitest.Tokens) {
			reset(requestReset(email)).Expect(t, http.StatusOK)
		},
		"a_password_change": func(t *testing.T, _ string, tok apitest.Tokens) {
			app.Post(authPath+"/change-password", tok.Access, map[string]any{"current_password": memberPassword,
				"new_password": "Changed-Passw0rd"}).Expect(t, http.StatusOK)
		},
		"an_email_change": func(t *testing.T, _ string, tok apitest.Tokens) {
			app.Put("/api/v1/users/"+tok.UserID, tok.Access, map[string]any{"email": uniqueEmail("new"),
				"current_password": memberPassword}).Expect(t, http.StatusOK)
		},
	} {
		t.Run(name, func(t *testing.T) {
			email, tok := newMember(t, app, "links")
			old := requestReset(email)
			change(t, email, tok)
			expectCode(t, reset(old), http.StatusBadRequest, msgInvalidOneTime, "invalid_or_expired_token")
		})
	}
}

// After a logout answers 204 its token fails at once, also while other
// requests with it are in flight.
func TestHardening_a_logged_out_token_fails_at_once(t *testing.T) {
	app := apitest.Start(t)
	email, _ := newMember(t, app, "leaver")
	for round := range 20 {
		tok := login(t, app, email, memberPassword)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() { me(app, tok.Access) })
		}
		app.Post(authPath+"/logout", tok.Access, nil).Expect(t, http.StatusNoContent)
		if r := me(app, tok.Access); r.Status != http.StatusUnauthorized {
			t.Fatalf("round %d: /me right after the logout answered %d", round, r.Status)
		}
		wg.Wait()
		if r := me(app, tok.Access); r.Status != http.StatusUnauthorized {
			t.Fatalf("round %d: /me after the logout answered %d", round, r.Status)
		}
	}
}
