package communityapp

import (
	"context"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// Audit events of the communities context: every change to a community, its
// members and its join requests records one event by the caller, or its
// denial (a caller without the right); refusals for any other reason change
// nothing and record nothing (audit.OutcomeOf). Membership events target the
// community and name the member in details.user_id; join-request events target
// the request and name its community and requester.
//
// A new community's event is written in one transaction with it
// (appendEvent). Every other change has been made when its event is written,
// so a failed append is reported through the ErrorReporter and the request
// still succeeds. Append gives up after 5 s. No request body goes in: a rejection
// reason or a request message is the users' text, not the trail's.

// record appends e by p with the outcome of err (when it says one) and
// returns err unchanged.
func (s *Service) record(ctx context.Context, p kernel.Principal, e audit.Event, err error) error {
	if aerr := auditport.RecordOutcome(ctx, s.Audit, p.UserID, e, err); aerr != nil {
		s.report(ctx, "audit "+e.Action, aerr)
	}
	return err
}

// atomically runs fn in one transaction of the store (platformport.Transactor).
func (s *Service) atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.Tx == nil {
		return fn(ctx)
	}
	return s.Tx.Atomically(ctx, fn)
}

// appendEvent appends the event of a change by p inside the change's
// transaction: its failure fails the change.
func (s *Service) appendEvent(ctx context.Context, p kernel.Principal, e audit.Event) error {
	if s.Audit == nil {
		return nil
	}
	meta := kernel.RequestMetaFrom(ctx)
	e.ActorID, e.IP, e.UserAgent, e.RequestID, e.Outcome = p.UserID, meta.IP, meta.UserAgent, meta.RequestID, audit.Success
	_, err := s.Audit.Append(ctx, e)
	return err
}

func communityEvent(action, id string, details map[string]string) audit.Event {
	return audit.Event{Action: action, TargetType: audit.TargetCommunity, TargetID: id, Details: details}
}

// requestEvent targets a join request (or, when none was filed, the community).
func requestEvent(action, communityID string, r *community.JoinRequest) audit.Event {
	if r == nil {
		return communityEvent(action, communityID, nil)
	}
	return audit.Event{Action: action, TargetType: audit.TargetJoinRequest, TargetID: r.ID,
		Details: map[string]string{"community_id": communityID, "user_id": r.UserID}}
}
