package identityapp

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// RoleAssignments changes the roles users hold on the access context's
// behalf. It needs only the users and the clock, not the rest of the
// service, because the access context, which it serves, is what the
// service reads roles from.
type RoleAssignments struct {
	users identityport.UserRepository
	clock platformport.Clock
}

var _ identityport.RoleAssignments = (*RoleAssignments)(nil)

// NewRoleAssignments returns the role assignments of users.
func NewRoleAssignments(users identityport.UserRepository, clock platformport.Clock) *RoleAssignments {
	return &RoleAssignments{users: users, clock: clock}
}

// now is the clock to the millisecond, as every store keeps times.
func (a *RoleAssignments) now() time.Time { return a.clock.Now().UTC().Truncate(time.Millisecond) }

// RoleIDsOf returns the role ids userID holds.
func (a *RoleAssignments) RoleIDsOf(ctx context.Context, userID string) ([]string, error) {
	u, err := a.users.Get(ctx, userID)
	if err != nil {
		return nil, err
	}
	return u.RoleIDs(), nil
}

// AssignRole gives userID roleID.
func (a *RoleAssignments) AssignRole(ctx context.Context, userID, roleID string) ([]string, error) {
	now := a.now()
	u, err := a.users.Update(ctx, userID, func(u *identity.User) error {
		u.AddRole(roleID, now)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u.RoleIDs(), nil
}

// UnassignRole takes roleID from userID once check accepts its roles.
func (a *RoleAssignments) UnassignRole(ctx context.Context, userID, roleID string, check func([]string) error) ([]string, error) {
	u, err := a.users.Update(ctx, userID, a.removal(roleID, check))
	if err != nil {
		return nil, err
	}
	return u.RoleIDs(), nil
}

// UnassignAdminRole takes the admin role from userID unless no other active
// administrator would remain (identity.ErrLastAdmin).
func (a *RoleAssignments) UnassignAdminRole(ctx context.Context, userID, adminRoleID string, check func([]string) error) ([]string, error) {
	u, err := a.users.UpdateKeepingAdmin(ctx, userID, adminRoleID, a.removal(adminRoleID, check))
	if err != nil {
		return nil, err
	}
	return u.RoleIDs(), nil
}

func (a *RoleAssignments) removal(roleID string, check func([]string) error) func(*identity.User) error {
	now := a.now()
	return func(u *identity.User) error {
		if err := check(u.RoleIDs()); err != nil {
			return err
		}
		u.RemoveRole(roleID, now)
		return nil
	}
}

// HoldersOf lists the users holding roleID.
func (a *RoleAssignments) HoldersOf(ctx context.Context, roleID string) ([]identityport.RoleHolder, error) {
	us, err := a.users.ListWithRole(ctx, roleID)
	if err != nil {
		return nil, err
	}
	out := make([]identityport.RoleHolder, 0, len(us))
	for _, u := range us {
		out = append(out, identityport.RoleHolder{ID: u.ID(), Name: u.Name()})
	}
	return out, nil
}

// RemoveRoleEverywhere takes roleID from every user.
func (a *RoleAssignments) RemoveRoleEverywhere(ctx context.Context, roleID string) error {
	return a.users.RemoveRoleFromAll(ctx, roleID)
}
