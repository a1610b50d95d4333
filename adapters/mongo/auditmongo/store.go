// Package auditmongo stores the audit chain on MongoDB. Each event's _id is
// its sequence number, so two replicas can never both store event n: the
// second insert is a duplicate key and is sealed again after n.
//
// The _id is the number as a 19-digit zero-padded decimal string (Key): the
// chains stored by earlier versions use it, and padded strings sort like the
// numbers, so ordering by _id is sequence order.
package auditmongo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
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
	// appending holds this process's appends to one at a time: appends of
	// one process would otherwise take each other's numbers and retry; the
	// unique _id is what orders appends of different processes.
	appending sync.Mutex
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
		{Collection: eventsCollection, Keys: bson.D{{Key: "at", Value: 1}}, Name: "at"},
	}
}

type eventDoc struct {
	Key        string            `bson:"_id"` // Key(seq)
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

// headDoc records the newest event: what Verify checks the chain's end
// against (see auditport.Store.Head).
type headDoc struct {
	ID      string    `bson:"_id"`
	Seq     int64     `bson:"seq"`
	EventID string    `bson:"event_id"`
	At      time.Time `bson:"at"`
	Hash    string    `bson:"hash"`
}

// Key is the _id of event seq: its number as a 19-digit decimal string.
func Key(seq int64) string { return fmt.Sprintf("%019d", seq) }

// seqOf parses a Key; anything else is 0, which Verify reports as out of order.
func seqOf(key string) int64 {
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil || len(key) != 19 {
		return 0
	}
	return n
}

func toDoc(e *audit.Event) eventDoc {
	return eventDoc{Key: Key(e.Seq), ID: e.ID, At: e.At, ActorID: e.ActorID, Action: e.Action, TargetType: e.TargetType,
		TargetID: e.TargetID, IP: e.IP, UserAgent: e.UserAgent, RequestID: e.RequestID, Outcome: e.Outcome,
		Details: e.Details, PrevHash: e.PrevHash, Hash: e.Hash}
}

func (d eventDoc) toDomain() *audit.Event {
	return &audit.Event{Seq: seqOf(d.Key), ID: d.ID, At: d.At.UTC(), ActorID: d.ActorID, Action: d.Action, TargetType: d.TargetType,
		TargetID: d.TargetID, IP: d.IP, UserAgent: d.UserAgent, RequestID: d.RequestID, Outcome: d.Outcome,
		Details: d.Details, PrevHash: d.PrevHash, Hash: d.Hash}
}

// maxAppendAttempts bounds the retries of one Append while other replicas
// keep taking the next number.
const maxAppendAttempts = 100

// Append seals e after the end of the chain and inserts it; when another
// replica stored that number first, it reads the end again and retries. Then
// the head record moves forward to e.
func (s *Store) Append(ctx context.Context, e *audit.Event) error {
	s.appending.Lock()
	defer s.appending.Unlock()
	for attempt := 0; ; attempt++ {
		last, err := s.last(ctx)
		if err != nil {
			return err
		}
		head, err := s.Head(ctx)
		if err != nil {
			return err
		}
		e.Seal(audit.SealAfter(last, head))
		_, err = s.events.InsertOne(ctx, toDoc(e))
		if err == nil {
			break
		}
		if !mongostore.IsDuplicateKey(err) {
			return mongostore.Translate(err)
		}
		if attempt+1 == maxAppendAttempts {
			return kernel.ErrUnavailable.WithMessage("The audit trail is too busy; try again")
		}
		// Replicas that keep meeting each other fall out of step.
		if err := mongostore.Backoff(ctx, attempt); err != nil {
			return err
		}
	}
	return s.anchor(ctx, e)
}

// last is the event with the highest sequence number, nil for an empty chain.
func (s *Store) last(ctx context.Context) (*audit.Event, error) {
	var d eventDoc
	err := s.events.FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, mongostore.Translate(err)
	}
	return d.toDomain(), nil
}

// anchor moves the head record forward to e. The upsert creates the record
// the first time; when the record holds e.Seq or a newer event the filter does
// not match, the insert half fails as a duplicate _id, and that is exactly
// "leave it": never backwards.
func (s *Store) anchor(ctx context.Context, e *audit.Event) error {
	_, err := s.head.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: headID}, {Key: "seq", Value: bson.D{{Key: "$lt", Value: e.Seq}}}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "seq", Value: e.Seq}, {Key: "event_id", Value: e.ID}, {Key: "at", Value: e.At}, {Key: "hash", Value: e.Hash},
		}}}, options.UpdateOne().SetUpsert(true))
	if err != nil && !mongostore.IsDuplicateKey(err) {
		return mongostore.Translate(err)
	}
	return nil
}

// Head returns what the head record says about the end of the chain.
func (s *Store) Head(ctx context.Context) (*audit.Event, error) {
	var h headDoc
	err := s.head.FindOne(ctx, bson.D{{Key: "_id", Value: headID}}).Decode(&h)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, mongostore.Translate(err)
	}
	return &audit.Event{Seq: h.Seq, ID: h.EventID, At: h.At.UTC(), Hash: h.Hash}, nil
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
	out, err := mongostore.FindAll(ctx, s.events, q, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetSkip(int64(skip)).SetLimit(int64(limit)), eventDoc.toDomain)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Walk streams the events that match f in sequence order.
func (s *Store) Walk(ctx context.Context, f auditport.Filter, fn func(*audit.Event) bool) error {
	cur, err := s.events.Find(ctx, filter(f), options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(1000))
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
