package accesshttp_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// accAdminOnlyModules are the modules that only admin holds after seeding.
var accAdminOnlyModules = []string{"users", "user-roles", "role-base-modules", "audit"}

// accRoute is one route of the running app with its access rule.
type accRoute struct {
	Method, Path string
	Access       httpserver.Access
	Module       string
	SelfParam    string
}

func (r accRoute) String() string { return r.Method + " " + r.Path }

// accAllRoutes lists every route the running app's router serves: the guarded
// table of httpserver.Server.Routes and whatever else is mounted on the Fiber app
// (health, the OpenAPI document, Swagger UI), which is public.
func accAllRoutes(t *testing.T, app *apitest.App) []accRoute {
	t.Helper()
	srv := app.Server()
	if srv == nil {
		t.Fatal("apitest did not expose the server")
	}
	guarded := map[string]httpserver.Route{}
	for _, r := range srv.Routes() {
		guarded[r.Method+" "+r.Path] = r
	}
	seen := map[string]bool{}
	var out []accRoute
	for _, fr := range srv.App.GetRoutes(true) {
		key := fr.Method + " " + fr.Path
		// HEAD and OPTIONS are checked where a route declares them (tus's),
		// not where Fiber or CORS answers them for every GET.
		if _, declared := guarded[key]; fr.Method == "USE" || !declared && (fr.Method == http.MethodHead || fr.Method == http.MethodOptions) {
			continue
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		r := accRoute{Method: fr.Method, Path: fr.Path, Access: httpserver.Public}
		if g, ok := guarded[key]; ok {
			r.Access, r.Module, r.SelfParam = g.Access, g.Module, g.SelfParam
		}
		out = append(out, r)
	}
	for key := range guarded {
		if !seen[key] {
			t.Errorf("guarded route %s is not mounted on the router", key)
		}
	}
	if len(out) < 30 {
		t.Fatalf("only %d routes found: %v", len(out), out)
	}
	return out
}

var accParamRE = regexp.MustCompile(`:([A-Za-z_]+)\??|\*`)

// accFill puts values into a route's path parameters; unknown names get an id
// of the right format.
func accFill(path string, values map[string]string) string {
	return accParamRE.ReplaceAllStringFunc(path, func(m string) string {
		if m == "*" {
			return "index.html"
		}
		name := strings.TrimSuffix(strings.TrimPrefix(m, ":"), "?")
		if v, ok := values[name]; ok {
			return v
		}
		return apitest.UnknownID
	})
}

func accBodyFor(method string) any {
	if method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
		return map[string]any{}
	}
	return nil
}

