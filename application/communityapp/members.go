package communityapp

import (
	"context"
	"errors"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// AddMember adds an existing user to a community (its administrators, or a
// global admin): membership.add.
func (s *Service) AddMember(ctx context.Context, p kernel.Principal, id, userID string, role community.Role) (communityport.MemberView, error) {
	v, err := s.addMember(ctx, p, id, userID, role)
	return v, s.record(ctx, p, communityEvent(audit.ActionMembershipAdd, id, map[string]string{"user_id": userID, "role": string(role)}), err)
}

func (s *Service) addMember(ctx context.Context, p kernel.Principal, id, userID string, role community.Role) (communityport.MemberView, error) {
	if _, err := s.managed(ctx, p, id); err != nil {
		return communityport.MemberView{}, err
	}
	u, err := s.Users.Get(ctx, userID)
	if err != nil {
		return communityport.MemberView{}, err
	}
	m := &community.Membership{CommunityID: id, UserID: u.ID, Role: role, AddedAt: s.now()}
	if err := s.join(ctx, m); err != nil {
		return communityport.MemberView{}, err
	}
	return communityport.MemberView{Membership: m, Name: u.Name}, nil
}

// join stores a membership; an administrator is then listed on the community,
// which is the authority on who administers it. The membership comes first so
// that a duplicate (409) changes nothing; if the community went away meanwhile,
// the membership is taken back and the answer is 404.
//
// Last, the user is looked up again: a deletion of the user ends their
// memberships after deleting them (identityport.Departures), and may have
// listed those before this one was stored. Either this lookup finds the user,
// and the deletion's clean-up, which comes later, finds the membership; or the
// user is gone, and the membership is taken back here (404 user_not_found).
func (s *Service) join(ctx context.Context, m *community.Membership) error {
	if err := s.Members.Add(ctx, m); err != nil {
		return err
	}
	var c *community.Community
	var err error
	if m.Role == community.RoleAdmin {
		c, err = s.Communities.Update(ctx, m.CommunityID, func(c *community.Community) error {
			c.AddAdmin(m.UserID, m.AddedAt)
			return nil
		})
	} else {
		c, err = s.Communities.Get(ctx, m.CommunityID)
	}
	if err != nil {
		undo := s.Members.Remove(context.WithoutCancel(ctx), m.CommunityID, m.UserID)
		if undo != nil && !errors.Is(undo, community.ErrNotMember) {
			s.report(ctx, "undo membership", undo)
		}
		return err
	}
	if s.deletedMeanwhile(ctx, m.UserID) {
		undo := s.dropMember(context.WithoutCancel(ctx), c, m.UserID)
		if undo != nil && !errors.Is(undo, community.ErrNotMember) {
			s.report(ctx, "undo a deleted user's membership", undo)
		}
		return community.ErrUserNotFound
	}
	return nil
}

// deletedMeanwhile looks up again a user whose membership was just stored
// (see join): true when they are gone. When the lookup fails otherwise, the
// failure is reported and the user counts as there: the membership stands,
// as it would have without this check.
func (s *Service) deletedMeanwhile(ctx context.Context, userID string) bool {
	_, err := s.Users.Get(ctx, userID)
	if err != nil && !errors.Is(err, community.ErrUserNotFound) {
		s.report(ctx, "look up a joining user again", err)
	}
	return errors.Is(err, community.ErrUserNotFound)
}

// ListMembers returns a page of a community's members (to its members and global admins).
func (s *Service) ListMembers(ctx context.Context, p kernel.Principal, id string, pg communityport.Page) ([]communityport.MemberView, int64, error) {
	c, err := s.Communities.Get(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if !canManage(p, c) {
		if _, err := s.Members.Get(ctx, id, p.UserID); errors.Is(err, community.ErrNotMember) {
			return nil, 0, community.ErrMembersOnly
		} else if err != nil {
			return nil, 0, err
		}
	}
	ms, total, err := s.Members.ListByCommunity(ctx, id, skipOf(pg), pg.Limit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]communityport.MemberView, 0, len(ms))
	for _, m := range ms {
		// The community's admin list is the authority on roles.
		if c.IsAdmin(m.UserID) {
			m.Role = community.RoleAdmin
		} else {
			m.Role = community.RoleMember
		}
		v := communityport.MemberView{Membership: m}
		if u, err := s.Users.Get(ctx, m.UserID); err == nil {
			v.Name = u.Name
		} else if !isNotFound(err) {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, nil
}

// RemoveMember takes a member out of a community: an administrator removes
// anyone, a member may leave. An administrator first loses the role on the
// community itself, in one compare-and-set that refuses to remove the last one,
// so two administrators leaving at once cannot leave the community without one.
// It records membership.leave (the member's own) or membership.remove.
func (s *Service) RemoveMember(ctx context.Context, p kernel.Principal, id, userID string) error {
	action := audit.ActionMembershipRemove
	if p.IsSelf(userID) {
		action = audit.ActionMembershipLeave
	}
	return s.record(ctx, p, communityEvent(action, id, map[string]string{"user_id": userID}), s.removeMember(ctx, p, id, userID))
}

func (s *Service) removeMember(ctx context.Context, p kernel.Principal, id, userID string) error {
	c, err := s.Communities.Get(ctx, id)
	if err != nil {
		return err
	}
	if !p.IsSelf(userID) && !canManage(p, c) {
		return community.ErrNotCommunityAdmin
	}
	return s.dropMember(ctx, c, userID)
}

// dropMember takes userID out of community c: from its administrators (never
// the last one) and its members.
func (s *Service) dropMember(ctx context.Context, c *community.Community, userID string) error {
	id := c.ID()
	_, memberErr := s.Members.Get(ctx, id, userID)
	if memberErr != nil && !errors.Is(memberErr, community.ErrNotMember) {
		return memberErr
	}
	wasAdmin := false
	if c.IsAdmin(userID) {
		_, err := s.Communities.Update(ctx, id, func(c *community.Community) error {
			wasAdmin = c.IsAdmin(userID)
			return c.RemoveAdmin(userID, s.now())
		})
		if err != nil {
			return err
		}
	}
	if memberErr != nil && !wasAdmin {
		return memberErr
	}
	if err := s.Members.Remove(ctx, id, userID); err != nil && !(wasAdmin && errors.Is(err, community.ErrNotMember)) {
		return err
	}
	return nil
}
