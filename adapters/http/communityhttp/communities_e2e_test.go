package communityhttp_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestCommunities_create_get_list_update_delete(t *testing.T) {
	app := apitest.Start(t)
	owner := cmNewUser(t, app, "Olive Owner")
	outsider := cmNewUser(t, app, "Oscar Outsider")

	var id string
	t.Run("create_makes_the_creator_admin_and_answers_201", func(t *testing.T) {
		c := cmCreate(t, app, owner.Token, "  Riverside Gardens  ")
		id = c["id"].(string)
		if c["name"] != "Riverside Gardens" || c["logo"] != "" || c["description"] != nil ||
			c["created_by"] != owner.ID || c["member_count"] != float64(1) {
			t.Errorf("created = %v", c)
		}
		members, _ := cmList(t, app.Get(cmPath(id, "/members"), owner.Token))
		if len(members) != 1 || members[0]["user_id"] != owner.ID || members[0]["role"] != "admin" || members[0]["name"] != owner.Name {
			t.Errorf("members = %v", members)
		}
	})

	t.Run("names_are_unique_case_insensitively", func(t *testing.T) {
		for _, name := range []string{"Riverside Gardens", "riverside gardens", " RIVERSIDE GARDENS "} {
			cmError(t, app.Post(cmBase, outsider.Token, map[string]any{"name": name}), http.StatusConflict, "community_name_taken")
		}
	})

	t.Run("trailing_slash_works_both_ways", func(t *testing.T) {
		r := app.Post(cmBase+"/", owner.Token, map[string]any{"name": "Harbour Watch", "description": "Boats and tides"}).Expect(t, http.StatusCreated)
		if r.JSON()["description"] != "Boats and tides" {
			t.Errorf("description: %s", r.Body)
		}
		cmList(t, app.Get(cmBase+"/", outsider.Token))
	})

	t.Run("get_is_open_to_module_holders_and_404s_bad_ids", func(t *testing.T) {
		c := app.Get(cmPath(id), outsider.Token).Expect(t, http.StatusOK).JSON()
		cmCheckCommunity(t, c)
		if c["id"] != id || c["name"] != "Riverside Gardens" || c["member_count"] != float64(1) {
			t.Errorf("get = %v", c)
		}
		for _, bad := range apitest.BadIDs() {
			cmError(t, app.Get(cmPath(bad), outsider.Token), http.StatusNotFound, "community_not_found")
		}
	})

	t.Run("list_filters_by_name_and_pages", func(t *testing.T) {
		cmCreateID(t, app, owner.Token, "North Park")
		cmCreateID(t, app, owner.Token, "South Park")
		all, pg := cmList(t, app.Get(cmBase, outsider.Token))
		if len(all) != 4 || pg["total"] != float64(4) || pg["page"] != float64(1) || pg["limit"] != float64(20) || pg["pages"] != float64(1) {
			t.Errorf("list: %d items, pagination %v", len(all), pg)
		}
		for _, c := range all {
			cmCheckCommunity(t, c)
		}
		parks, pg := cmList(t, app.Get(cmBase+"?q=PARK", outsider.Token))
		if got := cmIDs(parks, "name"); !sameSet(got, []string{"North Park", "South Park"}) || pg["total"] != float64(2) {
			t.Errorf("q=PARK: %v %v", got, pg)
		}
		page2, pg := cmList(t, app.Get(cmBase+"?page=2&limit=3", outsider.Token))
		if len(page2) != 1 || pg["total"] != float64(4) || pg["pages"] != float64(2) || pg["page"] != float64(2) {
			t.Errorf("page 2: %d items, %v", len(page2), pg)
		}
		none, _ := cmList(t, app.Get(cmBase+"?q=.*", outsider.Token))
		if len(none) != 0 {
			t.Errorf("q=.* matched %v: the query must be literal", cmIDs(none, "name"))
		}
		cm422(t, app.Get(cmBase+"?limit=0", outsider.Token), "greater_than_equal", "query", "limit")
		cm422(t, app.Get(cmBase+"?limit=101", outsider.Token), "less_than_equal", "query", "limit")
		cm422(t, app.Get(cmBase+"?page=0", outsider.Token), "greater_than_equal", "query", "page")
		cm422(t, app.Get(cmBase+"?page=two", outsider.Token), "int_parsing", "query", "page")
	})

	t.Run("update_is_for_community_admins", func(t *testing.T) {
		r := app.Put(cmPath(id), owner.Token, map[string]any{"name": "Riverside Allotments", "description": "Vegetables"}).Expect(t, http.StatusOK)
		c := r.JSON()
		if c["name"] != "Riverside Allotments" || c["description"] != "Vegetables" {
			t.Errorf("updated = %v", c)
		}
		// null and absent fields stay as they are
		c = app.Put(cmPath(id), owner.Token, map[string]any{"name": nil}).Expect(t, http.StatusOK).JSON()
		if c["name"] != "Riverside Allotments" || c["description"] != "Vegetables" {
			t.Errorf("after a null update: %v", c)
		}
		// renaming to its own name in other capitals is fine; to another's is a conflict
		app.Put(cmPath(id), owner.Token, map[string]any{"name": "RIVERSIDE Allotments"}).Expect(t, http.StatusOK)
		cmError(t, app.Put(cmPath(id), owner.Token, map[string]any{"name": "north park"}), http.StatusConflict, "community_name_taken")
		cmError(t, app.Put(cmPath(id), outsider.Token, map[string]any{"name": "Mine now"}), http.StatusForbidden, "not_community_admin")
		for _, bad := range apitest.BadIDs() {
			cmError(t, app.Put(cmPath(bad), owner.Token, map[string]any{"name": "Nowhere"}), http.StatusNotFound, "community_not_found")
		}
		admin := cmAdmin(t, app)
		app.Put(cmPath(id), admin.Token, map[string]any{"description": "Checked by the admin"}).Expect(t, http.StatusOK)
	})

	t.Run("delete_is_for_community_admins", func(t *testing.T) {
		doomed := cmCreateID(t, app, owner.Token, "Short Lived")
		cmError(t, app.Delete(cmPath(doomed), outsider.Token), http.StatusForbidden, "not_community_admin")
		app.Delete(cmPath(doomed), owner.Token).Expect(t, http.StatusNoContent)
		cmError(t, app.Get(cmPath(doomed), owner.Token), http.StatusNotFound, "community_not_found")
		cmError(t, app.Delete(cmPath(doomed), owner.Token), http.StatusNotFound, "community_not_found")
		for _, bad := range apitest.BadIDs() {
			cmError(t, app.Delete(cmPath(bad), owner.Token), http.StatusNotFound, "community_not_found")
		}
		// The name is free again.
		cmCreateID(t, app, outsider.Token, "short lived")
	})

	t.Run("a_community_that_holds_datasets_cannot_be_deleted", func(t *testing.T) {
		keeper := cmCreateID(t, app, owner.Token, "Data Keepers")
		r := app.Upload(http.MethodPost, "/api/v1/datasets/create", owner.Token, map[string]string{"community_id": keeper, "title": "Counts"},
			"counts.csv", strings.NewReader("a,b\n1,2\n")).Expect(t, http.StatusCreated)
		cmError(t, app.Delete(cmPath(keeper), owner.Token), http.StatusConflict, "community_has_datasets")
		app.Get(cmPath(keeper), owner.Token).Expect(t, http.StatusOK)
		app.Delete("/api/v1/datasets/"+r.Str("id"), owner.Token).Expect(t, http.StatusNoContent)
		app.Delete(cmPath(keeper), owner.Token).Expect(t, http.StatusNoContent)
	})

	t.Run("delete_removes_memberships_requests_and_logo", func(t *testing.T) {
		doomed := cmCreateID(t, app, owner.Token, "Everything Goes")
		cmAddMember(t, app, owner.Token, doomed, outsider.ID, "member")
		asker := cmNewUser(t, app, "Ada Asker")
		app.Post(cmPath(doomed, "/join-requests"), asker.Token, map[string]any{"message": "hi"}).Expect(t, http.StatusCreated)
		cmUpload(t, app, owner.Token, doomed, "logo.png", "image/png", cmPNG(t, 8, 8)).Expect(t, http.StatusOK)
		blobs := cmBlobCount(t, app)
		app.Delete(cmPath(doomed), owner.Token).Expect(t, http.StatusNoContent)
		if got := cmBlobCount(t, app); got != blobs-1 {
			t.Errorf("blobs %d → %d, want the logo gone", blobs, got)
		}
		mine, _ := cmList(t, app.Get("/api/v1/users/"+outsider.ID+"/communities", outsider.Token))
		if slices.Contains(cmIDs(mine, "id"), doomed) {
			t.Errorf("the deleted community is still among the member's communities")
		}
		// A community with the same name starts empty: no member, no pending request.
		again := cmCreateID(t, app, owner.Token, "Everything Goes")
		app.Post(cmPath(again, "/join-requests"), asker.Token, nil).Expect(t, http.StatusCreated)
		if n := cmMemberCount(t, app, owner.Token, again); n != 1 {
			t.Errorf("member_count %d, want 1", n)
		}
	})
}

