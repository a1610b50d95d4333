package identityhttp_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// TestUsers_input shows that odd input is ignored or refused, never half applied,
// and never crashes the server.
func TestUsers_input(t *testing.T) {
	app := apitest.Start(t)
	admin := app.Admin()
	dave := usrNewMember(t, app, "Dave Member", "dave@example.org")

	t.Run("unknown_fields_are_ignored_and_never_applied", func(t *testing.T) {
		before := usrMe(t, app, dave.Access)
		r := app.Put(usrPath(dave.ID), dave.Access, map[string]any{
			"name":          "New Name",
			"auth":          map[string]any{"email_verified": true, "failed_login_attempts": 0},
			"password_hash": "x",
			"password":      "Other-Passw0rd",
			"id":            "000000000000000000000000",
			"_id":           "000000000000000000000000",
			"created_at":    "2000-01-01T00:00:00.000Z",
			"roles":         []any{map[string]any{"id": "x", "name": "admin"}},
			"version":       99,
		}).Expect(t, http.StatusOK)
		if r.Str("name") != "New Name" || r.Str("id") != dave.ID {
			t.Errorf("answer %s", r.Body)
		}
		usrNoSecrets(t, r.Body)
		after := usrMe(t, app, dave.Access)
		if after["name"] != "New Name" {
			t.Errorf("name not applied: %v", after["name"])
		}
		for _, k := range []string{"id", "email", "status", "role", "created_at"} {
			if after[k] != before[k] {
				t.Errorf("%s changed: %v → %v", k, before[k], after[k])
			}
		}
		auth, _ := after["auth"].(map[string]any)
		if auth["email_verified"] != false {
			t.Errorf("email_verified applied from the body: %v", auth)
		}
		if s := usrLoginStatus(app, dave.Email, dave.Password); s != http.StatusOK {
			t.Errorf("old password no longer works: %d", s)
		}
		if s := usrLoginStatus(app, dave.Email, "Other-Passw0rd"); s != http.StatusUnauthorized {
			t.Errorf("password from the body works: %d", s)
		}
		usrError(t, app.Get(usrPath("000000000000000000000000"), admin.Access), http.StatusNotFound, "user_not_found")
	})

	t.Run("bad_bodies_are_refused_and_change_nothing", func(t *testing.T) {
		big := `{"name":"` + strings.Repeat("a", 2<<20) + `"}`
		cases := []struct {
			name   string
			body   any
			status int
			want   []string // 422 entries, or the code of a {"detail","code"} answer
		}{
			{"malformed_json", `{"name":`, 422, []string{"json_invalid@body"}},
			{"not_json", `name=Bad`, 422, []string{"json_invalid@body"}},
			{"trailing_garbage", `{"name":"Okay Name"} x`, 422, []string{"json_invalid@body"}},
			{"json_array", `[{"name":"Array Name"}]`, 422, []string{"model_attributes_type@body"}},
			{"json_string", `"New Name"`, 422, []string{"model_attributes_type@body"}},
			{"json_null", `null`, 422, []string{"model_attributes_type@body"}},
			{"empty_body", ``, 422, []string{"missing@body"}},
			{"two_mib_body", big, 413, []string{"body_too_large"}},
			{"wrong_types", map[string]any{"name": 123, "email": true, "status": "maybe", "role": 5},
				422, []string{"string_type@body.name", "string_type@body.email", "bool_parsing@body.status", "string_type@body.role"}},
			{"name_object", map[string]any{"name": map[string]any{"first": "Ann"}}, 422, []string{"string_type@body.name"}},
			{"status_number", map[string]any{"status": 2}, 422, []string{"bool_parsing@body.status"}},
			{"valid_and_invalid_mixed", map[string]any{"name": "Valid Name", "email": "bad"}, 422, []string{"value_error@body.email"}},
		}
		for _, who := range []struct {
			name  string
			token string
		}{{"self", dave.Access}, {"admin", admin.Access}} {
			for _, tc := range cases {
				t.Run(who.name+"_"+tc.name, func(t *testing.T) {
					before := usrSnapshot(t, app, admin.Access, dave.ID)
					r := app.Put(usrPath(dave.ID), who.token, tc.body)
					if tc.status == 422 {
						usr422(t, r, tc.want...)
					} else {
						usrError(t, r, tc.status, tc.want[0])
					}
					usrUnchanged(t, app, admin.Access, dave.ID, before)
				})
			}
		}
	})

	t.Run("malformed_authorization_is_401_with_challenge", func(t *testing.T) {
		before := usrSnapshot(t, app, admin.Access, dave.ID)
		for _, tc := range []struct{ name, header string }{
			{"bearer_without_token", "Bearer"},
			{"bearer_with_spaces_only", "Bearer    "},
			{"three_garbage_segments", "Bearer a.b.c"},
			{"other_scheme", "Token xyz"},
			{"basic_scheme", "Basic YWRtaW46YWRtaW4="},
			{"token_without_scheme", dave.Access},
			{"tampered_token", "Bearer " + dave.Access[:len(dave.Access)-4] + "AAAA"},
			{"ten_kib_token", "Bearer " + strings.Repeat("x", 10<<10)},
			{"ten_kib_jwt_like_token", "Bearer " + strings.Repeat("a", 5<<10) + "." + strings.Repeat("b", 5<<10) + ".c"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for _, rq := range []apitest.Req{
					{Method: http.MethodGet, Path: usrPath(dave.ID)},
					{Method: http.MethodPut, Path: usrPath(dave.ID), Body: map[string]any{"name": "Header Trick"}},
					{Method: http.MethodDelete, Path: usrPath(dave.ID)},
					{Method: http.MethodGet, Path: usrBase},
				} {
					rq.Header = map[string]string{"Authorization": tc.header}
					r := app.Do(rq)
					if r.Status != http.StatusUnauthorized {
						t.Errorf("%s %s: status %d, want 401; body %.300s", rq.Method, rq.Path, r.Status, r.Body)
						continue
					}
					usrError(t, r, http.StatusUnauthorized, "")
				}
			})
		}
		usrUnchanged(t, app, admin.Access, dave.ID, before)
	})

	t.Run("server_survives_everything", func(t *testing.T) {
		r := app.Get("/healthz", "").Expect(t, http.StatusOK)
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil || body["status"] != "ok" {
			t.Errorf("healthz: %s", r.Body)
		}
		app.Get(usrPath(dave.ID), dave.Access).Expect(t, http.StatusOK)
	})
}

