package auditsqlite

import (
	"context"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the audit chain of db and its head record, for export and
// import: the events exactly as sealed.
func Sections(db *sqlitestore.DB) []storeport.Section {
	return []storeport.Section{
		sqlitestore.NewSection(db, storeport.KindAuditHead, "audit_head", func(ctx context.Context, q sqlitestore.Querier, fn func(any) error) error {
			h, err := readHead(ctx, q)
			if err != nil || h == nil {
				return err
			}
			return fn(h)
		}, sqlitestore.Typed(writeHead)),
		sqlitestore.NewSection(db, storeport.KindAuditEvent, "audit_events", func(ctx context.Context, q sqlitestore.Querier, fn func(any) error) error {
			return sqlitestore.EachRow(ctx, q, `SELECT `+eventColumns+` FROM audit_events ORDER BY seq`, nil,
				scanEvent, sqlitestore.AsAny[*audit.Event](fn))
		}, sqlitestore.Typed(func(ctx context.Context, tx *sqlitestore.Tx, e *audit.Event) error {
			return insertEvent(ctx, tx, e, false)
		})),
	}
}
