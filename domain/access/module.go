package access

import (
	"slices"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Module names: every route belongs to one, named after its API tag.
const (
	ModuleUsers           = "users"
	ModuleUserRoles       = "user-roles"
	ModuleRoleBaseModules = "role-base-modules"
	ModuleCommunities     = "communities"
	ModuleDatasets        = "datasets"
	ModuleAudit           = "audit"
)

// Module (a "role-base module") names a part of the API and the roles that may use it.
type Module struct {
	ID        string
	Name      string
	RoleIDs   []string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// HasRole reports whether roleID is listed in the module.
func (m *Module) HasRole(roleID string) bool { return slices.Contains(m.RoleIDs, roleID) }

// AddRoles lists more roles, keeping each once and the order stable.
func (m *Module) AddRoles(ids ...string) {
	for _, id := range ids {
		if !slices.Contains(m.RoleIDs, id) {
			m.RoleIDs = append(m.RoleIDs, id)
		}
	}
}

// RemoveRoles unlists roles.
func (m *Module) RemoveRoles(ids ...string) {
	m.RoleIDs = slices.DeleteFunc(m.RoleIDs, func(x string) bool { return slices.Contains(ids, x) })
}

// DefaultModule is a module seeded at first start with the roles that may use it.
type DefaultModule struct {
	Name      string
	RoleNames []string
}

// DefaultModules are seeded at first start.
func DefaultModules() []DefaultModule {
	return []DefaultModule{
		{Name: ModuleUsers, RoleNames: []string{RoleAdmin}},
		{Name: ModuleUserRoles, RoleNames: []string{RoleAdmin}},
		{Name: ModuleRoleBaseModules, RoleNames: []string{RoleAdmin}},
		{Name: ModuleAudit, RoleNames: []string{RoleAdmin}},
		{Name: ModuleCommunities, RoleNames: []string{RoleAdmin, RoleMember}},
		{Name: ModuleDatasets, RoleNames: []string{RoleAdmin, RoleMember}},
	}
}

// Sentinel errors about modules and role invariants.
var (
	ErrModuleNotFound  = kernel.NewError(kernel.KindNotFound, "module_not_found", "Role base module not found")
	ErrModuleExists    = kernel.NewError(kernel.KindConflict, "module_exists", "Module name already exists")
	ErrAdminImmutable  = kernel.NewError(kernel.KindConflict, "admin_role_immutable", "The built-in admin role can be neither deleted nor renamed")
	ErrLastAdmin       = kernel.NewError(kernel.KindConflict, "last_admin", "The last administrator cannot lose the admin role")
	ErrUnknownRoleID   = kernel.NewError(kernel.KindNotFound, "role_not_found", "Role not found")
	ErrUserNotFound    = kernel.NewError(kernel.KindNotFound, "user_not_found", "User not found")
	ErrRoleNotAssigned = kernel.NewError(kernel.KindNotFound, "role_not_assigned", "The user does not hold this role")
	ErrRoleAssigned    = kernel.NewError(kernel.KindConflict, "role_already_assigned", "The user already holds this role")
)
