package wiring

import (
	"context"
	"slices"

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
	now := h.clock.Now().UTC().Truncate(1e6)
	u, err := h.users.Update(ctx, userID, func(u *identity.User) error {
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

// CountHolders counts active holders: a disabled admin cannot administer.
func (h roleHolders) CountHolders(ctx context.Context, roleID string) (int64, error) {
	us, err := h.users.ListWithRole(ctx, roleID)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, u := range us {
		if u.Active {
			n++
		}
	}
	return n, nil
}

func (h roleHolders) UnassignEverywhere(ctx context.Context, roleID string) error {
	return h.users.RemoveRoleFromAll(ctx, roleID)
}
