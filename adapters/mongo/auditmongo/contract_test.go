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
	auditporttest.TestStore(t, func(t *testing.T) auditport.Store {
		db := mongotest.Database(t)
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		if err := mongostore.EnsureIndexes(ctx, db, auditmongo.Indexes()); err != nil {
			t.Fatalf("EnsureIndexes: %v", err)
		}
		return auditmongo.NewStore(db, mongostore.NewDocLocks())
	})
}
