// Package access holds roles, role-base modules and the decision of who may use which module.
package access

import (
	"strings"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Built-in role names.
const (
	RoleAdmin  = kernel.AdminRoleName
	RoleMember = "member"
)

// Role is a named set of permissions that users hold.
type Role struct {
	ID             string
	Name           string
	SelfAssignable bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// NameKey is the case-insensitive uniqueness key of a role or module name.
func NameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Sentinel errors of the access context.
var (
	ErrRoleNotFound = kernel.NewError(kernel.KindNotFound, "role_not_found", "Role not found")
	ErrRoleExists   = kernel.NewError(kernel.KindConflict, "role_exists", "Role name already exists")
)
