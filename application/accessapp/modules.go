package accessapp

import (
	"context"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

// CreateModule defines a module; every listed role must exist.
func (s *Service) CreateModule(ctx context.Context, name string, roleIDs []string) (*access.Module, error) {
	roleIDs = dedupe(roleIDs)
	if err := s.unknownRole(ctx, roleIDs); err != nil {
		return nil, err
	}
	now := s.now()
	m := &access.Module{ID: kernel.NewID(now), Name: strings.TrimSpace(name), RoleIDs: roleIDs, CreatedAt: now, UpdatedAt: now}
	if err := s.deps.Modules.Create(ctx, m); err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.recordModule(ctx, audit.ActionModuleCreate, m, nil)
	return m, nil
}

// ListModules returns a page (1-based) of modules and the total.
func (s *Service) ListModules(ctx context.Context, f accessport.ModuleFilter, page, limit int) ([]*access.Module, int64, error) {
	return s.deps.Modules.List(ctx, f, kernel.PageOffset(page, limit), limit)
}

// GetModule returns one module.
func (s *Service) GetModule(ctx context.Context, id string) (*access.Module, error) {
	return s.deps.Modules.Get(ctx, id)
}

// UpdateModule renames a module and/or replaces its roles.
func (s *Service) UpdateModule(ctx context.Context, id string, in accessport.ModuleUpdate) (*access.Module, error) {
	m, err := s.deps.Modules.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	// Check everything that can be refused before changing anything: the roles
	// first, then the rename (a taken name), and only then replace the roles,
	// so that a 404 or 409 leaves the module as it was.
	var ids []string
	if in.RoleIDs != nil {
		ids = dedupe(*in.RoleIDs)
		if err := s.unknownRole(ctx, ids); err != nil {
			return nil, err
		}
	}
	if in.Name != nil {
		if m, err = s.deps.Modules.Rename(ctx, id, strings.TrimSpace(*in.Name), s.now()); err != nil {
			return nil, err
		}
	}
	if in.RoleIDs != nil {
		if m, err = s.deps.Modules.SetRoles(ctx, id, ids, s.now()); err != nil {
			return nil, err
		}
	}
	s.changed(ctx)
	s.recordModule(ctx, audit.ActionModuleUpdate, m, nil)
	return m, nil
}

// AddRolesToModule lists more roles in a module (atomic; concurrent calls all land).
func (s *Service) AddRolesToModule(ctx context.Context, id string, roleIDs []string) (*access.Module, error) {
	if _, err := s.deps.Modules.Get(ctx, id); err != nil {
		return nil, err
	}
	roleIDs = dedupe(roleIDs)
	if err := s.unknownRole(ctx, roleIDs); err != nil {
		return nil, err
	}
	m, err := s.deps.Modules.AddRoles(ctx, id, roleIDs, s.now())
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.recordModule(ctx, audit.ActionModuleAddRoles, m, roleIDs)
	return m, nil
}

// RemoveRolesFromModule unlists roles from a module.
func (s *Service) RemoveRolesFromModule(ctx context.Context, id string, roleIDs []string) (*access.Module, error) {
	if _, err := s.deps.Modules.Get(ctx, id); err != nil {
		return nil, err
	}
	roleIDs = dedupe(roleIDs)
	if err := s.unknownRole(ctx, roleIDs); err != nil {
		return nil, err
	}
	m, err := s.deps.Modules.RemoveRoles(ctx, id, roleIDs, s.now())
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.recordModule(ctx, audit.ActionModuleRemoveRoles, m, roleIDs)
	return m, nil
}

// DeleteModule removes a module; its part of the API is then denied to all but admins.
func (s *Service) DeleteModule(ctx context.Context, id string) error {
	if err := s.deps.Modules.Delete(ctx, id); err != nil {
		return err
	}
	s.changed(ctx)
	s.record(ctx, audit.ActionModuleDelete, audit.TargetModule, id)
	return nil
}

func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		id = strings.ToLower(strings.TrimSpace(id))
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
