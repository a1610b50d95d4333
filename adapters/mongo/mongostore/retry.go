package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// maxCASAttempts bounds the attempts of one CompareAndSet: a document that
// other writers change this often is reported as changed concurrently.
const maxCASAttempts = 64

// CompareAndSet is the loop of every read-modify-write: attempt reads the
// document, applies the caller's change and stores the result only if the
// document is still the version it read (ReplaceIfVersion), reporting
// stored = false when another writer came first. Lost attempts are retried
// after a short backoff; after maxCASAttempts of them it fails with stale,
// the context's "changed concurrently" sentinel. An error from attempt ends
// the loop.
func CompareAndSet[T any](ctx context.Context, stale error, attempt func() (v T, stored bool, err error)) (T, error) {
	var zero T
	for i := range maxCASAttempts {
		v, stored, err := attempt()
		if err != nil {
			return zero, err
		}
		if stored {
			return v, nil
		}
		if err := Backoff(ctx, i); err != nil {
			return zero, err
		}
	}
	return zero, stale
}

// ReplaceIfVersion replaces document id of c with doc if its version field
// (a counter of changes: "version", "revision") still holds version, in one
// atomic replace, and reports whether it did. The error is the driver's,
// for the caller to translate (a duplicate key may be its own sentinel).
func ReplaceIfVersion(ctx context.Context, c *mongo.Collection, id any, field string, version int64, doc any) (bool, error) {
	res, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: field, Value: version}}, doc)
	if err != nil {
		return false, err
	}
	return res.MatchedCount == 1, nil
}

// Backoff waits a little (1 ms more per attempt, at most 20 ms) before a lost
// race is retried; it returns early when ctx ends.
func Backoff(ctx context.Context, attempt int) error {
	d := min(time.Duration(attempt+1)*time.Millisecond, 20*time.Millisecond)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// UpdateIfVersion is CompareAndSet for a document with a version field
// (a counter of changes: "version", "revision"): load reads the current state
// and its version, apply makes the next state and the document that stores
// it, and the document replaces document oid only if field still holds the
// version loaded. An error from load or apply ends the loop; a driver error
// is translated.
func UpdateIfVersion[T any](ctx context.Context, c *mongo.Collection, oid bson.ObjectID, field string, stale error,
	load func() (cur T, version int64, err error), apply func(cur T) (next T, doc any, err error),
) (T, error) {
	return CompareAndSet(ctx, stale, func() (T, bool, error) {
		var zero T
		cur, version, err := load()
		if err != nil {
			return zero, false, err
		}
		next, doc, err := apply(cur)
		if err != nil {
			return zero, false, err
		}
		stored, err := ReplaceIfVersion(ctx, c, oid, field, version, doc)
		if err != nil {
			return zero, false, Translate(err)
		}
		return next, stored, nil
	})
}
