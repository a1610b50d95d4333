package datasetsqlite_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/datasetsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// A store written before datasets kept their tags in their row gets them
// from dataset_tags, in their order, when migration 0011 runs.
func TestTagsOfAStoreWrittenBeforeTagLists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civictrust.db")
	older := sqlitetest.OpenAt(t, path)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	want := map[string][]string{}
	for i, tags := range [][]string{{"traffic", "counts", "2026"}, {}, {"budget"}} {
		d, err := dataset.New(kernel.NewID(at.Add(time.Duration(i)*time.Second)), dataset.Draft{Title: "t", OwnerID: "o", Tags: tags},
			dataset.File{Filename: "f.csv", ContentType: "text/csv", Size: 1, SHA256: "00", BlobKey: "k"}, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := datasetsqlite.NewDatasetRepository(older).Create(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		want[d.ID()] = tags
	}
	for _, q := range []string{`ALTER TABLE datasets DROP COLUMN tags`, `DELETE FROM schema_migrations WHERE version = 11`} {
		if _, err := older.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	repo := datasetsqlite.NewDatasetRepository(sqlitetest.OpenAt(t, path))
	page, _, err := repo.List(t.Context(), datasetport.Filter{Scope: datasetport.Scope{All: true}}, 0, 10)
	if err != nil || len(page) != len(want) {
		t.Fatalf("List = %d datasets, %v; want %d", len(page), err, len(want))
	}
	for _, d := range page {
		if !slices.Equal(d.Tags(), want[d.ID()]) {
			t.Errorf("tags of %s = %q; want %q", d.ID(), d.Tags(), want[d.ID()])
		}
	}
}
