package accesshttp_test

import (
	"net/http"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestSmoke_roles_and_modules(t *testing.T) {
	app := apitest.Start(t)
	admin := app.Admin()
	roles := app.Get("/api/v1/user-roles/", admin.Access).Expect(t, http.StatusOK).Array()
	if len(roles) != 2 {
		t.Fatalf("roles: %v", roles)
	}
	r := app.Post("/api/v1/user-roles", admin.Access, map[string]any{"name": "Editor"}).Expect(t, http.StatusCreated)
	editor := r.Str("id")
	app.Post("/api/v1/user-roles", admin.Access, map[string]any{"name": "editor"}).Expect(t, http.StatusConflict)
	m := app.Post("/api/v1/role-base-modules", admin.Access, map[string]any{"module_name": "reports", "user_roles": []string{editor}}).Expect(t, http.StatusCreated)
	data, _ := m.JSON()["data"].(map[string]any)
	id, _ := data["id"].(string)
	app.Get("/api/v1/role-base-modules?module_name=REP", admin.Access).Expect(t, http.StatusOK)
	app.Get("/api/v1/role-base-modules?limit=101", admin.Access).Expect(t, http.StatusUnprocessableEntity)
	app.Put("/api/v1/role-base-modules/"+id+"/add-roles", admin.Access, map[string]any{"user_role_ids": []string{}}).Expect(t, http.StatusUnprocessableEntity)
	app.Delete("/api/v1/role-base-modules/"+id, admin.Access).Expect(t, http.StatusNoContent)
	member := app.Member("Mo")
	app.Get("/api/v1/user-roles", member.Access).Expect(t, http.StatusForbidden)
	c := app.Get("/api/v1/access/check?module=datasets", member.Access).Expect(t, http.StatusOK)
	if c.JSON()["allowed"] != true {
		t.Fatalf("check: %s", c.Body)
	}
	app.Post("/api/v1/user-roles/user/"+member.UserID+"/role/"+editor, admin.Access, nil).Expect(t, http.StatusCreated)
	app.Delete("/api/v1/user-roles/"+editor, admin.Access).Expect(t, http.StatusNoContent)
}