// Function-level authorization, over the router's full route list.
func TestAuthorization_over_every_route(t *testing.T) {
	t.Parallel()
	app := apitest.Start(t)
	admin := app.Admin()
	routes := accAllRoutes(t, app)

	member := app.Member("Caller")
	other := app.Member("Other")
	editor := accCreateRole(t, app, admin.Access, "Fixture-Role")
	app.Post(accRoles+"/user/"+other.UserID+"/role/"+editor, admin.Access, nil).Expect(t, http.StatusCreated)
	module := accCreateModule(t, app, admin.Access, "fixture-module", editor)
	values := map[string]string{
		"user_id": other.UserID, "role_id": editor, "user_role_id": editor, "module_id": module,
		"token": accDownloadLink(t, app, admin.Access),
	}

	t.Run("a_member_gets_403_on_every_admin_only_module_route", func(t *testing.T) {
		var checked []string
		for _, r := range routes {
			if r.Access != httpserver.ModuleGuarded || !slices.Contains(accAdminOnlyModules, r.Module) {
				continue
			}
			path := accFill(r.Path, values)
			if r.SelfParam != "" && !strings.Contains(path, other.UserID) {
				t.Errorf("%s: self-service parameter %s not filled with another user's id", r, r.SelfParam)
			}
			resp := app.Do(apitest.Req{Method: r.Method, Path: path, Token: member.Access, Body: accBodyFor(r.Method)})
			if resp.Status != http.StatusForbidden || accCode(resp) != "module_forbidden" {
				t.Errorf("%s as a member → %d %s, want 403 module_forbidden", r, resp.Status, resp.Body)
			}
			checked = append(checked, r.String())
		}
		for _, want := range []string{
			"GET /api/v1/users", "GET /api/v1/users/:user_id", "PUT /api/v1/users/:user_id", "DELETE /api/v1/users/:user_id",
			"GET /api/v1/user-roles", "POST /api/v1/user-roles", "GET /api/v1/user-roles/user/:user_id",
			"GET /api/v1/user-roles/role/:role_id", "POST /api/v1/user-roles/user/:user_id/role/:role_id",
			"DELETE /api/v1/user-roles/user/:user_id/role/:role_id", "PUT /api/v1/user-roles/:user_role_id",
			"DELETE /api/v1/user-roles/:user_role_id", "POST /api/v1/role-base-modules", "GET /api/v1/role-base-modules",
			"GET /api/v1/role-base-modules/:module_id", "PUT /api/v1/role-base-modules/:module_id",
			"PUT /api/v1/role-base-modules/:module_id/add-roles", "PUT /api/v1/role-base-modules/:module_id/remove-roles",
			"DELETE /api/v1/role-base-modules/:module_id",
		} {
			if !slices.Contains(checked, want) {
				t.Errorf("%s was not checked (not in the route list as an admin-only module route)", want)
			}
		}
		// Nothing changed: the fixtures are intact.
		porttestkit.SameStrings(t, "other's roles", accRolesOf(t, app, admin.Access, other.UserID),
			accSorted(accRoleIDByName(t, app, admin.Access, "member"), editor))
		porttestkit.SameStrings(t, "fixture module", accModuleRoles(t, app, admin.Access, module), []string{editor})
	})

	t.Run("the_filled_paths_name_existing_objects", func(t *testing.T) {
		// So that a 404 could not have masked a 403 above: admin reads them all.
		for _, r := range routes {
			if r.Method != http.MethodGet || r.Access != httpserver.ModuleGuarded || !slices.Contains(accAdminOnlyModules, r.Module) {
				continue
			}
			if strings.Contains(r.Path, ":") && !slices.Contains([]string{"users", "user-roles", "role-base-modules"}, r.Module) {
				continue // no fixtures for other modules' objects yet
			}
			resp := app.Get(accFill(r.Path, values), admin.Access)
			if resp.Status != http.StatusOK {
				t.Errorf("%s as admin → %d %s", r, resp.Status, resp.Body)
			}
		}
	})

	t.Run("self_service_routes_still_serve_the_caller", func(t *testing.T) {
		self := map[string]string{"user_id": member.UserID}
		for _, r := range routes {
			if r.SelfParam == "" || r.Method != http.MethodGet {
				continue
			}
			resp := app.Get(accFill(r.Path, self), member.Access)
			if resp.Status != http.StatusOK {
				t.Errorf("%s on oneself → %d %s", r, resp.Status, resp.Body)
			}
		}
	})

	t.Run("every_non_public_route_answers_401_to_an_anonymous_caller", func(t *testing.T) {
		n := 0
		for _, r := range routes {
			if r.Access == httpserver.Public {
				continue
			}
			n++
			path := accFill(r.Path, values)
			for _, tc := range []struct {
				what   string
				header map[string]string
			}{
				{"no token", nil},
				{"garbage token", map[string]string{"Authorization": "Bearer not.a.jwt"}},
				{"another scheme", map[string]string{"Authorization": "Basic " + admin.Access}},
			} {
				resp := app.Do(apitest.Req{Method: r.Method, Path: path, Header: tc.header, Body: accBodyFor(r.Method)})
				if resp.Status != http.StatusUnauthorized {
					t.Errorf("%s with %s → %d %s, want 401", r, tc.what, resp.Status, resp.Body)
					continue
				}
				if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
					t.Errorf("%s with %s: WWW-Authenticate %q, want Bearer", r, tc.what, got)
				}
			}
		}
		if n < 25 {
			t.Errorf("only %d non-public routes checked", n)
		}
	})

	t.Run("no_public_route_answers_401", func(t *testing.T) {
		n := 0
		for _, r := range routes {
			if r.Access != httpserver.Public {
				continue
			}
			n++
			// Swagger UI (and GET /, which leads to it) is served but not part
			// of the OpenAPI document.
			app.SkipValidation = strings.HasPrefix(r.Path, "/docs") || r.Path == "/"
			resp := app.Do(apitest.Req{Method: r.Method, Path: accFill(r.Path, values), Body: accBodyFor(r.Method)})
			app.SkipValidation = false
			if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden || resp.Status >= 500 {
				t.Errorf("public %s → %d %s", r, resp.Status, resp.Body)
			}
		}
		if n < 8 {
			t.Errorf("only %d public routes checked", n)
		}
	})
}

