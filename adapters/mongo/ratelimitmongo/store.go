// Package ratelimitmongo keeps rate-limit state in MongoDB, so that every
// replica counts against the same limits.
//
// A key is a document {_id: key, tat: <theoretical arrival time, Unix
// nanoseconds>}. A step reads it, and writes with one conditional update that
// holds only while the TAT is still in the region the read found:
//
//   - idle (no document, or a TAT at or before now): an upsert whose filter
//     asks for a TAT at or before now sets it to now+interval; a document made
//     busy meanwhile fails the filter, the upsert then collides on _id, and the
//     step starts again;
//   - busy (a TAT after now, within the tolerance): $inc adds the interval to
//     whatever the TAT is, under a filter that keeps it within the tolerance.
//     Concurrent busy steps never undo each other: each adds its interval
//     while the filter holds, and the ones that find it beyond fail and
//     start again.
//
// Each write is one single-document operation, atomic on MongoDB. A TAT
// found beyond the tolerance refuses the request without a write.
package ratelimitmongo

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Collection holds the keys.
const Collection = "rate_limits"

// maxAttempts bounds the reads and writes of one step. A step starts again
// only when another moved the key out of the region it read; with the time
// of the step fixed, that happens a few times at most.
const maxAttempts = 16

// Store keeps keys in the "rate_limits" collection.
type Store struct {
	c *mongo.Collection
}

var _ platformport.RateLimitStore = (*Store)(nil)

// New returns the store on db.
func New(db *mongo.Database) *Store { return &Store{c: db.Collection(Collection)} }

// Indexes are the indexes the store needs: the purge filters on tat.
func Indexes() []mongostore.Index {
	return []mongostore.Index{{Collection: Collection, Keys: bson.D{{Key: "tat", Value: 1}}}}
}

type keyDoc struct {
	ID  string `bson:"_id"`
	TAT int64  `bson:"tat"` // Unix nanoseconds
}

// errContended is a step that kept losing its region to other steps.
var errContended = errors.New("ratelimitmongo: the key kept changing under the step")

// Step performs one GCRA step on the key (see the package comment).
func (s *Store) Step(ctx context.Context, st platformport.RateLimitStep) (platformport.RateLimitResult, error) {
	now := st.Now.UnixNano()
	interval, tolerance := int64(st.Interval), int64(st.Tolerance)
	for range maxAttempts {
		var d keyDoc
		err := s.c.FindOne(ctx, bson.D{{Key: "_id", Value: st.Key}}).Decode(&d)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			d.TAT = now
		case err != nil:
			return platformport.RateLimitResult{}, mongostore.Translate(err)
		}
		if d.TAT <= now {
			ok, err := s.stepIdle(ctx, st.Key, now, interval)
			if err != nil {
				return platformport.RateLimitResult{}, err
			}
			if ok {
				return allowed(now + interval), nil
			}
			continue
		}
		if d.TAT-now > tolerance {
			return platformport.RateLimitResult{TAT: time.Unix(0, d.TAT).UTC()}, nil
		}
		tat, ok, err := s.stepBusy(ctx, st.Key, now, interval, tolerance)
		if err != nil {
			return platformport.RateLimitResult{}, err
		}
		if ok {
			return allowed(tat), nil
		}
	}
	return platformport.RateLimitResult{}, kernel.Unavailable(errContended)
}

func allowed(tat int64) platformport.RateLimitResult {
	return platformport.RateLimitResult{Allowed: true, TAT: time.Unix(0, tat).UTC()}
}

// stepIdle sets the TAT of a key that is idle (or absent) to now+interval;
// false: the key is busy now.
func (s *Store) stepIdle(ctx context.Context, key string, now, interval int64) (bool, error) {
	_, err := s.c.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: key}, {Key: "tat", Value: bson.D{{Key: "$lte", Value: now}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "tat", Value: now + interval}}}},
		options.UpdateOne().SetUpsert(true))
	switch {
	case err == nil:
		return true, nil
	case mongostore.IsDuplicateKey(err):
		return false, nil
	default:
		return false, mongostore.Translate(err)
	}
}

// stepBusy adds interval to a TAT that is after now and within tolerance of
// it; false: it is not (any more).
func (s *Store) stepBusy(ctx context.Context, key string, now, interval, tolerance int64) (int64, bool, error) {
	var d keyDoc
	err := s.c.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: key}, {Key: "tat", Value: bson.D{{Key: "$gt", Value: now}, {Key: "$lte", Value: now + tolerance}}}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "tat", Value: interval}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	switch {
	case err == nil:
		return d.TAT, true, nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return 0, false, nil
	default:
		return 0, false, mongostore.Translate(err)
	}
}

// Purge deletes the keys whose TAT is before t.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.c.DeleteMany(ctx, bson.D{{Key: "tat", Value: bson.D{{Key: "$lt", Value: before.UnixNano()}}}})
	if err != nil {
		return 0, mongostore.Translate(err)
	}
	return res.DeletedCount, nil
}
