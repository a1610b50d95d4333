package identityhttp_test

import (
	"net/http"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestAuthSurvivesRestart(t *testing.T) {
	app := apitest.Start(t)
	email, tok := newMember(t, app, "dur")
	loggedOut := login(t, app, email, memberPassword)
	expectEmpty(t, app.Post(authPath+"/logout", loggedOut.Access, nil))
	jwksBefore := app.Get("/.well-known/jwks.json", "").Expect(t, http.StatusOK).Body

	app.Restart()

	t.Run("old_access_token_still_works", func(t *testing.T) {
		r := me(app, tok.Access).Expect(t, http.StatusOK)
		if r.Str("id") != tok.UserID || r.Str("email") != email {
			t.Errorf("me after restart: %s", r.Body)
		}
	})
	t.Run("signing_keys_were_kept", func(t *testing.T) {
		if after := app.Get("/.well-known/jwks.json", "").Expect(t, http.StatusOK).Body; string(after) != string(jwksBefore) {
			t.Errorf("JWKS changed across a restart:\n before %s\n after  %s", jwksBefore, after)
		}
	})
	t.Run("refresh_token_still_refreshes", func(t *testing.T) {
		r := refresh(app, tok.Refresh).Expect(t, http.StatusOK)
		me(app, r.Str("access_token")).Expect(t, http.StatusOK)
	})
	t.Run("revocation_survives", func(t *testing.T) {
		expectUnauthorized(t, me(app, loggedOut.Access), msgInvalidToken)
		expectUnauthorized(t, refresh(app, loggedOut.Refresh), msgInvalidRefresh)
	})
	t.Run("user_is_still_there", func(t *testing.T) {
		login(t, app, email, memberPassword)
		app.Get("/api/v1/users/"+tok.UserID, app.Admin().Access).Expect(t, http.StatusOK)
		r := app.Post(authPath+"/signup", "", signupBody("Dup After Restart", email, memberPassword, "member"))
		expectCode(t, r, http.StatusConflict, "Email already registered", "email_taken")
	})
}
