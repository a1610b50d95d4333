// Package sqlitetest gives tests a fresh embedded store in a temporary folder.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
)

// Open returns a new, empty database, closed when the test ends.
func Open(t testing.TB) *sqlitestore.DB {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "civictrust.db"))
}

// OpenAt opens the database file at path (another process's view of it when
// the file is open already), closed when the test ends.
func OpenAt(t testing.TB, path string) *sqlitestore.DB {
	t.Helper()
	return OpenWith(t, path, sqlitestore.Options{})
}

// OpenWith is OpenAt with options.
func OpenWith(t testing.TB, path string, o sqlitestore.Options) *sqlitestore.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := sqlitestore.Open(ctx, path, o)
	if err != nil {
		t.Fatalf("sqlitetest: open %s: %v", path, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("sqlitetest: close %s: %v", path, err)
		}
	})
	return db
}
