package governancesqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// AccessRequestRepository stores requests in "governance_access_requests"; a
// partial unique index admits one pending request per dataset and requester.
type AccessRequestRepository struct{ db *sqlitestore.DB }

var _ governanceport.AccessRequestRepository = (*AccessRequestRepository)(nil)

// NewAccessRequestRepository returns the repository on db.
func NewAccessRequestRepository(db *sqlitestore.DB) *AccessRequestRepository {
	return &AccessRequestRepository{db: db}
}

const requestColumns = `id, dataset_id, requester_id, purpose, organization, requested_until, terms_version, status,
	decided_by, decided_at, reason, note, grant_id, created_at, version`

func requestValues(r *governance.AccessRequest) []any {
	return []any{r.ID, r.DatasetID, r.RequesterID, r.Purpose, r.Organization, sqlitestore.Millis(r.RequestedUntil),
		r.TermsVersion, string(r.Status), r.DecidedBy, sqlitestore.NullMillis(r.DecidedAt), r.Reason, r.Note, r.GrantID,
		sqlitestore.Millis(r.CreatedAt), r.Revision}
}

func scanRequest(row sqlitestore.Scanner) (*governance.AccessRequest, error) {
	var (
		r                governance.AccessRequest
		status           string
		until, createdAt int64
		decidedAt        sql.NullInt64
	)
	if err := row.Scan(&r.ID, &r.DatasetID, &r.RequesterID, &r.Purpose, &r.Organization, &until, &r.TermsVersion, &status,
		&r.DecidedBy, &decidedAt, &r.Reason, &r.Note, &r.GrantID, &createdAt, &r.Revision); err != nil {
		return nil, err
	}
	r.RequestedUntil, r.Status, r.DecidedAt = sqlitestore.Time(until), governance.RequestStatus(status), sqlitestore.TimePtr(decidedAt)
	r.CreatedAt = sqlitestore.Time(createdAt)
	return &r, nil
}

// Create stores a request; a second pending one of the pair is governance.ErrRequestPending.
func (r *AccessRequestRepository) Create(ctx context.Context, req *governance.AccessRequest) error {
	req.Revision = 1
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertRequest(ctx, tx, req) })
}

func insertRequest(ctx context.Context, tx *sqlitestore.Tx, req *governance.AccessRequest) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO governance_access_requests (`+requestColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, requestValues(req)...)
	if !sqlitestore.IsUnique(err) {
		return sqlitestore.Translate(err)
	}
	return takenID(ctx, tx, "governance_access_requests", req.ID, governance.ErrRequestPending)
}

func getRequest(ctx context.Context, q sqlitestore.Querier, id string) (*governance.AccessRequest, error) {
	req, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM governance_access_requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, governance.ErrRequestNotFound
	}
	return req, sqlitestore.Translate(err)
}

// Get returns a request.
func (r *AccessRequestRepository) Get(ctx context.Context, id string) (*governance.AccessRequest, error) {
	return getRequest(ctx, r.db.Reader(ctx), id)
}

// Update applies fn to the stored request and writes the result, in one
// transaction: of concurrent decisions one applies, the others' fn sees it.
func (r *AccessRequestRepository) Update(ctx context.Context, id string, fn func(*governance.AccessRequest) error) (*governance.AccessRequest, error) {
	return update(ctx, r.db, fn,
		func(q sqlitestore.Querier) (*governance.AccessRequest, error) { return getRequest(ctx, q, id) },
		func(cur, next *governance.AccessRequest) {
			next.ID, next.DatasetID, next.RequesterID, next.Revision = cur.ID, cur.DatasetID, cur.RequesterID, cur.Revision+1
		},
		func(tx *sqlitestore.Tx, next *governance.AccessRequest) error {
			_, err := tx.ExecContext(ctx, `UPDATE governance_access_requests SET (`+requestColumns+`) =
			(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`, append(requestValues(next), id)...)
			if sqlitestore.IsUnique(err) {
				return governance.ErrRequestPending
			}
			return sqlitestore.Translate(err)
		})
}

// List returns a page of the requests that match, the newest first.
func (r *AccessRequestRepository) List(ctx context.Context, f governanceport.RequestFilter, skip, limit int) ([]*governance.AccessRequest, int64, error) {
	var c conditions
	from := `governance_access_requests INDEXED BY governance_requests_by_time`
	if f.RequesterID != "" {
		c.add(`requester_id = ?`, f.RequesterID)
		from = `governance_access_requests INDEXED BY governance_requests_by_requester`
	}
	if f.DatasetID != "" {
		c.add(`dataset_id = ?`, f.DatasetID)
		from = `governance_access_requests INDEXED BY governance_requests_by_dataset`
	}
	if f.Status != "" {
		c.add(`status = ?`, string(f.Status))
	}
	return page(ctx, r.db.Reader(ctx), requestColumns, from, c, `created_at DESC, id DESC`, skip, limit, scanRequest)
}
