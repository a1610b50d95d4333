package identitysqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// SessionRepository stores sessions in "sessions"; the rotated-away refresh
// hashes, a short list only ever read with its session, are one JSON column.
type SessionRepository struct{ db *sqlitestore.DB }

var _ identityport.SessionRepository = (*SessionRepository)(nil)

// NewSessionRepository returns the repository on db.
func NewSessionRepository(db *sqlitestore.DB) *SessionRepository { return &SessionRepository{db: db} }

const sessionColumns = `id, user_id, refresh_hash, previous_hashes, rotation_nonce, rotated_at, created_at, last_used_at,
	expires_at, absolute_expires_at, revoked_at, ip, user_agent, version`

func scanSession(row sqlitestore.Scanner) (*identity.Session, error) {
	var (
		s                                                     identity.Session
		previous                                              string
		rotatedAt, createdAt, lastUsedAt, expiresAt, absolute int64
		revokedAt                                             sql.NullInt64
	)
	if err := row.Scan(&s.ID, &s.UserID, &s.RefreshHash, &previous, &s.RotationNonce, &rotatedAt, &createdAt, &lastUsedAt, &expiresAt,
		&absolute, &revokedAt, &s.IP, &s.UserAgent, &s.Revision); err != nil {
		return nil, err
	}
	if err := sqlitestore.FromJSON(previous, &s.PreviousHashes); err != nil {
		return nil, err
	}
	s.RotatedAt, s.CreatedAt, s.LastUsedAt = sqlitestore.Time(rotatedAt), sqlitestore.Time(createdAt), sqlitestore.Time(lastUsedAt)
	s.ExpiresAt, s.AbsoluteExpiresAt = sqlitestore.Time(expiresAt), sqlitestore.Time(absolute)
	s.RevokedAt = sqlitestore.TimePtr(revokedAt)
	return &s, nil
}

// sessionValues are s's columns in sessionColumns' order.
func sessionValues(s *identity.Session) ([]any, error) {
	previous := s.PreviousHashes
	if previous == nil {
		previous = []string{}
	}
	prev, err := sqlitestore.JSON(previous)
	if err != nil {
		return nil, err
	}
	return []any{s.ID, s.UserID, s.RefreshHash, prev, s.RotationNonce, sqlitestore.Millis(s.RotatedAt), sqlitestore.Millis(s.CreatedAt),
		sqlitestore.Millis(s.LastUsedAt), sqlitestore.Millis(s.ExpiresAt), sqlitestore.Millis(s.AbsoluteExpiresAt),
		sqlitestore.NullMillis(s.RevokedAt), s.IP, s.UserAgent, s.Revision}, nil
}

// Create stores a new session; a taken id is a conflict.
func (r *SessionRepository) Create(ctx context.Context, s *identity.Session) error {
	s.Revision = 1
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertSession(ctx, tx, s) })
}

func insertSession(ctx context.Context, tx *sqlitestore.Tx, s *identity.Session) error {
	vals, err := sessionValues(s)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, vals...)
	if sqlitestore.IsUnique(err) {
		return kernel.ErrConflict
	}
	return sqlitestore.Translate(err)
}

// Get returns a session.
func (r *SessionRepository) Get(ctx context.Context, id string) (*identity.Session, error) {
	return getSession(ctx, r.db.Reader(ctx), id)
}

func getSession(ctx context.Context, q sqlitestore.Querier, id string) (*identity.Session, error) {
	s, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, identity.ErrSessionNotFound
	}
	return s, sqlitestore.Translate(err)
}

// Update applies fn to the stored session and writes the result in one
// transaction: of concurrent refreshes with one secret, one rotates.
func (r *SessionRepository) Update(ctx context.Context, id string, fn func(s *identity.Session) error) (*identity.Session, error) {
	var out *identity.Session
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		cur, err := getSession(ctx, tx, id)
		if err != nil {
			return err
		}
		next := *cur
		next.PreviousHashes = append([]string(nil), cur.PreviousHashes...)
		if err := fn(&next); err != nil {
			return err
		}
		next.ID, next.Revision = id, cur.Revision+1
		vals, err := sessionValues(&next)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET (`+sessionColumns+`) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			WHERE id = ?`, append(vals, id)...); err != nil {
			return sqlitestore.Translate(err)
		}
		out = &next
		return nil
	})
	return out, err
}

// RevokeAllForUser revokes every live session of userID but exceptID.
func (r *SessionRepository) RevokeAllForUser(ctx context.Context, userID, exceptID string, at time.Time) ([]string, error) {
	var ids []string
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE sessions SET revoked_at = ?, version = version + 1
			WHERE user_id = ? AND id != ? AND revoked_at IS NULL RETURNING id`, sqlitestore.Millis(at), userID, exceptID)
		if err != nil {
			return sqlitestore.Translate(err)
		}
		defer func() { _ = rows.Close() }()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return sqlitestore.Translate(err)
			}
			ids = append(ids, id)
		}
		return sqlitestore.Translate(rows.Err())
	})
	slices.Sort(ids)
	return ids, err
}

// ListForUser lists the unrevoked sessions of userID, newest first.
func (r *SessionRepository) ListForUser(ctx context.Context, userID string) ([]*identity.Session, error) {
	rows, err := r.db.Reader(ctx).QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = ? AND revoked_at IS NULL ORDER BY id DESC`, userID)
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	defer func() { _ = rows.Close() }()
	var out []*identity.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, sqlitestore.Translate(err)
		}
		out = append(out, s)
	}
	return out, sqlitestore.Translate(rows.Err())
}
