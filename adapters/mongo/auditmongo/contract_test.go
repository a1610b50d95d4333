package auditmongo_test

import (
	"context"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/mongo/auditmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/auditport/auditporttest"
)

func TestStore(t *testing.T) {
	auditporttest.TestStore(t, func(t *testing.T, n int) []auditport.Store {
		db := mongotest.Database(t)
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		if err := mongostore.EnsureIndexes(ctx, db, auditmongo.Indexes()); err != nil {
			t.Fatalf("EnsureIndexes: %v", err)
		}
		// Each replica has a client of its own, as a process would.
		out := make([]auditport.Store, n)
		for i := range out {
			out[i] = auditmongo.NewStore(mongotest.Reconnect(t, db))
		}
		return out
	})
}
