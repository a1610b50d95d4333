package wiring

import (
	"context"
	"errors"
	"slices"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// roleHolders serves the access context's view of users from the identity
// context's user repository: an anti-corruption layer between the two ports.
type roleHolders struct {
	users identityport.UserRepository
	clock platformport.Clock
}

func newRoleHolders(users identityport.UserRepository, clock platformport.Clock) accessport.RoleHolders {
	return roleHolders{users: users, clock: clock}
}

func (h roleHolders) RoleIDsOf(ctx context.Context, userID string) ([]string, error) {
	u, err := h.users.Get(ctx, userID)
	if err != nil {
		return nil, err
	}
	return u.RoleIDs, nil
}

func (h roleHolders) Assign(ctx context.Context, userID, roleID string) ([]string, error) {
	now := h.clock.Now().UTC().Truncate(1e6)
	u, err := h.users.Update(ctx, userID, func(u *identity.User) error {
		if !slices.Contains(u.RoleIDs, roleID) {
			u.RoleIDs = append(u.RoleIDs, roleID)
			u.UpdatedAt = now
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u.RoleIDs, nil
}

func (h roleHolders) Unassign(ctx context.Context, userID, roleID string, check func([]string) error) ([]string, error) {
	return h.unassign(ctx, userID, roleID, check, h.users.Update)
}

func (h roleHolders) UnassignKeepingAdmin(ctx context.Context, userID, adminRoleID string, check func([]string) error) ([]string, error) {
	keeping := func(ctx context.Context, id string, fn func(*identity.User) error) (*identity.User, error) {
		return h.users.UpdateKeepingAdmin(ctx, id, adminRoleID, fn)
	}
	ids, err := h.unassign(ctx, userID, adminRoleID, check, keeping)
	if errors.Is(err, identity.ErrLastAdmin) {
		return nil, access.ErrLastAdmin
	}
	return ids, err
}

func (h roleHolders) unassign(ctx context.Context, userID, roleID string, check func([]string) error,
	update func(context.Context, string, func(*identity.User) error) (*identity.User, error)) ([]string, error) {
	now := h.clock.Now().UTC().Truncate(1e6)
	u, err := update(ctx, userID, func(u *identity.User) error {
		if err := check(u.RoleIDs); err != nil {
			return err
		}
		u.RoleIDs = slices.DeleteFunc(u.RoleIDs, func(x string) bool { return x == roleID })
		u.UpdatedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u.RoleIDs, nil
}

func (h roleHolders) Holders(ctx context.Context, roleID string) ([]accessport.Holder, error) {
	us, err := h.users.ListWithRole(ctx, roleID)
	if err != nil {
		return nil, err
	}
	out := make([]accessport.Holder, 0, len(us))
	for _, u := range us {
		out = append(out, accessport.Holder{ID: u.ID, Name: u.Name})
	}
	return out, nil
}

func (h roleHolders) UnassignEverywhere(ctx context.Context, roleID string) error {
	return h.users.RemoveRoleFromAll(ctx, roleID)
}