// TestUsers_process_answers_unrouted_requests_in_the_contract_shape covers what no
// operation documents: a method that is not routed and a path that does not exist.
func TestUsers_process_answers_unrouted_requests_in_the_contract_shape(t *testing.T) {
	app := apitest.Start(t)
	app.SkipValidation = true // these are not documented operations
	admin := app.Admin()
	for _, tc := range []struct {
		name     string
		method   string
		path     string
		token    string
		statuses []int
		detail   string
	}{
		{"post_on_a_user_is_not_routed", http.MethodPost, usrPath(admin.UserID), admin.Access, []int{405, 404}, ""},
		{"patch_on_a_user_is_not_routed", http.MethodPatch, usrPath(admin.UserID), admin.Access, []int{405, 404}, ""},
		{"post_on_a_user_anonymously", http.MethodPost, usrPath(admin.UserID), "", []int{405, 404, 401}, ""},
		{"unknown_path", http.MethodGet, "/api/v1/nope", "", []int{404}, "Not Found"},
		{"unknown_path_with_token", http.MethodGet, "/api/v1/nope", admin.Access, []int{404}, "Not Found"},
		{"unknown_users_subpath", http.MethodGet, usrPath(admin.UserID) + "/nope/deeper", admin.Access, []int{404}, "Not Found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.method == http.MethodPost || tc.method == http.MethodPatch {
				body = map[string]any{"name": "Nobody"}
			}
			r := app.Do(apitest.Req{Method: tc.method, Path: tc.path, Token: tc.token, Body: body})
			ok := false
			for _, s := range tc.statuses {
				ok = ok || r.Status == s
			}
			if !ok {
				t.Fatalf("status %d, want one of %v; body %s", r.Status, tc.statuses, r.Body)
			}
			var got map[string]any
			if err := json.Unmarshal(r.Body, &got); err != nil {
				t.Fatalf("body is not JSON: %v: %q", err, r.Body)
			}
			d, isStr := got["detail"].(string)
			if !isStr || d == "" {
				t.Errorf("detail %v: want a sentence", got["detail"])
			}
			if tc.detail != "" && d != tc.detail {
				t.Errorf("detail %q, want %q", d, tc.detail)
			}
			if c, _ := got["code"].(string); c == "" {
				t.Errorf("no code: %s", r.Body)
			}
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
			}
			if r.Header.Get("X-Request-ID") == "" {
				t.Errorf("no X-Request-ID")
			}
		})
	}
	// The admin is untouched and the server is alive.
	if me := usrMe(t, app, admin.Access); me["email"] != apitest.AdminEmail {
		t.Errorf("admin: %v", me)
	}
	app.Get("/healthz", "").Expect(t, http.StatusOK)
}
