package identityhttp_test

import (
	"net/http"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// TestUsers_last_active_admin: a disabled administrator cannot sign in, so it does
// not count when the last-admin rule decides whether an admin may be demoted,
// disabled or deleted.
func TestUsers_last_active_admin(t *testing.T) {
	app := apitest.Start(t)
	admin := app.Admin()
	adminRoleID := usrMe(t, app, admin.Access)["role"].(string)
	erin := usrNewMember(t, app, "Erin Admin", "erin@example.org")
	app.Put(usrPath(erin.ID), admin.Access, map[string]any{"role": adminRoleID}).Expect(t, http.StatusOK)
	app.Put(usrPath(erin.ID), admin.Access, map[string]any{"status": false}).Expect(t, http.StatusOK)

	t.Run("only_active_admin_cannot_lose_admin_while_a_disabled_one_holds_it", func(t *testing.T) {
		before := usrSnapshot(t, app, admin.Access, admin.UserID)
		usrError(t, app.Put(usrPath(admin.UserID), admin.Access, map[string]any{"role": "member"}), http.StatusConflict, "last_admin")
		usrError(t, app.Put(usrPath(admin.UserID), admin.Access, map[string]any{"status": false}), http.StatusConflict, "last_admin")
		usrError(t, app.Delete(usrPath(admin.UserID), admin.Access), http.StatusConflict, "last_admin")
		usrUnchanged(t, app, admin.Access, admin.UserID, before)
	})

	t.Run("disabled_admin_may_be_demoted_and_deleted", func(t *testing.T) {
		app.Put(usrPath(erin.ID), admin.Access, map[string]any{"role": "member"}).Expect(t, http.StatusOK)
		app.Put(usrPath(erin.ID), admin.Access, map[string]any{"role": adminRoleID}).Expect(t, http.StatusOK)
		r := app.Delete(usrPath(erin.ID), admin.Access)
		if r.Status != http.StatusNoContent {
			t.Fatalf("delete disabled admin: %d %s", r.Status, r.Body)
		}
	})
}
