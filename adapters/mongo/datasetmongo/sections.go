package datasetmongo

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the dataset records of db, for export and import.
func Sections(db *mongo.Database) []storeport.Section {
	return []storeport.Section{
		mongostore.NewSection(db.Collection(datasetsCollection), storeport.KindDataset, func(d datasetDoc) any { return d.toDomain() },
			mongostore.WithID(func(d *dataset.Dataset) string { return d.ID() }, toDatasetDoc)),
	}
}