// Module changes take effect at once on the instance that makes them.
func TestEnforcement_follows_module_changes(t *testing.T) {
	t.Parallel()
	app := apitest.Start(t)
	admin := app.Admin()
	member := app.Member("Auditee")
	usersModule := accModuleIDByName(t, app, admin.Access, "users")

	allowed := func(want int) {
		t.Helper()
		app.Get(accUsers, member.Access).Expect(t, want)
		check := app.Get("/api/v1/access/check?module=users", member.Access).Expect(t, http.StatusOK).JSON()
		if (check["allowed"] == true) != (want == http.StatusOK) {
			t.Errorf("access check disagrees with enforcement (status %d): %v", want, check)
		}
		if r, _ := check["reason"].(string); r == "" {
			t.Errorf("access check without a reason: %v", check)
		}
	}
	allowed(http.StatusForbidden)

	auditor := accCreateRole(t, app, admin.Access, "auditor")
	app.Post(accRoles+"/user/"+member.UserID+"/role/"+auditor, admin.Access, nil).Expect(t, http.StatusCreated)
	allowed(http.StatusForbidden) // holding a role that no module lists changes nothing

	app.Put(accModules+"/"+usersModule+"/add-roles", admin.Access, map[string]any{"user_role_ids": []string{auditor}}).
		Expect(t, http.StatusOK)
	allowed(http.StatusOK)
	check := app.Get("/api/v1/access/check?module=users", member.Access).JSON()
	if via := accStrings(check["via_roles"]); !slices.Equal(via, []string{"auditor"}) {
		t.Errorf("via_roles %v, want [auditor]", via)
	}

	app.Put(accModules+"/"+usersModule+"/remove-roles", admin.Access, map[string]any{"user_role_ids": []string{auditor}}).
		Expect(t, http.StatusOK)
	allowed(http.StatusForbidden)

	// Through PUT (replace the list) as well.
	adminRole := accRoleIDByName(t, app, admin.Access, "admin")
	app.Put(accModules+"/"+usersModule, admin.Access, map[string]any{"user_roles": []string{adminRole, auditor}}).
		Expect(t, http.StatusOK)
	allowed(http.StatusOK)

	// Taking the role from the user denies at once.
	app.Delete(accRoles+"/user/"+member.UserID+"/role/"+auditor, admin.Access).Expect(t, http.StatusNoContent)
	allowed(http.StatusForbidden)
	app.Post(accRoles+"/user/"+member.UserID+"/role/"+auditor, admin.Access, nil).Expect(t, http.StatusCreated)
	allowed(http.StatusOK)

	// Deleting the role denies at once.
	app.Delete(accRoles+"/"+auditor, admin.Access).Expect(t, http.StatusNoContent)
	allowed(http.StatusForbidden)

	// Deleting a module denies everyone but admin; admin still passes.
	member2 := app.Member("Contributor")
	communities := accModuleIDByName(t, app, admin.Access, "communities")
	if check := app.Get("/api/v1/access/check?module=communities", member2.Access).JSON(); check["allowed"] != true {
		t.Fatalf("member lacks communities before the delete: %v", check)
	}
	app.Delete(accModules+"/"+communities, admin.Access).Expect(t, http.StatusNoContent)
	if check := app.Get("/api/v1/access/check?module=communities", member2.Access).JSON(); check["allowed"] != false {
		t.Errorf("member keeps a deleted module: %v", check)
	}
	if check := app.Get("/api/v1/access/check?module=communities", admin.Access).JSON(); check["allowed"] != true {
		t.Errorf("admin lost a deleted module: %v", check)
	}
	app.Get(accUsers, admin.Access).Expect(t, http.StatusOK)
}

