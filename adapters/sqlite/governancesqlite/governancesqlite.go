// Package governancesqlite implements the governance repositories on the
// embedded SQLite store.
package governancesqlite

import (
	"context"
	"strings"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
)

// conditions joins the conditions of a WHERE, "1" for none.
type conditions struct {
	conds []string
	args  []any
}

func (c *conditions) add(cond string, args ...any) {
	c.conds, c.args = append(c.conds, cond), append(c.args, args...)
}

func (c *conditions) where() string {
	if len(c.conds) == 0 {
		return "1"
	}
	return strings.Join(c.conds, " AND ")
}

// page counts the rows of from that match c and returns a page of them in
// order (limit < 0: all of them; 0: only the count), scanned by scan.
func page[T any](ctx context.Context, q sqlitestore.Querier, columns, from string, c conditions, order string, skip, limit int,
	scan func(sqlitestore.Scanner) (T, error)) ([]T, int64, error) {
	var total int64
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE `+c.where(), c.args...).Scan(&total); err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	out := []T{}
	if limit == 0 || int64(max(skip, 0)) >= total {
		return out, total, nil
	}
	err := sqlitestore.EachRow(ctx, q, `SELECT `+columns+` FROM `+from+` WHERE `+c.where()+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(append([]any{}, c.args...), limit, max(skip, 0)), scan, func(v T) error { out = append(out, v); return nil })
	return out, total, err
}

// update reads the stored row with get, applies fn to a copy, restores what
// fn may not change (keep, which also counts the revision) and writes the
// copy with put, all in one write transaction: of concurrent updates one
// applies, and the others' fn sees it.
func update[T interface{ Clone() T }](ctx context.Context, db *sqlitestore.DB, fn func(T) error,
	get func(sqlitestore.Querier) (T, error), keep func(cur, next T), put func(*sqlitestore.Tx, T) error) (T, error) {
	var out T
	err := db.Write(ctx, func(tx *sqlitestore.Tx) error {
		cur, err := get(tx)
		if err != nil {
			return err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return err
		}
		keep(cur, next)
		if err := put(tx, next); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, err
}
