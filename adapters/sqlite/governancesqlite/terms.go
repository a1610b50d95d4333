package governancesqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// TermsRepository stores terms in "governance_terms"; (community, version)
// is unique.
type TermsRepository struct{ db *sqlitestore.DB }

var _ governanceport.TermsRepository = (*TermsRepository)(nil)

// NewTermsRepository returns the repository on db.
func NewTermsRepository(db *sqlitestore.DB) *TermsRepository { return &TermsRepository{db: db} }

const termsColumns = `id, community_id, version, title, body, published_at, published_by`

func scanTerms(row sqlitestore.Scanner) (*governance.Terms, error) {
	var (
		t  governance.Terms
		at int64
	)
	if err := row.Scan(&t.ID, &t.CommunityID, &t.Version, &t.Title, &t.Body, &at, &t.PublishedBy); err != nil {
		return nil, err
	}
	t.PublishedAt = sqlitestore.Time(at)
	return &t, nil
}

// Create stores terms; a version the community has is governance.ErrTermsVersionTaken.
func (r *TermsRepository) Create(ctx context.Context, t *governance.Terms) error {
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertTerms(ctx, tx, t) })
}

func insertTerms(ctx context.Context, tx *sqlitestore.Tx, t *governance.Terms) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO governance_terms (`+termsColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.CommunityID, t.Version, t.Title, t.Body, sqlitestore.Millis(t.PublishedAt), t.PublishedBy)
	if !sqlitestore.IsUnique(err) {
		return sqlitestore.Translate(err)
	}
	return takenID(ctx, tx, "governance_terms", t.ID, governance.ErrTermsVersionTaken)
}

// takenID tells, after a unique violation on inserting id into table, a
// taken id (a conflict) from the other unique key (other).
func takenID(ctx context.Context, q sqlitestore.Querier, table, id string, other error) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id = ?`, id).Scan(&n); err != nil {
		return sqlitestore.Translate(err)
	}
	if n > 0 {
		return kernel.ErrConflict
	}
	return other
}

func oneTerms(ctx context.Context, q sqlitestore.Querier, query string, args ...any) (*governance.Terms, error) {
	t, err := scanTerms(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, governance.ErrTermsNotFound
	}
	return t, sqlitestore.Translate(err)
}

// Get returns terms by id.
func (r *TermsRepository) Get(ctx context.Context, id string) (*governance.Terms, error) {
	return oneTerms(ctx, r.db.Reader(ctx), `SELECT `+termsColumns+` FROM governance_terms WHERE id = ?`, id)
}

// Current returns the community's newest terms.
func (r *TermsRepository) Current(ctx context.Context, communityID string) (*governance.Terms, error) {
	return oneTerms(ctx, r.db.Reader(ctx), `SELECT `+termsColumns+` FROM governance_terms WHERE community_id = ?
		ORDER BY version DESC LIMIT 1`, communityID)
}

// List returns a page of a community's terms, the newest version first.
func (r *TermsRepository) List(ctx context.Context, communityID string, skip, limit int) ([]*governance.Terms, int64, error) {
	var c conditions
	c.add(`community_id = ?`, communityID)
	return page(ctx, r.db.Reader(ctx), termsColumns, `governance_terms`, c, `version DESC`, skip, limit, scanTerms)
}

// ConsentRepository keeps consent records in "governance_consents".
type ConsentRepository struct{ db *sqlitestore.DB }

var _ governanceport.ConsentRepository = (*ConsentRepository)(nil)

// NewConsentRepository returns the repository on db.
func NewConsentRepository(db *sqlitestore.DB) *ConsentRepository { return &ConsentRepository{db: db} }

const consentColumns = `id, user_id, community_id, terms_id, version, request_id, accepted_at, ip`

func scanConsent(row sqlitestore.Scanner) (*governance.Consent, error) {
	var (
		c  governance.Consent
		at int64
	)
	if err := row.Scan(&c.ID, &c.UserID, &c.CommunityID, &c.TermsID, &c.Version, &c.RequestID, &at, &c.IP); err != nil {
		return nil, err
	}
	c.AcceptedAt = sqlitestore.Time(at)
	return &c, nil
}

// Create appends a consent record.
func (r *ConsentRepository) Create(ctx context.Context, c *governance.Consent) error {
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertConsent(ctx, tx, c) })
}

func insertConsent(ctx context.Context, tx *sqlitestore.Tx, c *governance.Consent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO governance_consents (`+consentColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.UserID, c.CommunityID, c.TermsID, c.Version, c.RequestID, sqlitestore.Millis(c.AcceptedAt), c.IP)
	if sqlitestore.IsUnique(err) {
		return kernel.ErrConflict
	}
	return sqlitestore.Translate(err)
}

// List returns a page of the consents that match, the newest first.
func (r *ConsentRepository) List(ctx context.Context, f governanceport.ConsentFilter, skip, limit int) ([]*governance.Consent, int64, error) {
	var c conditions
	from := `governance_consents INDEXED BY governance_consents_by_time`
	if f.UserID != "" {
		c.add(`user_id = ?`, f.UserID)
		from = `governance_consents INDEXED BY governance_consents_by_user`
	}
	if f.CommunityID != "" {
		c.add(`community_id = ?`, f.CommunityID)
		if f.UserID == "" {
			from = `governance_consents INDEXED BY governance_consents_by_community`
		}
	}
	return page(ctx, r.db.Reader(ctx), consentColumns, from, c, `accepted_at DESC, id DESC`, skip, limit, scanConsent)
}
