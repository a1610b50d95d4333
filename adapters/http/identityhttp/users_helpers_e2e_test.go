package identityhttp_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// Helpers shared by the users_*_e2e_test.go files (prefixed usr to stay clear
// of helpers in other test files of this package).

const (
	usrPassword = "Member-Passw0rd"
	usrBase     = "/api/v1/users"
)

// usrAccount is a signed-up, signed-in member.
type usrAccount struct {
	ID, Email, Password, Access string
}

// usrNewMember signs up a member with the given email and signs them in.
func usrNewMember(t *testing.T, app *apitest.App, name, email string) usrAccount {
	t.Helper()
	id := app.Signup(name, email, usrPassword)
	tok := app.Login(email, usrPassword)
	if tok.UserID != id {
		t.Fatalf("login user id %q, signup id %q", tok.UserID, id)
	}
	return usrAccount{ID: id, Email: email, Password: usrPassword, Access: tok.Access}
}

// usrPath is the path of one user.
func usrPath(id string) string { return usrBase + "/" + id }

// usrUserFields is exactly the users tag's UserResponse.
var usrUserFields = []string{"created_at", "email", "id", "name", "role", "roles", "status", "updated_at"}

// usrCheckUser asserts one user object has exactly the public fields, well formed.
func usrCheckUser(t *testing.T, u map[string]any) {
	t.Helper()
	keys := make([]string, 0, len(u))
	for k := range u {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if !reflect.DeepEqual(keys, usrUserFields) {
		t.Errorf("user fields %v, want %v", keys, usrUserFields)
	}
	if id, _ := u["id"].(string); !apitest.IDRE.MatchString(id) {
		t.Errorf("id %q is not 24 hex", id)
	}
	for _, k := range []string{"created_at", "updated_at"} {
		if s, _ := u[k].(string); !apitest.TimeRE.MatchString(s) {
			t.Errorf("%s %q is not RFC 3339 UTC with milliseconds", k, s)
		}
	}
	if _, ok := u["status"].(bool); !ok {
		t.Errorf("status %v is not a boolean", u["status"])
	}
	roles, ok := u["roles"].([]any)
	if !ok || len(roles) == 0 {
		t.Errorf("roles %v: want a non-empty list", u["roles"])
	}
	var ids []string
	for _, r := range roles {
		rm, _ := r.(map[string]any)
		id, _ := rm["id"].(string)
		ids = append(ids, id)
		if name, _ := rm["name"].(string); name == "" {
			t.Errorf("role %v has no name", rm)
		}
	}
	if role, _ := u["role"].(string); role != strings.Join(ids, ",") {
		t.Errorf("role %q does not join the ids of roles %v", role, ids)
	}
}

// usrNoSecrets asserts a raw body leaks no password hash or auth secret.
func usrNoSecrets(t *testing.T, body []byte) {
	t.Helper()
	low := bytes.ToLower(body)
	for _, s := range []string{"argon2", "password", "$2a$", "$2b$", "refresh", "token_hash", "secret"} {
		if bytes.Contains(low, []byte(s)) {
			t.Errorf("body contains %q: %s", s, body)
		}
	}
}

// usrError asserts a non-422 error in the contract's shape with the given code.
func usrError(t *testing.T, r *apitest.Response, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body: %s", r.Status, status, r.Body)
	}
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("error body is not a JSON object: %v: %s", err, r.Body)
	}
	if d, ok := body["detail"].(string); !ok || d == "" {
		t.Errorf("detail %v: want a sentence; body %s", body["detail"], r.Body)
	}
	if code != "" && body["code"] != code {
		t.Errorf("code %v, want %q; body %s", body["code"], code, r.Body)
	}
	if status == http.StatusUnauthorized && r.Header.Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("WWW-Authenticate %q, want Bearer", r.Header.Get("WWW-Authenticate"))
	}
	if r.Header.Get("X-Request-ID") == "" {
		t.Errorf("no X-Request-ID")
	}
}

// usr422 asserts a 422 list that holds exactly the wanted (type, loc) entries, in any order.
// Each want is "type@loc0.loc1".
func usr422(t *testing.T, r *apitest.Response, want ...string) {
	t.Helper()
	var got []string
	for _, p := range r.Problems(t) {
		parts := make([]string, 0, len(p.Loc))
		for _, l := range p.Loc {
			b, _ := json.Marshal(l)
			parts = append(parts, strings.Trim(string(b), `"`))
		}
		got = append(got, p.Type+"@"+strings.Join(parts, "."))
	}
	sort.Strings(got)
	w := append([]string(nil), want...)
	sort.Strings(w)
	if !reflect.DeepEqual(got, w) {
		t.Errorf("422 entries %v, want %v; body %s", got, w, r.Body)
	}
}

// usrSnapshot is a user's record as the admin sees it, for "nothing changed" checks.
func usrSnapshot(t *testing.T, app *apitest.App, adminToken, id string) string {
	t.Helper()
	return string(app.Get(usrPath(id), adminToken).Expect(t, http.StatusOK).Body)
}

// usrUnchanged asserts the record is byte for byte what it was.
func usrUnchanged(t *testing.T, app *apitest.App, adminToken, id, before string) {
	t.Helper()
	if after := usrSnapshot(t, app, adminToken, id); after != before {
		t.Errorf("user changed:\nbefore %s\nafter  %s", before, after)
	}
}

// usrListCount is X-Total-Count of the admin's user list, checked against the body.
func usrListCount(t *testing.T, app *apitest.App, adminToken string) int {
	t.Helper()
	r := app.Get(usrBase+"?limit=1000", adminToken).Expect(t, http.StatusOK)
	n := len(r.Array())
	if got := r.Header.Get("X-Total-Count"); got != strconv.Itoa(n) {
		t.Errorf("X-Total-Count %q, body has %d users", got, n)
	}
	return n
}

// usrLoginStatus tries to sign in and returns the status.
func usrLoginStatus(app *apitest.App, email, password string) int {
	return app.Post("/api/v1/auth/login", "", map[string]any{"email": email, "password": password}).Status
}

// usrMe is the caller's /auth/me.
func usrMe(t *testing.T, app *apitest.App, token string) map[string]any {
	t.Helper()
	return app.Get("/api/v1/auth/me", token).Expect(t, http.StatusOK).JSON()
}
