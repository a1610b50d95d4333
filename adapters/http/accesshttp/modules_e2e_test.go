package accesshttp_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// The seed's role-base-modules operations (envelope, pagination) plus the added
// DELETE /role-base-modules/{module_id}.
func TestRoleBaseModules(t *testing.T) {
	t.Parallel()
	app, admin, adminRole, memberRole := accStartSeeded(t)

	t.Run("seeded_modules_list_their_roles", func(t *testing.T) {
		r := app.Get(accModules, admin.Access).Expect(t, http.StatusOK)
		byName := map[string][]string{}
		for _, m := range accList(t, r) {
			accCheckModule(t, m)
			name, _ := m["module_name"].(string)
			byName[name] = accStrings(m["user_roles"])
		}
		for name, want := range map[string][]string{
			"users": {adminRole}, "user-roles": {adminRole}, "role-base-modules": {adminRole}, "audit": {adminRole},
			"communities": accSorted(adminRole, memberRole), "datasets": accSorted(adminRole, memberRole),
		} {
			porttestkit.SameStrings(t, "module "+name, byName[name], want)
		}
		p := accPage(t, r)
		if p.Page != 1 || p.Limit != 10 || p.Total != 6 || p.Pages != 1 {
			t.Errorf("default pagination %+v, want page 1, limit 10, total 6, pages 1", p)
		}
	})

	t.Run("create_answers_201_with_the_envelope", func(t *testing.T) {
		editor := accCreateRole(t, app, admin.Access, "Editor")
		r := app.Post(accModules+"/", admin.Access, map[string]any{"module_name": "reports", "user_roles": []string{editor, memberRole, editor}}).
			Expect(t, http.StatusCreated)
		d := accData(t, r)
		accCheckModule(t, d)
		if d["module_name"] != "reports" {
			t.Errorf("module_name %v", d["module_name"])
		}
		porttestkit.SameStrings(t, "user_roles (each once)", accStrings(d["user_roles"]), accSorted(editor, memberRole))
		id, _ := d["id"].(string)
		got := accData(t, app.Get(accModules+"/"+id, admin.Access).Expect(t, http.StatusOK))
		accCheckModule(t, got)
		if got["module_name"] != "reports" || got["created_at"] != d["created_at"] {
			t.Errorf("GET after create: %v, created %v", got, d)
		}
		// Roles are optional.
		bare := accData(t, app.Post(accModules, admin.Access, map[string]any{"module_name": "bare"}).Expect(t, http.StatusCreated))
		porttestkit.SameStrings(t, "roles of a module created without roles", accStrings(bare["user_roles"]), nil)
	})

	t.Run("module_names_are_unique_ignoring_case", func(t *testing.T) {
		accCreateModule(t, app, admin.Access, "Ledger")
		for _, name := range []string{"Ledger", "ledger", "LEDGER", "  ledger ", "users", "Audit"} {
			r := app.Post(accModules, admin.Access, map[string]any{"module_name": name, "user_roles": []string{}}).
				Expect(t, http.StatusConflict)
			if accDetail(r) == "" {
				t.Errorf("409 without detail: %s", r.Body)
			}
		}
	})

	t.Run("create_validates_the_body", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			body any
			loc  []any
		}{
			{"one_character_name", map[string]any{"module_name": "x", "user_roles": []string{}}, []any{"body", "module_name"}},
			{"one_character_after_trimming", map[string]any{"module_name": "  y  "}, []any{"body", "module_name"}},
			{"empty_name", map[string]any{"module_name": ""}, []any{"body", "module_name"}},
			{"name_over_100", map[string]any{"module_name": strings.Repeat("m", 101)}, []any{"body", "module_name"}},
			{"missing_name", map[string]any{"user_roles": []string{}}, []any{"body", "module_name"}},
			{"name_not_a_string", map[string]any{"module_name": 12}, []any{"body", "module_name"}},
			{"roles_not_a_list", map[string]any{"module_name": "okay", "user_roles": "x"}, []any{"body", "user_roles"}},
			{"role_not_a_string", map[string]any{"module_name": "okay", "user_roles": []any{1}}, []any{"body", "user_roles", 0}},
			{"not_json", "{nope", []any{"body"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				accWant422(t, app.Post(accModules, admin.Access, tc.body), tc.loc...)
			})
		}
		// Exactly 2 and 100 characters are fine.
		accCreateModule(t, app, admin.Access, "ab")
		accCreateModule(t, app, admin.Access, strings.Repeat("z", 100))
		r := app.Get(accModules+"?module_name=okay", admin.Access).Expect(t, http.StatusOK)
		if n := len(accList(t, r)); n != 0 {
			t.Errorf("a refused module was created")
		}
	})

	t.Run("unknown_role_ids_are_404_naming_the_id", func(t *testing.T) {
		id := accCreateModule(t, app, admin.Access, "strict", memberRole)
		for _, bad := range []string{apitest.UnknownID, "eeeeeeeeeeeeeeeeeeeeeeee", apitest.MalformedID} {
			for _, tc := range []struct {
				method, path string
				body         any
			}{
				{http.MethodPost, accModules, map[string]any{"module_name": "strict-" + bad[:3], "user_roles": []string{memberRole, bad}}},
				{http.MethodPut, accModules + "/" + id, map[string]any{"user_roles": []string{bad}}},
				{http.MethodPut, accModules + "/" + id + "/add-roles", map[string]any{"user_role_ids": []string{memberRole, bad}}},
				{http.MethodPut, accModules + "/" + id + "/remove-roles", map[string]any{"user_role_ids": []string{bad}}},
			} {
				r := accDoUndocumented404(t, app, apitest.Req{Method: tc.method, Path: tc.path, Token: admin.Access, Body: tc.body})
				if r.Status != http.StatusNotFound || !strings.Contains(accDetail(r), bad) {
					t.Errorf("%s %s with role %s → %d %s, want 404 naming the id", tc.method, tc.path, bad, r.Status, r.Body)
				}
			}
		}
		porttestkit.SameStrings(t, "roles unchanged", accModuleRoles(t, app, admin.Access, id), []string{memberRole})
		if n := len(accList(t, app.Get(accModules+"?module_name=strict-", admin.Access))); n != 0 {
			t.Errorf("a module with an unknown role was created")
		}
	})

	t.Run("unknown_and_malformed_module_ids_are_404", func(t *testing.T) {
		for _, bad := range apitest.BadIDs() {
			for _, tc := range []struct {
				method, path string
				body         any
			}{
				{http.MethodGet, accModules + "/" + bad, nil},
				{http.MethodPut, accModules + "/" + bad, map[string]any{"module_name": "renamed"}},
				{http.MethodPut, accModules + "/" + bad + "/add-roles", map[string]any{"user_role_ids": []string{memberRole}}},
				{http.MethodPut, accModules + "/" + bad + "/remove-roles", map[string]any{"user_role_ids": []string{memberRole}}},
				{http.MethodDelete, accModules + "/" + bad, nil},
			} {
				r := app.Do(apitest.Req{Method: tc.method, Path: tc.path, Token: admin.Access, Body: tc.body})
				if r.Status != http.StatusNotFound || accDetail(r) == "" {
					t.Errorf("%s %s → %d %s, want 404 with detail", tc.method, tc.path, r.Status, r.Body)
				}
			}
		}
	})

	t.Run("list_validates_page_and_limit", func(t *testing.T) {
		for _, tc := range []struct{ query, param string }{
			{"limit=101", "limit"},
			{"limit=0", "limit"},
			{"limit=-1", "limit"},
			{"limit=ten", "limit"},
			{"page=0", "page"},
			{"page=-3", "page"},
			{"page=x", "page"},
		} {
			accWant422(t, app.Get(accModules+"?"+tc.query, admin.Access), "query", tc.param)
		}
		r := app.Get(accModules+"?limit=100&page=1", admin.Access).Expect(t, http.StatusOK)
		if p := accPage(t, r); p.Limit != 100 {
			t.Errorf("limit=100: %+v", p)
		}
	})

	t.Run("pagination_counts_every_module", func(t *testing.T) {
		var ids []string
		for i := range 12 {
			ids = append(ids, accCreateModule(t, app, admin.Access, fmt.Sprintf("paged-%02d", i)))
		}
		all := accList(t, app.Get(accModules+"?limit=100", admin.Access).Expect(t, http.StatusOK))
		total := len(all)
		for _, id := range ids {
			if !slices.Contains(accIDs(all), id) {
				t.Fatalf("module %s missing from the full listing", id)
			}
		}
		r := app.Get(accModules+"?page=2&limit=5", admin.Access).Expect(t, http.StatusOK)
		page := accList(t, r)
		if len(page) != 5 {
			t.Errorf("page 2, limit 5: %d items", len(page))
		}
		p := accPage(t, r)
		if p.Page != 2 || p.Limit != 5 || p.Total != total || p.Pages != (total+4)/5 {
			t.Errorf("pagination %+v, want page 2, limit 5, total %d, pages %d", p, total, (total+4)/5)
		}
		// The pages together are the whole listing, in one order, without repeats.
		var walked []string
		for n := 1; n <= p.Pages; n++ {
			items := accList(t, app.Get(fmt.Sprintf("%s?page=%d&limit=5", accModules, n), admin.Access).Expect(t, http.StatusOK))
			for _, it := range items {
				id, _ := it["id"].(string)
				walked = append(walked, id)
			}
		}
		var full []string
		for _, it := range all {
			id, _ := it["id"].(string)
			full = append(full, id)
		}
		if !slices.Equal(walked, full) {
			t.Errorf("pages walked %v, want %v", walked, full)
		}
		// Past the last page: no items, same totals.
		r = app.Get(fmt.Sprintf("%s?page=%d&limit=5", accModules, p.Pages+1), admin.Access).Expect(t, http.StatusOK)
		if len(accList(t, r)) != 0 || accPage(t, r).Total != total {
			t.Errorf("past the last page: %s", r.Body)
		}
		// The filter's total is the filter's, not the collection's.
		r = app.Get(accModules+"?module_name=PAGED-&page=3&limit=5", admin.Access).Expect(t, http.StatusOK)
		if n, fp := len(accList(t, r)), accPage(t, r); n != 2 || fp.Total != 12 || fp.Pages != 3 {
			t.Errorf("filtered page 3: %d items, %+v; want 2 items, total 12, pages 3", n, fp)
		}
	})

	t.Run("a_huge_page_is_an_empty_page_not_an_error", func(t *testing.T) {
		// (page-1)*limit must not overflow into a negative or small skip.
		for _, q := range []string{
			"page=1000000000000000000&limit=100",
			"page=92233720368547759&limit=100",
			"page=184467440737095517&limit=100",
			"page=9223372036854775807&limit=10",
			"page=9223372036854775807&limit=1",
		} {
			r := app.Get(accModules+"?"+q, admin.Access)
			if r.Status != http.StatusOK && r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s → %d %s, want 200 (empty) or 422", q, r.Status, r.Body)
				continue
			}
			if r.Status == http.StatusOK && len(accList(t, r)) != 0 {
				t.Errorf("%s returned items: %.300s", q, r.Body)
			}
		}
	})

	t.Run("list_filters_by_name_ignoring_case_and_by_role", func(t *testing.T) {
		analyst := accCreateRole(t, app, admin.Access, "Analyst")
		a := accCreateModule(t, app, admin.Access, "Finance-Reports", analyst)
		b := accCreateModule(t, app, admin.Access, "monthly-finance", analyst, memberRole)
		c := accCreateModule(t, app, admin.Access, "hr-records")
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"module_name=finance", []string{a, b}},
			{"module_name=FINANCE", []string{a, b}},
			{"module_name=fInAnCe-r", []string{a}},
			{"module_name=HR-", []string{c}},
			{"module_name=" + url.QueryEscape("finance.reports"), nil},
			{"user_role_id=" + analyst, []string{a, b}},
			{"user_role_id=" + analyst + "&module_name=monthly", []string{b}},
			{"user_role_id=" + apitest.UnknownID, nil},
		} {
			r := app.Get(accModules+"?limit=100&"+tc.query, admin.Access).Expect(t, http.StatusOK)
			got := accIDs(accList(t, r))
			porttestkit.SameStrings(t, tc.query, got, accSorted(tc.want...))
			if p := accPage(t, r); p.Total != len(tc.want) {
				t.Errorf("%s: total %d, want %d", tc.query, p.Total, len(tc.want))
			}
		}
		// Seeded modules listing member: communities, datasets, and b.
		r := app.Get(accModules+"?limit=100&user_role_id="+memberRole, admin.Access).Expect(t, http.StatusOK)
		names := accNames(accList(t, r), "module_name")
		for _, want := range []string{"communities", "datasets", "monthly-finance"} {
			if !slices.Contains(names, want) {
				t.Errorf("user_role_id=member: %v lacks %s", names, want)
			}
		}
		if slices.Contains(names, "users") {
			t.Errorf("user_role_id=member lists users: %v", names)
		}
	})

	t.Run("update_renames_and_replaces_roles", func(t *testing.T) {
		viewer := accCreateRole(t, app, admin.Access, "Viewer")
		id := accCreateModule(t, app, admin.Access, "drafts", memberRole)
		accCreateModule(t, app, admin.Access, "Archive")
		before := accData(t, app.Get(accModules+"/"+id, admin.Access))

		d := accData(t, app.Put(accModules+"/"+id, admin.Access, map[string]any{"module_name": "Drafts-2"}).Expect(t, http.StatusOK))
		accCheckModule(t, d)
		if d["module_name"] != "Drafts-2" || d["created_at"] != before["created_at"] {
			t.Errorf("after rename: %v", d)
		}
		porttestkit.SameStrings(t, "roles kept by a rename", accStrings(d["user_roles"]), []string{memberRole})

		d = accData(t, app.Put(accModules+"/"+id, admin.Access, map[string]any{"user_roles": []string{viewer}}).Expect(t, http.StatusOK))
		if d["module_name"] != "Drafts-2" {
			t.Errorf("name changed by a role update: %v", d)
		}
		porttestkit.SameStrings(t, "roles replaced", accStrings(d["user_roles"]), []string{viewer})

		d = accData(t, app.Put(accModules+"/"+id, admin.Access, map[string]any{"module_name": "drafts-2", "user_roles": []string{}}).
			Expect(t, http.StatusOK))
		if d["module_name"] != "drafts-2" {
			t.Errorf("own name in another case: %v", d)
		}
		porttestkit.SameStrings(t, "roles emptied", accStrings(d["user_roles"]), nil)

		for _, name := range []string{"Archive", "archive", "USERS"} {
			app.Put(accModules+"/"+id, admin.Access, map[string]any{"module_name": name}).Expect(t, http.StatusConflict)
		}
		accWant422(t, app.Put(accModules+"/"+id, admin.Access, map[string]any{"module_name": "q"}), "body", "module_name")
		accWant422(t, app.Put(accModules+"/"+id, admin.Access, map[string]any{"user_roles": "viewer"}), "body", "user_roles")
		// An empty update changes nothing.
		d = accData(t, app.Put(accModules+"/"+id, admin.Access, map[string]any{}).Expect(t, http.StatusOK))
		if d["module_name"] != "drafts-2" {
			t.Errorf("empty update: %v", d)
		}
		if got := accData(t, app.Get(accModules+"/"+id, admin.Access)); got["module_name"] != "drafts-2" {
			t.Errorf("stored after refused updates: %v", got)
		}
	})

	t.Run("a_refused_update_changes_nothing", func(t *testing.T) {
		other := accCreateRole(t, app, admin.Access, "Bystander")
		id := accCreateModule(t, app, admin.Access, "atomic", memberRole)
		accCreateModule(t, app, admin.Access, "occupied")
		before := accData(t, app.Get(accModules+"/"+id, admin.Access))
		// The name is taken: neither the name nor the roles change.
		app.Put(accModules+"/"+id, admin.Access, map[string]any{"module_name": "Occupied", "user_roles": []string{other}}).
			Expect(t, http.StatusConflict)
		// A role is unknown: neither the name nor the roles change.
		accDoUndocumented404(t, app, apitest.Req{Method: http.MethodPut, Path: accModules + "/" + id, Token: admin.Access,
			Body: map[string]any{"module_name": "atomic-renamed", "user_roles": []string{other, apitest.UnknownID}}}).
			Expect(t, http.StatusNotFound)
		after := accData(t, app.Get(accModules+"/"+id, admin.Access))
		if after["module_name"] != "atomic" || after["updated_at"] != before["updated_at"] {
			t.Errorf("after refused updates: %v, before %v", after, before)
		}
		porttestkit.SameStrings(t, "roles after refused updates", accStrings(after["user_roles"]), []string{memberRole})
	})

	t.Run("add_and_remove_roles", func(t *testing.T) {
		r1 := accCreateRole(t, app, admin.Access, "Role-One")
		r2 := accCreateRole(t, app, admin.Access, "Role-Two")
		id := accCreateModule(t, app, admin.Access, "toggles", memberRole)

		d := accData(t, app.Put(accModules+"/"+id+"/add-roles", admin.Access, map[string]any{"user_role_ids": []string{r1, r2, r1}}).
			Expect(t, http.StatusOK))
		porttestkit.SameStrings(t, "after add", accStrings(d["user_roles"]), accSorted(memberRole, r1, r2))
		d = accData(t, app.Put(accModules+"/"+id+"/add-roles", admin.Access, map[string]any{"user_role_ids": []string{r2}}).
			Expect(t, http.StatusOK))
		porttestkit.SameStrings(t, "after adding again", accStrings(d["user_roles"]), accSorted(memberRole, r1, r2))

		d = accData(t, app.Put(accModules+"/"+id+"/remove-roles", admin.Access, map[string]any{"user_role_ids": []string{memberRole, r2}}).
			Expect(t, http.StatusOK))
		porttestkit.SameStrings(t, "after remove", accStrings(d["user_roles"]), []string{r1})
		d = accData(t, app.Put(accModules+"/"+id+"/remove-roles", admin.Access, map[string]any{"user_role_ids": []string{r2}}).
			Expect(t, http.StatusOK))
		porttestkit.SameStrings(t, "after removing an unlisted role", accStrings(d["user_roles"]), []string{r1})
		porttestkit.SameStrings(t, "stored", accModuleRoles(t, app, admin.Access, id), []string{r1})

		for _, op := range []string{"/add-roles", "/remove-roles"} {
			accWant422(t, app.Put(accModules+"/"+id+op, admin.Access, map[string]any{"user_role_ids": []string{}}), "body", "user_role_ids")
			accWant422(t, app.Put(accModules+"/"+id+op, admin.Access, map[string]any{}), "body", "user_role_ids")
			accWant422(t, app.Put(accModules+"/"+id+op, admin.Access, map[string]any{"user_role_ids": r1}), "body", "user_role_ids")
		}
		porttestkit.SameStrings(t, "stored after refused calls", accModuleRoles(t, app, admin.Access, id), []string{r1})
	})

	t.Run("ten_parallel_add_roles_all_land", func(t *testing.T) {
		id := accCreateModule(t, app, admin.Access, "crowded")
		var roles []string
		for i := range 10 {
			roles = append(roles, accCreateRole(t, app, admin.Access, fmt.Sprintf("crowd-%d", i)))
		}
		statuses := porttestkit.AtOnce(len(roles), func(i int) int {
			return accRawPut(app, accModules+"/"+id+"/add-roles", admin.Access, `{"user_role_ids":["`+roles[i]+`"]}`)
		})
		for i, s := range statuses {
			if s != http.StatusOK {
				t.Errorf("add-roles #%d → %d", i, s)
			}
		}
		porttestkit.SameStrings(t, "roles after 10 parallel add-roles", accModuleRoles(t, app, admin.Access, id), accSorted(roles...))
	})

	t.Run("delete_answers_204_then_404", func(t *testing.T) {
		id := accCreateModule(t, app, admin.Access, "Ephemeral", memberRole)
		app.Delete(accModules+"/"+id, admin.Access).Expect(t, http.StatusNoContent)
		app.Get(accModules+"/"+id, admin.Access).Expect(t, http.StatusNotFound)
		app.Delete(accModules+"/"+id, admin.Access).Expect(t, http.StatusNotFound)
		app.Put(accModules+"/"+id, admin.Access, map[string]any{"module_name": "back"}).Expect(t, http.StatusNotFound)
		if slices.Contains(accIDs(accList(t, app.Get(accModules+"?limit=100", admin.Access))), id) {
			t.Errorf("deleted module still listed")
		}
		// The name is free again.
		accCreateModule(t, app, admin.Access, "ephemeral")
	})
}

