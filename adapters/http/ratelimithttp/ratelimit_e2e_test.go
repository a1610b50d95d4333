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
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
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

// expectRateLimited checks the contract's 429: the error shape, a
// Retry-After within the window and RateLimit headers saying nothing remains.
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
	if r.Header.Get("RateLimit-Remaining") != "0" || r.Header.Get("RateLimit-Limit") == "" || r.Header.Get("RateLimit-Reset") == "" {
		t.Errorf("RateLimit headers %q %q %q, want the limit, 0 remaining and the reset",
			r.Header.Get("RateLimit-Limit"), r.Header.Get("RateLimit-Remaining"), r.Header.Get("RateLimit-Reset"))
	}
}

// rateHeaders reads the RateLimit headers of an answer.
func rateHeaders(t *testing.T, r *apitest.Response) (limit, remaining, reset int) {
	t.Helper()
	var err error
	for _, h := range []struct {
		name string
		v    *int
	}{{"RateLimit-Limit", &limit}, {"RateLimit-Remaining", &remaining}, {"RateLimit-Reset", &reset}} {
		if *h.v, err = strconv.Atoi(r.Header.Get(h.name)); err != nil {
			t.Fatalf("%s %q on a limited route's answer (%d)", h.name, r.Header.Get(h.name), r.Status)
		}
	}
	return limit, remaining, reset
}

