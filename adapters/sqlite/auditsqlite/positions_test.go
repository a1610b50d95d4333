package auditsqlite_test

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/auditsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// A log written before events kept their positions gets them when the
// migration that adds them runs: its totals, and those of the events
// appended after, are the numbers of matching events.
func TestALogOfAnOlderSchemaIsCountedRight(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civictrust.db")
	older := sqlitetest.OpenAt(t, path)
	s := auditsqlite.NewStore(older)
	appendEvents := func(s *auditsqlite.Store, from, to int) {
		for i := from; i <= to; i++ {
			at := time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)
			e := &audit.Event{ID: kernel.NewID(at), At: at, ActorID: "a" + strconv.Itoa(i%3), Action: "test." + strconv.Itoa(i%2),
				TargetType: "thing", TargetID: strconv.Itoa(i % 4), Outcome: audit.Success}
			if err := s.Append(t.Context(), e); err != nil {
				t.Fatal(err)
			}
		}
	}
	appendEvents(s, 1, 10)
	// What the file held before the migration: no positions.
	for _, q := range []string{
		`ALTER TABLE audit_events DROP COLUMN actor_position`,
		`ALTER TABLE audit_events DROP COLUMN action_position`,
		`ALTER TABLE audit_events DROP COLUMN target_position`,
		`DELETE FROM schema_migrations WHERE name = 'audit_positions'`,
	} {
		if _, err := older.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	migrated := auditsqlite.NewStore(sqlitetest.OpenAt(t, path))
	appendEvents(migrated, 11, 12)
	for _, c := range []struct {
		f    auditport.Filter
		want int64
	}{
		{auditport.Filter{ActorID: "a0"}, 4},                      // 3 6 9 12
		{auditport.Filter{ActorID: "a1"}, 4},                      // 1 4 7 10
		{auditport.Filter{Action: "test.1"}, 6},                   // the odd ones
		{auditport.Filter{TargetType: "thing", TargetID: "3"}, 3}, // 3 7 11
		{auditport.Filter{ActorID: "nobody"}, 0},
	} {
		page, total, err := migrated.List(t.Context(), c.f, 0, 1)
		if err != nil || total != c.want || len(page) != min(1, int(c.want)) {
			t.Errorf("List(%+v) = %d events of %d, %v; want a page of %d", c.f, len(page), total, err, c.want)
		}
	}
}
