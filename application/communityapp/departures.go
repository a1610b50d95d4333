package communityapp

import (
	"context"
	"errors"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

var _ identityport.Departures = (*Service)(nil)

// CheckDeparture implements identityport.Departures: the only administrator
// of a community may not be deleted, as they may not leave it.
func (s *Service) CheckDeparture(ctx context.Context, userID string) error {
	ms, err := s.membershipsOf(ctx, userID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		c, err := s.Communities.Get(ctx, m.CommunityID)
		if errors.Is(err, community.ErrCommunityNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if c.IsSoleAdmin(userID) {
			return community.ErrLastAdminDeparts
		}
	}
	return nil
}

// Depart implements identityport.Departures: every membership of the deleted
// user ends, each recorded as membership.remove by whoever deleted the user,
// and their pending join requests are withdrawn (join_request.withdraw).
// A community whose other administrators all left since CheckDeparture keeps
// the deleted user as its administrator (a global admin can still manage it);
// that error, like any other, is returned after the rest is done.
func (s *Service) Depart(ctx context.Context, by kernel.Principal, userID string) error {
	ms, err := s.membershipsOf(ctx, userID)
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range ms {
		c, err := s.Communities.Get(ctx, m.CommunityID)
		if err == nil {
			err = s.dropMember(ctx, c, userID)
		}
		if errors.Is(err, community.ErrCommunityNotFound) || errors.Is(err, community.ErrNotMember) {
			continue // gone meanwhile
		}
		e := communityEvent(audit.ActionMembershipRemove, m.CommunityID, map[string]string{"user_id": userID, "cause": departed})
		errs = append(errs, s.record(ctx, by, e, err))
	}
	pending, _, err := s.Requests.List(ctx, communityport.JoinRequestFilter{UserID: userID, Status: community.StatusPending}, 0, -1)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	now := s.now()
	for _, r := range pending {
		_, err := s.Requests.Update(ctx, r.ID, func(r *community.JoinRequest) error { return r.Withdraw(now) })
		if errors.Is(err, community.ErrRequestNotPending) || errors.Is(err, community.ErrRequestNotFound) {
			continue // decided or deleted meanwhile
		}
		e := requestEvent(audit.ActionJoinRequestWithdraw, r.CommunityID, r)
		e.Details["cause"] = departed
		errs = append(errs, s.record(ctx, by, e, err))
	}
	return errors.Join(errs...)
}

// departed is the cause recorded on what a user's deletion ended.
const departed = "user_deleted"

// membershipsOf returns all of a user's memberships (a negative limit is no
// limit), read before any is changed.
func (s *Service) membershipsOf(ctx context.Context, userID string) ([]*community.Membership, error) {
	ms, _, err := s.Members.ListByUser(ctx, userID, 0, -1)
	return ms, err
}
