package access

// Module names: every route belongs to one, named after its API tag.
const (
	ModuleUsers           = "users"
	ModuleUserRoles       = "user-roles"
	ModuleRoleBaseModules = "role-base-modules"
	ModuleCommunities     = "communities"
	ModuleDatasets        = "datasets"
	ModuleAudit           = "audit"
)

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

// ModuleNames lists the built-in module names.
func ModuleNames() []string {
	ms := DefaultModules()
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}
