// Package ratelimitsqlite keeps the rate limits' slots on the embedded SQLite store.
package ratelimitsqlite

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Store keeps slots in "rate_limit_slots", keyed by (key, window, n).
type Store struct{ db *sqlitestore.DB }

var _ platformport.RateLimitStore = (*Store)(nil)

// New returns the store on db.
func New(db *sqlitestore.DB) *Store { return &Store{db: db} }

// Claim creates the slot unless it exists.
func (s *Store) Claim(ctx context.Context, slot platformport.RateLimitSlot) (bool, error) {
	res, err := s.db.Exec(ctx, `INSERT OR IGNORE INTO rate_limit_slots (key, window, n, ends) VALUES (?, ?, ?, ?)`,
		slot.Key, sqlitestore.Millis(slot.Window), slot.N, sqlitestore.Millis(slot.Ends))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, sqlitestore.Translate(err)
}

// Purge deletes the slots of windows that ended before t.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM rate_limit_slots WHERE ends < ?`, sqlitestore.Millis(before))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, sqlitestore.Translate(err)
}
