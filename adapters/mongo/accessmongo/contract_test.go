package accessmongo_test

import (
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/mongo/accessmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/accessport/accessporttest"
)

func TestRoleRepository(t *testing.T) {
	unfaithful := mongotest.Unfaithful{"update_rename_to_taken_name_is_conflict": mongotest.UpdateBreakingUniqueIndex}
	accessporttest.TestRoleRepository(t, func(t *testing.T) accessport.RoleRepository {
		unfaithful.Skip(t)
		return accessmongo.NewRoleRepository(mongotest.Indexed(t, append(identitymongo.Indexes(), accessmongo.Indexes()...)...))
	})
}

func TestModuleRepository(t *testing.T) {
	unfaithful := mongotest.Unfaithful{
		"rename_to_a_taken_name_ignoring_case_is_refused":                     mongotest.UpdateBreakingUniqueIndex,
		"concurrent_add_roles_all_land":                                       mongotest.TwoStepUpdates,
		"concurrent_add_and_remove_of_different_roles_do_not_lose_each_other": mongotest.TwoStepUpdates,
	}
	accessporttest.TestModuleRepository(t, func(t *testing.T) accessport.ModuleRepository {
		unfaithful.Skip(t)
		return accessmongo.NewModuleRepository(mongotest.Indexed(t, accessmongo.Indexes()...))
	})
}

// The application makes every identifier: one this store cannot hold is a
// bug (an internal error), not a client's "not found".
func TestCreateWithAMalformedIDIsAnInternalError(t *testing.T) {
	db := mongotest.Indexed(t, accessmongo.Indexes()...)
	ctx := t.Context()
	now := time.Now().UTC()
	for _, id := range []string{"", "nope"} {
		if err := accessmongo.NewRoleRepository(db).Create(ctx, &access.Role{ID: id, Name: "r" + id, CreatedAt: now}); kernel.KindOf(err) != kernel.KindInternal {
			t.Errorf("create a role with id %q: %v, want an internal error", id, err)
		}
		if err := accessmongo.NewModuleRepository(db).Create(ctx, &access.Module{ID: id, Name: "m" + id, CreatedAt: now}); kernel.KindOf(err) != kernel.KindInternal {
			t.Errorf("create a module with id %q: %v, want an internal error", id, err)
		}
	}
}
