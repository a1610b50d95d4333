package wiring

import (
	"context"

	"github.com/civicdatatrust/civictrust/application/accessapp"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// roleDirectory lets the identity context read roles through its own port,
// served by the access application (contexts never import each other).
type roleDirectory struct{ access *accessapp.Service }

func newRoleDirectory(a *accessapp.Service) identityport.RoleDirectory {
	return roleDirectory{access: a}
}

func toRoleInfo(r *access.Role) identityport.RoleInfo {
	return identityport.RoleInfo{ID: r.ID, Name: r.Name, SelfAssignable: r.SelfAssignable}
}

func (d roleDirectory) Resolve(ctx context.Context, refs []string) ([]identityport.RoleInfo, []string, error) {
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

func (d roleDirectory) ByIDs(ctx context.Context, ids []string) ([]identityport.RoleInfo, error) {
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

func (d roleDirectory) AdminRoleID(ctx context.Context) (string, error) {
	r, err := d.access.RoleByName(ctx, access.RoleAdmin)
	if err != nil {
		return "", err
	}
	return r.ID, nil
}

func (d roleDirectory) DefaultRoleID(ctx context.Context) (string, error) {
	r, err := d.access.RoleByName(ctx, access.RoleMember)
	if err != nil {
		return "", err
	}
	return r.ID, nil
}
