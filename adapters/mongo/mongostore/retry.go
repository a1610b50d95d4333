package mongostore

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// NotFoundAs maps a missing document to a context's own not-found sentinel and
// translates every other error.
func NotFoundAs(err, notFound error) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return notFound
	}
	return Translate(err)
}

// Backoff waits a little (1 ms more per attempt, at most 20 ms) before a lost
// compare-and-set is retried; it returns early when ctx ends.
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
