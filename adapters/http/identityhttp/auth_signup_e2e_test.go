package identityhttp_test

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestAuthSignup(t *testing.T) {
	app := apitest.Start(t)
	signup := func(body any) *apitest.Response { return app.Post(authPath+"/signup", "", body) }

	var memberRoleID, firstEmail string

	t.Run("creates_member_with_contract_fields", func(t *testing.T) {
		firstEmail = uniqueEmail("ann")
		r := signup(signupBody("  Ann Lee  ", strings.ToUpper(firstEmail), "Passw0rdX", "member")).Expect(t, http.StatusCreated)
		expectAuthHeaders(t, r)
		u := r.JSON()
		id, _ := u["id"].(string)
		if !apitest.IDRE.MatchString(id) {
			t.Errorf("id = %q, want 24 hex digits", id)
		}
		if u["name"] != "Ann Lee" {
			t.Errorf("name = %#v, want the trimmed name", u["name"])
		}
		if u["email"] != firstEmail {
			t.Errorf("email = %#v, want lower-cased %q", u["email"], firstEmail)
		}
		if u["status"] != true {
			t.Errorf("status = %#v, want true", u["status"])
		}
		roles, _ := u["roles"].([]any)
		if len(roles) != 1 {
			t.Fatalf("roles = %#v, want one", u["roles"])
		}
		role, _ := roles[0].(map[string]any)
		memberRoleID, _ = role["id"].(string)
		if role["name"] != "member" || !apitest.IDRE.MatchString(memberRoleID) || len(role) != 2 {
			t.Errorf("roles[0] = %#v, want {id, name: member}", role)
		}
		if u["role"] != memberRoleID {
			t.Errorf("role = %#v, want the role ids joined (%q)", u["role"], memberRoleID)
		}
		auth, _ := u["auth"].(map[string]any)
		want := map[string]any{"is_active": true, "email_verified": false, "last_login": nil,
			"failed_login_attempts": float64(0), "locked_until": nil}
		if !reflect.DeepEqual(auth, want) {
			t.Errorf("auth = %#v, want %#v", auth, want)
		}
		for _, k := range []string{"created_at", "updated_at"} {
			if s, _ := u[k].(string); !apitest.TimeRE.MatchString(s) {
				t.Errorf("%s = %#v, want like 2025-09-04T18:23:52.084Z", k, u[k])
			}
		}
		for _, secret := range []string{"password", "password_hash", "hash"} {
			if strings.Contains(string(r.Body), secret) {
				t.Errorf("body mentions %q: %s", secret, r.Body)
			}
		}
	})

	t.Run("role_by_name_is_case_insensitive", func(t *testing.T) {
		r := signup(signupBody("Bo Name", uniqueEmail("bo"), "Passw0rdX", "MEMBER")).Expect(t, http.StatusCreated)
		if r.Str("role") != memberRoleID {
			t.Errorf("role = %q, want %q", r.Str("role"), memberRoleID)
		}
	})

	t.Run("role_by_id", func(t *testing.T) {
		r := signup(signupBody("Cy Id", uniqueEmail("cy"), "Passw0rdX", memberRoleID)).Expect(t, http.StatusCreated)
		if r.Str("role") != memberRoleID {
			t.Errorf("role = %q, want %q", r.Str("role"), memberRoleID)
		}
	})

	t.Run("role_list_with_duplicates_is_one_role", func(t *testing.T) {
		r := signup(signupBody("Di List", uniqueEmail("di"), "Passw0rdX", "member, "+memberRoleID)).Expect(t, http.StatusCreated)
		if r.Str("role") != memberRoleID {
			t.Errorf("role = %q, want %q", r.Str("role"), memberRoleID)
		}
	})

	t.Run("duplicate_email_is_conflict", func(t *testing.T) {
		for _, email := range []string{firstEmail, strings.ToUpper(firstEmail), "  " + firstEmail + " "} {
			r := signup(signupBody("Ann Again", email, "Passw0rdX", "member"))
			expectCode(t, r, http.StatusConflict, "Email already registered", "email_taken")
			expectAuthHeaders(t, r)
		}
	})

	t.Run("seed_example_reports_missing_digit", func(t *testing.T) {
		// The seed's recorded answer: the password entry only. The role is
		// resolved after the request's shape is valid, as in the original.
		r := signup(map[string]any{"name": "string", "email": "user@example.com", "password": "stringstT", "role": "dfsdfsdf"})
		errs := validationErrors(t, r)
		if len(errs) != 1 {
			t.Fatalf("entries = %v, want only the password entry", errs)
		}
		expectEntry(t, errs[0], "value_error", loc("body", "password"), "Value error, Password must contain at least one digit")
		if errs[0].Input != "stringstT" {
			t.Errorf("input = %#v, want stringstT", errs[0].Input)
		}
		if !reflect.DeepEqual(errs[0].Ctx, map[string]any{"error": map[string]any{}}) {
			t.Errorf("ctx = %#v, want {error: {}}", errs[0].Ctx)
		}
		expectAuthHeaders(t, r)
	})

	t.Run("unknown_role_is_422_at_role", func(t *testing.T) {
		errs := validationErrors(t, signup(signupBody("Ed Role", uniqueEmail("ed"), "Passw0rdX", "dfsdfsdf")))
		if len(errs) != 1 {
			t.Fatalf("entries = %v, want one", errs)
		}
		expectEntry(t, errs[0], "value_error", loc("body", "role"), "Value error, Unknown role: dfsdfsdf")
	})

	t.Run("empty_role_is_422_at_role", func(t *testing.T) {
		errs := validationErrors(t, signup(signupBody("Ed Role", uniqueEmail("ed"), "Passw0rdX", " , ")))
		if len(errs) != 1 {
			t.Fatalf("entries = %v, want one", errs)
		}
		expectEntry(t, errs[0], "value_error", loc("body", "role"), "Value error, At least one role is required")
	})

	t.Run("admin_role_is_forbidden_at_signup", func(t *testing.T) {
		email := uniqueEmail("eve")
		r := signup(signupBody("Eve Admin", email, "Passw0rdX", "admin"))
		expectCode(t, r, http.StatusForbidden, "Signup cannot assign this role", "role_not_self_assignable")
		// Nothing was created: the email is still free.
		signup(signupBody("Eve Member", email, "Passw0rdX", "member")).Expect(t, http.StatusCreated)
	})

	t.Run("all_problems_reported_at_once", func(t *testing.T) {
		errs := validationErrors(t, signup(map[string]any{"name": " A ", "email": "not-an-email", "password": "short"}))
		if len(errs) != 6 {
			t.Fatalf("entries = %v, want 6", errs)
		}
		expectEntry(t, errs[0], "string_too_short", loc("body", "name"), "String should have at least 2 characters")
		expectEntry(t, errs[1], "value_error", loc("body", "email"),
			"value is not a valid email address: An email address must have an @-sign.")
		expectEntry(t, errs[2], "string_too_short", loc("body", "password"), "String should have at least 8 characters")
		expectEntry(t, errs[3], "value_error", loc("body", "password"), "Value error, Password must contain at least one uppercase letter")
		expectEntry(t, errs[4], "value_error", loc("body", "password"), "Value error, Password must contain at least one digit")
		expectEntry(t, errs[5], "missing", loc("body", "role"), "Field required")
		if errs[0].Input != " A " || errs[1].Input != "not-an-email" || errs[2].Input != "short" {
			t.Errorf("inputs = %#v %#v %#v, want the values sent", errs[0].Input, errs[1].Input, errs[2].Input)
		}
		if !reflect.DeepEqual(errs[2].Ctx, map[string]any{"min_length": float64(8)}) {
			t.Errorf("ctx = %#v, want {min_length: 8}", errs[2].Ctx)
		}
	})

	t.Run("password_policy_upper_lower_and_length", func(t *testing.T) {
		errs := validationErrors(t, signup(signupBody("Fay Pol", uniqueEmail("fay"), "ALLUPPER1", "member")))
		if len(errs) != 1 {
			t.Fatalf("entries = %v", errs)
		}
		expectEntry(t, errs[0], "value_error", loc("body", "password"), "Value error, Password must contain at least one lowercase letter")
		errs = validationErrors(t, signup(signupBody("Fay Pol", uniqueEmail("fay"), "Aa1"+strings.Repeat("x", 126), "member")))
		if len(errs) != 1 {
			t.Fatalf("entries = %v", errs)
		}
		expectEntry(t, errs[0], "string_too_long", loc("body", "password"), "String should have at most 128 characters")
		errs = validationErrors(t, signup(signupBody(strings.Repeat("n", 101), uniqueEmail("fay"), "Passw0rdX", "member")))
		expectEntry(t, errs[0], "string_too_long", loc("body", "name"), "String should have at most 100 characters")
	})

	t.Run("missing_fields_are_field_required", func(t *testing.T) {
		errs := validationErrors(t, signup(map[string]any{}))
		if len(errs) != 4 {
			t.Fatalf("entries = %v, want 4", errs)
		}
		for i, f := range []string{"name", "email", "password", "role"} {
			expectEntry(t, errs[i], "missing", loc("body", f), "Field required")
			if !reflect.DeepEqual(errs[i].Input, map[string]any{}) {
				t.Errorf("%s: input = %#v, want the body ({})", f, errs[i].Input)
			}
		}
	})

	t.Run("wrong_type_is_422_at_field", func(t *testing.T) {
		errs := validationErrors(t, signup(map[string]any{"name": 5, "email": uniqueEmail("gus"), "password": "Passw0rdX", "role": true}))
		if len(errs) != 2 {
			t.Fatalf("entries = %v, want 2", errs)
		}
		expectEntry(t, errs[0], "string_type", loc("body", "name"), "Input should be a valid string")
		if errs[0].Input != float64(5) {
			t.Errorf("input = %#v, want 5", errs[0].Input)
		}
		expectEntry(t, errs[1], "string_type", loc("body", "role"), "Input should be a valid string")
	})

	t.Run("malformed_json_is_json_invalid", func(t *testing.T) {
		for _, body := range []string{`{"name":`, `{"name": "x"} trailing`, `not json`} {
			errs := validationErrors(t, signup(body))
			if len(errs) != 1 {
				t.Fatalf("%q: entries = %v", body, errs)
			}
			expectEntry(t, errs[0], "json_invalid", loc("body"), "JSON decode error")
		}
	})

	t.Run("json_array_is_model_attributes_type", func(t *testing.T) {
		for _, body := range []string{`[]`, `[{"name":"x"}]`, `"text"`, `42`} {
			errs := validationErrors(t, signup(body))
			if len(errs) != 1 {
				t.Fatalf("%s: entries = %v", body, errs)
			}
			expectEntry(t, errs[0], "model_attributes_type", loc("body"), "Input should be a valid dictionary or object to extract fields from")
		}
	})

	t.Run("empty_body_is_missing_body", func(t *testing.T) {
		errs := validationErrors(t, app.Do(apitest.Req{Method: http.MethodPost, Path: authPath + "/signup"}))
		if len(errs) != 1 {
			t.Fatalf("entries = %v", errs)
		}
		expectEntry(t, errs[0], "missing", loc("body"), "Field required")
	})

	t.Run("body_over_1MiB_is_413", func(t *testing.T) {
		big := `{"name":"` + strings.Repeat("x", 1<<20) + `","email":"big@example.org","password":"Passw0rdX","role":"member"}`
		r := signup(big)
		expectCode(t, r, http.StatusRequestEntityTooLarge, "Request body too large", "body_too_large")
		if r.Header.Get("X-Request-ID") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("413 headers %v", r.Header)
		}
	})

	t.Run("huge_body_is_refused_without_buffering_it", func(t *testing.T) {
		// The server shares this process: what it allocates shows in MemStats.
		// Past a few MiB the server answers 413 and closes the connection
		// without reading the rest, so the client may see a reset instead.
		huge := bytes.Repeat([]byte("x"), 64<<20)
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		before := m.TotalAlloc
		for _, path := range []string{authPath + "/login", authPath + "/signup"} {
			resp, err := http.Post(app.BaseURL+path, "application/json", bytes.NewReader(huge))
			if err != nil {
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("POST %s with 64 MiB: status %d %s", path, resp.StatusCode, body)
			}
		}
		runtime.ReadMemStats(&m)
		if grew := (m.TotalAlloc - before) >> 20; grew > 16 {
			t.Errorf("two refused 64 MiB bodies cost %d MiB of allocations: the server buffers bodies it will refuse", grew)
		}
		// The service is fine afterwards.
		app.Admin()
	})

	t.Run("unknown_fields_are_ignored_and_never_applied", func(t *testing.T) {
		email := uniqueEmail("ivy")
		forged := "0123456789abcdef01234567"
		body := signupBody("Ivy Forge", email, "Passw0rdX", "member")
		body["auth"] = map[string]any{"email_verified": true, "failed_login_attempts": 99}
		body["status"] = false
		body["id"] = forged
		body["roles"] = []any{map[string]any{"id": "x", "name": "admin"}}
		body["created_at"] = "2001-01-01T00:00:00.000Z"
		body["password_hash"] = "$argon2id$forged"
		r := signup(body).Expect(t, http.StatusCreated)
		check := func(where string, u map[string]any) {
			t.Helper()
			auth, _ := u["auth"].(map[string]any)
			if u["id"] == forged || !apitest.IDRE.MatchString(u["id"].(string)) {
				t.Errorf("%s: id = %#v, want a server-generated id", where, u["id"])
			}
			if u["status"] != true || auth["email_verified"] != false || auth["is_active"] != true {
				t.Errorf("%s: status %#v, auth %#v, want active and unverified", where, u["status"], auth)
			}
			if u["role"] != memberRoleID || strings.HasPrefix(u["created_at"].(string), "2001") {
				t.Errorf("%s: role %#v created_at %#v were taken from the request", where, u["role"], u["created_at"])
			}
		}
		check("signup", r.JSON())
		tok := login(t, app, email, "Passw0rdX") // the sent password_hash was not stored
		check("me", me(app, tok.Access).Expect(t, http.StatusOK).JSON())
	})
}
