package datasetmem_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/memory/datasetmem"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/datasetport/datasetporttest"
)

func TestDatasetRepository(t *testing.T) {
	datasetporttest.TestDatasetRepository(t, func(*testing.T) datasetport.DatasetRepository {
		return datasetmem.NewDatasetRepository()
	})
}

func TestUploadRepository(t *testing.T) {
	datasetporttest.TestUploadRepository(t, func(*testing.T) datasetport.UploadRepository {
		return datasetmem.NewUploadRepository()
	})
}
