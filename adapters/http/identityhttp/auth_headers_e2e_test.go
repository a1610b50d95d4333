package identityhttp_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestAuthHeaders(t *testing.T) {
	app := apitest.Start(t)
	// A redirect must show as such, not be followed silently.
	app.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	email, tok := newMember(t, app, "hd")

	// One response of each kind the auth routes give.
	responses := func() map[string]*apitest.Response {
		return map[string]*apitest.Response{
			"signup_201":  app.Post(authPath+"/signup", "", signupBody("Hal Head", uniqueEmail("hh"), memberPassword, "member")),
			"signup_409":  app.Post(authPath+"/signup", "", signupBody("Hal Head", email, memberPassword, "member")),
			"signup_422":  app.Post(authPath+"/signup", "", `{"name":`),
			"login_200":   app.Post(authPath+"/login", "", map[string]any{"email": email, "password": memberPassword}),
			"login_401":   app.Post(authPath+"/login", "", map[string]any{"email": email, "password": "Wrong-Passw0rd"}),
			"me_200":      me(app, tok.Access),
			"me_401":      me(app, ""),
			"sessions":    app.Get(authPath+"/sessions", tok.Access),
			"refresh_401": refresh(app, "nope"),
			"reset_req":   app.Post(authPath+"/password-reset-request", "", map[string]any{"email": email}),
			"reset_400":   app.Post(authPath+"/password-reset", "", map[string]any{"token": "x", "new_password": memberPassword}),
		}
	}

	t.Run("auth_responses_are_not_cached_and_carry_security_headers", func(t *testing.T) {
		for name, r := range responses() {
			t.Run(name, func(t *testing.T) { expectAuthHeaders(t, r) })
		}
	})

	t.Run("every_response_has_a_request_id", func(t *testing.T) {
		hexID := regexp.MustCompile(`^[0-9a-f]{32}$`)
		seen := map[string]bool{}
		for name, r := range responses() {
			id := r.Header.Get("X-Request-ID")
			if !hexID.MatchString(id) || seen[id] {
				t.Errorf("%s: X-Request-ID %q, want a fresh generated id", name, id)
			}
			seen[id] = true
		}
		r := app.Get("/healthz", "")
		if r.Header.Get("X-Request-ID") == "" {
			t.Errorf("/healthz without X-Request-ID")
		}
	})

	t.Run("sent_request_id_is_echoed", func(t *testing.T) {
		for _, req := range []apitest.Req{
			{Method: http.MethodGet, Path: authPath + "/me", Token: tok.Access},
			{Method: http.MethodGet, Path: authPath + "/me"},
			{Method: http.MethodPost, Path: authPath + "/signup", Body: `[]`},
			{Method: http.MethodPost, Path: authPath + "/login", Body: map[string]any{"email": email, "password": memberPassword}},
		} {
			req.Header = map[string]string{"X-Request-ID": "abc-123"}
			if got := app.Do(req).Header.Get("X-Request-ID"); got != "abc-123" {
				t.Errorf("%s %s: X-Request-ID %q, want abc-123", req.Method, req.Path, got)
			}
		}
	})

	t.Run("unsafe_request_id_is_replaced", func(t *testing.T) {
		for _, bad := range []string{"has space", "line\u2028break", "x<script>", strings.Repeat("a", 129)} {
			r := app.Do(apitest.Req{Method: http.MethodGet, Path: authPath + "/me", Token: tok.Access,
				Header: map[string]string{"X-Request-ID": bad}})
			if got := r.Header.Get("X-Request-ID"); got == bad || got == "" {
				t.Errorf("X-Request-ID %q answered with %q", bad, got)
			}
		}
	})

	t.Run("trailing_slash_works_without_redirect", func(t *testing.T) {
		for _, path := range []string{authPath + "/login", authPath + "/login/"} {
			r := app.Post(path, "", map[string]any{"email": email, "password": memberPassword})
			if r.Status != http.StatusOK {
				t.Errorf("POST %s: status %d (Location %q), want 200", path, r.Status, r.Header.Get("Location"))
			}
		}
		if r := app.Get(authPath+"/me/", tok.Access); r.Status != http.StatusOK {
			t.Errorf("GET %s/me/: status %d", authPath, r.Status)
		}
	})
}
