package identitysqlite

import (
	"context"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the identity records of db, for export and import.
func Sections(db *sqlitestore.DB) []storeport.Section {
	return []storeport.Section{
		sqlitestore.NewSection(db, storeport.KindUser, "users", eachUser, sqlitestore.Typed(insertUser)),
		sqlitestore.NewSection(db, storeport.KindSession, "sessions", func(ctx context.Context, q sqlitestore.Querier, fn func(any) error) error {
			return sqlitestore.EachRow(ctx, q, `SELECT `+sessionColumns+` FROM sessions ORDER BY id`, nil, scanSession, sqlitestore.AsAny[*identity.Session](fn))
		}, sqlitestore.Typed(insertSession)),
		sqlitestore.NewSection(db, storeport.KindToken, "one_time_tokens", func(ctx context.Context, q sqlitestore.Querier, fn func(any) error) error {
			return sqlitestore.EachRow(ctx, q, `SELECT `+tokenColumns+` FROM one_time_tokens ORDER BY id`, nil, scanToken, sqlitestore.AsAny[*identity.OneTimeToken](fn))
		}, sqlitestore.Typed(insertToken)),
	}
}

func eachUser(ctx context.Context, q sqlitestore.Querier, fn func(v any) error) error {
	return sqlitestore.Paged(ctx, 500, func(after string, limit int) ([]any, string, error) {
		us, err := queryUsers(ctx, q, `SELECT `+userColumns+` FROM users WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
		if err != nil || len(us) == 0 {
			return nil, "", err
		}
		out := make([]any, len(us))
		for i, u := range us {
			out[i] = u
		}
		return out, us[len(us)-1].ID(), nil
	}, fn)
}
