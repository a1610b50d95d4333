package communitysqlite

import (
	"context"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the community records of db, for export and import.
func Sections(db *sqlitestore.DB) []storeport.Section {
	return []storeport.Section{
		sqlitestore.NewSection(db, storeport.KindCommunity, "communities", eachCommunity, sqlitestore.Typed(insertCommunity)),
		sqlitestore.NewSection(db, storeport.KindMembership, "memberships", func(ctx context.Context, q sqlitestore.Querier, fn func(any) error) error {
			return sqlitestore.EachRow(ctx, q, `SELECT `+membershipColumns+` FROM memberships ORDER BY community_id, user_id`, nil,
				scanMembership, sqlitestore.AsAny[*community.Membership](fn))
		}, sqlitestore.Typed(insertMembership)),
		sqlitestore.NewSection(db, storeport.KindJoinRequest, "join_requests", func(ctx context.Context, q sqlitestore.Querier, fn func(any) error) error {
			return sqlitestore.EachRow(ctx, q, `SELECT `+requestColumns+` FROM join_requests ORDER BY id`, nil,
				scanRequest, sqlitestore.AsAny[*community.JoinRequest](fn))
		}, sqlitestore.Typed(insertRequest)),
	}
}

func eachCommunity(ctx context.Context, q sqlitestore.Querier, fn func(v any) error) error {
	return sqlitestore.Paged(ctx, 500, func(after string, limit int) ([]any, string, error) {
		cs, err := queryCommunities(ctx, q, `SELECT `+communityColumns+` FROM communities WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
		if err != nil || len(cs) == 0 {
			return nil, "", err
		}
		out := make([]any, len(cs))
		for i, c := range cs {
			out[i] = c
		}
		return out, cs[len(cs)-1].ID(), nil
	}, fn)
}
