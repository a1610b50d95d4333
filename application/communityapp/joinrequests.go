package communityapp

import (
	"context"
	"errors"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// RequestToJoin files a pending request for the caller, or for another user
// when the caller administers the community. Members cannot ask (409), nor can
// a user with a request already pending (409). The community's administrators
// are told by mail. It records join_request.create.
func (s *Service) RequestToJoin(ctx context.Context, p kernel.Principal, id string, in communityport.JoinInput) (*community.JoinRequest, error) {
	r, err := s.requestToJoin(ctx, p, id, in)
	return r, s.record(ctx, p, requestEvent(audit.ActionJoinRequestCreate, id, r), err)
}

func (s *Service) requestToJoin(ctx context.Context, p kernel.Principal, id string, in communityport.JoinInput) (*community.JoinRequest, error) {
	c, err := s.Communities.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	userID := in.UserID
	if userID == "" {
		userID = p.UserID
	}
	if !p.IsSelf(userID) {
		if !canManage(p, c) {
			return nil, community.ErrNotCommunityAdmin
		}
		if _, err := s.Users.Get(ctx, userID); err != nil {
			return nil, err
		}
	}
	if _, err := s.Members.Get(ctx, id, userID); err == nil {
		return nil, community.ErrAlreadyMember
	} else if !errors.Is(err, community.ErrNotMember) {
		return nil, err
	}
	now := s.now()
	r := community.NewJoinRequest(kernel.NewID(now), id, userID, in.Message, now)
	if err := s.Requests.Create(ctx, r); err != nil {
		return nil, err
	}
	if _, err := s.Communities.Get(ctx, id); gone(err) {
		// Deleted while the request was being filed: clean up after the deletion.
		s.cleanUp(context.WithoutCancel(ctx), id)
		return nil, err
	}
	s.notifyAdmins(ctx, c, r)
	return r, nil
}

// ListJoinRequests returns a page of a community's requests (its administrators, or a global admin).
func (s *Service) ListJoinRequests(ctx context.Context, p kernel.Principal, id string, status community.RequestStatus, pg communityport.Page) ([]*community.JoinRequest, int64, error) {
	if _, err := s.managed(ctx, p, id); err != nil {
		return nil, 0, err
	}
	return s.Requests.List(ctx, communityport.JoinRequestFilter{CommunityID: id, Status: status}, skipOf(pg), pg.Limit)
}

// request loads a request of community id.
func (s *Service) request(ctx context.Context, id, requestID string) (*community.JoinRequest, error) {
	r, err := s.Requests.Get(ctx, requestID)
	if err != nil {
		return nil, err
	}
	if r.CommunityID != id {
		return nil, community.ErrRequestNotFound
	}
	return r, nil
}

// Approve accepts a pending request and adds the requester as a member. The
// decision is one compare-and-set on the request: of two administrators
// approving at once, one wins and the other gets ErrRequestNotPending (409).
// It records join_request.approve (and no separate membership.add: one action,
// one event).
func (s *Service) Approve(ctx context.Context, p kernel.Principal, id, requestID string) (*community.JoinRequest, error) {
	r, err := s.approve(ctx, p, id, requestID)
	return r, s.record(ctx, p, decisionEvent(audit.ActionJoinRequestApprove, id, requestID, r), err)
}

func (s *Service) approve(ctx context.Context, p kernel.Principal, id, requestID string) (*community.JoinRequest, error) {
	c, err := s.managed(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.request(ctx, id, requestID); err != nil {
		return nil, err
	}
	now := s.now()
	r, err := s.Requests.Update(ctx, requestID, func(r *community.JoinRequest) error {
		return r.Approve(p.UserID, now)
	})
	if err != nil {
		return nil, err
	}
	m := &community.Membership{CommunityID: id, UserID: r.UserID, Role: community.RoleMember, AddedAt: now}
	if err := s.join(ctx, m); err != nil && !errors.Is(err, community.ErrAlreadyMember) {
		return nil, err
	}
	s.notifyDecision(ctx, c, r)
	return r, nil
}

// Reject declines a pending request, with an optional reason the requester is
// told. It records join_request.reject (without the reason: the admin's text).
func (s *Service) Reject(ctx context.Context, p kernel.Principal, id, requestID, reason string) (*community.JoinRequest, error) {
	r, err := s.reject(ctx, p, id, requestID, reason)
	return r, s.record(ctx, p, decisionEvent(audit.ActionJoinRequestReject, id, requestID, r), err)
}

func (s *Service) reject(ctx context.Context, p kernel.Principal, id, requestID, reason string) (*community.JoinRequest, error) {
	c, err := s.managed(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.request(ctx, id, requestID); err != nil {
		return nil, err
	}
	now := s.now()
	r, err := s.Requests.Update(ctx, requestID, func(r *community.JoinRequest) error {
		return r.Reject(p.UserID, reason, now)
	})
	if err != nil {
		return nil, err
	}
	s.notifyDecision(ctx, c, r)
	return r, nil
}

// Withdraw cancels the caller's own pending request: join_request.withdraw.
func (s *Service) Withdraw(ctx context.Context, p kernel.Principal, id, requestID string) error {
	return s.record(ctx, p, decisionEvent(audit.ActionJoinRequestWithdraw, id, requestID, nil), s.withdraw(ctx, p, id, requestID))
}

// decisionEvent targets the request decided on (r, when known, names its requester).
func decisionEvent(action, communityID, requestID string, r *community.JoinRequest) audit.Event {
	e := audit.Event{Action: action, TargetType: audit.TargetJoinRequest, TargetID: requestID, Details: map[string]string{"community_id": communityID}}
	if r != nil {
		e.Details["user_id"] = r.UserID
	}
	return e
}

func (s *Service) withdraw(ctx context.Context, p kernel.Principal, id, requestID string) error {
	if _, err := s.Communities.Get(ctx, id); err != nil {
		return err
	}
	r, err := s.request(ctx, id, requestID)
	if err != nil {
		return err
	}
	if !p.IsSelf(r.UserID) {
		return community.ErrNotRequester
	}
	now := s.now()
	_, err = s.Requests.Update(ctx, requestID, func(r *community.JoinRequest) error { return r.Withdraw(now) })
	return err
}
