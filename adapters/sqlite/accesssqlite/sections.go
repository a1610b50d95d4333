package accesssqlite

import (
	"context"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the access records of db, for export and import.
func Sections(db *sqlitestore.DB) []storeport.Section {
	return []storeport.Section{
		sqlitestore.NewSection(db, storeport.KindRole, "roles", func(ctx context.Context, q sqlitestore.Querier, fn func(any) error) error {
			return sqlitestore.EachRow(ctx, q, `SELECT `+roleColumns+` FROM roles ORDER BY id`, nil, scanRole, sqlitestore.AsAny[*access.Role](fn))
		}, sqlitestore.Typed(insertRole)),
		sqlitestore.NewSection(db, storeport.KindModule, "modules", func(ctx context.Context, q sqlitestore.Querier, fn func(any) error) error {
			ms, err := queryModules(ctx, q, `SELECT `+moduleColumns+` FROM modules ORDER BY id`)
			if err != nil {
				return err
			}
			for _, m := range ms {
				if err := fn(m); err != nil {
					return err
				}
			}
			return nil
		}, sqlitestore.Typed(insertModule)),
	}
}
