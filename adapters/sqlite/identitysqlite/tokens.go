package identitysqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// OneTimeTokenRepository stores the hashes of single-use tokens in "one_time_tokens".
type OneTimeTokenRepository struct{ db *sqlitestore.DB }

var _ identityport.OneTimeTokenRepository = (*OneTimeTokenRepository)(nil)

// NewOneTimeTokenRepository returns the repository on db.
func NewOneTimeTokenRepository(db *sqlitestore.DB) *OneTimeTokenRepository {
	return &OneTimeTokenRepository{db: db}
}

const tokenColumns = `id, user_id, purpose, hash, created_at, expires_at, used_at`

// Create stores a token; a taken id is a conflict.
func (r *OneTimeTokenRepository) Create(ctx context.Context, t *identity.OneTimeToken) error {
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertToken(ctx, tx, t) })
}

func insertToken(ctx context.Context, tx *sqlitestore.Tx, t *identity.OneTimeToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO one_time_tokens (`+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.UserID, string(t.Purpose), t.Hash, sqlitestore.Millis(t.CreatedAt), sqlitestore.Millis(t.ExpiresAt),
		sqlitestore.NullMillis(t.UsedAt))
	if sqlitestore.IsUnique(err) {
		return kernel.ErrConflict
	}
	return sqlitestore.Translate(err)
}

func scanToken(row sqlitestore.Scanner) (*identity.OneTimeToken, error) {
	var (
		t                    identity.OneTimeToken
		purpose              string
		createdAt, expiresAt int64
		usedAt               sql.NullInt64
	)
	if err := row.Scan(&t.ID, &t.UserID, &purpose, &t.Hash, &createdAt, &expiresAt, &usedAt); err != nil {
		return nil, err
	}
	t.Purpose = identity.TokenPurpose(purpose)
	t.CreatedAt, t.ExpiresAt, t.UsedAt = sqlitestore.Time(createdAt), sqlitestore.Time(expiresAt), sqlitestore.TimePtr(usedAt)
	return &t, nil
}

// Get returns a token.
func (r *OneTimeTokenRepository) Get(ctx context.Context, id string) (*identity.OneTimeToken, error) {
	t, err := scanToken(r.db.Reader(ctx).QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM one_time_tokens WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kernel.ErrNotFound
	}
	return t, sqlitestore.Translate(err)
}

// Consume marks a token used, once: of concurrent redemptions one wins.
func (r *OneTimeTokenRepository) Consume(ctx context.Context, id string, at time.Time) error {
	res, err := r.db.Exec(ctx, `UPDATE one_time_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL`,
		sqlitestore.Millis(at), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return identity.ErrInvalidOneTime
	}
	return nil
}

// ConsumeAll marks every unused token of userID with purpose used.
func (r *OneTimeTokenRepository) ConsumeAll(ctx context.Context, userID string, purpose identity.TokenPurpose, at time.Time) error {
	_, err := r.db.Exec(ctx, `UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL`,
		sqlitestore.Millis(at), userID, string(purpose))
	return err
}
