package accessapp_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/memory/accessmem"
	"github.com/civicdatatrust/civictrust/application/accessapp"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// seeded returns an access service on memory repositories, with the built-in
// roles and modules, and a principal holding each built-in role.
func seeded(tb testing.TB) (*accessapp.Service, map[string]kernel.Principal) {
	tb.Helper()
	clock := &fakeClock{t: time.Date(2025, 9, 4, 18, 0, 0, 0, time.UTC)}
	roles := accessmem.NewRoleRepository()
	svc := accessapp.New(accessapp.Deps{Roles: roles, Modules: accessmem.NewModuleRepository(), Clock: clock}, 2*time.Second)
	ctx := context.Background()
	if err := svc.Seed(ctx); err != nil {
		tb.Fatal(err)
	}
	holders := map[string]kernel.Principal{}
	for _, name := range []string{kernel.AdminRoleName, "member"} {
		role, err := roles.GetByName(ctx, name)
		if err != nil {
			tb.Fatal(err)
		}
		holders[name] = kernel.Principal{UserID: "u", RoleIDs: []string{role.ID}}
	}
	return svc, holders
}

// Principals holding the same roles get the same access, and what one caller
// does with its slices does not reach the next.
func TestAuthorizeGivesEachCallerSlicesOfItsOwn(t *testing.T) {
	svc, holders := seeded(t)
	ctx := context.Background()
	caller := holders[kernel.AdminRoleName]
	first, err := svc.Authorize(ctx, caller)
	if err != nil {
		t.Fatal(err)
	}
	if !first.IsAdmin() || len(first.Modules) == 0 || !slices.IsSorted(first.Modules) {
		t.Fatalf("admin's access: roles %v, modules %v", first.RoleNames, first.Modules)
	}
	second, err := svc.Authorize(ctx, caller)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(second.Modules, first.Modules) || !slices.Equal(second.RoleNames, first.RoleNames) {
		t.Fatalf("the same roles gave %v %v, then %v %v", first.RoleNames, first.Modules, second.RoleNames, second.Modules)
	}
	// Each caller extends its own copy (as a handler adding to a list would).
	a, b := append(first.Modules, "a"), append(second.Modules, "b")
	ra, rb := append(first.RoleNames, "a"), append(second.RoleNames, "b")
	if a[len(a)-1] != "a" || b[len(b)-1] != "b" || ra[len(ra)-1] != "a" || rb[len(rb)-1] != "b" {
		t.Fatalf("one caller's append overwrote the other's: %v / %v, %v / %v", a, b, ra, rb)
	}
}