// The limits slide (one request back per window/count); windows here are a
// day long, so no request comes back during a test.
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

	// A wrong current password is a password guess like a failed login: it
	// spends the login budgets of the address and of the account.
	t.Run("change_password_spends_the_login_limits", func(t *testing.T) {
		t.Parallel()
		wrong := map[string]any{"current_password": "Wrong-Passw0rd", "new_password": "Another-Passw0rd-1"}
		t.Run("per_address", func(t *testing.T) {
			a := limited(t, "RATE_LIMIT_LOGIN", "3/24h", "RATE_LIMIT_LOGIN_ACCOUNT", "100/24h")
			tok := a.Admin() // the first of the address's three
			a.Post("/api/v1/auth/change-password", tok.Access, wrong).Expect(t, http.StatusBadRequest)
			a.Post("/api/v1/auth/change-password", tok.Access, wrong).Expect(t, http.StatusBadRequest)
			expectRateLimited(t, a.Post("/api/v1/auth/change-password", tok.Access, wrong), 24*time.Hour)
			expectRateLimited(t, login(a, "nobody@example.org", nil), 24*time.Hour)
		})
		t.Run("per_account", func(t *testing.T) {
			a := limited(t, "RATE_LIMIT_LOGIN", "100/24h", "RATE_LIMIT_LOGIN_ACCOUNT", "2/24h")
			tok := a.Admin()
			a.Post("/api/v1/auth/change-password", tok.Access, wrong).Expect(t, http.StatusBadRequest)
			a.Post("/api/v1/auth/change-password", tok.Access, wrong).Expect(t, http.StatusBadRequest)
			expectRateLimited(t, a.Post("/api/v1/auth/change-password", tok.Access, wrong), 24*time.Hour)
		})
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

	t.Run("limited_routes_tell_the_limit_what_remains_and_when_it_resets", func(t *testing.T) {
		t.Parallel()
		a := limited(t, "RATE_LIMIT_LOGIN", "3/24h", "RATE_LIMIT_LOGIN_ACCOUNT", "100/24h")
		for i := range 3 {
			r := login(a, fmt.Sprintf("header%d@example.org", i), nil).Expect(t, http.StatusUnauthorized)
			limit, remaining, reset := rateHeaders(t, r)
			// One request comes back every 8 h; all three after (i+1)·8 h.
			if limit != 3 || remaining != 2-i || reset < (i+1)*8*3600-5 || reset > (i+1)*8*3600 {
				t.Errorf("request %d: limit %d, remaining %d, reset %d s; want 3, %d, %d s", i+1, limit, remaining, reset, 2-i, (i+1)*8*3600)
			}
		}
		r := login(a, "header9@example.org", nil)
		expectRateLimited(t, r, 24*time.Hour)
		if secs, _ := strconv.Atoi(r.Header.Get("Retry-After")); secs < 8*3600-5 || secs > 8*3600 {
			t.Errorf("Retry-After %d s, want the 8 h until one request is back", secs)
		}
		// A route without a limit says nothing of one.
		if h := a.Get("/healthz", "").Header.Get("RateLimit-Limit"); h != "" {
			t.Errorf("/healthz has RateLimit-Limit %q", h)
		}
	})

	t.Run("the_defaults_let_a_room_behind_one_address_in", func(t *testing.T) {
		t.Parallel()
		a := limited(t) // every RATE_LIMIT_* at its default
		for _, tc := range []struct {
			what  string
			r     *apitest.Response
			limit int
		}{
			{"login", login(a, "room@example.org", nil), 30},
			{"signup", a.Post(signupPath, "", map[string]any{"name": "Room", "email": "room@example.org", "password": "Member-Passw0rd", "role": "member"}), 60},
			{"password reset request", a.Post(resetRequestPath, "", map[string]any{"email": "room@example.org"}), 60},
		} {
			if limit, remaining, _ := rateHeaders(t, tc.r); limit != tc.limit || remaining != tc.limit-1 {
				t.Errorf("%s: RateLimit-Limit %d, remaining %d; want %d and %d", tc.what, limit, remaining, tc.limit, tc.limit-1)
			}
		}
	})

	t.Run("an_ipv6_client_is_its_64", func(t *testing.T) {
		t.Parallel()
		a := limited(t, "RATE_LIMIT_LOGIN", "2/24h", "RATE_LIMIT_LOGIN_ACCOUNT", "100/24h", "TRUSTED_PROXIES", "127.0.0.1")
		from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
		login(a, "v6@example.org", from("2001:db8:1:2::1")).Expect(t, http.StatusUnauthorized)
		login(a, "v6@example.org", from("2001:db8:1:2:ffff:ffff:ffff:fffe")).Expect(t, http.StatusUnauthorized)
		// Any other address of the same /64 is the same client.
		expectRateLimited(t, login(a, "v6@example.org", from("2001:db8:1:2:a:b:c:d")), 24*time.Hour)
		// The next /64 is another.
		login(a, "v6@example.org", from("2001:db8:1:3::1")).Expect(t, http.StatusUnauthorized)
		// IPv4 addresses stay one each.
		login(a, "v4@example.org", from("203.0.113.1")).Expect(t, http.StatusUnauthorized)
		login(a, "v4@example.org", from("203.0.113.2")).Expect(t, http.StatusUnauthorized)
	})

	t.Run("resend_verification_is_limited_per_account_from_any_address", func(t *testing.T) {
		t.Parallel()
		a := limited(t, "RATE_LIMIT_RESEND_VERIFICATION", "100/24h", "RATE_LIMIT_RESEND_VERIFICATION_ACCOUNT", "2/24h",
			"TRUSTED_PROXIES", "127.0.0.1")
		resend := func(token, ip string) *apitest.Response {
			return a.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/auth/resend-verification", Token: token,
				Header: map[string]string{"X-Forwarded-For": ip}})
		}
		m := a.Member("Resend Member")
		resend(m.Access, "203.0.113.1").Expect(t, http.StatusOK)
		resend(m.Access, "203.0.113.2").Expect(t, http.StatusOK)
		expectRateLimited(t, resend(m.Access, "203.0.113.3"), 24*time.Hour)
		// Another account is not held back.
		other := a.Member("Other Member")
		resend(other.Access, "203.0.113.3").Expect(t, http.StatusOK)
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

// The counts are kept in the store: two replicas on one database share every
// limit, whichever of them a request reaches.
func TestRateLimitsHoldAcrossReplicas(t *testing.T) {
	t.Parallel()
	db := fmt.Sprintf("t_ratelimit_replicas_%d", time.Now().UnixNano())
	start := func() *apitest.App {
		return limited(t, "MONGODB_URI", mongotest.URI(t), "MONGODB_DATABASE", db,
			"RATE_LIMIT_LOGIN", "3/24h", "RATE_LIMIT_LOGIN_ACCOUNT", "100/24h")
	}
	a, b := start(), start()
	login(a, "r1@example.org", nil).Expect(t, http.StatusUnauthorized)
	login(b, "r2@example.org", nil).Expect(t, http.StatusUnauthorized)
	r := login(a, "r3@example.org", nil).Expect(t, http.StatusUnauthorized)
	if _, remaining, _ := rateHeaders(t, r); remaining != 0 {
		t.Errorf("remaining %d after three logins on two replicas, want 0", remaining)
	}
	expectRateLimited(t, login(b, "r4@example.org", nil), 24*time.Hour)
	expectRateLimited(t, login(a, "r4@example.org", nil), 24*time.Hour)
}
