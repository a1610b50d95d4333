package sqlitestore

import (
	"path/filepath"
	"testing"
)

// A chain written before the audit counts were kept is counted when the
// step that keeps them runs, and counted on from there.
func TestTheAuditCountsStepCountsTheEventsAlreadyThere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civictrust.db")
	steps := migrations()
	before := 0
	for before < len(steps) && steps[before].Name != "audit_counts" {
		before++
	}
	old, err := open(t.Context(), path, Options{}, steps[:before])
	if err != nil {
		t.Fatal(err)
	}
	insert := func(db *DB, seq int, actor, action, target string) {
		t.Helper()
		if _, err := db.Exec(t.Context(), `INSERT INTO audit_events (seq, id, at, actor_id, action, target_type, target_id, ip,
			user_agent, request_id, outcome, details, prev_hash, hash) VALUES (?, ?, 0, ?, ?, 'dataset', ?, '', '', '', 'success', '{}', '', '')`,
			seq, "e"+string(rune('0'+seq)), actor, action, target); err != nil {
			t.Fatal(err)
		}
	}
	insert(old, 1, "ada", "dataset.viewed", "d1")
	insert(old, 2, "ada", "dataset.viewed", "d2")
	insert(old, 3, "bob", "dataset.downloaded", "d1")
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	insert(db, 4, "bob", "dataset.viewed", "d1")
	for _, c := range []struct {
		dimension, value string
		want             int
	}{
		{"all", "", 4}, {"actor", "ada", 2}, {"actor", "bob", 2}, {"action", "dataset.viewed", 3},
		{"action", "dataset.downloaded", 1}, {"target", "dataset\td1", 3}, {"target", "dataset\td2", 1},
	} {
		var n int
		if err := db.Reader(t.Context()).QueryRowContext(t.Context(), `SELECT n FROM audit_event_counts WHERE dimension = ? AND value = ?`,
			c.dimension, c.value).Scan(&n); err != nil || n != c.want {
			t.Errorf("count of %s %q = %d, %v; want %d", c.dimension, c.value, n, err, c.want)
		}
	}
}
