package main

import (
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// The store going away: requests answer 503 in the contract's shape within
// 5 s instead of hanging, /readyz turns 503, and when the store comes back on
// the same address the service recovers by itself — no restart.
func TestStoreOutageAndRecovery(t *testing.T) {
	t.Parallel()
	storeDir := t.TempDir()
	store := startTCPStore(t, storeDir, "")
	u, err := url.Parse(store.URI())
	if err != nil {
		t.Fatal(err)
	}
	storeAddr := u.Host
	if _, _, err := net.SplitHostPort(storeAddr); err != nil {
		t.Fatalf("store URI %s: %v", store.URI(), err)
	}

	env := baseEnv(t.TempDir())
	env["MONGODB_URI"] = store.URI()
	env["RATE_LIMITS"] = "on"
	env["SHUTDOWN_READINESS_DELAY"] = "0s"
	p := startProc(t, "service", env)
	defer p.stop()
	c := p.client()
	tok := c.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "login").str("access_token")
	c.do(t, http.MethodGet, "/api/v1/users", tok, nil).expect(t, http.StatusOK, "list users")
	c.do(t, http.MethodGet, "/readyz", "", nil).expect(t, http.StatusOK, "ready")

	stopStore(t, store)

	t.Run("requests_answer_503_within_5s_even_many_at_once", func(t *testing.T) {
		type call struct {
			method, path, token string
			body                any
		}
		calls := []call{
			{http.MethodGet, "/api/v1/users", tok, nil}, // authentication cached: the handler's store call fails
			{http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": testAdminEmail, "password": testAdminPassword}},
			{http.MethodGet, "/api/v1/datasets", tok, nil},
			{http.MethodGet, "/api/v1/auth/me", tok, nil},
		}
		var wg sync.WaitGroup
		for i := range 3 * len(calls) {
			r := calls[i%len(calls)]
			wg.Go(func() {
				start := time.Now()
				res, err := c.try(r.method, r.path, r.token, r.body)
				took := time.Since(start)
				if err != nil {
					t.Errorf("%s %s: %v after %v", r.method, r.path, err, took)
					return
				}
				t.Logf("%s %s → %d in %v", r.method, r.path, res.status, took.Round(time.Millisecond))
				if res.status != http.StatusServiceUnavailable || !isContractError(res.body, "database_unavailable") {
					t.Errorf("%s %s → %d %s, want 503 database_unavailable", r.method, r.path, res.status, res.body)
				}
				if res.header.Get("Retry-After") == "" {
					t.Errorf("%s %s: 503 without Retry-After", r.method, r.path)
				}
				if took > 5*time.Second {
					t.Errorf("%s %s took %v, want at most 5 s", r.method, r.path, took)
				}
			})
		}
		wg.Wait()
	})

	t.Run("readiness_turns_503", func(t *testing.T) {
		start := time.Now()
		r := c.do(t, http.MethodGet, "/readyz", "", nil)
		if r.status != http.StatusServiceUnavailable || !isContractError(r.body, "database_unavailable") {
			t.Errorf("/readyz → %d %s, want 503 database_unavailable", r.status, r.body)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("/readyz took %v", took)
		}
		c.do(t, http.MethodGet, "/healthz", "", nil).expect(t, http.StatusOK, "the process is alive")
	})

	t.Run("the_service_recovers_when_the_store_returns", func(t *testing.T) {
		startTCPStore(t, storeDir, storeAddr)
		back := time.Now()
		for {
			r, err := c.try(http.MethodGet, "/readyz", "", nil)
			if err == nil && r.status == http.StatusOK {
				break
			}
			if time.Since(back) > 30*time.Second {
				t.Fatalf("/readyz still not 200 30 s after the store returned: %v %d %s", err, r.status, r.body)
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("ready again %v after the store returned", time.Since(back).Round(time.Millisecond))
		c.do(t, http.MethodGet, "/api/v1/users", tok, nil).expect(t, http.StatusOK, "the session from before the outage")
		c.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "a new login")
	})
}
