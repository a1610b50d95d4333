package bridge

import (
	"context"
	"strconv"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// DatasetAccessLog makes the per-dataset access log a view over the audit
// trail: an entry is an event "dataset.<action>" on the dataset, with the
// version and the grant in its details.
type DatasetAccessLog struct{ audit auditport.Service }

var _ datasetport.AccessLog = DatasetAccessLog{}

// NewDatasetAccessLog returns the access log kept in a's trail.
func NewDatasetAccessLog(a auditport.Service) DatasetAccessLog { return DatasetAccessLog{audit: a} }

// Record appends e to the trail.
func (l DatasetAccessLog) Record(ctx context.Context, e datasetport.AccessEntry) error {
	details := map[string]string{"version": strconv.Itoa(e.Version)}
	if e.GrantID != "" {
		details["grant_id"] = e.GrantID
	}
	_, err := l.audit.Append(ctx, audit.Event{
		At: e.At, ActorID: e.ActorID, Action: "dataset." + e.Action, TargetType: "dataset", TargetID: e.DatasetID,
		IP: e.IP, UserAgent: e.UserAgent, RequestID: e.RequestID, Outcome: audit.Success, Details: details,
	})
	return err
}

// List returns a page of the dataset's entries, newest first.
func (l DatasetAccessLog) List(ctx context.Context, datasetID string, skip, limit int) ([]datasetport.AccessEntry, int64, error) {
	page := skip/max(limit, 1) + 1
	evs, total, err := l.audit.List(ctx, auditport.Filter{TargetType: "dataset", TargetID: datasetID}, page, limit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]datasetport.AccessEntry, 0, len(evs))
	for _, e := range evs {
		// An event of this view always has its version; one without reads as 0.
		v, _ := strconv.Atoi(e.Details["version"])
		out = append(out, datasetport.AccessEntry{
			ID: e.ID, Seq: e.Seq, DatasetID: e.TargetID, ActorID: e.ActorID, Action: e.Action, Version: v,
			GrantID: e.Details["grant_id"], IP: e.IP, UserAgent: e.UserAgent, RequestID: e.RequestID, At: e.At,
			Outcome: e.Outcome, PrevHash: e.PrevHash, Hash: e.Hash,
		})
	}
	return out, total, nil
}