// accRawPut sends a PUT from any goroutine (apitest's helpers may call
// t.Fatalf, which only the test's goroutine may do) and returns the status.
func accRawPut(app *apitest.App, path, token, body string) int {
	req, err := http.NewRequest(http.MethodPut, app.BaseURL+path, strings.NewReader(body))
	if err != nil {
		return -1
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := app.Client.Do(req)
	if err != nil {
		return -1
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// accDoUndocumented404 sends a request whose 404 answer the OpenAPI document may
// not list yet: POST /role-base-modules has no 404 response there although an
// unknown role id in user_roles is a 404 (API.md, "Access control"). Every other
// status is still validated; the gap is logged rather than failed until the
// document (owned elsewhere) lists it.
func accDoUndocumented404(t *testing.T, app *apitest.App, req apitest.Req) *apitest.Response {
	t.Helper()
	app.SkipValidation = true
	r := app.Do(req)
	app.SkipValidation = false
	if problems := apitest.ValidateResponse(req.Method, req.Path, r); len(problems) > 0 {
		if r.Status == http.StatusNotFound {
			t.Logf("OpenAPI gap: %s %s → 404 is not documented: %s", req.Method, req.Path, strings.Join(problems, "; "))
		} else {
			t.Errorf("%s %s → %d does not match the OpenAPI document: %s", req.Method, req.Path, r.Status, strings.Join(problems, "; "))
		}
	}
	return r
}
