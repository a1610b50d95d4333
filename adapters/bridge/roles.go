package bridge

import (
	"context"
	"errors"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// RoleHolders serves the access context's view of users from identity's
// role assignments.
type RoleHolders struct{ identity identityport.RoleAssignments }

var _ accessport.RoleHolders = RoleHolders{}

// NewRoleHolders returns access's view of the users a holds.
func NewRoleHolders(a identityport.RoleAssignments) RoleHolders { return RoleHolders{identity: a} }

// RoleIDsOf returns a user's role ids.
func (h RoleHolders) RoleIDsOf(ctx context.Context, userID string) ([]string, error) {
	ids, err := h.identity.RoleIDsOf(ctx, userID)
	return ids, accessError(err)
}

// Assign gives a user a role.
func (h RoleHolders) Assign(ctx context.Context, userID, roleID string) ([]string, error) {
	ids, err := h.identity.AssignRole(ctx, userID, roleID)
	return ids, accessError(err)
}

// Unassign takes a role from a user.
func (h RoleHolders) Unassign(ctx context.Context, userID, roleID string, check func([]string) error) ([]string, error) {
	ids, err := h.identity.UnassignRole(ctx, userID, roleID, check)
	return ids, accessError(err)
}

// UnassignKeepingAdmin takes the admin role from a user unless it is the
// last active administrator.
func (h RoleHolders) UnassignKeepingAdmin(ctx context.Context, userID, adminRoleID string, check func([]string) error) ([]string, error) {
	ids, err := h.identity.UnassignAdminRole(ctx, userID, adminRoleID, check)
	return ids, accessError(err)
}

// Holders lists the users holding a role.
func (h RoleHolders) Holders(ctx context.Context, roleID string) ([]accessport.Holder, error) {
	hs, err := h.identity.HoldersOf(ctx, roleID)
	if err != nil {
		return nil, err
	}
	out := make([]accessport.Holder, 0, len(hs))
	for _, x := range hs {
		out = append(out, accessport.Holder{ID: x.ID, Name: x.Name})
	}
	return out, nil
}

// UnassignEverywhere takes a role from every user.
func (h RoleHolders) UnassignEverywhere(ctx context.Context, roleID string) error {
	return h.identity.RemoveRoleEverywhere(ctx, roleID)
}

// accessError names identity's refusals as the access context names them;
// the check's own errors and store failures pass unchanged.
func accessError(err error) error {
	switch {
	case errors.Is(err, identity.ErrUserNotFound):
		return access.ErrUserNotFound
	case errors.Is(err, identity.ErrLastAdmin):
		return access.ErrLastAdmin
	}
	return err
}

// RoleDirectory serves identity's view of roles from the access context.
type RoleDirectory struct{ access accessport.RoleLookup }

var _ identityport.RoleDirectory = RoleDirectory{}

// NewRoleDirectory returns identity's view of the roles l knows.
func NewRoleDirectory(l accessport.RoleLookup) RoleDirectory { return RoleDirectory{access: l} }

func toRoleInfo(r *access.Role) identityport.RoleInfo {
	return identityport.RoleInfo{ID: r.ID, Name: r.Name, SelfAssignable: r.SelfAssignable}
}

// Resolve maps role references to roles; unknown ones come back in unknown.
func (d RoleDirectory) Resolve(ctx context.Context, refs []string) ([]identityport.RoleInfo, []string, error) {
	var roles []identityport.RoleInfo
	var unknown []string
	for _, ref := range refs {
		r, ok, err := d.access.RoleByRef(ctx, ref)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			unknown = append(unknown, ref)
			continue
		}
		roles = append(roles, toRoleInfo(r))
	}
	return roles, unknown, nil
}

// ByIDs returns the roles with these ids.
func (d RoleDirectory) ByIDs(ctx context.Context, ids []string) ([]identityport.RoleInfo, error) {
	rs, err := d.access.RolesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]identityport.RoleInfo, 0, len(rs))
	for _, r := range rs {
		out = append(out, toRoleInfo(r))
	}
	return out, nil
}

// AdminRoleID returns the built-in admin role's id.
func (d RoleDirectory) AdminRoleID(ctx context.Context) (string, error) {
	return d.builtIn(ctx, access.RoleAdmin)
}

// DefaultRoleID returns the built-in member role's id.
func (d RoleDirectory) DefaultRoleID(ctx context.Context) (string, error) {
	return d.builtIn(ctx, access.RoleMember)
}

func (d RoleDirectory) builtIn(ctx context.Context, name string) (string, error) {
	r, err := d.access.RoleByName(ctx, name)
	if err != nil {
		return "", err
	}
	return r.ID, nil
}
