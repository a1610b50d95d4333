package governancesqlite

import (
	"context"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the governance records of db, for export and import.
func Sections(db *sqlitestore.DB) []storeport.Section {
	each := func(query string, scan func(sqlitestore.Scanner) (any, error)) func(context.Context, sqlitestore.Querier, func(any) error) error {
		return func(ctx context.Context, q sqlitestore.Querier, fn func(any) error) error {
			return sqlitestore.EachRow(ctx, q, query, nil, scan, fn)
		}
	}
	return []storeport.Section{
		sqlitestore.NewSection(db, storeport.KindTerms, "governance_terms",
			each(`SELECT `+termsColumns+` FROM governance_terms ORDER BY id`, asAny(scanTerms)), sqlitestore.Typed(insertTerms)),
		sqlitestore.NewSection(db, storeport.KindConsent, "governance_consents",
			each(`SELECT `+consentColumns+` FROM governance_consents ORDER BY id`, asAny(scanConsent)), sqlitestore.Typed(insertConsent)),
		sqlitestore.NewSection(db, storeport.KindAccessRequest, "governance_access_requests",
			each(`SELECT `+requestColumns+` FROM governance_access_requests ORDER BY id`, asAny(scanRequest)), sqlitestore.Typed(insertRequest)),
		sqlitestore.NewSection(db, storeport.KindGrant, "governance_grants",
			each(`SELECT `+grantColumns+` FROM governance_grants ORDER BY id`, asAny(scanGrant)), sqlitestore.Typed(insertGrant)),
		sqlitestore.NewSection(db, storeport.KindNoticeClaim, "governance_notice_claims",
			each(`SELECT grant_id, notice, claimed_at FROM governance_notice_claims ORDER BY notice, grant_id`, asAny(scanClaim)),
			sqlitestore.Typed(insertClaim)),
	}
}

func asAny[T any](scan func(sqlitestore.Scanner) (T, error)) func(sqlitestore.Scanner) (any, error) {
	return func(row sqlitestore.Scanner) (any, error) { return scan(row) }
}

func scanClaim(row sqlitestore.Scanner) (*governance.NoticeClaim, error) {
	var (
		c      governance.NoticeClaim
		notice string
		at     int64
	)
	if err := row.Scan(&c.GrantID, &notice, &at); err != nil {
		return nil, err
	}
	c.Notice, c.ClaimedAt = governance.Notice(notice), sqlitestore.Time(at)
	return &c, nil
}

func insertClaim(ctx context.Context, tx *sqlitestore.Tx, c *governance.NoticeClaim) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO governance_notice_claims (grant_id, notice, claimed_at) VALUES (?, ?, ?)`,
		c.GrantID, string(c.Notice), sqlitestore.Millis(c.ClaimedAt))
	return sqlitestore.Translate(err)
}
