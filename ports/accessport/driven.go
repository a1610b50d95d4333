// Package accessport declares the ports of the access context.
package accessport

import (
	"context"

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
