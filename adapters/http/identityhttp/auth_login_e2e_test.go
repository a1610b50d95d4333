package identityhttp_test

import (
	"bytes"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestAuthLogin(t *testing.T) {
	app := apitest.Start(t)
	loginReq := func(email, password string) *apitest.Response {
		return app.Post(authPath+"/login", "", map[string]any{"email": email, "password": password})
	}

	t.Run("returns_tokens_and_user", func(t *testing.T) {
		email := uniqueEmail("lia")
		app.Post(authPath+"/signup", "", signupBody("Lia Log", email, memberPassword, "member")).Expect(t, http.StatusCreated)
		before := time.Now().UTC().Add(-time.Second)
		r := loginReq(strings.ToUpper(email), memberPassword).Expect(t, http.StatusOK)
		expectAuthHeaders(t, r)
		body := r.JSON()
		if body["token_type"] != "bearer" || body["expires_in"] != float64(900) {
			t.Errorf("token_type %#v expires_in %#v, want bearer and 900", body["token_type"], body["expires_in"])
		}
		if strings.Count(r.Str("access_token"), ".") != 2 || r.Str("refresh_token") == "" || r.Str("refresh_token") == r.Str("access_token") {
			t.Errorf("tokens: %s", r.Body)
		}
		header, payload, _ := jwtParts(t, r.Str("access_token"))
		if header["alg"] != "EdDSA" || header["kid"] == nil {
			t.Errorf("JWT header %v, want EdDSA with kid", header)
		}
		for _, c := range []string{"iss", "aud", "sub", "exp", "iat", "nbf", "jti", "sid"} {
			if _, ok := payload[c]; !ok {
				t.Errorf("claim %s missing: %v", c, payload)
			}
		}
		user, _ := body["user"].(map[string]any)
		auth, _ := user["auth"].(map[string]any)
		if user["email"] != email || payload["sub"] != user["id"] {
			t.Errorf("user %v, sub %v", user, payload["sub"])
		}
		last, _ := auth["last_login"].(string)
		if !apitest.TimeRE.MatchString(last) {
			t.Fatalf("auth.last_login = %#v, want a time", auth["last_login"])
		}
		if at, _ := time.Parse(time.RFC3339, last); at.Before(before) {
			t.Errorf("last_login %s is older than the login", last)
		}
		if auth["failed_login_attempts"] != float64(0) || auth["locked_until"] != nil {
			t.Errorf("auth = %v", auth)
		}
		// Refresh tokens are opaque: no JWT, no user id inside.
		if strings.Contains(r.Str("refresh_token"), user["id"].(string)) {
			t.Errorf("refresh token carries the user id")
		}
	})

	t.Run("wrong_password_and_unknown_email_look_identical", func(t *testing.T) {
		email, _ := newMember(t, app, "kim")
		wrong := loginReq(email, "Wrong-Passw0rd")
		unknown := loginReq(uniqueEmail("nobody"), "Wrong-Passw0rd")
		for _, r := range []*apitest.Response{wrong, unknown} {
			expectUnauthorized(t, r, msgBadCredentials)
			expectAuthHeaders(t, r)
		}
		if !bytes.Equal(wrong.Body, unknown.Body) {
			t.Errorf("bodies differ:\n wrong password: %s\n unknown email:  %s", wrong.Body, unknown.Body)
		}
	})

	t.Run("validation_errors", func(t *testing.T) {
		errs := validationErrors(t, app.Post(authPath+"/login", "", map[string]any{}))
		if len(errs) != 2 {
			t.Fatalf("entries %v", errs)
		}
		expectEntry(t, errs[0], "missing", loc("body", "email"), "Field required")
		expectEntry(t, errs[1], "missing", loc("body", "password"), "Field required")
		errs = validationErrors(t, loginReq("bad", "short"))
		if len(errs) != 2 {
			t.Fatalf("entries %v", errs)
		}
		expectEntry(t, errs[0], "value_error", loc("body", "email"), "value is not a valid email address: An email address must have an @-sign.")
		expectEntry(t, errs[1], "string_too_short", loc("body", "password"), "String should have at least 8 characters")
	})

	t.Run("disabled_user_is_forbidden", func(t *testing.T) {
		email, tok := newMember(t, app, "dee")
		admin := app.Admin()
		r := app.Put("/api/v1/users/"+tok.UserID, admin.Access, map[string]any{"status": false}).Expect(t, http.StatusOK)
		if r.JSON()["status"] != false {
			t.Fatalf("status after disabling: %s", r.Body)
		}
		expectCode(t, loginReq(email, memberPassword), http.StatusForbidden, "Account is disabled", "account_disabled")
		// A wrong password still answers like any wrong password.
		expectUnauthorized(t, loginReq(email, "Wrong-Passw0rd"), msgBadCredentials)
		// The sessions it had are gone too.
		expectUnauthorized(t, me(app, tok.Access), msgInvalidToken)
		expectUnauthorized(t, refresh(app, tok.Refresh), "Invalid or expired refresh token")
		// Enabled again, it signs in.
		app.Put("/api/v1/users/"+tok.UserID, admin.Access, map[string]any{"status": true}).Expect(t, http.StatusOK)
		login(t, app, email, memberPassword)
	})

	t.Run("sixth_attempt_after_five_failures_is_locked", func(t *testing.T) {
		email, _ := newMember(t, app, "lou")
		for i := 1; i <= 5; i++ {
			expectUnauthorized(t, loginReq(email, "Wrong-Passw0rd"), msgBadCredentials)
		}
		for _, pw := range []string{memberPassword, "Wrong-Passw0rd"} {
			r := loginReq(email, pw)
			expectCode(t, r, http.StatusLocked, "Account locked after too many failed login attempts; try again later", "account_locked")
			expectAuthHeaders(t, r)
			if s := retryAfterSeconds(t, r); s <= 0 || s > 15*60 {
				t.Errorf("Retry-After = %d, want 1..900 seconds", s)
			}
		}
		// Another account is not affected.
		_, other := newMember(t, app, "lou2")
		me(app, other.Access).Expect(t, http.StatusOK)
	})

	t.Run("success_resets_failure_counter", func(t *testing.T) {
		email, _ := newMember(t, app, "res")
		for round := 0; round < 2; round++ {
			for i := 0; i < 4; i++ {
				expectUnauthorized(t, loginReq(email, "Wrong-Passw0rd"), msgBadCredentials)
			}
			r := loginReq(email, memberPassword).Expect(t, http.StatusOK)
			auth, _ := r.JSON()["user"].(map[string]any)["auth"].(map[string]any)
			if auth["failed_login_attempts"] != float64(0) || auth["locked_until"] != nil {
				t.Errorf("round %d: auth after success = %v", round, auth)
			}
		}
	})
}

// TestAuthLoginTiming is a timing side-channel check, not a speed goal: an
// unknown email must cost about as much as a wrong password.
func TestAuthLoginTiming(t *testing.T) {
	app := apitest.Start(t)
	// Two accounts take turns so that neither reaches the lockout threshold.
	emails := []string{uniqueEmail("tim"), uniqueEmail("tom")}
	for _, e := range emails {
		app.Signup("Timing User", e, memberPassword)
	}
	measure := func(email string) time.Duration {
		// The service runs in this process: start every measurement from the
		// same heap state, so that one argon2id allocation's garbage is not
		// charged to the next request.
		runtime.GC()
		start := time.Now()
		r := app.Post(authPath+"/login", "", map[string]any{"email": email, "password": "Wrong-Passw0rd"})
		d := time.Since(start)
		expectUnauthorized(t, r, msgBadCredentials)
		return d
	}
	measure(uniqueEmail("warmup")) // first request pays connection setup
	const n = 7
	var unknown, wrong []time.Duration
	for i := 0; i < n; i++ { // alternate which goes first
		if i%2 == 0 {
			unknown = append(unknown, measure(uniqueEmail("ghost")))
			wrong = append(wrong, measure(emails[i%2]))
		} else {
			wrong = append(wrong, measure(emails[i%2]))
			unknown = append(unknown, measure(uniqueEmail("ghost")))
		}
	}
	median := func(ds []time.Duration) time.Duration { slices.Sort(ds); return ds[len(ds)/2] }
	mu, mw := median(unknown), median(wrong)
	ratio := float64(mu) / float64(mw)
	t.Logf("median unknown email %s, wrong password %s, ratio %.2f", mu, mw, ratio)
	if ratio < 0.5 || ratio > 2 {
		t.Errorf("unknown-email login takes %s, wrong-password login %s (ratio %.2f): the time reveals whether an account exists", mu, mw, ratio)
	}
}
