package ratelimitmongo_test

import (
	"context"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/adapters/mongo/ratelimitmongo"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/platformport/platformporttest"
)

// The contract (on FerretDB, or on MongoDB with MONGODB_TEST_URI):
// concurrent claims through one client race on the primary key exactly as
// claims from several replicas do.
func TestRateLimitStore(t *testing.T) {
	platformporttest.TestRateLimitStore(t, func(t *testing.T) platformport.RateLimitStore {
		db := mongotest.Database(t)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := mongostore.EnsureIndexes(ctx, db, ratelimitmongo.Indexes()); err != nil {
			t.Fatal(err)
		}
		return ratelimitmongo.New(db)
	})
}
