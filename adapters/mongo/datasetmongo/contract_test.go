package datasetmongo_test

import (
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/mongo/datasetmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/datasetport/datasetporttest"
)

func TestDatasetRepository(t *testing.T) {
	unfaithful := mongotest.Unfaithful{"concurrent_add_version_loses_and_duplicates_nothing": mongotest.TwoStepUpdates}
	datasetporttest.TestDatasetRepository(t, func(t *testing.T) datasetport.DatasetRepository {
		unfaithful.Skip(t)
		return datasetmongo.NewDatasetRepository(mongotest.Indexed(t, datasetmongo.Indexes()...))
	})
}

// The application makes every identifier: one this store cannot hold is a
// bug (an internal error), not a client's "not found".
func TestCreateWithAMalformedIDIsAnInternalError(t *testing.T) {
	repo := datasetmongo.NewDatasetRepository(mongotest.Indexed(t, datasetmongo.Indexes()...))
	for _, id := range []string{"", "nope"} {
		err := repo.Create(t.Context(), dataset.Restore(dataset.Snapshot{ID: id, Title: "t", CreatedAt: time.Now().UTC()}))
		if kernel.KindOf(err) != kernel.KindInternal {
			t.Errorf("create a dataset with id %q: %v, want an internal error", id, err)
		}
	}
}

func TestUploadRepository(t *testing.T) {
	unfaithful := mongotest.Unfaithful{"concurrent_takes_give_the_lock_to_one": mongotest.TwoStepUpdates}
	datasetporttest.TestUploadRepository(t, func(t *testing.T) datasetport.UploadRepository {
		unfaithful.Skip(t)
		return datasetmongo.NewUploadRepository(mongotest.Indexed(t, datasetmongo.Indexes()...))
	})
}
