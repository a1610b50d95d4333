package identityhttp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// TestUsers_operations walks every operation of the seed's users tag as the admin
// and as a member on their own record.
func TestUsers_operations(t *testing.T) {
	app := apitest.Start(t)
	admin := app.Admin()
	adminRoleID := usrMe(t, app, admin.Access)["role"].(string)

	var members []usrAccount
	for i := range 5 {
		members = append(members, usrNewMember(t, app, fmt.Sprintf("Member %d", i), fmt.Sprintf("member%d@example.org", i)))
	}
	memberRoleID := usrMe(t, app, members[0].Access)["role"].(string)
	if memberRoleID == "" || memberRoleID == adminRoleID {
		t.Fatalf("member role id %q, admin role id %q", memberRoleID, adminRoleID)
	}
	const total = 6 // the bootstrap admin and five members

	t.Run("list_is_a_plain_array_with_total_on_both_paths", func(t *testing.T) {
		for _, path := range []string{usrBase + "/", usrBase} {
			r := app.Get(path, admin.Access).Expect(t, http.StatusOK)
			if !strings.HasPrefix(strings.TrimSpace(string(r.Body)), "[") {
				t.Fatalf("%s: body is not a JSON array: %.200s", path, r.Body)
			}
			users := r.Array()
			if len(users) != total {
				t.Errorf("%s: %d users, want %d", path, len(users), total)
			}
			if got := r.Header.Get("X-Total-Count"); got != fmt.Sprint(total) {
				t.Errorf("%s: X-Total-Count %q, want %d", path, got, total)
			}
			if r.Header.Get("Location") != "" || r.Status != http.StatusOK {
				t.Errorf("%s: redirected", path)
			}
			for _, u := range users {
				usrCheckUser(t, u)
			}
			usrNoSecrets(t, r.Body)
		}
	})

	t.Run("list_skip_and_limit_page_while_total_counts_all", func(t *testing.T) {
		all := app.Get(usrBase, admin.Access).Expect(t, http.StatusOK).Array()
		r := app.Get(usrBase+"?skip=2&limit=2", admin.Access).Expect(t, http.StatusOK)
		page := r.Array()
		if len(page) != 2 {
			t.Fatalf("%d users, want 2: %s", len(page), r.Body)
		}
		if got := r.Header.Get("X-Total-Count"); got != fmt.Sprint(total) {
			t.Errorf("X-Total-Count %q, want %d", got, total)
		}
		if page[0]["id"] != all[2]["id"] || page[1]["id"] != all[3]["id"] {
			t.Errorf("page %v %v, want items 2 and 3 of %v", page[0]["id"], page[1]["id"], all)
		}
		past := app.Get(usrBase+"?skip=100", admin.Access).Expect(t, http.StatusOK)
		if string(past.Body) != "[]" || past.Header.Get("X-Total-Count") != fmt.Sprint(total) {
			t.Errorf("skip past the end: %s (total %q), want [] with the total", past.Body, past.Header.Get("X-Total-Count"))
		}
	})

	t.Run("list_bad_paging_is_422", func(t *testing.T) {
		usr422(t, app.Get(usrBase+"?limit=abc", admin.Access), "int_parsing@query.limit")
		usr422(t, app.Get(usrBase+"/?skip=-1", admin.Access), "greater_than_equal@query.skip")
		usr422(t, app.Get(usrBase+"?skip=x&limit=y", admin.Access), "int_parsing@query.skip", "int_parsing@query.limit")
	})

	t.Run("get_admin_reads_anyone", func(t *testing.T) {
		r := app.Get(usrPath(members[1].ID), admin.Access).Expect(t, http.StatusOK)
		u := r.JSON()
		usrCheckUser(t, u)
		usrNoSecrets(t, r.Body)
		if u["id"] != members[1].ID || u["email"] != members[1].Email || u["name"] != "Member 1" || u["status"] != true || u["role"] != memberRoleID {
			t.Errorf("user %s", r.Body)
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", r.Header.Get("Cache-Control"))
		}
	})

	t.Run("get_member_reads_self", func(t *testing.T) {
		r := app.Get(usrPath(members[0].ID), members[0].Access).Expect(t, http.StatusOK)
		usrCheckUser(t, r.JSON())
		if r.Str("id") != members[0].ID {
			t.Errorf("got %s", r.Body)
		}
	})

	t.Run("get_unknown_or_malformed_id_is_404", func(t *testing.T) {
		for _, id := range []string{"0123456789abcdef01234567", "ffffffffffffffffffffffff", "nope", "ZZZZZZZZZZZZZZZZZZZZZZZZ", "0123456789abcdef0123456"} {
			usrError(t, app.Get(usrPath(id), admin.Access), http.StatusNotFound, "user_not_found")
			usrError(t, app.Put(usrPath(id), admin.Access, map[string]any{"name": "Nobody"}), http.StatusNotFound, "user_not_found")
			usrError(t, app.Delete(usrPath(id), admin.Access), http.StatusNotFound, "user_not_found")
		}
	})

	t.Run("put_admin_changes_name_email_status_and_role", func(t *testing.T) {
		m := members[2]
		before := app.Get(usrPath(m.ID), admin.Access).Expect(t, http.StatusOK).JSON()
		r := app.Put(usrPath(m.ID), admin.Access, map[string]any{
			"name": "  Renamed Person  ", "email": "Renamed.Person@Example.ORG",
		}).Expect(t, http.StatusOK)
		u := r.JSON()
		usrCheckUser(t, u)
		usrNoSecrets(t, r.Body)
		if u["name"] != "Renamed Person" || u["email"] != "renamed.person@example.org" {
			t.Errorf("name/email not applied (trimmed, lower-cased): %s", r.Body)
		}
		if u["status"] != true || u["role"] != memberRoleID || u["created_at"] != before["created_at"] || u["id"] != m.ID {
			t.Errorf("untouched fields changed: %s", r.Body)
		}
		if u["updated_at"].(string) < before["updated_at"].(string) {
			t.Errorf("updated_at went back: %v → %v", before["updated_at"], u["updated_at"])
		}
		// The answer is what is stored.
		if got := app.Get(usrPath(m.ID), admin.Access).Expect(t, http.StatusOK).JSON(); !reflect.DeepEqual(got, u) {
			t.Errorf("GET after PUT %v, PUT answered %v", got, u)
		}
		// The new email signs in; the old one no longer does.
		if s := usrLoginStatus(app, "renamed.person@example.org", m.Password); s != http.StatusOK {
			t.Errorf("login with the new email: %d", s)
		}
		if s := usrLoginStatus(app, m.Email, m.Password); s != http.StatusUnauthorized {
			t.Errorf("login with the old email: %d, want 401", s)
		}

		// Role by id, then by name.
		r = app.Put(usrPath(m.ID), admin.Access, map[string]any{"role": memberRoleID + "," + adminRoleID}).Expect(t, http.StatusOK)
		if r.Str("role") != memberRoleID+","+adminRoleID {
			t.Errorf("role by ids: %s", r.Body)
		}
		usrCheckUser(t, r.JSON())
		r = app.Put(usrPath(m.ID), admin.Access, map[string]any{"role": "MEMBER"}).Expect(t, http.StatusOK)
		if r.Str("role") != memberRoleID {
			t.Errorf("role by name: %s", r.Body)
		}
		usr422(t, app.Put(usrPath(m.ID), admin.Access, map[string]any{"role": "no-such-role"}), "value_error@body.role")
		usr422(t, app.Put(usrPath(m.ID), admin.Access, map[string]any{"role": " , "}), "value_error@body.role")

		// Status off, then on again (accepted as the seed's boolean).
		r = app.Put(usrPath(m.ID), admin.Access, map[string]any{"status": false}).Expect(t, http.StatusOK)
		if r.JSON()["status"] != false {
			t.Errorf("status false not applied: %s", r.Body)
		}
		r = app.Put(usrPath(m.ID), admin.Access, map[string]any{"status": true}).Expect(t, http.StatusOK)
		if r.JSON()["status"] != true {
			t.Errorf("status true not applied: %s", r.Body)
		}

		// An empty object or nulls change nothing but are fine.
		snap := usrSnapshot(t, app, admin.Access, m.ID)
		app.Put(usrPath(m.ID), admin.Access, map[string]any{"name": nil, "email": nil, "status": nil, "role": nil}).Expect(t, http.StatusOK)
		cur := app.Get(usrPath(m.ID), admin.Access).JSON()
		old := map[string]any{}
		_ = json.Unmarshal([]byte(snap), &old)
		delete(cur, "updated_at")
		delete(old, "updated_at")
		if !reflect.DeepEqual(cur, old) {
			t.Errorf("null fields changed the user: %v → %v", old, cur)
		}
	})

	t.Run("put_email_of_another_user_is_409", func(t *testing.T) {
		before := usrSnapshot(t, app, admin.Access, members[3].ID)
		usrError(t, app.Put(usrPath(members[3].ID), admin.Access, map[string]any{"email": members[4].Email}), http.StatusConflict, "email_taken")
		usrError(t, app.Put(usrPath(members[3].ID), admin.Access, map[string]any{"email": strings.ToUpper(members[4].Email)}), http.StatusConflict, "email_taken")
		usrError(t, app.Put(usrPath(members[3].ID), members[3].Access, map[string]any{"email": apitest.AdminEmail, "current_password": usrPassword}), http.StatusConflict, "email_taken")
		usrUnchanged(t, app, admin.Access, members[3].ID, before)
		// Both owners still sign in with their own email.
		if s := usrLoginStatus(app, members[4].Email, usrPassword); s != http.StatusOK {
			t.Errorf("owner of the email: login %d", s)
		}
		if s := usrLoginStatus(app, members[3].Email, usrPassword); s != http.StatusOK {
			t.Errorf("refused user: login %d", s)
		}
	})

	t.Run("put_invalid_values_are_422_all_at_once", func(t *testing.T) {
		id := members[3].ID
		before := usrSnapshot(t, app, admin.Access, id)
		usr422(t, app.Put(usrPath(id), admin.Access, map[string]any{"name": "A"}), "string_too_short@body.name")
		usr422(t, app.Put(usrPath(id), admin.Access, map[string]any{"name": "   "}), "string_too_short@body.name")
		usr422(t, app.Put(usrPath(id), admin.Access, map[string]any{"name": strings.Repeat("n", 101)}), "string_too_long@body.name")
		usr422(t, app.Put(usrPath(id), admin.Access, map[string]any{"email": "not-an-email"}), "value_error@body.email")
		usr422(t, app.Put(usrPath(id), admin.Access, map[string]any{"status": "maybe"}), "bool_parsing@body.status")
		usr422(t, app.Put(usrPath(id), admin.Access, map[string]any{"name": "A", "email": "x@", "status": "maybe"}),
			"string_too_short@body.name", "value_error@body.email", "bool_parsing@body.status")
		usrUnchanged(t, app, admin.Access, id, before)
	})

	t.Run("delete_is_204_then_404_revokes_sessions_and_frees_email", func(t *testing.T) {
		m := members[4]
		extra := app.Login(m.Email, m.Password) // a second session
		r := app.Delete(usrPath(m.ID), admin.Access)
		if r.Status != http.StatusNoContent || len(r.Body) != 0 {
			t.Fatalf("delete: %d %q, want 204 with an empty body", r.Status, r.Body)
		}
		usrError(t, app.Get(usrPath(m.ID), admin.Access), http.StatusNotFound, "user_not_found")
		usrError(t, app.Delete(usrPath(m.ID), admin.Access), http.StatusNotFound, "user_not_found")
		usrError(t, app.Get("/api/v1/auth/me", m.Access), http.StatusUnauthorized, "")
		usrError(t, app.Get("/api/v1/auth/me", extra.Access), http.StatusUnauthorized, "")
		usrError(t, app.Post("/api/v1/auth/refresh", "", map[string]any{"refresh_token": extra.Refresh}), http.StatusUnauthorized, "")
		if s := usrLoginStatus(app, m.Email, m.Password); s != http.StatusUnauthorized {
			t.Errorf("deleted user login: %d, want 401", s)
		}
		if n := usrListCount(t, app, admin.Access); n != total-1 {
			t.Errorf("%d users after delete, want %d", n, total-1)
		}
		again := app.Signup("Member Again", m.Email, usrPassword)
		if again == "" || again == m.ID {
			t.Errorf("re-signup id %q (old %q)", again, m.ID)
		}
		app.Login(m.Email, usrPassword)
	})
}
