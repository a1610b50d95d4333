// Package ratelimitsqlite keeps the rate limits' state on the embedded SQLite store.
package ratelimitsqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Store keeps each key's theoretical arrival time in "rate_limits".
type Store struct{ db *sqlitestore.DB }

var _ platformport.RateLimitStore = (*Store)(nil)

// New returns the store on db.
func New(db *sqlitestore.DB) *Store { return &Store{db: db} }

// Step performs one GCRA step on a key in one write transaction: steps of
// every process on the file take their turns.
func (s *Store) Step(ctx context.Context, step platformport.RateLimitStep) (platformport.RateLimitResult, error) {
	var res platformport.RateLimitResult
	err := s.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		now := step.Now.UnixNano()
		tat := now
		var stored int64
		switch err := tx.QueryRowContext(ctx, `SELECT tat FROM rate_limits WHERE key = ?`, step.Key).Scan(&stored); {
		case err == nil:
			tat = max(stored, now)
		case !errors.Is(err, sql.ErrNoRows):
			return sqlitestore.Translate(err)
		}
		if tat-now > step.Tolerance.Nanoseconds() {
			res = platformport.RateLimitResult{Allowed: false, TAT: time.Unix(0, tat).UTC()}
			return nil
		}
		next := tat + step.Interval.Nanoseconds()
		if _, err := tx.ExecContext(ctx, `INSERT INTO rate_limits (key, tat) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET tat = excluded.tat`, step.Key, next); err != nil {
			return sqlitestore.Translate(err)
		}
		res = platformport.RateLimitResult{Allowed: true, TAT: time.Unix(0, next).UTC()}
		return nil
	})
	return res, err
}

// Purge deletes the keys whose TAT is before t.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM rate_limits WHERE tat < ?`, before.UnixNano())
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return n, sqlitestore.Translate(err)
}