func TestCommunities_bad_bodies_are_pydantic_422s(t *testing.T) {
	app := apitest.Start(t)
	owner := cmNewUser(t, app, "Olive Owner")
	id := cmCreateID(t, app, owner.Token, "Riverside")
	long := strings.Repeat("x", 101)

	cm422(t, app.Post(cmBase, owner.Token, "{not json"), "json_invalid", "body")
	cm422(t, app.Post(cmBase, owner.Token, `["Riverside"]`), "model_attributes_type", "body")
	cm422(t, app.Post(cmBase, owner.Token, map[string]any{}), "missing", "body", "name")
	cm422(t, app.Post(cmBase, owner.Token, map[string]any{"name": 42}), "string_type", "body", "name")
	cm422(t, app.Post(cmBase, owner.Token, map[string]any{"name": " a "}), "string_too_short", "body", "name")
	cm422(t, app.Post(cmBase, owner.Token, map[string]any{"name": long}), "string_too_long", "body", "name")
	cm422(t, app.Post(cmBase, owner.Token, map[string]any{"name": "line\nbreak"}), "value_error", "body", "name")
	all := cm422(t, app.Post(cmBase, owner.Token, map[string]any{"name": "a", "description": 5}), "string_type", "body", "description")
	if len(all) != 2 {
		t.Errorf("want both problems at once, got %v", all)
	}

	cm422(t, app.Put(cmPath(id), owner.Token, "nope"), "json_invalid", "body")
	cm422(t, app.Put(cmPath(id), owner.Token, map[string]any{"name": "b"}), "string_too_short", "body", "name")
	cm422(t, app.Put(cmPath(id), owner.Token, map[string]any{"description": strings.Repeat("d", 2001)}), "string_too_long", "body", "description")

	members := cmPath(id, "/members")
	cm422(t, app.Post(members, owner.Token, map[string]any{}), "missing", "body", "user_id")
	cm422(t, app.Post(members, owner.Token, map[string]any{"user_id": owner.ID, "role": "owner"}), "enum", "body", "role")
	cm422(t, app.Post(members, owner.Token, map[string]any{"user_id": 7}), "string_type", "body", "user_id")
	add := "/api/v1/users/add-to-community/" + id
	cm422(t, app.Post(add, owner.Token, map[string]any{"user_id": owner.ID, "community_id": apitest.UnknownID}), "value_error", "body", "community_id")
	cm422(t, app.Post(add, owner.Token, map[string]any{"community_id": id}), "missing", "body", "user_id")
	cm422(t, app.Post(add, owner.Token, "[]"), "model_attributes_type", "body")

	joins := cmPath(id, "/join-requests")
	cm422(t, app.Post(joins, owner.Token, map[string]any{"message": strings.Repeat("m", 1001)}), "string_too_long", "body", "message")
	cm422(t, app.Post(joins, owner.Token, map[string]any{"community_id": apitest.UnknownID}), "value_error", "body", "community_id")
	cm422(t, app.Post(joins, owner.Token, "{"), "json_invalid", "body")
	cm422(t, app.Get(joins+"?status=done", owner.Token), "enum", "query", "status")
	cm422(t, app.Post(cmPath(id, "/join-requests/", apitest.UnknownID, "/reject"), owner.Token, map[string]any{"reason": 1}), "string_type", "body", "reason")
	cm422(t, app.Get(cmPath(id, "/members?limit=500"), owner.Token), "less_than_equal", "query", "limit")
}

