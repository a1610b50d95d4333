package datasetsqlite

import (
	"context"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the dataset records of db, for export and import.
func Sections(db *sqlitestore.DB) []storeport.Section {
	return []storeport.Section{
		sqlitestore.NewSection(db, storeport.KindDataset, "datasets", eachDataset, sqlitestore.Typed(insertDataset)),
	}
}

func eachDataset(ctx context.Context, q sqlitestore.Querier, fn func(v any) error) error {
	return sqlitestore.Paged(ctx, 500, func(after string, limit int) ([]any, string, error) {
		ds, err := queryDatasets(ctx, q, `SELECT `+datasetColumns+` FROM datasets WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
		if err != nil || len(ds) == 0 {
			return nil, "", err
		}
		out := make([]any, len(ds))
		for i, d := range ds {
			out[i] = d
		}
		return out, ds[len(ds)-1].ID(), nil
	}, fn)
}
