package identityhttp_test

import (
	"net/http"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

func countStatuses(rs []*apitest.Response) map[int]int {
	m := map[int]int{}
	for _, r := range rs {
		m[r.Status]++
	}
	return m
}

func TestAuthConcurrency(t *testing.T) {
	app := apitest.Start(t)

	t.Run("simultaneous_signups_with_one_email_create_one_user", func(t *testing.T) {
		email := uniqueEmail("twin")
		rs := porttestkit.AtOnce(20, func(i int) *apitest.Response {
			return app.Post(authPath+"/signup", "", signupBody("Twin Number", email, memberPassword, "member"))
		})
		got := countStatuses(rs)
		if got[http.StatusCreated] != 1 || got[http.StatusConflict] != 19 {
			t.Fatalf("statuses %v, want one 201 and nineteen 409", got)
		}
		var created string
		for _, r := range rs {
			if r.Status == http.StatusConflict {
				expectCode(t, r, http.StatusConflict, "Email already registered", "email_taken")
			} else {
				created = r.Str("id")
			}
		}
		tok := login(t, app, email, memberPassword)
		if tok.UserID != created {
			t.Errorf("login finds user %s, signup created %s", tok.UserID, created)
		}
		n := 0
		for _, u := range app.Get("/api/v1/users?limit=1000", app.Admin().Access).Expect(t, http.StatusOK).Array() {
			if u["email"] == email {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d users with the email, want 1", n)
		}
	})

	t.Run("simultaneous_refreshes_with_one_token_rotate_once", func(t *testing.T) {
		_, tok := newMember(t, app, "rr")
		rs := porttestkit.AtOnce(10, func(int) *apitest.Response { return refresh(app, tok.Refresh) })
		got := countStatuses(rs)
		if got[http.StatusOK] != 10 {
			t.Fatalf("statuses %v, want ten 200s (within REFRESH_REUSE_INTERVAL)", got)
		}
		tokens := map[string]bool{}
		for _, r := range rs {
			tokens[r.Str("refresh_token")] = true
		}
		if len(tokens) != 1 {
			t.Errorf("%d different refresh tokens, want the one the single rotation made", len(tokens))
		}
	})

	t.Run("simultaneous_refreshes_without_reuse_interval_let_one_win", func(t *testing.T) {
		strict := apitest.Start(t, apitest.WithEnv("REFRESH_REUSE_INTERVAL", "0s"))
		_, tok := newMember(t, strict, "rs")
		rs := porttestkit.AtOnce(10, func(int) *apitest.Response { return refresh(strict, tok.Refresh) })
		got := countStatuses(rs)
		if got[http.StatusOK] != 1 || got[http.StatusUnauthorized] != 9 {
			t.Fatalf("statuses %v, want one 200 and nine 401", got)
		}
		for _, r := range rs {
			if r.Status == http.StatusUnauthorized && r.Header.Get("WWW-Authenticate") != "Bearer" {
				t.Errorf("401 without WWW-Authenticate: %s", r.Body)
			}
		}
	})

	t.Run("simultaneous_failed_logins_lock_the_account", func(t *testing.T) {
		email, _ := newMember(t, app, "fl")
		rs := porttestkit.AtOnce(10, func(int) *apitest.Response {
			return app.Post(authPath+"/login", "", map[string]any{"email": email, "password": "Wrong-Passw0rd"})
		})
		got := countStatuses(rs)
		if got[http.StatusUnauthorized]+got[http.StatusLocked] != 10 || got[http.StatusUnauthorized] < 5 {
			t.Errorf("statuses %v, want only 401s and 423s, at least five 401s", got)
		}
		r := app.Post(authPath+"/login", "", map[string]any{"email": email, "password": memberPassword})
		if r.Status != http.StatusLocked {
			t.Errorf("after ten concurrent failures: status %d, want 423 (lost updates of the failure counter?)", r.Status)
		}
	})
}
