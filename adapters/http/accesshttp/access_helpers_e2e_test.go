package accesshttp_test

// Helpers shared by the access *_e2e_test.go files (prefixed acc to stay clear
// of helpers in other test files of this package).

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

const (
	accRoles   = "/api/v1/user-roles"
	accModules = "/api/v1/role-base-modules"
	accUsers   = "/api/v1/users"
)

// accDetail returns the "detail" of an error answer when it is a string.
func accDetail(r *apitest.Response) string {
	s, _ := r.JSON()["detail"].(string)
	return s
}

// accCode returns the "code" of an error answer.
func accCode(r *apitest.Response) string { return r.Str("code") }

// accWant422 fails unless r is a 422 whose detail lists a problem at loc.
func accWant422(t *testing.T, r *apitest.Response, loc ...any) {
	t.Helper()
	r.ExpectProblem(t, "", loc...)
}

// accCreateRole creates a role as admin and returns its id.
func accCreateRole(t *testing.T, app *apitest.App, admin, name string) string {
	t.Helper()
	r := app.Post(accRoles, admin, map[string]any{"name": name}).Expect(t, http.StatusCreated)
	id := r.Str("id")
	if !apitest.IDRE.MatchString(id) {
		t.Fatalf("role id %q: %s", id, r.Body)
	}
	return id
}

// accRoleIDByName finds a role in the list by its exact name.
func accRoleIDByName(t *testing.T, app *apitest.App, admin, name string) string {
	t.Helper()
	for _, r := range app.Get(accRoles, admin).Expect(t, http.StatusOK).Array() {
		if r["name"] == name {
			id, _ := r["id"].(string)
			return id
		}
	}
	t.Fatalf("no role named %q", name)
	return ""
}

// accStartSeeded starts a service and returns it, its admin's tokens and the
// ids of the seeded admin and member roles.
func accStartSeeded(t *testing.T) (app *apitest.App, admin apitest.Tokens, adminRole, memberRole string) {
	t.Helper()
	app = apitest.Start(t)
	admin = app.Admin()
	return app, admin, accRoleIDByName(t, app, admin.Access, "admin"), accRoleIDByName(t, app, admin.Access, "member")
}

// accData returns the envelope's data object.
func accData(t *testing.T, r *apitest.Response) map[string]any {
	t.Helper()
	j := r.JSON()
	if j["status"] != "success" {
		t.Errorf("envelope status %v, want success: %s", j["status"], r.Body)
	}
	if m, _ := j["message"].(string); m == "" {
		t.Errorf("envelope without a message: %s", r.Body)
	}
	d, ok := j["data"].(map[string]any)
	if !ok {
		t.Fatalf("envelope without a data object: %s", r.Body)
	}
	return d
}

// accCheckModule asserts one module object is well formed.
func accCheckModule(t *testing.T, m map[string]any) {
	t.Helper()
	if id, _ := m["id"].(string); !apitest.IDRE.MatchString(id) {
		t.Errorf("module id %v is not 24 hex", m["id"])
	}
	if _, ok := m["module_name"].(string); !ok {
		t.Errorf("module_name %v is not a string", m["module_name"])
	}
	if _, ok := m["user_roles"].([]any); !ok {
		t.Errorf("user_roles %v is not a list", m["user_roles"])
	}
	for _, k := range []string{"created_at", "updated_at"} {
		if s, _ := m[k].(string); !apitest.TimeRE.MatchString(s) {
			t.Errorf("%s %v is not RFC 3339 UTC with milliseconds", k, m[k])
		}
	}
}

// accCreateModule creates a module as admin and returns its id.
func accCreateModule(t *testing.T, app *apitest.App, admin, name string, roles ...string) string {
	t.Helper()
	if roles == nil {
		roles = []string{}
	}
	r := app.Post(accModules, admin, map[string]any{"module_name": name, "user_roles": roles}).Expect(t, http.StatusCreated)
	d := accData(t, r)
	accCheckModule(t, d)
	id, _ := d["id"].(string)
	return id
}

// accModuleRoles returns a module's role ids, sorted.
func accModuleRoles(t *testing.T, app *apitest.App, admin, moduleID string) []string {
	t.Helper()
	return accStrings(accData(t, app.Get(accModules+"/"+moduleID, admin).Expect(t, http.StatusOK))["user_roles"])
}

// accModuleIDByName finds a module by its exact name through the list's filter.
func accModuleIDByName(t *testing.T, app *apitest.App, admin, name string) string {
	t.Helper()
	r := app.Get(accModules+"?limit=100&module_name="+name, admin).Expect(t, http.StatusOK)
	for _, m := range accList(t, r) {
		if m["module_name"] == name {
			id, _ := m["id"].(string)
			return id
		}
	}
	t.Fatalf("no module named %q: %s", name, r.Body)
	return ""
}

// accList returns the data list of a module listing.
func accList(t *testing.T, r *apitest.Response) []map[string]any {
	t.Helper()
	var body struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Data == nil {
		t.Fatalf("listing without a data list: %s", r.Body)
	}
	return body.Data
}

type accPagination struct {
	Page  int `json:"page"`
	Limit int `json:"limit"`
	Total int `json:"total"`
	Pages int `json:"pages"`
}

// accPage returns a module listing's pagination.
func accPage(t *testing.T, r *apitest.Response) accPagination {
	t.Helper()
	var body struct {
		Pagination *accPagination `json:"pagination"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Pagination == nil {
		t.Fatalf("listing without pagination: %s", r.Body)
	}
	return *body.Pagination
}

// accStrings turns a decoded JSON list of strings into a sorted []string.
func accStrings(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		s, _ := x.(string)
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// accIDs returns the sorted "id" fields of a list of objects.
func accIDs(items []map[string]any) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, _ := it["id"].(string)
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// accNames returns the sorted names (field key) of a list of objects.
func accNames(items []map[string]any, key string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, _ := it[key].(string)
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// accUserRoleField returns the seed's comma-joined "role" of a user, as sorted ids.
func accUserRoleField(t *testing.T, app *apitest.App, admin, userID string) []string {
	t.Helper()
	u := app.Get(accUsers+"/"+userID, admin).Expect(t, http.StatusOK).JSON()
	s, _ := u["role"].(string)
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// accRolesOf returns the sorted role ids of GET /user-roles/user/{id}.
func accRolesOf(t *testing.T, app *apitest.App, admin, userID string) []string {
	t.Helper()
	return accIDs(app.Get(accRoles+"/user/"+userID, admin).Expect(t, http.StatusOK).Array())
}

func accSorted(xs ...string) []string {
	out := slices.Clone(xs)
	sort.Strings(out)
	return out
}
