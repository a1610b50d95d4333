package accessapp

import (
	"context"
	"errors"
	"slices"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

// ErrInvalidRoleName is a role name that breaks access.ParseRoleName.
var ErrInvalidRoleName = kernel.NewError(kernel.KindInvalid, "invalid_role_name", "Invalid role name").WithField("name")

// ListRoles returns every role.
func (s *Service) ListRoles(ctx context.Context) ([]*access.Role, error) {
	return s.deps.Roles.List(ctx)
}

// CreateRole adds a role; names are unique case-insensitively.
func (s *Service) CreateRole(ctx context.Context, name string, selfAssignable bool) (*access.Role, error) {
	name, problem := access.ParseRoleName(name)
	if problem != "" {
		return nil, ErrInvalidRoleName.WithMessage("Value error, " + problem)
	}
	now := s.now()
	r := &access.Role{ID: kernel.NewID(now), Name: name, SelfAssignable: selfAssignable, CreatedAt: now, UpdatedAt: now}
	if err := s.deps.Roles.Create(ctx, r); err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.recordRole(ctx, audit.ActionRoleCreate, r)
	return r, nil
}

// UpdateRole renames a role or changes whether sign-up may take it. The admin
// role keeps its name and is never self-assignable.
func (s *Service) UpdateRole(ctx context.Context, id, name string, selfAssignable *bool) (*access.Role, error) {
	name, problem := access.ParseRoleName(name)
	if problem != "" {
		return nil, ErrInvalidRoleName.WithMessage("Value error, " + problem)
	}
	now := s.now()
	r, err := s.deps.Roles.Update(ctx, id, func(r *access.Role) error {
		if access.NameKey(r.Name) == access.RoleAdmin {
			if name != r.Name || (selfAssignable != nil && *selfAssignable) {
				return access.ErrAdminImmutable
			}
		}
		r.Name = name
		if selfAssignable != nil {
			r.SelfAssignable = *selfAssignable
		}
		r.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.recordRole(ctx, audit.ActionRoleUpdate, r)
	return r, nil
}

// DeleteRole removes a role from every user and module, then deletes it.
func (s *Service) DeleteRole(ctx context.Context, id string) error {
	r, err := s.deps.Roles.Get(ctx, id)
	if err != nil {
		return err
	}
	if access.NameKey(r.Name) == access.RoleAdmin {
		return access.ErrAdminImmutable
	}
	// Unlist first: a failure part-way leaves a role that nobody holds, never a
	// dangling reference to a deleted role.
	if err := s.deps.Holders.UnassignEverywhere(ctx, id); err != nil {
		return err
	}
	if err := s.deps.Modules.RemoveRoleFromAll(ctx, id); err != nil {
		return err
	}
	if err := s.deps.Roles.Delete(ctx, id); err != nil {
		return err
	}
	s.changed(ctx)
	s.record(ctx, audit.ActionRoleDelete, audit.TargetRole, id, "name", r.Name)
	return nil
}

// RolesOfUser lists a user's roles.
func (s *Service) RolesOfUser(ctx context.Context, userID string) ([]*access.Role, error) {
	ids, err := s.deps.Holders.RoleIDsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	return s.RolesByIDs(ctx, ids)
}

// HoldersOf lists the users holding a role.
func (s *Service) HoldersOf(ctx context.Context, roleID string) ([]accessport.Holder, error) {
	if _, err := s.deps.Roles.Get(ctx, roleID); err != nil {
		return nil, err
	}
	return s.deps.Holders.Holders(ctx, roleID)
}

// AssignRole gives a user a role (idempotent) and returns the user's roles.
func (s *Service) AssignRole(ctx context.Context, userID, roleID string) ([]*access.Role, error) {
	role, err := s.deps.Roles.Get(ctx, roleID)
	if err != nil {
		return nil, err
	}
	ids, err := s.deps.Holders.Assign(ctx, userID, roleID)
	if err != nil {
		return nil, err
	}
	s.record(ctx, audit.ActionRoleAssign, audit.TargetUser, userID, "role_id", roleID, "role_name", role.Name)
	return s.rolesFresh(ctx, ids)
}

// UnassignRole takes a role from a user; the last holder of admin keeps it.
func (s *Service) UnassignRole(ctx context.Context, userID, roleID string) error {
	role, err := s.deps.Roles.Get(ctx, roleID)
	if err != nil {
		return err
	}
	unassign := s.deps.Holders.Unassign
	if access.NameKey(role.Name) == access.RoleAdmin {
		unassign = s.deps.Holders.UnassignKeepingAdmin
	}
	_, err = unassign(ctx, userID, roleID, func(current []string) error {
		if !slices.Contains(current, roleID) {
			return access.ErrRoleNotAssigned
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.record(ctx, audit.ActionRoleUnassign, audit.TargetUser, userID, "role_id", roleID, "role_name", role.Name)
	return nil
}

// rolesFresh resolves ids, reloading once if one is not in the snapshot yet.
func (s *Service) rolesFresh(ctx context.Context, ids []string) ([]*access.Role, error) {
	roles, err := s.RolesByIDs(ctx, ids)
	if err != nil || len(roles) == len(ids) {
		return roles, err
	}
	snap, err := s.reloadForUnknown(ctx, s.loaded())
	if err != nil {
		return nil, err
	}
	return snap.roles(ids), nil
}

// unknownRole names the first id that is not a role (404 naming the id).
func (s *Service) unknownRole(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if _, err := s.deps.Roles.Get(ctx, id); err != nil {
			if errors.Is(err, access.ErrRoleNotFound) {
				return access.ErrUnknownRoleID.WithMessage("Role not found: " + id)
			}
			return err
		}
	}
	return nil
}
