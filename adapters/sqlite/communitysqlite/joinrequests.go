package communitysqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// JoinRequestRepository stores join requests in "join_requests"; a partial
// unique index admits one pending request per community and user.
type JoinRequestRepository struct{ db *sqlitestore.DB }

var _ communityport.JoinRequestRepository = (*JoinRequestRepository)(nil)

// NewJoinRequestRepository returns the repository on db.
func NewJoinRequestRepository(db *sqlitestore.DB) *JoinRequestRepository {
	return &JoinRequestRepository{db: db}
}

const requestColumns = `id, community_id, user_id, message, status, reason, decided_by, created_at, decided_at, version`

func requestValues(jr *community.JoinRequest) []any {
	return []any{jr.ID, jr.CommunityID, jr.UserID, jr.Message, string(jr.Status), jr.Reason, jr.DecidedBy,
		sqlitestore.Millis(jr.CreatedAt), sqlitestore.NullMillis(jr.DecidedAt), jr.Revision}
}

// Create stores a request; a second pending one of the pair is
// community.ErrRequestPending.
func (r *JoinRequestRepository) Create(ctx context.Context, jr *community.JoinRequest) error {
	jr.Revision = 1
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertRequest(ctx, tx, jr) })
}

func insertRequest(ctx context.Context, tx *sqlitestore.Tx, jr *community.JoinRequest) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO join_requests (`+requestColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		requestValues(jr)...)
	if !sqlitestore.IsUnique(err) {
		return sqlitestore.Translate(err)
	}
	var n int
	if qerr := tx.QueryRowContext(ctx, `SELECT count(*) FROM join_requests WHERE id = ?`, jr.ID).Scan(&n); qerr != nil {
		return sqlitestore.Translate(qerr)
	}
	if n > 0 {
		return kernel.ErrConflict
	}
	return community.ErrRequestPending
}

func scanRequest(row sqlitestore.Scanner) (*community.JoinRequest, error) {
	var (
		jr        community.JoinRequest
		status    string
		createdAt int64
		decidedAt sql.NullInt64
	)
	if err := row.Scan(&jr.ID, &jr.CommunityID, &jr.UserID, &jr.Message, &status, &jr.Reason, &jr.DecidedBy, &createdAt,
		&decidedAt, &jr.Revision); err != nil {
		return nil, err
	}
	jr.Status, jr.CreatedAt, jr.DecidedAt = community.RequestStatus(status), sqlitestore.Time(createdAt), sqlitestore.TimePtr(decidedAt)
	return &jr, nil
}

func getRequest(ctx context.Context, q sqlitestore.Querier, id string) (*community.JoinRequest, error) {
	jr, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM join_requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, community.ErrRequestNotFound
	}
	return jr, sqlitestore.Translate(err)
}

// Get returns a request.
func (r *JoinRequestRepository) Get(ctx context.Context, id string) (*community.JoinRequest, error) {
	return getRequest(ctx, r.db.Reader(ctx), id)
}

// Update applies fn to the stored request and writes the result in one
// transaction: of two concurrent decisions one applies.
func (r *JoinRequestRepository) Update(ctx context.Context, id string, fn func(jr *community.JoinRequest) error) (*community.JoinRequest, error) {
	var out *community.JoinRequest
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		cur, err := getRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return err
		}
		next.ID, next.CommunityID, next.UserID, next.Revision = id, cur.CommunityID, cur.UserID, cur.Revision+1
		if _, err := tx.ExecContext(ctx, `UPDATE join_requests SET (`+requestColumns+`) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			WHERE id = ?`, append(requestValues(next), id)...); err != nil {
			if sqlitestore.IsUnique(err) {
				return community.ErrRequestPending
			}
			return sqlitestore.Translate(err)
		}
		out = next
		return nil
	})
	return out, err
}

// List returns a page of requests, oldest first, and the number that match.
func (r *JoinRequestRepository) List(ctx context.Context, f communityport.JoinRequestFilter, skip, limit int) ([]*community.JoinRequest, int64, error) {
	where, args := "WHERE 1", []any{}
	if f.CommunityID != "" {
		where, args = where+` AND community_id = ?`, append(args, f.CommunityID)
	}
	if f.UserID != "" {
		where, args = where+` AND user_id = ?`, append(args, f.UserID)
	}
	if f.Status != "" {
		where, args = where+` AND status = ?`, append(args, string(f.Status))
	}
	var total int64
	if err := r.db.Reader(ctx).QueryRowContext(ctx, `SELECT count(*) FROM join_requests `+where, args...).Scan(&total); err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	rows, err := r.db.Reader(ctx).QueryContext(ctx, `SELECT `+requestColumns+` FROM join_requests `+where+`
		ORDER BY created_at, id LIMIT ? OFFSET ?`, append(args, limit, max(skip, 0))...)
	if err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	defer func() { _ = rows.Close() }()
	out := []*community.JoinRequest{}
	for rows.Next() {
		jr, err := scanRequest(rows)
		if err != nil {
			return nil, 0, sqlitestore.Translate(err)
		}
		out = append(out, jr)
	}
	return out, total, sqlitestore.Translate(rows.Err())
}

// DeleteAllInCommunity deletes every request of a community.
func (r *JoinRequestRepository) DeleteAllInCommunity(ctx context.Context, communityID string) error {
	_, err := r.db.Exec(ctx, `DELETE FROM join_requests WHERE community_id = ?`, communityID)
	return err
}
