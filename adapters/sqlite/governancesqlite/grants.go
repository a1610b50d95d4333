package governancesqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// GrantRepository stores grants in "governance_grants"; a request makes at
// most one (a unique request_id).
type GrantRepository struct{ db *sqlitestore.DB }

var _ governanceport.GrantRepository = (*GrantRepository)(nil)

// NewGrantRepository returns the repository on db.
func NewGrantRepository(db *sqlitestore.DB) *GrantRepository { return &GrantRepository{db: db} }

const grantColumns = `id, dataset_id, dataset_title, community_id, community_name, grantee_id, request_id, purpose,
	organization, terms_version, granted_by, granted_at, expires_at, revoked_at, revoked_by, revoke_reason, version`

func grantValues(g *governance.Grant) []any {
	return []any{g.ID, g.DatasetID, g.DatasetTitle, g.CommunityID, g.CommunityName, g.GranteeID, g.RequestID, g.Purpose,
		g.Organization, g.TermsVersion, g.GrantedBy, sqlitestore.Millis(g.GrantedAt), sqlitestore.Millis(g.ExpiresAt),
		sqlitestore.NullMillis(g.RevokedAt), g.RevokedBy, g.RevokeReason, g.Revision}
}

func scanGrant(row sqlitestore.Scanner) (*governance.Grant, error) {
	var (
		g                    governance.Grant
		grantedAt, expiresAt int64
		revokedAt            sql.NullInt64
	)
	if err := row.Scan(&g.ID, &g.DatasetID, &g.DatasetTitle, &g.CommunityID, &g.CommunityName, &g.GranteeID, &g.RequestID,
		&g.Purpose, &g.Organization, &g.TermsVersion, &g.GrantedBy, &grantedAt, &expiresAt, &revokedAt, &g.RevokedBy,
		&g.RevokeReason, &g.Revision); err != nil {
		return nil, err
	}
	g.GrantedAt, g.ExpiresAt, g.RevokedAt = sqlitestore.Time(grantedAt), sqlitestore.Time(expiresAt), sqlitestore.TimePtr(revokedAt)
	return &g, nil
}

// Create stores a grant; a second one of a request is governance.ErrGrantExists.
func (r *GrantRepository) Create(ctx context.Context, g *governance.Grant) error {
	g.Revision = 1
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertGrant(ctx, tx, g) })
}

