// Package accessport declares the ports of the access context.
package accessport

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/access"
)

// RoleRepository stores roles; names are unique case-insensitively (access.ErrRoleExists).
type RoleRepository interface {
	Create(ctx context.Context, r *access.Role) error
	// EnsureByName creates the role unless one with that name exists, safely when
	// several replicas do it at once, and returns the stored role.
	EnsureByName(ctx context.Context, r *access.Role) (*access.Role, error)
	Get(ctx context.Context, id string) (*access.Role, error)
	GetByName(ctx context.Context, name string) (*access.Role, error)
	List(ctx context.Context) ([]*access.Role, error)
	Update(ctx context.Context, id string, fn func(r *access.Role) error) (*access.Role, error)
	Delete(ctx context.Context, id string) error
}

// ModuleFilter narrows a module listing.
type ModuleFilter struct {
	NameContains string // case-insensitive substring; "" for any
	RoleID       string // modules listing this role; "" for any
}

// ModuleRepository stores role-base modules; names are unique case-insensitively
// (access.ErrModuleExists).
type ModuleRepository interface {
	Create(ctx context.Context, m *access.Module) error
	// EnsureByName creates the module unless one with that name exists (start-up seeding).
	EnsureByName(ctx context.Context, m *access.Module) (*access.Module, error)
	Get(ctx context.Context, id string) (*access.Module, error)
	// List returns a page of modules ordered by id, and the total that match.
	List(ctx context.Context, f ModuleFilter, skip, limit int) ([]*access.Module, int64, error)
	// Rename and SetRoles change one module; each is a single atomic update.
	Rename(ctx context.Context, id, name string, at time.Time) (*access.Module, error)
	SetRoles(ctx context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error)
	// AddRoles and RemoveRoles change the role list atomically ($addToSet / $pullAll),
	// so concurrent calls never lose each other's roles.
	AddRoles(ctx context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error)
	RemoveRoles(ctx context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error)
	// RemoveRoleFromAll unlists roleID from every module.
	RemoveRoleFromAll(ctx context.Context, roleID string) error
	Delete(ctx context.Context, id string) error
}

// Holder is a user who holds a role, as the access context sees them.
type Holder struct {
	ID   string
	Name string
}

// RoleHolders is the identity context's users, seen through the access context's
// needs (role assignment). It is served by the identity context.
type RoleHolders interface {
	// RoleIDsOf returns a user's role ids (access.ErrUserNotFound when unknown).
	RoleIDsOf(ctx context.Context, userID string) ([]string, error)
	// Assign and Unassign change one user's roles atomically; check runs on the
	// user's current role ids inside the atomic update and may refuse.
	Assign(ctx context.Context, userID, roleID string) ([]string, error)
	Unassign(ctx context.Context, userID, roleID string, check func(roleIDs []string) error) ([]string, error)
	// Holders lists the users holding roleID.
	Holders(ctx context.Context, roleID string) ([]Holder, error)
	// UnassignKeepingAdmin is Unassign for the admin role, adminRoleID: it
	// fails with access.ErrLastAdmin and changes nothing when the user is its
	// last active holder, in one atomic step with the change.
	UnassignKeepingAdmin(ctx context.Context, userID, adminRoleID string, check func(roleIDs []string) error) ([]string, error)
	// UnassignEverywhere takes roleID from every user.
	UnassignEverywhere(ctx context.Context, roleID string) error
}