// GET /api/v1/access/check explains decisions: about oneself for anyone signed
// in, about others with the users module.
func TestAccessCheck(t *testing.T) {
	t.Parallel()
	app := apitest.Start(t)
	admin := app.Admin()
	member := app.Member("Curious")
	other := app.Member("Observed")
	const check = "/api/v1/access/check"

	j := app.Get(check+"?module=datasets", member.Access).Expect(t, http.StatusOK).JSON()
	if j["allowed"] != true || j["module"] != "datasets" || !slices.Equal(accStrings(j["via_roles"]), []string{"member"}) {
		t.Errorf("member on datasets: %v", j)
	}
	j = app.Get(check+"?module=users", member.Access).Expect(t, http.StatusOK).JSON()
	if j["allowed"] != false || len(accStrings(j["via_roles"])) != 0 || j["reason"] == "" {
		t.Errorf("member on users: %v", j)
	}
	j = app.Get(check+"?module=no-such-module", member.Access).Expect(t, http.StatusOK).JSON()
	if j["allowed"] != false || j["reason"] == "" {
		t.Errorf("member on an unknown module: %v", j)
	}
	j = app.Get(check+"?module=no-such-module", admin.Access).Expect(t, http.StatusOK).JSON()
	if j["allowed"] != true || !slices.Equal(accStrings(j["via_roles"]), []string{"admin"}) {
		t.Errorf("admin on an unknown module: %v", j)
	}
	// Asking about oneself by id is allowed; about someone else needs the users module.
	app.Get(check+"?module=users&user_id="+member.UserID, member.Access).Expect(t, http.StatusOK)
	app.Get(check+"?module=users&user_id="+other.UserID, member.Access).Expect(t, http.StatusForbidden)
	j = app.Get(check+"?module=communities&user_id="+other.UserID, admin.Access).Expect(t, http.StatusOK).JSON()
	if j["allowed"] != true || !slices.Equal(accStrings(j["via_roles"]), []string{"member"}) {
		t.Errorf("admin asking about a member on communities: %v", j)
	}
	for _, bad := range apitest.BadIDs() {
		app.Get(check+"?module=users&user_id="+bad, admin.Access).Expect(t, http.StatusNotFound)
	}
	accWant422(t, app.Get(check, member.Access), "query", "module")
}

// accDownloadLink is the token of a download link of a fresh dataset: the
// credential the public link route takes in its path.
func accDownloadLink(t *testing.T, app *apitest.App, token string) string {
	t.Helper()
	id := app.Upload(http.MethodPost, "/api/v1/datasets/create", token, nil, "a.csv", strings.NewReader("a\n1\n")).
		Expect(t, http.StatusCreated).Str("id")
	url := app.Post("/api/v1/datasets/"+id+"/download-link", token, nil).Expect(t, http.StatusCreated).Str("url")
	return url[strings.LastIndex(url, "/")+1:]
}
