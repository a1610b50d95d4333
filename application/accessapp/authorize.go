package accessapp

import (
	"context"
	"sort"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Authorize fills the principal's role names and usable modules from the snapshot.
func (s *Service) Authorize(ctx context.Context, p kernel.Principal) (kernel.Principal, error) {
	snap, err := s.current(ctx)
	if err != nil {
		return p, err
	}
	roles := snap.roles(p.RoleIDs)
	p.RoleNames = p.RoleNames[:0:0]
	for _, r := range roles {
		p.RoleNames = append(p.RoleNames, strings.ToLower(r.Name))
	}
	p.Modules = nil
	for key, m := range snap.modulesByKey {
		if access.Decide(key, m, roles).Allowed {
			p.Modules = append(p.Modules, m.Name)
		}
	}
	if p.IsAdmin() {
		// Admin passes everywhere, including built-in modules that were deleted.
		for _, dm := range access.DefaultModules() {
			if !contains(p.Modules, dm.Name) {
				p.Modules = append(p.Modules, dm.Name)
			}
		}
	}
	sort.Strings(p.Modules)
	return p, nil
}

// Check explains the decision for a module and a user (the caller by default).
// Asking about someone else needs the users module.
func (s *Service) Check(ctx context.Context, caller kernel.Principal, module, userID string) (access.Decision, error) {
	roleIDs := caller.RoleIDs
	if userID != "" && userID != caller.UserID {
		if !caller.CanManageUsers() {
			return access.Decision{}, kernel.ErrForbidden.WithMessage("Checking another user's access needs the users module")
		}
		ids, err := s.deps.Holders.RoleIDsOf(ctx, userID)
		if err != nil {
			return access.Decision{}, err
		}
		roleIDs = ids
	}
	snap, err := s.current(ctx)
	if err != nil {
		return access.Decision{}, err
	}
	m := snap.modulesByKey[access.NameKey(module)]
	name := module
	if m != nil {
		name = m.Name
	}
	return access.Decide(name, m, snap.roles(roleIDs)), nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
