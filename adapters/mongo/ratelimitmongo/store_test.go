package ratelimitmongo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/adapters/mongo/ratelimitmongo"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/platformport/platformporttest"
)

// The contract on the test engine, or on MongoDB with MONGODB_TEST_URI:
// concurrent steps through one client race on the store exactly as steps
// from several replicas do.
func TestRateLimitStore(t *testing.T) {
	var skips platformporttest.RateLimitStoreSkips
	if os.Getenv(mongotest.EnvURI) == "" {
		skips.Concurrent = "FerretDB v1 evaluates an update's filter and writes in two steps, so concurrent conditional updates can both apply"
	}
	platformporttest.TestRateLimitStore(t, func(t *testing.T) platformport.RateLimitStore {
		db := mongotest.Database(t)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := mongostore.EnsureIndexes(ctx, db, ratelimitmongo.Indexes()); err != nil {
			t.Fatal(err)
		}
		return ratelimitmongo.New(db)
	}, skips)
}
