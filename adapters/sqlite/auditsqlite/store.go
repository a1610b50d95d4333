// Package auditsqlite keeps the audit chain on the embedded SQLite store.
package auditsqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// Store keeps events in "audit_events", numbered by their primary key, and
// the end of the chain in "audit_head".
type Store struct{ db *sqlitestore.DB }

var _ auditport.Store = (*Store)(nil)

// NewStore returns the store on db.
func NewStore(db *sqlitestore.DB) *Store { return &Store{db: db} }

const eventColumns = `seq, id, at, actor_id, action, target_type, target_id, ip, user_agent, request_id, outcome, details,
	prev_hash, hash`

// Append seals e after the end of the chain and stores it with the head record, in
// one transaction: the write lock it holds from its start orders appends of
// every process on the file.
func (s *Store) Append(ctx context.Context, e *audit.Event) error {
	return s.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		last, err := lastEvent(ctx, tx)
		if err != nil {
			return err
		}
		head, err := readHead(ctx, tx)
		if err != nil {
			return err
		}
		e.Seal(audit.SealAfter(last, head))
		return insertEvent(ctx, tx, e, true)
	})
}

// lastEvent is the link of the chain's last event (its sequence number and
// hash, what the next event is sealed after), nil when it is empty.
func lastEvent(ctx context.Context, q sqlitestore.Querier) (*audit.Event, error) {
	var e audit.Event
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&e.Seq, &e.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	return &e, nil
}

// insertEvent stores a sealed event as it is, and moves the head record to it
// when moveHead.
func insertEvent(ctx context.Context, tx *sqlitestore.Tx, e *audit.Event, moveHead bool) error {
	details := e.Details
	if details == nil {
		details = map[string]string{}
	}
	enc, err := sqlitestore.JSON(details)
	if err != nil {
		return err
	}
	// Events are inserted in sequence order (appends and imports alike), so
	// the next position of each is one past the newest event's.
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_events (`+eventColumns+`,
		actor_position, action_position, target_position)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
		coalesce((SELECT actor_position FROM audit_events WHERE actor_id = ?4 ORDER BY seq DESC LIMIT 1), 0) + 1,
		coalesce((SELECT action_position FROM audit_events WHERE action = ?5 ORDER BY seq DESC LIMIT 1), 0) + 1,
		coalesce((SELECT target_position FROM audit_events WHERE target_type = ?6 AND target_id = ?7
			ORDER BY seq DESC LIMIT 1), 0) + 1)`,
		e.Seq, e.ID, sqlitestore.Millis(e.At), e.ActorID, e.Action, e.TargetType, e.TargetID, e.IP, e.UserAgent,
		e.RequestID, e.Outcome, enc, e.PrevHash, e.Hash); err != nil {
		return sqlitestore.Translate(err)
	}
	if !moveHead {
		return nil
	}
	return writeHead(ctx, tx, e)
}

// writeHead records e as the end of the chain.
func writeHead(ctx context.Context, tx *sqlitestore.Tx, e *audit.Event) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_head (only, seq, event_id, at, hash) VALUES (1, ?, ?, ?, ?)
		ON CONFLICT (only) DO UPDATE SET seq = excluded.seq, event_id = excluded.event_id, at = excluded.at,
		hash = excluded.hash WHERE excluded.seq > audit_head.seq`, e.Seq, e.ID, sqlitestore.Millis(e.At), e.Hash)
	return sqlitestore.Translate(err)
}

