// Package auditmongo stores the audit chain on MongoDB and the embedded store.
// Each event's _id is its sequence number, so two replicas can never both
// append event n: the second insert is a duplicate key and retries after n.
package auditmongo

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

const (
	eventsCollection = "audit_events"
	headCollection   = "audit_head"
	headID           = "head"
)

// Store implements auditport.Store.
type Store struct {
	events *mongo.Collection
	head   *mongo.Collection
}

var _ auditport.Store = (*Store)(nil)

// NewStore returns the store on db.
func NewStore(db *mongo.Database) *Store {
	return &Store{events: db.Collection(eventsCollection), head: db.Collection(headCollection)}
}

// Indexes are the indexes this package needs.
func Indexes() []mongostore.Index {
	return []mongostore.Index{
		{Collection: eventsCollection, Keys: bson.D{{Key: "target_type", Value: 1}, {Key: "target_id", Value: 1}}, Name: "target"},
		{Collection: eventsCollection, Keys: bson.D{{Key: "actor_id", Value: 1}}, Name: "actor"},
	}
}

type eventDoc struct {
	Seq        int64             `bson:"_id"`
	ID         string            `bson:"id"`
	At         time.Time         `bson:"at"`
	ActorID    string            `bson:"actor_id"`
	Action     string            `bson:"action"`
	TargetType string            `bson:"target_type"`
	TargetID   string            `bson:"target_id"`
	IP         string            `bson:"ip"`
	UserAgent  string            `bson:"user_agent"`
	RequestID  string            `bson:"request_id"`
	Outcome    string            `bson:"outcome"`
	Details    map[string]string `bson:"details,omitempty"`
	PrevHash   string            `bson:"prev_hash"`
	Hash       string            `bson:"hash"`
}

type headDoc struct {
	ID  string `bson:"_id"`
	Seq int64  `bson:"seq"`
}

func toDoc(e *audit.Event) eventDoc {
	return eventDoc{Seq: e.Seq, ID: e.ID, At: e.At, ActorID: e.ActorID, Action: e.Action, TargetType: e.TargetType,
		TargetID: e.TargetID, IP: e.IP, UserAgent: e.UserAgent, RequestID: e.RequestID, Outcome: e.Outcome,
		Details: e.Details, PrevHash: e.PrevHash, Hash: e.Hash}
}

func (d eventDoc) toDomain() *audit.Event {
	return &audit.Event{Seq: d.Seq, ID: d.ID, At: d.At.UTC(), ActorID: d.ActorID, Action: d.Action, TargetType: d.TargetType,
		TargetID: d.TargetID, IP: d.IP, UserAgent: d.UserAgent, RequestID: d.RequestID, Outcome: d.Outcome,
		Details: d.Details, PrevHash: d.PrevHash, Hash: d.Hash}
}

// Head returns the event the head hint points to (nil for an empty chain).
func (s *Store) Head(ctx context.Context) (*audit.Event, error) {
	var h headDoc
	err := s.head.FindOne(ctx, bson.D{{Key: "_id", Value: headID}}).Decode(&h)
	if errors.Is(err, mongo.ErrNoDocuments) || (err == nil && h.Seq == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, mongostore.Translate(err)
	}
	e, err := s.At(ctx, h.Seq)
	if errors.Is(err, kernel.ErrNotFound) {
		return nil, nil // a broken hint: Append catches up from the start
	}
	return e, err
}

// At returns event seq.
func (s *Store) At(ctx context.Context, seq int64) (*audit.Event, error) {
	var d eventDoc
	if err := s.events.FindOne(ctx, bson.D{{Key: "_id", Value: seq}}).Decode(&d); err != nil {
		return nil, mongostore.Translate(err)
	}
	return d.toDomain(), nil
}

// Insert stores a sealed event; a taken sequence number is a conflict. The head
// hint is then moved forward (best effort: Append catches up if it lags).
func (s *Store) Insert(ctx context.Context, e *audit.Event) error {
	if _, err := s.events.InsertOne(ctx, toDoc(e)); err != nil {
		return mongostore.Translate(err)
	}
	// Upsert: creates the hint the first time; when a newer head exists the
	// insert half fails as a duplicate, which is exactly "leave it".
	_, _ = s.head.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: headID}, {Key: "seq", Value: bson.D{{Key: "$lt", Value: e.Seq}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "seq", Value: e.Seq}}}}, options.UpdateOne().SetUpsert(true))
	return nil
}

func filter(f auditport.Filter) bson.D {
	q := bson.D{}
	for _, kv := range [][2]string{{"actor_id", f.ActorID}, {"action", f.Action}, {"target_type", f.TargetType}, {"target_id", f.TargetID}} {
		if kv[1] != "" {
			q = append(q, bson.E{Key: kv[0], Value: kv[1]})
		}
	}
	at := bson.D{}
	if !f.Since.IsZero() {
		at = append(at, bson.E{Key: "$gte", Value: f.Since})
	}
	if !f.Until.IsZero() {
		at = append(at, bson.E{Key: "$lte", Value: f.Until})
	}
	if len(at) > 0 {
		q = append(q, bson.E{Key: "at", Value: at})
	}
	return q
}

// List returns a page of events, newest first.
func (s *Store) List(ctx context.Context, f auditport.Filter, skip, limit int) ([]*audit.Event, int64, error) {
	q := filter(f)
	total, err := s.events.CountDocuments(ctx, q)
	if err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	cur, err := s.events.Find(ctx, q, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetSkip(int64(skip)).SetLimit(int64(limit)))
	if err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	var docs []eventDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	out := make([]*audit.Event, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.toDomain())
	}
	return out, total, nil
}

// Walk streams every event in sequence order.
func (s *Store) Walk(ctx context.Context, fn func(*audit.Event) bool) error {
	cur, err := s.events.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(1000))
	if err != nil {
		return mongostore.Translate(err)
	}
	defer func() { _ = cur.Close(context.WithoutCancel(ctx)) }()
	for cur.Next(ctx) {
		var d eventDoc
		if err := cur.Decode(&d); err != nil {
			return mongostore.Translate(err)
		}
		if !fn(d.toDomain()) {
			return nil
		}
	}
	return mongostore.Translate(cur.Err())
}
