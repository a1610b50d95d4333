package identityapp

import (
	"context"
	"fmt"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// Signup registers a user with self-assignable roles only and sends a verification mail.
// It records auth.signup (denied when a role is not self-assignable).
func (s *Service) Signup(ctx context.Context, in identityport.SignupInput) (identityport.UserView, error) {
	e := audit.NewEvent(kernel.RequestMetaFrom(ctx), audit.ActionSignup, "", "")
	v, err := s.signup(ctx, in, e)
	if err != nil {
		return v, s.recordResult(ctx, e, err)
	}
	return v, nil
}

// signup creates the user and records e, completed, with it.
func (s *Service) signup(ctx context.Context, in identityport.SignupInput, e audit.Event) (identityport.UserView, error) {
	if v := identity.CheckPassword(in.Password); len(v) > 0 {
		return identityport.UserView{}, identity.ErrWeakPassword
	}
	roles, err := s.resolveRoles(ctx, in.RoleRefs)
	if err != nil {
		return identityport.UserView{}, err
	}
	for _, r := range roles {
		if !r.SelfAssignable {
			return identityport.UserView{}, identity.ErrRoleNotAllowed
		}
	}
	hash, err := s.Hasher.Hash(ctx, in.Password)
	if err != nil {
		return identityport.UserView{}, err
	}
	now := s.now()
	u, err := identity.NewUser(kernel.NewID(now), in.Name, in.Email, hash, roleIDs(roles), now)
	if err != nil {
		return identityport.UserView{}, err
	}
	e.ActorID, e.TargetType, e.TargetID = u.ID(), audit.TargetUser, u.ID()
	e.Details = map[string]string{"roles": strings.Join(u.RoleIDs(), ",")}
	if err := s.atomically(ctx, func(ctx context.Context) error {
		if err := s.Users.Create(ctx, u); err != nil {
			return err
		}
		return s.appendEvent(ctx, e)
	}); err != nil {
		return identityport.UserView{}, err
	}
	s.report(ctx, "send verification mail", s.sendVerification(ctx, u))
	return identityport.UserView{User: u, Roles: roles}, nil
}

// resolveRoles maps role references to roles; an unknown one is a 422 on "role".
func (s *Service) resolveRoles(ctx context.Context, refs []string) ([]identityport.RoleInfo, error) {
	roles, unknown, err := s.Roles.Resolve(ctx, refs)
	if err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		return nil, identity.ErrUnknownRole.WithMessage(fmt.Sprintf("Value error, Unknown role: %s", unknown[0]))
	}
	if len(roles) == 0 {
		return nil, identity.ErrUnknownRole.WithMessage("Value error, At least one role is required")
	}
	return roles, nil
}

func roleIDs(roles []identityport.RoleInfo) []string {
	ids := make([]string, 0, len(roles))
	seen := map[string]bool{}
	for _, r := range roles {
		if !seen[r.ID] {
			seen[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	return ids
}
