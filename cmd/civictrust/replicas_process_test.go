package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/adapters/mongo/ferretdb"
)

// startTCPStore starts an embedded store on a loopback TCP port (addr empty:
// a free one), as a MongoDB that several processes share.
func startTCPStore(t *testing.T, dir, addr string) *ferretdb.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := ferretdb.Start(ctx, ferretdb.Options{Dir: dir, Listen: ferretdb.ListenTCP, TCPAddr: addr, Logger: zerolog.Nop()})
	if err != nil {
		t.Fatalf("start the embedded store: %v", err)
	}
	t.Cleanup(func() { stopStore(t, s) })
	return s
}

func stopStore(t *testing.T, s *ferretdb.Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Errorf("stop the embedded store: %v", err)
	}
}

// Two processes of the service on one store (an embedded store on a loopback
// port, as a shared MongoDB would be): a session revoked through one is
// refused by the other within 5 s, a lockout reached through one holds on the
// other, and the rate limits count the requests made to both.
func TestTwoProcessesShareOneStore(t *testing.T) {
	t.Parallel()
	store := startTCPStore(t, t.TempDir(), "")
	env := baseEnv(t.TempDir()) // one DATA_DIR: the signing key the first generates, the second reads
	env["MONGODB_URI"] = store.URI()
	env["MONGODB_DATABASE"] = "civictrust_two_processes"
	env["SHUTDOWN_READINESS_DELAY"] = "0s"
	env["RATE_LIMITS"] = "on"
	env["RATE_LIMIT_LOGIN"] = "100/1m"
	env["RATE_LIMIT_LOGIN_ACCOUNT"] = "100/1m"
	env["RATE_LIMIT_SIGNUP"] = "3/24h"
	env["RATE_LIMIT_PASSWORD_RESET_REQUEST_ACCOUNT"] = "5/24h"

	a := startProc(t, "process A", env)
	b := startProc(t, "process B", env)
	ca, cb := a.client(), b.client()
	defer a.stop()
	defer b.stop()

	t.Run("a_session_revoked_on_one_is_refused_by_the_other_within_5s", func(t *testing.T) {
		tok := ca.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "login on A")
		access, refresh := tok.str("access_token"), tok.str("refresh_token")
		cb.do(t, http.MethodGet, "/api/v1/auth/me", access, nil).expect(t, http.StatusOK, "B accepts A's token")
		logout := time.Now() // the session is revoked during this request
		ca.do(t, http.MethodPost, "/api/v1/auth/logout", access, nil).expect(t, http.StatusNoContent, "logout on A")
		// Poll B. Every request B still accepts must have been sent less than
		// 5 s after the logout began; the first refusal ends the poll.
		var lastAccepted, refused time.Time
		for {
			sent := time.Now()
			r := cb.do(t, http.MethodGet, "/api/v1/auth/me", access, nil)
			if r.status == http.StatusUnauthorized {
				refused = sent
				break
			}
			if r.status != http.StatusOK {
				t.Fatalf("B answered %d: %s", r.status, r.body)
			}
			lastAccepted = sent
			if sent.Sub(logout) > 10*time.Second {
				t.Fatal("B still accepts the revoked session after 10 s")
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("B accepted the revoked session until %v and refused it from %v after the logout began (AUTH_CACHE_TTL 5s)",
			lastAccepted.Sub(logout).Round(time.Millisecond), refused.Sub(logout).Round(time.Millisecond))
		if !lastAccepted.IsZero() && lastAccepted.Sub(logout) >= 5*time.Second {
			t.Errorf("B accepted the revoked session %v after the logout, want refusals within 5 s", lastAccepted.Sub(logout))
		}
		cb.do(t, http.MethodGet, "/api/v1/auth/me", access, nil).expect(t, http.StatusUnauthorized, "B keeps refusing")
		cb.do(t, http.MethodPost, "/api/v1/auth/refresh", "", map[string]any{"refresh_token": refresh}).
			expect(t, http.StatusUnauthorized, "the revoked session's refresh token on B")
	})

	t.Run("a_lockout_reached_through_one_holds_on_the_other", func(t *testing.T) {
		email := fmt.Sprintf("locked-%d@example.org", time.Now().UnixNano())
		ca.do(t, http.MethodPost, "/api/v1/auth/signup", "", map[string]any{
			"name": "Locked Member", "email": email, "password": "Member-Passw0rd", "role": "member",
		}).expect(t, http.StatusCreated, "signup on A")
		for i := range 5 {
			ca.login(t, email, "Wrong-Passw0rd").expect(t, http.StatusUnauthorized, fmt.Sprintf("failure %d on A", i+1))
		}
		r := cb.login(t, email, "Member-Passw0rd").expect(t, http.StatusLocked, "the right password on B")
		if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 60 {
			t.Errorf("Retry-After %q, want the lockout's remaining minutes", r.header.Get("Retry-After"))
		}
		ca.login(t, email, "Member-Passw0rd").expect(t, http.StatusLocked, "and on A")
	})

	t.Run("the_rate_limits_count_requests_made_to_both", func(t *testing.T) {
		// Sign-ups per address: 3 an hour; the lockout case signed up once on A.
		signup := func(c client, i int) reply {
			return c.do(t, http.MethodPost, "/api/v1/auth/signup", "", map[string]any{
				"name": "Counted Member", "email": fmt.Sprintf("counted-%d-%d@example.org", i, time.Now().UnixNano()),
				"password": "Member-Passw0rd", "role": "member",
			})
		}
		signup(cb, 1).expect(t, http.StatusCreated, "second signup, on B")
		signup(ca, 2).expect(t, http.StatusCreated, "third signup, on A")
		for _, c := range []client{cb, ca} {
			r := signup(c, 3)
			r.expect(t, http.StatusTooManyRequests, "fourth signup")
			if !isContractError(r.body, "rate_limited") || r.header.Get("Retry-After") == "" {
				t.Errorf("429 body %s, Retry-After %q", r.body, r.header.Get("Retry-After"))
			}
		}
		// Password-reset requests per account: 5 an hour, spread over both.
		reset := func(c client) reply {
			return c.do(t, http.MethodPost, "/api/v1/auth/password-reset-request", "", map[string]any{"email": testAdminEmail})
		}
		for i, c := range []client{ca, cb, ca, cb, ca} {
			reset(c).expect(t, http.StatusOK, fmt.Sprintf("reset request %d", i+1))
		}
		reset(cb).expect(t, http.StatusTooManyRequests, "sixth reset request, on B")
		reset(ca).expect(t, http.StatusTooManyRequests, "seventh reset request, on A")
	})
}
