package auditport

import (
	"context"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// RecordOutcome appends e by actorID, stamped with the request in ctx, when
// err says an outcome (audit.OutcomeOf): a success, or a denial with its code
// in details.reason. Any other err, or no log, records nothing. It returns
// the append's failure, for the caller to report.
func RecordOutcome(ctx context.Context, log Log, actorID string, e audit.Event, err error) error {
	outcome, reason, ok := audit.OutcomeOf(err)
	if !ok || log == nil {
		return nil
	}
	meta := kernel.RequestMetaFrom(ctx)
	e.ActorID, e.IP, e.UserAgent, e.RequestID, e.Outcome = actorID, meta.IP, meta.UserAgent, meta.RequestID, outcome
	if reason != "" {
		if e.Details == nil {
			e.Details = map[string]string{}
		}
		e.Details["reason"] = reason
	}
	_, aerr := log.Append(ctx, e)
	return aerr
}
