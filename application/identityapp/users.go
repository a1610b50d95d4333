package identityapp

import (
	"context"
	"strconv"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Me returns the caller's own record.
func (s *Service) Me(ctx context.Context, p kernel.Principal) (identityport.UserView, error) {
	u, err := s.Users.Get(ctx, p.UserID)
	if err != nil {
		return identityport.UserView{}, err
	}
	return s.view(ctx, u)
}

// List lists users; module access is enforced by the caller (the HTTP adapter's guard).
func (s *Service) List(ctx context.Context, _ kernel.Principal, skip, limit int) ([]identityport.UserView, int64, error) {
	users, total, err := s.Users.List(ctx, skip, limit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]identityport.UserView, 0, len(users))
	for _, u := range users {
		v, err := s.view(ctx, u)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, nil
}

// Get returns a user: one's own record, or anyone's with the users module.
func (s *Service) Get(ctx context.Context, p kernel.Principal, id string) (identityport.UserView, error) {
	if !p.IsSelf(id) && !p.CanManageUsers() {
		return identityport.UserView{}, identity.ErrNotAllowed
	}
	u, err := s.Users.Get(ctx, id)
	if err != nil {
		return identityport.UserView{}, err
	}
	return s.view(ctx, u)
}

// Update changes a user. Self-service covers name and email; status and roles need the users module.
// It records user.update naming the fields changed (values only for status and
// roles, which change rights), or its denial.
func (s *Service) Update(ctx context.Context, p kernel.Principal, id string, in identityport.UserUpdate) (identityport.UserView, error) {
	e := event(ctx, p.UserID, audit.ActionUserUpdate, audit.TargetUser, id)
	v, err := s.update(ctx, p, id, in, e)
	if err != nil {
		e.Details = updateDetails(in, v)
		return v, s.recordResult(ctx, e, err)
	}
	return v, nil
}

func updateDetails(in identityport.UserUpdate, v identityport.UserView) map[string]string {
	var fields []string
	d := map[string]string{}
	if in.Name != nil {
		fields = append(fields, "name")
	}
	if in.Email != nil {
		fields = append(fields, "email")
	}
	if in.Active != nil {
		fields = append(fields, "status")
		d["status"] = strconv.FormatBool(*in.Active)
	}
	if in.RoleRefs != nil {
		fields = append(fields, "role")
		if v.User != nil {
			d["roles"] = strings.Join(v.User.RoleIDs(), ",")
		}
	}
	d["fields"] = strings.Join(fields, ",")
	return d
}

// update changes the user and records e, completed, with the change.
func (s *Service) update(ctx context.Context, p kernel.Principal, id string, in identityport.UserUpdate, e audit.Event) (identityport.UserView, error) {
	manager := p.CanManageUsers()
	if !p.IsSelf(id) && !manager {
		return identityport.UserView{}, identity.ErrNotAllowed
	}
	if (in.Active != nil || in.RoleRefs != nil) && !manager {
		return identityport.UserView{}, identity.ErrForbiddenUserField
	}
	var newRoles []string
	if in.RoleRefs != nil {
		roles, err := s.resolveRoles(ctx, *in.RoleRefs)
		if err != nil {
			return identityport.UserView{}, err
		}
		newRoles = roleIDs(roles)
	}
	cur, err := s.Users.Get(ctx, id)
	if err != nil {
		return identityport.UserView{}, err
	}
	emailChange := in.Email != nil && *in.Email != cur.Email()
	// A session's token alone must not be enough to move the account to
	// another mailbox (a reset through it would follow): one's own address
	// changes with the password, which is checked as a login is.
	passwordChecked := false
	if emailChange && p.IsSelf(id) {
		if in.CurrentPassword == nil {
			return identityport.UserView{}, identity.ErrPasswordRequired
		}
		check, err := s.checkPasswordOf(ctx, id, *in.CurrentPassword)
		if err != nil {
			return identityport.UserView{}, err
		}
		if !check.ok {
			return identityport.UserView{}, identity.ErrWrongPassword
		}
		passwordChecked = true
	}
	adminID, err := s.Roles.AdminRoleID(ctx)
	if err != nil {
		return identityport.UserView{}, err
	}
	now := s.now()
	var disabled bool
	var oldEmail string
	var u *identity.User
	err = s.atomically(ctx, func(ctx context.Context) error {
		var err error
		u, err = s.Users.UpdateKeepingAdmin(ctx, id, adminID, func(u *identity.User) error {
			disabled, oldEmail = false, u.Email()
			if passwordChecked {
				u.ClearLockout() // the right password takes its reserved attempt back
			}
			change := identity.AccountChange{Name: in.Name, Email: in.Email, Active: in.Active}
			if newRoles != nil {
				change.RoleIDs = &newRoles
			}
			var err error
			disabled, err = u.ChangeAccount(change, now)
			return err
		})
		if err != nil {
			return err
		}
		if disabled {
			if err := s.revokeAll(ctx, id, ""); err != nil {
				return err
			}
		}
		if u.Email() != oldEmail {
			// The reset links mailed to the old address stop working.
			if err := s.Tokens.ConsumeAll(ctx, u.ID(), identity.PurposePasswordReset, now); err != nil {
				return err
			}
		}
		e.Details = updateDetails(in, identityport.UserView{User: u})
		return s.appendEvent(ctx, e)
	})
	if err != nil {
		return identityport.UserView{}, err
	}
	if u.Email() != oldEmail {
		s.emailChanged(ctx, u, oldEmail)
	}
	return s.view(ctx, u)
}

// emailChanged follows a change of u's address from old: the old address
// hears of the change (so that its owner notices a takeover), and the new one
// gets a link to confirm it.
func (s *Service) emailChanged(ctx context.Context, u *identity.User, old string) {
	s.report(ctx, "send the email change notice", s.Mailer.Send(ctx, platformport.Message{
		To:      old,
		Subject: "The e-mail address of your Civic Data Trust account was changed",
		Body: "The e-mail address of the Civic Data Trust account that used this address is now " + u.Email() + ".\n\n" +
			"If you did not ask for this, contact your trust's administrators at once.\n",
	}))
	s.report(ctx, "send the verification mail", s.sendVerification(ctx, u))
}

// Delete removes a user, revokes their sessions, ends their community
// memberships and withdraws their join requests; it records user.delete. The
// only administrator of a community is refused (409) until another is named
// or the community is deleted.
func (s *Service) Delete(ctx context.Context, p kernel.Principal, id string) error {
	e := event(ctx, p.UserID, audit.ActionUserDelete, audit.TargetUser, id)
	if err := s.delete(ctx, p, id, e); err != nil {
		return s.recordResult(ctx, e, err)
	}
	return nil
}

// delete removes the user and records e with the removal.
func (s *Service) delete(ctx context.Context, p kernel.Principal, id string, e audit.Event) error {
	if !p.IsSelf(id) && !p.CanManageUsers() {
		return identity.ErrNotAllowed
	}
	adminID, err := s.Roles.AdminRoleID(ctx)
	if err != nil {
		return err
	}
	if s.Departures != nil {
		if err := s.Departures.CheckDeparture(ctx, id); err != nil {
			return err
		}
	}
	if err := s.atomically(ctx, func(ctx context.Context) error {
		if err := s.Users.DeleteKeepingAdmin(ctx, id, adminID); err != nil {
			return err
		}
		if err := s.revokeAll(ctx, id, ""); err != nil {
			return err
		}
		return s.appendEvent(ctx, e)
	}); err != nil {
		return err
	}
	if s.Departures != nil {
		// The user is gone whatever happens next: settle the rest even if the
		// caller goes away, and report what could not be.
		s.report(ctx, "remove a deleted user's memberships", s.Departures.Depart(context.WithoutCancel(ctx), p, id))
	}
	return nil
}

// CreateAdmin creates an administrator unless the email is registered already.
func (s *Service) CreateAdmin(ctx context.Context, name, email, password string) (bool, error) {
	if len(identity.CheckPassword(password)) > 0 {
		return false, identity.ErrWeakPassword
	}
	if _, err := s.Users.GetByEmail(ctx, email); err == nil {
		return false, nil
	} else if !isNotFound(err) {
		return false, err
	}
	adminID, err := s.Roles.AdminRoleID(ctx)
	if err != nil {
		return false, err
	}
	hash, err := s.Hasher.Hash(ctx, password)
	if err != nil {
		return false, err
	}
	now := s.now()
	u, err := identity.NewUser(kernel.NewID(now), name, email, hash, []string{adminID}, now)
	if err != nil {
		return false, err
	}
	// The operator who runs the command vouches for the address.
	if err := u.VerifyEmail(u.Email(), now); err != nil {
		return false, err
	}
	e := event(ctx, "", audit.ActionUserCreate, audit.TargetUser, u.ID())
	e.Details = map[string]string{"roles": adminID}
	if err := s.atomically(ctx, func(ctx context.Context) error {
		if err := s.Users.Create(ctx, u); err != nil {
			return err
		}
		return s.appendEvent(ctx, e)
	}); err != nil {
		if kernel.KindOf(err) == kernel.KindConflict {
			return false, nil // another replica created it at the same moment
		}
		return false, err
	}
	return true, nil
}