// The communities module gates every route, including the two under /users.
func TestCommunities_module_gates_every_route(t *testing.T) {
	app := apitest.Start(t)
	admin := cmAdmin(t, app)
	member := cmNewUser(t, app, "Mia Member")
	id := cmCreateID(t, app, member.Token, "Riverside")

	modules, _ := cmList(t, app.Get("/api/v1/role-base-modules?module_name=communities", admin.Token))
	var moduleID, adminRole string
	for _, m := range modules {
		if m["module_name"] == "communities" {
			moduleID = m["id"].(string)
		}
	}
	for _, r := range app.Get("/api/v1/user-roles", admin.Token).Expect(t, http.StatusOK).Array() {
		if r["name"] == "admin" {
			adminRole = r["id"].(string)
		}
	}
	if moduleID == "" || adminRole == "" {
		t.Fatalf("module %q admin role %q", moduleID, adminRole)
	}
	app.Put("/api/v1/role-base-modules/"+moduleID, admin.Token, map[string]any{"user_roles": []string{adminRole}}).Expect(t, http.StatusOK)

	for _, r := range []struct{ method, path string }{
		{http.MethodGet, cmBase},
		{http.MethodPost, cmBase},
		{http.MethodGet, cmPath(id)},
		{http.MethodPut, cmPath(id)},
		{http.MethodDelete, cmPath(id)},
		{http.MethodGet, cmPath(id, "/logo")},
		{http.MethodPut, cmPath(id, "/logo")},
		{http.MethodGet, cmPath(id, "/members")},
		{http.MethodPost, cmPath(id, "/members")},
		{http.MethodDelete, cmPath(id, "/members/", member.ID)},
		{http.MethodGet, cmPath(id, "/join-requests")},
		{http.MethodPost, cmPath(id, "/join-requests")},
		{http.MethodPost, cmPath(id, "/join-requests/", apitest.UnknownID, "/approve")},
		{http.MethodPost, cmPath(id, "/join-requests/", apitest.UnknownID, "/reject")},
		{http.MethodDelete, cmPath(id, "/join-requests/", apitest.UnknownID)},
		{http.MethodPost, "/api/v1/users/add-to-community/" + id},
		{http.MethodGet, "/api/v1/users/" + member.ID + "/communities"},
	} {
		resp := app.Do(apitest.Req{Method: r.method, Path: r.path, Token: member.Token, Body: map[string]any{"name": "x", "user_id": member.ID}})
		if resp.Status != http.StatusForbidden || resp.Str("code") != "module_forbidden" {
			t.Errorf("%s %s without the module: %d %s", r.method, r.path, resp.Status, resp.Body)
		}
	}
	app.Get(cmPath(id), admin.Token).Expect(t, http.StatusOK) // the admin role passes everywhere
	app.Get(cmPath(id), "").Expect(t, http.StatusUnauthorized)
}
