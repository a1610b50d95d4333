package identityhttp_test

import (
	"net/http"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mail"
)

const newPassword = "Brand-New-Passw0rd"

func TestAuthPasswordAndEmail(t *testing.T) {
	app := apitest.Start(t)
	resetRequest := func(email string) *apitest.Response {
		return app.Post(authPath+"/password-reset-request", "", map[string]any{"email": email})
	}
	reset := func(token, password string) *apitest.Response {
		return app.Post(authPath+"/password-reset", "", map[string]any{"token": token, "new_password": password})
	}
	loginStatus := func(email, password string) int {
		return app.Post(authPath+"/login", "", map[string]any{"email": email, "password": password}).Status
	}
	const exactResetAnswer = `{"message":"` + msgResetRequested + `"}`

	t.Run("reset_request_answers_identically_for_known_and_unknown_emails", func(t *testing.T) {
		email, _ := newMember(t, app, "rq")
		unknown := uniqueEmail("ghost")
		known := resetRequest(email).Expect(t, http.StatusOK)
		missing := resetRequest(unknown).Expect(t, http.StatusOK)
		for _, r := range []*apitest.Response{known, missing} {
			if string(r.Body) != exactResetAnswer {
				t.Errorf("body %s, want %s", r.Body, exactResetAnswer)
			}
			expectAuthHeaders(t, r)
		}
		if _, err := mail.LatestTo(app.MailDir(), unknown); err == nil {
			t.Errorf("a mail went to the unknown address")
		}
		// Same answer for the upper-cased known address.
		if r := resetRequest(email); string(r.Body) != exactResetAnswer {
			t.Errorf("body %s", r.Body)
		}
		errs := validationErrors(t, resetRequest("not-an-email"))
		expectEntry(t, errs[0], "value_error", loc("body", "email"), "value is not a valid email address: An email address must have an @-sign.")
	})

	t.Run("reset_with_mailed_token_replaces_password_and_revokes_sessions", func(t *testing.T) {
		email, tok := newMember(t, app, "rs")
		other := login(t, app, email, memberPassword)
		resetRequest(email).Expect(t, http.StatusOK)
		token := mailedToken(t, app, email)
		r := reset(token, newPassword).Expect(t, http.StatusOK)
		if r.Str("message") == "" {
			t.Errorf("body %s", r.Body)
		}
		expectAuthHeaders(t, r)
		if s := loginStatus(email, memberPassword); s != http.StatusUnauthorized {
			t.Errorf("old password: status %d, want 401", s)
		}
		login(t, app, email, newPassword)
		for _, old := range []apitest.Tokens{tok, other} {
			expectUnauthorized(t, me(app, old.Access), msgInvalidToken)
			expectUnauthorized(t, refresh(app, old.Refresh), msgInvalidRefresh)
		}
		// Single use.
		expectCode(t, reset(token, "Another-Passw0rd"), http.StatusBadRequest, msgInvalidOneTime, "invalid_or_expired_token")
		login(t, app, email, newPassword)
	})

	t.Run("garbage_reset_token_is_400", func(t *testing.T) {
		for _, bad := range []string{"garbage", "", "0123456789abcdef01234567.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
			expectCode(t, reset(bad, newPassword), http.StatusBadRequest, msgInvalidOneTime, "invalid_or_expired_token")
		}
	})

	t.Run("weak_new_password_is_422_and_keeps_the_token", func(t *testing.T) {
		email, _ := newMember(t, app, "wk")
		resetRequest(email).Expect(t, http.StatusOK)
		token := mailedToken(t, app, email)
		errs := validationErrors(t, reset(token, "weakpassword"))
		if len(errs) != 2 {
			t.Fatalf("entries %v", errs)
		}
		expectEntry(t, errs[0], "value_error", loc("body", "new_password"), "Value error, Password must contain at least one uppercase letter")
		expectEntry(t, errs[1], "value_error", loc("body", "new_password"), "Value error, Password must contain at least one digit")
		errs = validationErrors(t, app.Post(authPath+"/password-reset", "", map[string]any{}))
		if len(errs) != 2 {
			t.Fatalf("entries %v", errs)
		}
		expectEntry(t, errs[0], "missing", loc("body", "token"), "Field required")
		expectEntry(t, errs[1], "missing", loc("body", "new_password"), "Field required")
		reset(token, newPassword).Expect(t, http.StatusOK)
	})

	t.Run("reset_clears_lockout", func(t *testing.T) {
		email, _ := newMember(t, app, "lk")
		for i := 0; i < 5; i++ {
			app.Post(authPath+"/login", "", map[string]any{"email": email, "password": "Wrong-Passw0rd"})
		}
		if s := loginStatus(email, memberPassword); s != http.StatusLocked {
			t.Fatalf("status %d, want 423", s)
		}
		resetRequest(email).Expect(t, http.StatusOK)
		reset(mailedToken(t, app, email), newPassword).Expect(t, http.StatusOK)
		r := app.Post(authPath+"/login", "", map[string]any{"email": email, "password": newPassword}).Expect(t, http.StatusOK)
		auth, _ := r.JSON()["user"].(map[string]any)["auth"].(map[string]any)
		if auth["failed_login_attempts"] != float64(0) || auth["locked_until"] != nil {
			t.Errorf("auth %v", auth)
		}
	})

	t.Run("verify_email_with_mailed_signup_token", func(t *testing.T) {
		email, tok := newMember(t, app, "ve")
		token := mailedToken(t, app, email)
		if me(app, tok.Access).JSON()["auth"].(map[string]any)["email_verified"] != false {
			t.Fatal("verified before verifying")
		}
		r := app.Post(authPath+"/verify-email", "", map[string]any{"token": token}).Expect(t, http.StatusOK)
		if r.Str("message") == "" {
			t.Errorf("body %s", r.Body)
		}
		expectAuthHeaders(t, r)
		if v := me(app, tok.Access).Expect(t, http.StatusOK).JSON()["auth"].(map[string]any)["email_verified"]; v != true {
			t.Errorf("email_verified = %v after verifying", v)
		}
		expectCode(t, app.Post(authPath+"/verify-email", "", map[string]any{"token": token}),
			http.StatusBadRequest, msgInvalidOneTime, "invalid_or_expired_token")
		expectCode(t, app.Post(authPath+"/verify-email", "", map[string]any{"token": "garbage"}),
			http.StatusBadRequest, msgInvalidOneTime, "invalid_or_expired_token")
		errs := validationErrors(t, app.Post(authPath+"/verify-email", "", map[string]any{}))
		expectEntry(t, errs[0], "missing", loc("body", "token"), "Field required")
	})

	t.Run("verification_token_does_not_verify_a_changed_email", func(t *testing.T) {
		email, tok := newMember(t, app, "ch")
		token := mailedToken(t, app, email)
		other := uniqueEmail("someone-else")
		app.Put("/api/v1/users/"+tok.UserID, tok.Access, map[string]any{"email": other, "current_password": memberPassword}).Expect(t, http.StatusOK)
		expectCode(t, app.Post(authPath+"/verify-email", "", map[string]any{"token": token}),
			http.StatusBadRequest, msgInvalidOneTime, "invalid_or_expired_token")
		if v := me(app, tok.Access).JSON()["auth"].(map[string]any)["email_verified"]; v != false {
			t.Fatalf("the new address %s was verified by a token mailed to %s", other, email)
		}
		// A token mailed to the new address does verify it.
		app.Post(authPath+"/resend-verification", tok.Access, nil).Expect(t, http.StatusOK)
		app.Post(authPath+"/verify-email", "", map[string]any{"token": mailedToken(t, app, other)}).Expect(t, http.StatusOK)
		if v := me(app, tok.Access).JSON()["auth"].(map[string]any)["email_verified"]; v != true {
			t.Errorf("email_verified = %v", v)
		}
	})

	t.Run("tokens_only_serve_their_purpose", func(t *testing.T) {
		email, tok := newMember(t, app, "pu")
		verifyToken := mailedToken(t, app, email)
		resetRequest(email).Expect(t, http.StatusOK)
		resetToken := mailedToken(t, app, email)
		expectCode(t, app.Post(authPath+"/verify-email", "", map[string]any{"token": resetToken}),
			http.StatusBadRequest, msgInvalidOneTime, "invalid_or_expired_token")
		expectCode(t, reset(verifyToken, newPassword), http.StatusBadRequest, msgInvalidOneTime, "invalid_or_expired_token")
		// The failed attempts consumed neither.
		app.Post(authPath+"/verify-email", "", map[string]any{"token": verifyToken}).Expect(t, http.StatusOK)
		reset(resetToken, newPassword).Expect(t, http.StatusOK)
		expectUnauthorized(t, me(app, tok.Access), msgInvalidToken)
	})

	t.Run("resend_verification_sends_a_new_token", func(t *testing.T) {
		email, tok := newMember(t, app, "rv")
		first := mailedToken(t, app, email)
		r := app.Post(authPath+"/resend-verification", tok.Access, nil).Expect(t, http.StatusOK)
		if r.Str("message") == "" {
			t.Errorf("body %s", r.Body)
		}
		expectAuthHeaders(t, r)
		second := mailedToken(t, app, email)
		if second == first {
			t.Fatal("no new verification mail")
		}
		app.Post(authPath+"/verify-email", "", map[string]any{"token": second}).Expect(t, http.StatusOK)
		if v := me(app, tok.Access).JSON()["auth"].(map[string]any)["email_verified"]; v != true {
			t.Errorf("email_verified = %v", v)
		}
		expectCode(t, app.Post(authPath+"/resend-verification", tok.Access, nil),
			http.StatusConflict, "Email already verified", "email_already_verified")
	})

	t.Run("change_password_revokes_other_sessions", func(t *testing.T) {
		email, current := newMember(t, app, "cp")
		other := login(t, app, email, memberPassword)
		change := func(cur, next string) *apitest.Response {
			return app.Post(authPath+"/change-password", current.Access, map[string]any{"current_password": cur, "new_password": next})
		}
		expectCode(t, change("Wrong-Passw0rd", newPassword), http.StatusBadRequest, "Current password is incorrect", "invalid_password")
		errs := validationErrors(t, change(memberPassword, "weak"))
		expectEntry(t, errs[0], "string_too_short", loc("body", "new_password"), "String should have at least 8 characters")
		errs = validationErrors(t, app.Post(authPath+"/change-password", current.Access, map[string]any{}))
		if len(errs) != 2 {
			t.Fatalf("entries %v", errs)
		}
		expectEntry(t, errs[0], "missing", loc("body", "current_password"), "Field required")
		expectEntry(t, errs[1], "missing", loc("body", "new_password"), "Field required")
		// Nothing has changed so far.
		me(app, other.Access).Expect(t, http.StatusOK)

		r := change(memberPassword, newPassword).Expect(t, http.StatusOK)
		if r.Str("message") == "" {
			t.Errorf("body %s", r.Body)
		}
		expectAuthHeaders(t, r)
		expectUnauthorized(t, me(app, other.Access), msgInvalidToken)
		expectUnauthorized(t, refresh(app, other.Refresh), msgInvalidRefresh)
		me(app, current.Access).Expect(t, http.StatusOK)
		next := refresh(app, current.Refresh).Expect(t, http.StatusOK)
		me(app, next.Str("access_token")).Expect(t, http.StatusOK)
		if s := loginStatus(email, memberPassword); s != http.StatusUnauthorized {
			t.Errorf("old password: status %d, want 401", s)
		}
		login(t, app, email, newPassword)
	})
}
