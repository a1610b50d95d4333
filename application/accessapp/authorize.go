package accessapp

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Authorize fills the principal's role names and usable modules from the
// snapshot. What a set of roles gives is worked out once per snapshot: the
// same few sets come back on every request.
func (s *Service) Authorize(ctx context.Context, p kernel.Principal) (kernel.Principal, error) {
	snap, err := s.current(ctx)
	if err != nil {
		return p, err
	}
	a := snap.access(p.RoleIDs)
	if len(a.roleNames) == 0 {
		p.RoleNames = p.RoleNames[:0:0]
	} else {
		p.RoleNames = a.roleNames
	}
	p.Modules = a.modules
	return p, nil
}

// roleAccess is what holding a set of roles gives: the roles' names and the
// modules they may use (sorted). Its slices are shared by every principal
// holding that set: they are clipped, so that appending to them copies, and
// nothing writes into them.
type roleAccess struct {
	roleNames, modules []string
}

// maxKeptAccess bounds how many role sets a snapshot keeps the access of;
// beyond it, Authorize works each one out again.
const maxKeptAccess = 1024

func (snap *snapshot) access(roleIDs []string) roleAccess {
	key := strings.Join(roleIDs, "\x00")
	if a, ok := snap.byRoles.Load(key); ok {
		return a.(roleAccess)
	}
	a := snap.workOutAccess(roleIDs)
	if snap.byRolesSize.Add(1) <= maxKeptAccess {
		snap.byRoles.Store(key, a)
	}
	return a
}

func (snap *snapshot) workOutAccess(roleIDs []string) roleAccess {
	roles := snap.roles(roleIDs)
	var a roleAccess
	for _, r := range roles {
		a.roleNames = append(a.roleNames, strings.ToLower(r.Name))
	}
	for key, m := range snap.modulesByKey {
		if access.Decide(key, m, roles).Allowed {
			a.modules = append(a.modules, m.Name)
		}
	}
	if slices.Contains(a.roleNames, kernel.AdminRoleName) {
		// Admin passes everywhere, including built-in modules that were deleted.
		for _, dm := range access.DefaultModules() {
			if !contains(a.modules, dm.Name) {
				a.modules = append(a.modules, dm.Name)
			}
		}
	}
	sort.Strings(a.modules)
	return roleAccess{roleNames: slices.Clip(a.roleNames), modules: slices.Clip(a.modules)}
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
