package accesshttp_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// The seed's user-roles operations (plain arrays and objects, no envelope) plus
// the added POST /user-roles/user/{user_id}/role/{role_id}.
func TestUserRoles(t *testing.T) {
	t.Parallel()
	app, admin, adminRole, memberRole := accStartSeeded(t)

	t.Run("list_is_a_plain_array_of_the_seeded_roles", func(t *testing.T) {
		for _, path := range []string{accRoles, accRoles + "/"} {
			roles := app.Get(path, admin.Access).Expect(t, http.StatusOK).Array()
			names := accNames(roles, "name")
			if !slices.Contains(names, "admin") || !slices.Contains(names, "member") {
				t.Errorf("GET %s: names %v, want admin and member", path, names)
			}
			for _, r := range roles {
				if id, _ := r["id"].(string); !apitest.IDRE.MatchString(id) {
					t.Errorf("role id %v", r["id"])
				}
				if r["name"] == "member" && r["self_assignable"] != true {
					t.Errorf("member is not self-assignable: %v", r)
				}
				if r["name"] == "admin" && r["self_assignable"] != false {
					t.Errorf("admin is self-assignable: %v", r)
				}
			}
		}
	})

	t.Run("create_answers_201_with_the_role_and_lists_it", func(t *testing.T) {
		r := app.Post(accRoles+"/", admin.Access, map[string]any{"name": "  Curator  ", "self_assignable": true}).
			Expect(t, http.StatusCreated)
		j := r.JSON()
		if j["name"] != "Curator" || j["self_assignable"] != true {
			t.Errorf("created role %s: want name Curator (trimmed), self_assignable true", r.Body)
		}
		for _, k := range []string{"created_at", "updated_at"} {
			if s, _ := j[k].(string); !apitest.TimeRE.MatchString(s) {
				t.Errorf("%s = %v", k, j[k])
			}
		}
		id := r.Str("id")
		if !slices.Contains(accIDs(app.Get(accRoles, admin.Access).Array()), id) {
			t.Errorf("created role %s is not listed", id)
		}
	})

	t.Run("role_names_are_unique_ignoring_case", func(t *testing.T) {
		accCreateRole(t, app, admin.Access, "Reviewer")
		for _, name := range []string{"Reviewer", "reviewer", "REVIEWER", " reviewer "} {
			r := app.Post(accRoles, admin.Access, map[string]any{"name": name}).Expect(t, http.StatusConflict)
			if accDetail(r) == "" {
				t.Errorf("409 without detail: %s", r.Body)
			}
		}
		for _, name := range []string{"ADMIN", "Member"} {
			app.Post(accRoles, admin.Access, map[string]any{"name": name}).Expect(t, http.StatusConflict)
		}
	})

	t.Run("create_validates_the_body", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			body any
			loc  []any
		}{
			{"missing_name", map[string]any{}, []any{"body", "name"}},
			{"empty_name", map[string]any{"name": ""}, []any{"body", "name"}},
			{"blank_name", map[string]any{"name": "   "}, []any{"body", "name"}},
			{"name_not_a_string", map[string]any{"name": 7}, []any{"body", "name"}},
			{"name_with_a_comma", map[string]any{"name": "a,b"}, []any{"body", "name"}},
			{"name_over_50", map[string]any{"name": strings.Repeat("n", 51)}, []any{"body", "name"}},
			{"self_assignable_not_a_bool", map[string]any{"name": "okname", "self_assignable": "maybe"}, []any{"body", "self_assignable"}},
			{"not_json", "{", []any{"body"}},
			{"not_an_object", []string{"x"}, []any{"body"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				accWant422(t, app.Post(accRoles, admin.Access, tc.body), tc.loc...)
			})
		}
		if slices.Contains(accNames(app.Get(accRoles, admin.Access).Array(), "name"), "okname") {
			t.Errorf("a refused role was created")
		}
	})

	t.Run("update_renames_and_keeps_names_unique", func(t *testing.T) {
		id := accCreateRole(t, app, admin.Access, "Drafter")
		accCreateRole(t, app, admin.Access, "Taken")
		r := app.Put(accRoles+"/"+id, admin.Access, map[string]any{"name": "Writer", "self_assignable": true}).Expect(t, http.StatusOK)
		if r.Str("id") != id || r.Str("name") != "Writer" || r.JSON()["self_assignable"] != true {
			t.Errorf("updated role %s", r.Body)
		}
		// Its own name in another case is not a conflict.
		app.Put(accRoles+"/"+id, admin.Access, map[string]any{"name": "WRITER"}).Expect(t, http.StatusOK)
		for _, name := range []string{"Taken", "taken", "admin", "MEMBER"} {
			app.Put(accRoles+"/"+id, admin.Access, map[string]any{"name": name}).Expect(t, http.StatusConflict)
		}
		names := accNames(app.Get(accRoles, admin.Access).Array(), "name")
		if !slices.Contains(names, "WRITER") || slices.Contains(names, "Drafter") {
			t.Errorf("names after the renames: %v", names)
		}
		accWant422(t, app.Put(accRoles+"/"+id, admin.Access, map[string]any{"name": ""}), "body", "name")
		accWant422(t, app.Put(accRoles+"/"+id, admin.Access, map[string]any{}), "body", "name")
	})

	t.Run("admin_can_be_neither_renamed_nor_deleted", func(t *testing.T) {
		for _, name := range []string{"root", "Admin", "ADMIN"} {
			r := app.Put(accRoles+"/"+adminRole, admin.Access, map[string]any{"name": name}).Expect(t, http.StatusConflict)
			if accCode(r) != "admin_role_immutable" {
				t.Errorf("rename admin to %q: %s", name, r.Body)
			}
		}
		app.Put(accRoles+"/"+adminRole, admin.Access, map[string]any{"name": "admin", "self_assignable": true}).
			Expect(t, http.StatusConflict)
		r := app.Delete(accRoles+"/"+adminRole, admin.Access).Expect(t, http.StatusConflict)
		if accCode(r) != "admin_role_immutable" {
			t.Errorf("delete admin: %s", r.Body)
		}
		if accRoleIDByName(t, app, admin.Access, "admin") != adminRole {
			t.Errorf("the admin role changed")
		}
		// Its own name again is a harmless update.
		app.Put(accRoles+"/"+adminRole, admin.Access, map[string]any{"name": "admin"}).Expect(t, http.StatusOK)
	})

	t.Run("unknown_and_malformed_ids_are_404", func(t *testing.T) {
		member := app.Member("Nia")
		for _, bad := range apitest.BadIDs() {
			for _, tc := range []struct {
				method, path string
				body         any
			}{
				{http.MethodPut, accRoles + "/" + bad, map[string]any{"name": "Fresh"}},
				{http.MethodDelete, accRoles + "/" + bad, nil},
				{http.MethodGet, accRoles + "/role/" + bad, nil},
				{http.MethodGet, accRoles + "/user/" + bad, nil},
				{http.MethodPost, accRoles + "/user/" + bad + "/role/" + memberRole, nil},
				{http.MethodPost, accRoles + "/user/" + member.UserID + "/role/" + bad, nil},
				{http.MethodDelete, accRoles + "/user/" + bad + "/role/" + memberRole, nil},
				{http.MethodDelete, accRoles + "/user/" + member.UserID + "/role/" + bad, nil},
			} {
				r := app.Do(apitest.Req{Method: tc.method, Path: tc.path, Token: admin.Access, Body: tc.body})
				if r.Status != http.StatusNotFound || accDetail(r) == "" {
					t.Errorf("%s %s → %d %s, want 404 with detail", tc.method, tc.path, r.Status, r.Body)
				}
			}
		}
		porttestkit.SameStrings(t, "member's roles", accRolesOf(t, app, admin.Access, member.UserID), []string{memberRole})
	})

	t.Run("roles_of_a_user_and_holders_of_a_role", func(t *testing.T) {
		m1 := app.Member("Ola")
		m2 := app.Member("Pim")
		editor := accCreateRole(t, app, admin.Access, "Editor")

		roles := app.Get(accRoles+"/user/"+m1.UserID, admin.Access).Expect(t, http.StatusOK).Array()
		if len(roles) != 1 || roles[0]["id"] != memberRole || roles[0]["name"] != "member" {
			t.Errorf("roles of a new member: %v", roles)
		}
		adminRoles := app.Get(accRoles+"/user/"+admin.UserID, admin.Access).Expect(t, http.StatusOK).Array()
		if !slices.Contains(accNames(adminRoles, "name"), "admin") {
			t.Errorf("roles of the admin: %v", adminRoles)
		}

		holders := app.Get(accRoles+"/role/"+editor, admin.Access).Expect(t, http.StatusOK).Array()
		if len(holders) != 0 {
			t.Errorf("holders of a new role: %v", holders)
		}
		for _, m := range []apitest.Tokens{m1, m2} {
			app.Post(accRoles+"/user/"+m.UserID+"/role/"+editor, admin.Access, nil).Expect(t, http.StatusCreated)
		}
		holders = app.Get(accRoles+"/role/"+editor, admin.Access).Expect(t, http.StatusOK).Array()
		porttestkit.SameStrings(t, "holder ids", accIDs(holders), accSorted(m1.UserID, m2.UserID))
		porttestkit.SameStrings(t, "holder names", accNames(holders, "name"), []string{"Ola", "Pim"})
		for _, h := range holders {
			if len(h) != 2 {
				t.Errorf("holder %v: want exactly {id, name}", h)
			}
		}
		memberHolders := accIDs(app.Get(accRoles+"/role/"+memberRole, admin.Access).Expect(t, http.StatusOK).Array())
		if !slices.Contains(memberHolders, m1.UserID) || slices.Contains(memberHolders, admin.UserID) {
			t.Errorf("holders of member: %v", memberHolders)
		}
	})

	t.Run("assign_answers_201_and_shows_in_both_views", func(t *testing.T) {
		m := app.Member("Quin")
		steward := accCreateRole(t, app, admin.Access, "Steward")
		r := app.Post(accRoles+"/user/"+m.UserID+"/role/"+steward, admin.Access, nil).Expect(t, http.StatusCreated)
		got := r.Array()
		porttestkit.SameStrings(t, "assign answer", accIDs(got), accSorted(memberRole, steward))
		porttestkit.SameStrings(t, "GET /user-roles/user", accRolesOf(t, app, admin.Access, m.UserID), accSorted(memberRole, steward))
		porttestkit.SameStrings(t, "user role field", accUserRoleField(t, app, admin.Access, m.UserID), accSorted(memberRole, steward))

		// Assigning again never gives the role twice.
		again := app.Post(accRoles+"/user/"+m.UserID+"/role/"+steward, admin.Access, nil)
		if again.Status != http.StatusCreated && again.Status != http.StatusConflict {
			t.Errorf("second assign → %d %s, want 201 (idempotent) or 409", again.Status, again.Body)
		}
		porttestkit.SameStrings(t, "after a second assign", accRolesOf(t, app, admin.Access, m.UserID), accSorted(memberRole, steward))
	})

	t.Run("unassign_answers_204_then_404", func(t *testing.T) {
		m := app.Member("Rae")
		scout := accCreateRole(t, app, admin.Access, "Scout")
		app.Post(accRoles+"/user/"+m.UserID+"/role/"+scout, admin.Access, nil).Expect(t, http.StatusCreated)
		app.Delete(accRoles+"/user/"+m.UserID+"/role/"+scout, admin.Access).Expect(t, http.StatusNoContent)
		porttestkit.SameStrings(t, "roles after unassign", accRolesOf(t, app, admin.Access, m.UserID), []string{memberRole})
		porttestkit.SameStrings(t, "role field after unassign", accUserRoleField(t, app, admin.Access, m.UserID), []string{memberRole})
		r := app.Delete(accRoles+"/user/"+m.UserID+"/role/"+scout, admin.Access).Expect(t, http.StatusNotFound)
		if accDetail(r) == "" {
			t.Errorf("404 without detail")
		}
		if slices.Contains(accIDs(app.Get(accRoles+"/role/"+scout, admin.Access).Array()), m.UserID) {
			t.Errorf("still listed as a holder")
		}
	})

	t.Run("the_last_admin_keeps_the_role", func(t *testing.T) {
		r := app.Delete(accRoles+"/user/"+admin.UserID+"/role/"+adminRole, admin.Access).Expect(t, http.StatusConflict)
		if accCode(r) != "last_admin" {
			t.Fatalf("unassign the last admin: %s, want code last_admin", r.Body)
		}
		// With a second admin, the first may step down; then the second is the last.
		second := app.Member("Sol")
		app.Post(accRoles+"/user/"+second.UserID+"/role/"+adminRole, admin.Access, nil).Expect(t, http.StatusCreated)
		app.Delete(accRoles+"/user/"+admin.UserID+"/role/"+adminRole, admin.Access).Expect(t, http.StatusNoContent)
		// second's token obtained before the promotion now carries admin.
		r = app.Delete(accRoles+"/user/"+second.UserID+"/role/"+adminRole, second.Access).Expect(t, http.StatusConflict)
		if accCode(r) != "last_admin" {
			t.Errorf("unassign the new last admin: %s", r.Body)
		}
		// Restore for the other subtests.
		// The stepped-down admin lost its access at once.
		app.Get(accRoles, admin.Access).Expect(t, http.StatusForbidden)
		app.Post(accRoles+"/user/"+admin.UserID+"/role/"+adminRole, second.Access, nil).Expect(t, http.StatusCreated)
		app.Get(accRoles, admin.Access).Expect(t, http.StatusOK)
	})

	t.Run("delete_role_removes_it_from_every_user_and_module", func(t *testing.T) {
		m1 := app.Member("Tam")
		m2 := app.Member("Uma")
		temp := accCreateRole(t, app, admin.Access, "Temporary")
		keep := accCreateRole(t, app, admin.Access, "Keeper")
		for _, m := range []apitest.Tokens{m1, m2} {
			for _, role := range []string{temp, keep} {
				app.Post(accRoles+"/user/"+m.UserID+"/role/"+role, admin.Access, nil).Expect(t, http.StatusCreated)
			}
		}
		withTemp := accCreateModule(t, app, admin.Access, "tmp-a", temp, keep)
		onlyTemp := accCreateModule(t, app, admin.Access, "tmp-b", temp)
		usersModule := accModuleIDByName(t, app, admin.Access, "users")
		app.Put(accModules+"/"+usersModule+"/add-roles", admin.Access, map[string]any{"user_role_ids": []string{temp}}).
			Expect(t, http.StatusOK)

		app.Delete(accRoles+"/"+temp, admin.Access).Expect(t, http.StatusNoContent)

		for _, m := range []apitest.Tokens{m1, m2} {
			porttestkit.SameStrings(t, "roles of "+m.UserID, accRolesOf(t, app, admin.Access, m.UserID), accSorted(memberRole, keep))
			porttestkit.SameStrings(t, "role field of "+m.UserID, accUserRoleField(t, app, admin.Access, m.UserID), accSorted(memberRole, keep))
		}
		porttestkit.SameStrings(t, "module tmp-a", accModuleRoles(t, app, admin.Access, withTemp), []string{keep})
		porttestkit.SameStrings(t, "module tmp-b", accModuleRoles(t, app, admin.Access, onlyTemp), nil)
		if slices.Contains(accModuleRoles(t, app, admin.Access, usersModule), temp) {
			t.Errorf("module users still lists the deleted role")
		}
		listed := accList(t, app.Get(accModules+"?user_role_id="+temp, admin.Access).Expect(t, http.StatusOK))
		if len(listed) != 0 {
			t.Errorf("modules still listing the deleted role: %v", listed)
		}
		if slices.Contains(accIDs(app.Get(accRoles, admin.Access).Array()), temp) {
			t.Errorf("deleted role still listed")
		}
		app.Get(accRoles+"/role/"+temp, admin.Access).Expect(t, http.StatusNotFound)
		app.Delete(accRoles+"/"+temp, admin.Access).Expect(t, http.StatusNotFound)
		app.Put(accRoles+"/"+temp, admin.Access, map[string]any{"name": "Back"}).Expect(t, http.StatusNotFound)
		app.Post(accRoles+"/user/"+m1.UserID+"/role/"+temp, admin.Access, nil).Expect(t, http.StatusNotFound)
		// The name is free again.
		accCreateRole(t, app, admin.Access, "temporary")
	})
}

