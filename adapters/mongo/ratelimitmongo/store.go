// Package ratelimitmongo keeps rate-limit slots in MongoDB, so that every
// replica counts against the same limits.
//
// A slot is a document whose _id is "<key>|<window start, unix seconds>|<n>".
// Claiming a slot is an insert, which the unique _id settles among any number
// of replicas claiming it at once. No document is ever updated.
package ratelimitmongo

import (
	"context"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Collection holds the slots.
const Collection = "rate_limits"

// Store keeps slots in the "rate_limits" collection.
type Store struct {
	c *mongo.Collection
}

var _ platformport.RateLimitStore = (*Store)(nil)

// New returns the store on db.
func New(db *mongo.Database) *Store { return &Store{c: db.Collection(Collection)} }

// Indexes are the indexes the store needs: the purge filters on expires_at.
func Indexes() []mongostore.Index {
	return []mongostore.Index{{Collection: Collection, Keys: bson.D{{Key: "expires_at", Value: 1}}}}
}

type slotDoc struct {
	ID        string    `bson:"_id"`
	Window    time.Time `bson:"window"`
	ExpiresAt time.Time `bson:"expires_at"`
}

func toSlotDoc(s platformport.RateLimitSlot) slotDoc {
	return slotDoc{
		ID:        s.Key + "|" + strconv.FormatInt(s.Window.Unix(), 10) + "|" + strconv.Itoa(s.N),
		Window:    s.Window.UTC(),
		ExpiresAt: s.Ends.UTC(),
	}
}

// Claim inserts the slot; a duplicate _id means another request has it.
func (s *Store) Claim(ctx context.Context, slot platformport.RateLimitSlot) (bool, error) {
	_, err := s.c.InsertOne(ctx, toSlotDoc(slot))
	switch {
	case err == nil:
		return true, nil
	case mongostore.IsDuplicateKey(err):
		return false, nil
	default:
		return false, mongostore.Translate(err)
	}
}

// Purge deletes the slots of windows that ended before t.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.c.DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lt", Value: before.UTC()}}}})
	if err != nil {
		return 0, mongostore.Translate(err)
	}
	return res.DeletedCount, nil
}
