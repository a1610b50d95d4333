package identityhttp_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// TestUsers_security shows who may do what with user records.
func TestUsers_security(t *testing.T) {
	app := apitest.Start(t)
	admin := app.Admin()
	adminRoleID := usrMe(t, app, admin.Access)["role"].(string)
	alice := usrNewMember(t, app, "Alice Member", "alice@example.org")
	bob := usrNewMember(t, app, "Bob Member", "bob@example.org")
	memberRoleID := usrMe(t, app, alice.Access)["role"].(string)

	t.Run("signup_cannot_obtain_admin", func(t *testing.T) {
		before := usrListCount(t, app, admin.Access)
		for i, role := range []string{"admin", "ADMIN", " Admin ", adminRoleID, "member,admin", "member," + adminRoleID, "admin,member"} {
			email := "climber" + string(rune('a'+i)) + "@example.org"
			r := app.Post("/api/v1/auth/signup", "", map[string]any{
				"name": "Role Climber", "email": email, "password": usrPassword, "role": role,
			})
			usrError(t, r, http.StatusForbidden, "role_not_self_assignable")
			if s := usrLoginStatus(app, email, usrPassword); s != http.StatusUnauthorized {
				t.Errorf("role %q: the refused user can sign in (%d)", role, s)
			}
		}
		if after := usrListCount(t, app, admin.Access); after != before {
			t.Errorf("refused sign-ups created users: %d → %d", before, after)
		}
	})

	t.Run("member_cannot_read_change_or_delete_another_user", func(t *testing.T) {
		before := usrSnapshot(t, app, admin.Access, bob.ID)
		usrError(t, app.Get(usrPath(bob.ID), alice.Access), http.StatusForbidden, "")
		for _, body := range []map[string]any{
			{"name": "Hijacked"},
			{"email": "hijack@example.org"},
			{"status": false},
			{"role": "admin"},
			{},
		} {
			usrError(t, app.Put(usrPath(bob.ID), alice.Access, body), http.StatusForbidden, "")
		}
		usrError(t, app.Delete(usrPath(bob.ID), alice.Access), http.StatusForbidden, "")
		usrError(t, app.Delete(usrPath(admin.UserID), alice.Access), http.StatusForbidden, "")
		usrUnchanged(t, app, admin.Access, bob.ID, before)
		if s := usrLoginStatus(app, bob.Email, bob.Password); s != http.StatusOK {
			t.Errorf("bob can no longer sign in: %d", s)
		}
		// A foreign id that does not exist is no different for a member.
		usrError(t, app.Get(usrPath("0123456789abcdef01234567"), alice.Access), http.StatusForbidden, "")
	})

	t.Run("member_cannot_change_own_role_or_status", func(t *testing.T) {
		before := usrSnapshot(t, app, admin.Access, alice.ID)
		for _, body := range []map[string]any{
			{"role": "admin"},
			{"role": "ADMIN"},
			{"role": adminRoleID},
			{"role": memberRoleID + "," + adminRoleID},
			{"role": "member"}, // even "no change" needs the users module
			{"status": false},
			{"status": true},
			{"name": "Sneaky Name", "role": "admin"}, // and nothing of a refused request is applied
			{"email": "sneaky@example.org", "status": true},
		} {
			usrError(t, app.Put(usrPath(alice.ID), alice.Access, body), http.StatusForbidden, "forbidden_user_field")
		}
		usrUnchanged(t, app, admin.Access, alice.ID, before)
		me := usrMe(t, app, alice.Access)
		if me["role"] != memberRoleID {
			t.Errorf("alice's role changed: %v", me["role"])
		}
		// Still no admin powers.
		usrError(t, app.Get(usrBase, alice.Access), http.StatusForbidden, "")
	})

	t.Run("member_changes_own_name_and_email", func(t *testing.T) {
		r := app.Put(usrPath(alice.ID), alice.Access, map[string]any{
			"name": "Alice Renamed", "email": "Alice.New@Example.org", "current_password": alice.Password,
			"status": nil, "role": nil, // a client sending the whole UserUpdate with nulls
		}).Expect(t, http.StatusOK)
		u := r.JSON()
		usrCheckUser(t, u)
		if u["name"] != "Alice Renamed" || u["email"] != "alice.new@example.org" || u["role"] != memberRoleID || u["status"] != true {
			t.Errorf("self update: %s", r.Body)
		}
		alice.Email = "alice.new@example.org"
		// The session survives a self-service change.
		if me := usrMe(t, app, alice.Access); me["email"] != alice.Email {
			t.Errorf("me after self update: %v", me)
		}
		if s := usrLoginStatus(app, alice.Email, alice.Password); s != http.StatusOK {
			t.Errorf("login with the new email: %d", s)
		}
	})

	t.Run("member_listing_users_is_403", func(t *testing.T) {
		for _, p := range []string{usrBase, usrBase + "/", usrBase + "?skip=0&limit=1"} {
			usrError(t, app.Get(p, bob.Access), http.StatusForbidden, "module_forbidden")
		}
	})

	t.Run("anonymous_is_401_on_every_users_route", func(t *testing.T) {
		for _, rq := range []apitest.Req{
			{Method: http.MethodGet, Path: usrBase},
			{Method: http.MethodGet, Path: usrBase + "/"},
			{Method: http.MethodGet, Path: usrPath(bob.ID)},
			{Method: http.MethodGet, Path: usrPath("nope")},
			{Method: http.MethodPut, Path: usrPath(bob.ID), Body: map[string]any{"name": "Anon Change"}},
			{Method: http.MethodPut, Path: usrPath(bob.ID), Body: `{"name":`},
			{Method: http.MethodDelete, Path: usrPath(bob.ID)},
			{Method: http.MethodDelete, Path: usrPath(admin.UserID)},
		} {
			r := app.Do(rq)
			usrError(t, r, http.StatusUnauthorized, "not_authenticated")
		}
		if s := usrLoginStatus(app, bob.Email, bob.Password); s != http.StatusOK {
			t.Errorf("bob after anonymous attempts: login %d", s)
		}
	})

	t.Run("last_admin_cannot_delete_self_nor_lose_admin", func(t *testing.T) {
		before := usrSnapshot(t, app, admin.Access, admin.UserID)
		usrError(t, app.Delete(usrPath(admin.UserID), admin.Access), http.StatusConflict, "last_admin")
		usrError(t, app.Put(usrPath(admin.UserID), admin.Access, map[string]any{"role": "member"}), http.StatusConflict, "last_admin")
		usrError(t, app.Put(usrPath(admin.UserID), admin.Access, map[string]any{"role": memberRoleID}), http.StatusConflict, "last_admin")
		usrError(t, app.Put(usrPath(admin.UserID), admin.Access, map[string]any{"status": false}), http.StatusConflict, "last_admin")
		usrUnchanged(t, app, admin.Access, admin.UserID, before)
		// The admin can still rename themselves and keep the role.
		app.Put(usrPath(admin.UserID), admin.Access, map[string]any{"name": "Chief Admin", "role": "admin,member"}).Expect(t, http.StatusOK)
		if me := usrMe(t, app, admin.Access); me["name"] != "Chief Admin" || !strings.Contains(me["role"].(string), adminRoleID) {
			t.Errorf("admin after rename: %v", me)
		}
		usrListCount(t, app, admin.Access) // still an admin
	})

	t.Run("admin_disabling_a_user_revokes_their_sessions_at_once", func(t *testing.T) {
		carol := usrNewMember(t, app, "Carol Member", "carol@example.org")
		second := app.Login(carol.Email, carol.Password)
		// Warm the authentication cache so that revocation must evict it.
		app.Get(usrPath(carol.ID), carol.Access).Expect(t, http.StatusOK)
		r := app.Put(usrPath(carol.ID), admin.Access, map[string]any{"status": false}).Expect(t, http.StatusOK)
		if r.JSON()["status"] != false {
			t.Fatalf("status: %s", r.Body)
		}
		usrError(t, app.Get(usrPath(carol.ID), carol.Access), http.StatusUnauthorized, "")
		usrError(t, app.Get("/api/v1/auth/me", second.Access), http.StatusUnauthorized, "")
		usrError(t, app.Post("/api/v1/auth/refresh", "", map[string]any{"refresh_token": second.Refresh}), http.StatusUnauthorized, "")
		usrError(t, app.Post("/api/v1/auth/login", "", map[string]any{"email": carol.Email, "password": carol.Password}), http.StatusForbidden, "account_disabled")
		// Enabling again lets them sign in, but the old sessions stay dead.
		app.Put(usrPath(carol.ID), admin.Access, map[string]any{"status": true}).Expect(t, http.StatusOK)
		usrError(t, app.Get("/api/v1/auth/me", carol.Access), http.StatusUnauthorized, "")
		app.Login(carol.Email, carol.Password)
	})

	t.Run("second_admin_can_be_demoted_then_last_admin_rule_applies_again", func(t *testing.T) {
		app.Put(usrPath(bob.ID), admin.Access, map[string]any{"role": adminRoleID}).Expect(t, http.StatusOK)
		bobTok := app.Login(bob.Email, bob.Password)
		usrListCount(t, app, bobTok.Access) // bob is an admin now
		r := app.Put(usrPath(bob.ID), bobTok.Access, map[string]any{"role": "member"}).Expect(t, http.StatusOK)
		if r.Str("role") != memberRoleID {
			t.Errorf("bob demoted himself: %s", r.Body)
		}
		// The role change takes effect on bob's live session at once.
		usrError(t, app.Get(usrBase, bobTok.Access), http.StatusForbidden, "")
		usrError(t, app.Delete(usrPath(admin.UserID), admin.Access), http.StatusConflict, "last_admin")
	})

	t.Run("member_deletes_self", func(t *testing.T) {
		r := app.Delete(usrPath(alice.ID), alice.Access)
		if r.Status != http.StatusNoContent || len(r.Body) != 0 {
			t.Fatalf("self delete: %d %q", r.Status, r.Body)
		}
		usrError(t, app.Get(usrPath(alice.ID), alice.Access), http.StatusUnauthorized, "")
		usrError(t, app.Get(usrPath(alice.ID), admin.Access), http.StatusNotFound, "user_not_found")
		if s := usrLoginStatus(app, alice.Email, alice.Password); s != http.StatusUnauthorized {
			t.Errorf("deleted member login: %d", s)
		}
	})
}
