package datasetmongo_test

import (
	"context"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/mongo/datasetmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/datasetport/datasetporttest"
)

func TestDatasetRepository(t *testing.T) {
	mongotest.ForEachLockTable(t, func(t *testing.T, newLocks func() *mongostore.DocLocks) {
		datasetporttest.TestDatasetRepository(t, func(t *testing.T) datasetport.DatasetRepository {
			db := mongotest.Database(t)
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			if err := mongostore.EnsureIndexes(ctx, db, datasetmongo.Indexes()); err != nil {
				t.Fatalf("EnsureIndexes: %v", err)
			}
			return datasetmongo.NewDatasetRepository(db, newLocks())
		})
	})
}
