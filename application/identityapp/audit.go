package identityapp

import (
	"context"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Audit events of the identity context (API.md "Audit", issue 6).
//
// What happens when an event cannot be written is decided per event:
//   - The event of a change to an account (a sign-up, an administrator
//     created, a user changed or deleted) is written in one transaction with
//     the change (atomically, appendEvent): neither is kept without the
//     other, also when the process is killed between the two.
//   - A login's events (success, failure, denial, the lockout it causes) must
//     not be silently dropped: recordLogin fails the login with 503 instead, so
//     no one signs in, or guesses passwords, while the trail is down.
//   - The event of a refusal, and of the other changes, is written after it:
//     record reports a failure through the ErrorReporter (the operator's log)
//     and the request still succeeds.
//
// Append gives up after 5 s, so neither holds a request for long. Events carry
// ids, addresses and reasons, never passwords, tokens, links or bodies; a
// failed login for an unknown address records no address at all.

// event starts an event by the principal (or the context's caller) on a target.
func event(ctx context.Context, actorID, action, targetType, targetID string) audit.Event {
	e := audit.NewEvent(kernel.RequestMetaFrom(ctx), action, targetType, targetID)
	if actorID != "" {
		e.ActorID = actorID
	}
	return e
}

// atomically runs fn in one transaction of the store (platformport.Transactor).
func (s *Service) atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.Tx == nil {
		return fn(ctx)
	}
	return s.Tx.Atomically(ctx, fn)
}

// appendEvent appends the event of a change inside the change's transaction
// (see above): its failure fails the change.
func (s *Service) appendEvent(ctx context.Context, e audit.Event) error {
	if s.Audit == nil {
		return nil
	}
	_, err := s.Audit.Append(ctx, e)
	return err
}

// record appends a best-effort event (see above).
func (s *Service) record(ctx context.Context, e audit.Event) {
	if s.Audit == nil {
		return
	}
	if _, err := s.Audit.Append(ctx, e); err != nil {
		s.report(ctx, "audit "+e.Action, err)
	}
}

// recordLogin appends a login event that must not be lost; its failure is a 503.
func (s *Service) recordLogin(ctx context.Context, e audit.Event) error {
	if s.Audit == nil {
		return nil
	}
	_, err := s.Audit.Append(ctx, e)
	if err == nil {
		return nil
	}
	s.report(ctx, "audit "+e.Action, err)
	if kernel.KindOf(err) == kernel.KindUnavailable {
		return err
	}
	return kernel.Unavailable(err)
}

// recordResult records e with the outcome of err, when err says one (see
// audit.OutcomeOf), and returns err unchanged.
func (s *Service) recordResult(ctx context.Context, e audit.Event, err error) error {
	outcome, reason, ok := audit.OutcomeOf(err)
	if !ok {
		return err
	}
	e.Outcome = outcome
	if reason != "" {
		if e.Details == nil {
			e.Details = map[string]string{}
		}
		e.Details["reason"] = reason
	}
	s.record(ctx, e)
	return err
}