// Two admins taking admin from each other at the same moment must not leave
// the service without one.
func TestUserRoles_last_admin_survives_concurrent_unassigns(t *testing.T) {
	t.Parallel()
	app := apitest.Start(t)
	admin := app.Admin()
	adminRole := accRoleIDByName(t, app, admin.Access, "admin")
	const rounds = 5
	for round := range rounds {
		second := app.Member(fmt.Sprintf("Deputy %d", round))
		app.Post(accRoles+"/user/"+second.UserID+"/role/"+adminRole, admin.Access, nil).Expect(t, http.StatusCreated)
		pairs := [][2]string{{admin.Access, second.UserID}, {second.Access, admin.UserID}} // who demotes whom
		statuses := porttestkit.AtOnce(len(pairs), func(i int) int {
			return accRawDelete(app, accRoles+"/user/"+pairs[i][1]+"/role/"+adminRole, pairs[i][0])
		})
		// Read as whichever of the two is still an admin.
		var holders []map[string]any
		for _, tok := range []string{admin.Access, second.Access} {
			if r := app.Get(accRoles+"/role/"+adminRole, tok); r.Status == http.StatusOK {
				holders = r.Array()
				break
			}
		}
		if len(holders) == 0 {
			t.Fatalf("round %d: statuses %v: no admin left", round, statuses)
		}
		ok := 0
		for _, s := range statuses {
			if s == http.StatusNoContent {
				ok++
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: statuses %v, want exactly one 204 and one 409", round, statuses)
		}
		// Keep the bootstrap admin as the admin for the next round.
		if holders[0]["id"] != admin.UserID {
			app.Post(accRoles+"/user/"+admin.UserID+"/role/"+adminRole, second.Access, nil).Expect(t, http.StatusCreated)
			app.Delete(accRoles+"/user/"+second.UserID+"/role/"+adminRole, admin.Access).Expect(t, http.StatusNoContent)
		}
	}
}

// accRawDelete sends a DELETE from any goroutine and returns the status.
func accRawDelete(app *apitest.App, path, token string) int {
	req, err := http.NewRequest(http.MethodDelete, app.BaseURL+path, nil)
	if err != nil {
		return -1
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := app.Client.Do(req)
	if err != nil {
		return -1
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}