func scanEvent(row sqlitestore.Scanner) (*audit.Event, error) {
	var (
		e       audit.Event
		at      int64
		details string
	)
	if err := row.Scan(&e.Seq, &e.ID, &at, &e.ActorID, &e.Action, &e.TargetType, &e.TargetID, &e.IP, &e.UserAgent,
		&e.RequestID, &e.Outcome, &details, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At = sqlitestore.Time(at)
	if err := sqlitestore.FromJSON(details, &e.Details); err != nil {
		return nil, err
	}
	if len(e.Details) == 0 {
		e.Details = nil
	}
	return &e, nil
}

// Head returns the recorded end of the chain.
func (s *Store) Head(ctx context.Context) (*audit.Event, error) {
	return readHead(ctx, s.db.Reader(ctx))
}

func readHead(ctx context.Context, q sqlitestore.Querier) (*audit.Event, error) {
	var (
		e  audit.Event
		at int64
	)
	err := q.QueryRowContext(ctx, `SELECT seq, event_id, at, hash FROM audit_head WHERE only = 1`).
		Scan(&e.Seq, &e.ID, &at, &e.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	e.At = sqlitestore.Time(at)
	return &e, nil
}

// listFrom is what List reads from for f: with only a time window, the
// events through their time index (a cost of the window, not of the chain;
// the planner, without statistics, would read the chain backwards from its
// end instead).
func listFrom(f auditport.Filter) string {
	if f.ActorID == "" && f.Action == "" && f.TargetType == "" && f.TargetID == "" && (!f.Since.IsZero() || !f.Until.IsZero()) {
		return `audit_events INDEXED BY audit_events_by_time`
	}
	return `audit_events`
}

// filterWhere is the condition of f.
func filterWhere(f auditport.Filter) (string, []any) {
	conds, args := []string{}, []any{}
	add := func(cond string, arg any) { conds, args = append(conds, cond), append(args, arg) }
	if f.ActorID != "" {
		add(`actor_id = ?`, f.ActorID)
	}
	if f.Action != "" {
		add(`action = ?`, f.Action)
	}
	if f.TargetType != "" {
		add(`target_type = ?`, f.TargetType)
	}
	if f.TargetID != "" {
		add(`target_id = ?`, f.TargetID)
	}
	if !f.Since.IsZero() {
		add(`at >= ?`, sqlitestore.Millis(f.Since))
	}
	if !f.Until.IsZero() {
		add(`at <= ?`, sqlitestore.Millis(f.Until))
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

// countQuery is the statement that counts the events that match f: the
// position of the newest match when f names only an actor, an action or a
// target, else a count of the matches.
func countQuery(f auditport.Filter, where string, args []any) (string, []any) {
	newest := func(position, cond string, args ...any) (string, []any) {
		return `SELECT coalesce((SELECT ` + position + ` FROM audit_events WHERE ` + cond +
			` ORDER BY seq DESC LIMIT 1), 0)`, args
	}
	if f.Since.IsZero() && f.Until.IsZero() {
		target := f.TargetType != "" || f.TargetID != ""
		switch {
		case f.ActorID != "" && f.Action == "" && !target:
			return newest(`actor_position`, `actor_id = ?`, f.ActorID)
		case f.Action != "" && f.ActorID == "" && !target:
			return newest(`action_position`, `action = ?`, f.Action)
		case f.TargetType != "" && f.TargetID != "" && f.ActorID == "" && f.Action == "":
			return newest(`target_position`, `target_type = ? AND target_id = ?`, f.TargetType, f.TargetID)
		}
	}
	return `SELECT count(*) FROM audit_events WHERE ` + where, args
}

// List returns a page of events, newest first, and the number that match.
func (s *Store) List(ctx context.Context, f auditport.Filter, skip, limit int) ([]*audit.Event, int64, error) {
	where, args := filterWhere(f)
	count, countArgs := countQuery(f, where, args)
	var total int64
	if err := s.db.Reader(ctx).QueryRowContext(ctx, count, countArgs...).Scan(&total); err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	out := []*audit.Event{}
	if skip >= int(total) {
		return out, total, nil
	}
	err := s.query(ctx, `SELECT `+eventColumns+` FROM `+listFrom(f)+` WHERE `+where+` ORDER BY seq DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(skip, 0)), func(e *audit.Event) bool { out = append(out, e); return true })
	return out, total, err
}

// Walk calls fn for every event that matches f, in sequence order, until fn
// returns false. It reads in pages, so that a walk of the whole chain holds
// no read transaction open for long.
func (s *Store) Walk(ctx context.Context, f auditport.Filter, fn func(e *audit.Event) bool) error {
	where, args := filterWhere(f)
	const page = 1000
	after := int64(0)
	for {
		n, more := 0, true
		err := s.query(ctx, `SELECT `+eventColumns+` FROM audit_events WHERE seq > ? AND `+where+` ORDER BY seq LIMIT ?`,
			append(append([]any{after}, args...), page), func(e *audit.Event) bool {
				n++
				after = e.Seq
				more = fn(e)
				return more
			})
		if err != nil || !more || n < page {
			return err
		}
	}
}

func (s *Store) query(ctx context.Context, query string, args []any, fn func(e *audit.Event) bool) error {
	rows, err := s.db.Reader(ctx).QueryContext(ctx, query, args...)
	if err != nil {
		return sqlitestore.Translate(err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return sqlitestore.Translate(err)
		}
		if !fn(e) {
			return nil
		}
	}
	return sqlitestore.Translate(rows.Err())
}
