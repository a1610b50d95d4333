package accesssqlite_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/accesssqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/accessport/accessporttest"
)

func TestRoleRepository(t *testing.T) {
	accessporttest.TestRoleRepository(t, func(t *testing.T) accessport.RoleRepository {
		return accesssqlite.NewRoleRepository(sqlitetest.Open(t))
	})
}

func TestModuleRepository(t *testing.T) {
	accessporttest.TestModuleRepository(t, func(t *testing.T) accessport.ModuleRepository {
		return accesssqlite.NewModuleRepository(sqlitetest.Open(t))
	})
}
