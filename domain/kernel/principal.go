package kernel

import "slices"

// AdminRoleName is the built-in role that passes everywhere.
const AdminRoleName = "admin"

// Principal is who is calling: a signed-in user, their session and roles.
type Principal struct {
	UserID    string
	SessionID string
	RoleIDs   []string
	// RoleNames are lower-case role names, resolved at authentication.
	RoleNames []string
	// Modules are the role-base modules the principal may use, when resolved.
	Modules []string
}

// IsAdmin reports whether the principal holds the built-in admin role.
func (p Principal) IsAdmin() bool { return slices.Contains(p.RoleNames, AdminRoleName) }

// IsSelf reports whether userID is the principal's own.
func (p Principal) IsSelf(userID string) bool { return p.UserID != "" && p.UserID == userID }

// RequestMeta describes where a request came from, for audit and session records.
type RequestMeta struct {
	IP        string
	UserAgent string
	RequestID string
	// ActorID is the signed-in caller's user id ("" before authentication or on
	// public routes): the actor of audit events whose use case takes no principal.
	ActorID string
}

// ModuleUsers is the module that guards user management.
const ModuleUsers = "users"

// ModuleDatasets is the module that guards the datasets routes.
const ModuleDatasets = "datasets"

// MayUse reports whether the principal may use a module (resolved Modules;
// the admin role passes everywhere).
func (p Principal) MayUse(module string) bool {
	return p.IsAdmin() || slices.Contains(p.Modules, module)
}

// CanManageUsers reports whether the principal may manage other users' records.
// Until role-base modules decide it, that is the admin role; the access context
// fills Modules when it resolves the principal.
func (p Principal) CanManageUsers() bool {
	return p.IsAdmin() || slices.Contains(p.Modules, ModuleUsers)
}