func insertGrant(ctx context.Context, tx *sqlitestore.Tx, g *governance.Grant) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO governance_grants (`+grantColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, grantValues(g)...)
	if !sqlitestore.IsUnique(err) {
		return sqlitestore.Translate(err)
	}
	return takenID(ctx, tx, "governance_grants", g.ID, governance.ErrGrantExists)
}

func oneGrant(ctx context.Context, q sqlitestore.Querier, query string, args ...any) (*governance.Grant, error) {
	g, err := scanGrant(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, governance.ErrGrantNotFound
	}
	return g, sqlitestore.Translate(err)
}

// Get returns a grant.
func (r *GrantRepository) Get(ctx context.Context, id string) (*governance.Grant, error) {
	return oneGrant(ctx, r.db.Reader(ctx), `SELECT `+grantColumns+` FROM governance_grants WHERE id = ?`, id)
}

// Update applies fn to the stored grant and writes the result in one transaction.
func (r *GrantRepository) Update(ctx context.Context, id string, fn func(*governance.Grant) error) (*governance.Grant, error) {
	return update(ctx, r.db, fn,
		func(q sqlitestore.Querier) (*governance.Grant, error) {
			return oneGrant(ctx, q, `SELECT `+grantColumns+` FROM governance_grants WHERE id = ?`, id)
		},
		func(cur, next *governance.Grant) {
			next.ID, next.DatasetID, next.GranteeID, next.RequestID, next.Revision = cur.ID, cur.DatasetID, cur.GranteeID, cur.RequestID, cur.Revision+1
		},
		func(tx *sqlitestore.Tx, next *governance.Grant) error {
			_, err := tx.ExecContext(ctx, `UPDATE governance_grants SET (`+grantColumns+`) =
			(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`, append(grantValues(next), id)...)
			return sqlitestore.Translate(err)
		})
}

// List returns a page of the grants that match, the newest first.
func (r *GrantRepository) List(ctx context.Context, f governanceport.GrantFilter, skip, limit int) ([]*governance.Grant, int64, error) {
	var c conditions
	from := `governance_grants INDEXED BY governance_grants_by_time`
	if f.CommunityID != "" {
		c.add(`community_id = ?`, f.CommunityID)
		from = `governance_grants INDEXED BY governance_grants_by_community`
	}
	if f.GranteeID != "" {
		c.add(`grantee_id = ?`, f.GranteeID)
		from = `governance_grants INDEXED BY governance_grants_by_grantee`
	}
	if f.DatasetID != "" {
		c.add(`dataset_id = ?`, f.DatasetID)
		from = `governance_grants INDEXED BY governance_grants_by_dataset`
	}
	now := sqlitestore.Millis(f.Now)
	switch f.Status {
	case governance.GrantActive:
		c.add(`revoked_at IS NULL AND expires_at > ?`, now)
	case governance.GrantExpired:
		c.add(`revoked_at IS NULL AND expires_at <= ?`, now)
	case governance.GrantRevoked:
		c.add(`revoked_at IS NOT NULL`)
	}
	return page(ctx, r.db.Reader(ctx), grantColumns, from, c, `granted_at DESC, id DESC`, skip, limit, scanGrant)
}

// FindActive returns the grantee's active grant on the dataset that ends last.
func (r *GrantRepository) FindActive(ctx context.Context, datasetID, granteeID string, now time.Time) (*governance.Grant, error) {
	return oneGrant(ctx, r.db.Reader(ctx), `SELECT `+grantColumns+` FROM governance_grants
		WHERE dataset_id = ? AND grantee_id = ? AND expires_at > ? AND revoked_at IS NULL
		ORDER BY expires_at DESC LIMIT 1`, datasetID, granteeID, sqlitestore.Millis(now))
}

// Ending returns the unrevoked grants ending in [from, to), the soonest first.
func (r *GrantRepository) Ending(ctx context.Context, from, to time.Time, limit int) ([]*governance.Grant, error) {
	out := []*governance.Grant{}
	err := sqlitestore.EachRow(ctx, r.db.Reader(ctx), `SELECT `+grantColumns+` FROM governance_grants
		WHERE expires_at >= ? AND expires_at < ? AND revoked_at IS NULL ORDER BY expires_at, id LIMIT ?`,
		[]any{sqlitestore.Millis(from), sqlitestore.Millis(to), limit}, scanGrant,
		func(g *governance.Grant) error { out = append(out, g); return nil })
	return out, err
}

// NoticeClaimRepository keeps the claims in "governance_notice_claims"; its
// primary key makes a second claim of a (grant, notice) fail.
type NoticeClaimRepository struct{ db *sqlitestore.DB }

var _ governanceport.NoticeClaimRepository = (*NoticeClaimRepository)(nil)

// NewNoticeClaimRepository returns the repository on db.
func NewNoticeClaimRepository(db *sqlitestore.DB) *NoticeClaimRepository {
	return &NoticeClaimRepository{db: db}
}

// Claim takes a notice unless it is taken.
func (r *NoticeClaimRepository) Claim(ctx context.Context, grantID string, n governance.Notice, at time.Time) (bool, error) {
	res, err := r.db.Exec(ctx, `INSERT OR IGNORE INTO governance_notice_claims (grant_id, notice, claimed_at) VALUES (?, ?, ?)`,
		grantID, string(n), sqlitestore.Millis(at))
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, sqlitestore.Translate(err)
}

// Release gives a claim back.
func (r *NoticeClaimRepository) Release(ctx context.Context, grantID string, n governance.Notice) error {
	_, err := r.db.Exec(ctx, `DELETE FROM governance_notice_claims WHERE notice = ? AND grant_id = ?`, string(n), grantID)
	return err
}

// Claimed reports which grants have the notice taken.
func (r *NoticeClaimRepository) Claimed(ctx context.Context, n governance.Notice, grantIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(grantIDs) == 0 {
		return out, nil
	}
	err := sqlitestore.EachRow(ctx, r.db.Reader(ctx), `SELECT grant_id FROM governance_notice_claims WHERE notice = ? AND grant_id IN (`+
		sqlitestore.Placeholders(len(grantIDs))+`)`, append([]any{string(n)}, sqlitestore.Args(grantIDs)...),
		func(row sqlitestore.Scanner) (string, error) { var id string; err := row.Scan(&id); return id, err },
		func(id string) error { out[id] = true; return nil })
	return out, err
}
