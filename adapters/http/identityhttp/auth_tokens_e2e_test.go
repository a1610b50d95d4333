package identityhttp_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

const msgInvalidRefresh = "Invalid or expired refresh token"

func TestAuthTokens(t *testing.T) {
	// Without a reuse interval a rotated token presented again is theft at
	// once (the interval itself: auth_refresh_reuse_e2e_test.go).
	app := apitest.Start(t, apitest.WithEnv("REFRESH_REUSE_INTERVAL", "0s"))

	t.Run("refresh_rotates_refresh_token", func(t *testing.T) {
		_, tok := newMember(t, app, "ray")
		r := refresh(app, tok.Refresh).Expect(t, http.StatusOK)
		expectAuthHeaders(t, r)
		body := r.JSON()
		if body["token_type"] != "bearer" || body["expires_in"] != float64(900) {
			t.Errorf("body %s", r.Body)
		}
		next := r.Str("refresh_token")
		if next == "" || next == tok.Refresh {
			t.Fatalf("refresh token not rotated: %q", next)
		}
		if r.Str("access_token") == tok.Access {
			t.Errorf("same access token again")
		}
		if sessionID(t, r.Str("access_token")) != sessionID(t, tok.Access) {
			t.Errorf("refresh opened another session")
		}
		me(app, r.Str("access_token")).Expect(t, http.StatusOK)
		// The new one rotates again.
		r2 := refresh(app, next).Expect(t, http.StatusOK)
		if r2.Str("refresh_token") == next {
			t.Errorf("second refresh did not rotate")
		}
	})

	t.Run("reused_refresh_token_revokes_session", func(t *testing.T) {
		_, tok := newMember(t, app, "rex")
		rotated := refresh(app, tok.Refresh).Expect(t, http.StatusOK)
		me(app, rotated.Str("access_token")).Expect(t, http.StatusOK) // cached as valid
		r := refresh(app, tok.Refresh)
		expectCode(t, r, http.StatusUnauthorized, "Refresh token already used; the session has been revoked", "refresh_token_reused")
		if r.Header.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("WWW-Authenticate = %q", r.Header.Get("WWW-Authenticate"))
		}
		expectUnauthorized(t, refresh(app, rotated.Str("refresh_token")), msgInvalidRefresh)
		expectUnauthorized(t, me(app, rotated.Str("access_token")), msgInvalidToken)
		expectUnauthorized(t, me(app, tok.Access), msgInvalidToken)
	})

	t.Run("invalid_refresh_tokens_are_401", func(t *testing.T) {
		_, tok := newMember(t, app, "ria")
		sid, secret, _ := strings.Cut(tok.Refresh, ".")
		flipped := []byte(secret)
		flipped[5] ^= 1
		for _, bad := range []string{"nope", "", strings.Repeat("a", 24) + "." + secret, sid + "." + string(flipped), tok.Access} {
			expectUnauthorized(t, refresh(app, bad), msgInvalidRefresh)
		}
		// None of that harmed the real session.
		refresh(app, tok.Refresh).Expect(t, http.StatusOK)
		errs := validationErrors(t, app.Post(authPath+"/refresh", "", map[string]any{}))
		expectEntry(t, errs[0], "missing", loc("body", "refresh_token"), "Field required")
		errs = validationErrors(t, app.Post(authPath+"/refresh", "", map[string]any{"refresh_token": 12}))
		expectEntry(t, errs[0], "string_type", loc("body", "refresh_token"), "Input should be a valid string")
	})

	t.Run("logout_ends_session", func(t *testing.T) {
		_, tok := newMember(t, app, "lea")
		me(app, tok.Access).Expect(t, http.StatusOK)
		r := app.Post(authPath+"/logout", tok.Access, nil)
		expectEmpty(t, r)
		expectAuthHeaders(t, r)
		expectUnauthorized(t, me(app, tok.Access), msgInvalidToken)
		expectUnauthorized(t, refresh(app, tok.Refresh), msgInvalidRefresh)
		expectUnauthorized(t, app.Post(authPath+"/logout", tok.Access, nil), msgInvalidToken)
	})

	t.Run("forged_tokens_are_401", func(t *testing.T) {
		_, tok := newMember(t, app, "fox")
		_, victim := newMember(t, app, "vic")
		me(app, tok.Access).Expect(t, http.StatusOK)
		header, payload, sig := jwtParts(t, tok.Access)
		parts := strings.Split(tok.Access, ".")

		flip := []byte(sig)
		if flip[10] == 'A' {
			flip[10] = 'B'
		} else {
			flip[10] = 'A'
		}
		edited := map[string]any{}
		for k, v := range payload {
			edited[k] = v
		}
		edited["sub"] = victim.UserID
		withKid := map[string]any{}
		for k, v := range header {
			withKid[k] = v
		}
		withKid["kid"] = "nope"
		noKid := map[string]any{"alg": header["alg"], "typ": "JWT"}

		cases := map[string]string{
			"alg_none":          b64JSON(t, map[string]any{"alg": "none", "typ": "JWT"}) + "." + parts[1] + ".",
			"alg_none_upper":    b64JSON(t, map[string]any{"alg": "NONE", "typ": "JWT"}) + "." + parts[1] + ".",
			"alg_hs256":         b64JSON(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": header["kid"]}) + "." + parts[1] + "." + sig,
			"bad_signature":     parts[0] + "." + parts[1] + "." + string(flip),
			"edited_sub":        parts[0] + "." + b64JSON(t, edited) + "." + sig,
			"unknown_kid":       b64JSON(t, withKid) + "." + parts[1] + "." + sig,
			"missing_kid":       b64JSON(t, noKid) + "." + parts[1] + "." + sig,
			"no_signature":      parts[0] + "." + parts[1] + ".",
			"two_parts":         parts[0] + "." + parts[1],
			"garbage":           "not-a-token",
			"refresh_as_access": tok.Refresh,
		}
		for name, forged := range cases {
			r := me(app, forged)
			if r.Status != http.StatusUnauthorized {
				t.Errorf("%s: status %d, want 401 (%s)", name, r.Status, r.Body)
				continue
			}
			expectUnauthorized(t, r, msgInvalidToken)
		}
		// The victim's own token still works, and so does the real one.
		me(app, victim.Access).Expect(t, http.StatusOK)
		me(app, tok.Access).Expect(t, http.StatusOK)
	})

	t.Run("malformed_authorization_is_401", func(t *testing.T) {
		_, tok := newMember(t, app, "hdr")
		for name, h := range map[string]string{
			"missing":      "",
			"basic":        "Basic xxx",
			"bearer_alone": "Bearer",
			"bearer_space": "Bearer   ",
			"token_only":   tok.Access,
			"other_scheme": "Token " + tok.Access,
			"oversized":    "Bearer " + strings.Repeat("a", 5000),
		} {
			req := apitest.Req{Method: http.MethodGet, Path: authPath + "/me"}
			if h != "" {
				req.Header = map[string]string{"Authorization": h}
			}
			r := app.Do(req)
			if r.Status != http.StatusUnauthorized {
				t.Errorf("%s: status %d, want 401", name, r.Status)
				continue
			}
			expectUnauthorized(t, r, msgNotAuth)
			expectAuthHeaders(t, r)
		}
		// The scheme is case-insensitive (RFC 7235).
		app.Do(apitest.Req{Method: http.MethodGet, Path: authPath + "/me",
			Header: map[string]string{"Authorization": "bearer " + tok.Access}}).Expect(t, http.StatusOK)
	})

	t.Run("signed_in_routes_need_a_token", func(t *testing.T) {
		for _, r := range []struct{ method, path string }{
			{http.MethodGet, "/me"}, {http.MethodPost, "/logout"}, {http.MethodPost, "/logout-all"},
			{http.MethodPost, "/resend-verification"}, {http.MethodPost, "/change-password"},
			{http.MethodGet, "/sessions"}, {http.MethodDelete, "/sessions/0123456789abcdef01234567"},
		} {
			resp := app.Do(apitest.Req{Method: r.method, Path: authPath + r.path})
			if resp.Status != http.StatusUnauthorized {
				t.Errorf("%s %s: status %d, want 401", r.method, r.path, resp.Status)
				continue
			}
			expectUnauthorized(t, resp, msgNotAuth)
		}
	})
}

func TestAuthExpiredAccessToken(t *testing.T) {
	app := apitest.Start(t, apitest.WithEnv("ACCESS_TOKEN_TTL", "1s"))
	email, _ := newMember(t, app, "exp")
	r := app.Post(authPath+"/login", "", map[string]any{"email": email, "password": memberPassword}).Expect(t, http.StatusOK)
	if r.JSON()["expires_in"] != float64(1) {
		t.Errorf("expires_in = %v, want 1", r.JSON()["expires_in"])
	}
	access := r.Str("access_token")
	me(app, access).Expect(t, http.StatusOK)
	time.Sleep(2100 * time.Millisecond)
	expectUnauthorized(t, me(app, access), msgInvalidToken)
	// The session lives on: the refresh token gives a fresh access token.
	next := refresh(app, r.Str("refresh_token")).Expect(t, http.StatusOK)
	me(app, next.Str("access_token")).Expect(t, http.StatusOK)
}
