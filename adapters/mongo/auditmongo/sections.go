package auditmongo

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the audit chain of db and its head record, for export and
// import: the events exactly as sealed.
func Sections(db *mongo.Database) []storeport.Section {
	return []storeport.Section{
		mongostore.NewSection(db.Collection(headCollection), storeport.KindAuditHead, func(h headDoc) any {
			return &audit.Event{Seq: h.Seq, ID: h.EventID, At: h.At.UTC(), Hash: h.Hash}
		}, mongostore.Record(func(e *audit.Event) (any, error) {
			return headDoc{ID: headID, Seq: e.Seq, EventID: e.ID, At: e.At, Hash: e.Hash}, nil
		})),
		mongostore.NewSection(db.Collection(eventsCollection), storeport.KindAuditEvent, func(d eventDoc) any { return d.toDomain() },
			mongostore.Record(func(e *audit.Event) (any, error) { return toDoc(e), nil })),
	}
}
