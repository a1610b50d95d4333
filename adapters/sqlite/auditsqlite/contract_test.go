package auditsqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/auditsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/auditport/auditporttest"
)

func TestStore(t *testing.T) {
	auditporttest.TestStore(t, func(t *testing.T, n int) []auditport.Store {
		// Each replica opens the file as a process of its own would.
		path := filepath.Join(t.TempDir(), "civictrust.db")
		out := make([]auditport.Store, n)
		for i := range out {
			out[i] = auditsqlite.NewStore(sqlitetest.OpenAt(t, path))
		}
		return out
	})
}
