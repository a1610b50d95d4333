package ratelimithttp_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/http/ratelimithttp"
	"github.com/civicdatatrust/civictrust/adapters/memory/ratelimitmem"
)

const (
	loginPath        = "/api/v1/auth/login"
	signupPath       = "/api/v1/auth/signup"
	resetRequestPath = "/api/v1/auth/password-reset-request"
)

// limited starts an app with the rate limits on and the given RATE_LIMIT_* values.
func limited(t *testing.T, env ...string) *apitest.App {
	t.Helper()
	opts := []apitest.Option{apitest.WithEnv("RATE_LIMITS", "on")}
	for i := 0; i+1 < len(env); i += 2 {
		opts = append(opts, apitest.WithEnv(env[i], env[i+1]))
	}
	return apitest.Start(t, opts...)
}

func login(a *apitest.App, email string, header map[string]string) *apitest.Response {
	return a.Do(apitest.Req{Method: http.MethodPost, Path: loginPath, Header: header,
		Body: map[string]any{"email": email, "password": "Wrong-Passw0rd"}})
}

// expectRateLimited checks the contract's 429: the error shape and a
// Retry-After within the window.
func expectRateLimited(t *testing.T, r *apitest.Response, window time.Duration) {
	t.Helper()
	r.Expect(t, http.StatusTooManyRequests)
	if d, c := r.Str("detail"), r.Str("code"); d != "Too many requests; try again later" || c != "rate_limited" {
		t.Errorf("body %s, want the contract's rate_limited error", r.Body)
	}
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > window {
		t.Errorf("Retry-After %q, want whole seconds in 1..%v", r.Header.Get("Retry-After"), window)
	}
}

// The windows are fixed and aligned on the clock, so a test that crossed a
// window's end would see its count start again: the limits here use windows
// a day long, which a test run almost never crosses.
func TestRateLimits(t *testing.T) {
	t.Parallel()

	t.Run("per_address_login_limit_answers_429_and_ignores_x_forwarded_for", func(t *testing.T) {
		t.Parallel()
		a := limited(t, "RATE_LIMIT_LOGIN", "3/24h", "RATE_LIMIT_LOGIN_ACCOUNT", "100/24h")
		for i := range 3 {
			login(a, fmt.Sprintf("nobody%d@example.org", i), nil).Expect(t, http.StatusUnauthorized)
		}
		expectRateLimited(t, login(a, "nobody9@example.org", nil), 24*time.Hour)
		// Without TRUSTED_PROXIES the header is the client's word: not believed.
		expectRateLimited(t, login(a, "nobody9@example.org", map[string]string{"X-Forwarded-For": "203.0.113.7"}), 24*time.Hour)
		// Other routes have their own limits.
		a.Post(resetRequestPath, "", map[string]any{"email": "nobody@example.org"}).Expect(t, http.StatusOK)
	})

	t.Run("behind_a_trusted_proxy_each_forwarded_address_has_its_own_limit", func(t *testing.T) {
		t.Parallel()
		a := limited(t, "RATE_LIMIT_LOGIN", "2/24h", "RATE_LIMIT_LOGIN_ACCOUNT", "100/24h", "TRUSTED_PROXIES", "127.0.0.1")
		from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
		login(a, "x@example.org", from("203.0.113.1")).Expect(t, http.StatusUnauthorized)
		login(a, "x@example.org", from("203.0.113.1")).Expect(t, http.StatusUnauthorized)
		expectRateLimited(t, login(a, "x@example.org", from("203.0.113.1")), 24*time.Hour)
		// A spoofed first hop does not help: the last untrusted hop counts.
		expectRateLimited(t, login(a, "x@example.org", from("198.51.100.9, 203.0.113.1")), 24*time.Hour)
		login(a, "x@example.org", from("203.0.113.2")).Expect(t, http.StatusUnauthorized)
	})

	t.Run("per_account_login_limit_holds_for_any_address_and_spelling", func(t *testing.T) {
		t.Parallel()
		a := limited(t, "RATE_LIMIT_LOGIN", "100/24h", "RATE_LIMIT_LOGIN_ACCOUNT", "2/24h", "TRUSTED_PROXIES", "127.0.0.1")
		login(a, "victim@example.org", map[string]string{"X-Forwarded-For": "203.0.113.1"}).Expect(t, http.StatusUnauthorized)
		login(a, "Victim@Example.org", map[string]string{"X-Forwarded-For": "203.0.113.2"}).Expect(t, http.StatusUnauthorized)
		expectRateLimited(t, login(a, "VICTIM@example.org", map[string]string{"X-Forwarded-For": "203.0.113.3"}), 24*time.Hour)
		login(a, "someone.else@example.org", nil).Expect(t, http.StatusUnauthorized)
	})

	t.Run("per_account_reset_requests_are_limited_whether_or_not_the_account_exists", func(t *testing.T) {
		t.Parallel()
		a := limited(t, "RATE_LIMIT_PASSWORD_RESET_REQUEST_ACCOUNT", "2/24h")
		for _, email := range []string{apitest.AdminEmail, "nobody@example.org"} {
			for range 2 {
				a.Post(resetRequestPath, "", map[string]any{"email": email}).Expect(t, http.StatusOK)
			}
			expectRateLimited(t, a.Post(resetRequestPath, "", map[string]any{"email": email}), 24*time.Hour)
		}
	})

	t.Run("per_address_signup_limit", func(t *testing.T) {
		t.Parallel()
		a := limited(t, "RATE_LIMIT_SIGNUP", "2/24h")
		for i := range 2 {
			a.Signup("Member", fmt.Sprintf("m%d@example.org", i), "Member-Passw0rd")
		}
		r := a.Post(signupPath, "", map[string]any{"name": "Member", "email": "m9@example.org", "password": "Member-Passw0rd", "role": "member"})
		expectRateLimited(t, r, 24*time.Hour)
	})

	t.Run("rate_limits_off_limits_nothing_and_the_lockout_stays", func(t *testing.T) {
		t.Parallel()
		a := apitest.Start(t, apitest.WithEnv("RATE_LIMIT_LOGIN", "1/1m"), apitest.WithEnv("RATE_LIMIT_LOGIN_ACCOUNT", "1/1m"))
		for range 5 {
			login(a, apitest.AdminEmail, nil).Expect(t, http.StatusUnauthorized)
		}
		r := a.Post(loginPath, "", map[string]any{"email": apitest.AdminEmail, "password": apitest.AdminPassword})
		r.Expect(t, http.StatusLocked)
	})
}

// Every route the guard limits exists: a renamed route would otherwise lose
// its limit silently.
func TestLimitedRoutesExist(t *testing.T) {
	t.Parallel()
	a := apitest.Start(t)
	var routed []string
	for _, r := range a.Server().Routes() {
		routed = append(routed, r.Method+" "+r.Path)
	}
	g := ratelimithttp.New(ratelimithttp.NewLimiter(ratelimitmem.New(), nil), ratelimithttp.Limits{}, nil)
	for _, k := range g.Routes() {
		if !slices.Contains(routed, k) {
			t.Errorf("%s is rate limited but not routed", k)
		}
	}
}
