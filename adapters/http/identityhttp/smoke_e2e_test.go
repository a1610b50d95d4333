package identityhttp_test

import (
	"net/http"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestSmoke_signup_login_me_refresh_logout(t *testing.T) {
	app := apitest.Start(t)
	app.Signup("Ann Lee", "ann@example.org", "Passw0rdX")
	tok := app.Login("ann@example.org", "Passw0rdX")
	me := app.Get("/api/v1/auth/me", tok.Access).Expect(t, http.StatusOK)
	if me.Str("email") != "ann@example.org" {
		t.Fatalf("me: %s", me.Body)
	}
	r := app.Post("/api/v1/auth/refresh", "", map[string]any{"refresh_token": tok.Refresh}).Expect(t, http.StatusOK)
	app.Post("/api/v1/auth/logout", r.Str("access_token"), nil).Expect(t, http.StatusNoContent)
	app.Get("/api/v1/auth/me", r.Str("access_token")).Expect(t, http.StatusUnauthorized)
	app.Get("/api/v1/users", app.Admin().Access).Expect(t, http.StatusOK)
	app.Post("/api/v1/auth/signup", "", `{"name":`).Expect(t, http.StatusUnprocessableEntity)
}
