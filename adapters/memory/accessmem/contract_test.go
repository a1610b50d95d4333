package accessmem_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/memory/accessmem"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/accessport/accessporttest"
)

func TestRoleRepository(t *testing.T) {
	accessporttest.TestRoleRepository(t, func(*testing.T) accessport.RoleRepository {
		return accessmem.NewRoleRepository()
	})
}

func TestModuleRepository(t *testing.T) {
	accessporttest.TestModuleRepository(t, func(*testing.T) accessport.ModuleRepository {
		return accessmem.NewModuleRepository()
	})
}
