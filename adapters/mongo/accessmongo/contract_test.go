package accessmongo_test

import (
	"context"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/mongo/accessmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/accessport/accessporttest"
)

func TestRoleRepository(t *testing.T) {
	accessporttest.TestRoleRepository(t, func(t *testing.T) accessport.RoleRepository {
		db := mongotest.Database(t)
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		if err := mongostore.EnsureIndexes(ctx, db, append(identitymongo.Indexes(), accessmongo.Indexes()...)); err != nil {
			t.Fatalf("EnsureIndexes: %v", err)
		}
		return accessmongo.NewRoleRepository(db)
	})
}

func TestModuleRepository(t *testing.T) {
	accessporttest.TestModuleRepository(t, func(t *testing.T) accessport.ModuleRepository {
		db := mongotest.Database(t)
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		if err := mongostore.EnsureIndexes(ctx, db, accessmongo.Indexes()); err != nil {
			t.Fatalf("EnsureIndexes: %v", err)
		}
		return accessmongo.NewModuleRepository(db, mongostore.NewDocLocks())
	})
}
