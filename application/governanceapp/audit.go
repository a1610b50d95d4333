package governanceapp

import (
	"context"
	"strconv"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// Audit events of the governance context: every step of the loop records one
// event by the caller, or its denial (a caller without the right); refusals
// for any other reason change nothing and record nothing (audit.OutcomeOf).
// grant.expire is recorded by the service itself, once per grant, when it
// first finds the grant past its end. No user text goes in (a purpose, a
// reason): ids, versions and times only.
//
// The change has been made when the event is written, so a failed append is
// reported and the request still succeeds.

// record appends e by p with the outcome of err (when it says one) and
// returns err unchanged.
func (s *Service) record(ctx context.Context, p kernel.Principal, e audit.Event, err error) error {
	if aerr := auditport.RecordOutcome(ctx, s.Audit, p.UserID, e, err); aerr != nil {
		s.report(ctx, "audit "+e.Action, aerr)
	}
	return err
}

func event(action, targetType, targetID string, details map[string]string) audit.Event {
	return audit.Event{Action: action, TargetType: targetType, TargetID: targetID, Details: details}
}

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func itoa(n int) string { return strconv.Itoa(n) }
