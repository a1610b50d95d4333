package accessport

import (
	"context"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// ModuleUpdate is a partial module update; nil fields stay unchanged.
type ModuleUpdate struct {
	Name    *string
	RoleIDs *[]string
}

// Service is the access use cases that drivers call.
type Service interface {
	ListRoles(ctx context.Context) ([]*access.Role, error)
	CreateRole(ctx context.Context, name string, selfAssignable bool) (*access.Role, error)
	UpdateRole(ctx context.Context, id, name string, selfAssignable *bool) (*access.Role, error)
	DeleteRole(ctx context.Context, id string) error
	RolesOfUser(ctx context.Context, userID string) ([]*access.Role, error)
	HoldersOf(ctx context.Context, roleID string) ([]Holder, error)
	AssignRole(ctx context.Context, userID, roleID string) ([]*access.Role, error)
	UnassignRole(ctx context.Context, userID, roleID string) error

	CreateModule(ctx context.Context, name string, roleIDs []string) (*access.Module, error)
	ListModules(ctx context.Context, f ModuleFilter, page, limit int) ([]*access.Module, int64, error)
	GetModule(ctx context.Context, id string) (*access.Module, error)
	UpdateModule(ctx context.Context, id string, in ModuleUpdate) (*access.Module, error)
	AddRolesToModule(ctx context.Context, id string, roleIDs []string) (*access.Module, error)
	RemoveRolesFromModule(ctx context.Context, id string, roleIDs []string) (*access.Module, error)
	DeleteModule(ctx context.Context, id string) error

	// Authorize completes a principal with its role names and usable modules,
	// from an in-memory snapshot (no store round trip on the hot path).
	Authorize(ctx context.Context, p kernel.Principal) (kernel.Principal, error)
	// Check explains the decision for module and a user (the caller when userID is "").
	Check(ctx context.Context, caller kernel.Principal, module, userID string) (access.Decision, error)
}

// RoleLookup resolves roles for other contexts from the access snapshot.
type RoleLookup interface {
	// RoleByRef finds a role by id or case-insensitive name (ok false when none).
	RoleByRef(ctx context.Context, ref string) (r *access.Role, ok bool, err error)
	// RolesByIDs returns the roles with these ids, skipping unknown ones.
	RolesByIDs(ctx context.Context, ids []string) ([]*access.Role, error)
	// RoleByName returns a built-in role by name.
	RoleByName(ctx context.Context, name string) (*access.Role, error)
}
