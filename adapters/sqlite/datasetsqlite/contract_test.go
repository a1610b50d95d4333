package datasetsqlite_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/datasetsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/datasetport/datasetporttest"
)

func TestDatasetRepository(t *testing.T) {
	datasetporttest.TestDatasetRepository(t, func(t *testing.T) datasetport.DatasetRepository {
		return datasetsqlite.NewDatasetRepository(sqlitetest.Open(t))
	})
}

func TestUploadRepository(t *testing.T) {
	datasetporttest.TestUploadRepository(t, func(t *testing.T) datasetport.UploadRepository {
		return datasetsqlite.NewUploadRepository(sqlitetest.Open(t))
	})
}
