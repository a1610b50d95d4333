package sqlitestore

import (
	"context"
	"fmt"

	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Section is a storeport.Section of the embedded store: every record of one
// kind, read from the View's snapshot when there is one.
type Section struct {
	db     *DB
	kind   storeport.Kind
	table  string
	each   func(ctx context.Context, q Querier, fn func(v any) error) error
	insert func(ctx context.Context, tx *Tx, v any) error
}

var _ storeport.Section = (*Section)(nil)

// NewSection describes the records of kind kept in table (and the tables that
// hang off it): each reads them all through q, insert writes one as it is.
func NewSection(db *DB, kind storeport.Kind, table string,
	each func(ctx context.Context, q Querier, fn func(v any) error) error,
	insert func(ctx context.Context, tx *Tx, v any) error,
) *Section {
	return &Section{db: db, kind: kind, table: table, each: each, insert: insert}
}

// Kind is the kind of the records.
func (s *Section) Kind() storeport.Kind { return s.kind }

// Count is the number of records.
func (s *Section) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.Snapshot(ctx).QueryRowContext(ctx, `SELECT count(*) FROM `+s.table).Scan(&n)
	return n, Translate(err)
}

// Each calls fn for every record.
func (s *Section) Each(ctx context.Context, fn func(v any) error) error {
	return s.each(ctx, s.db.Snapshot(ctx), fn)
}

// Insert writes records in one transaction.
func (s *Section) Insert(ctx context.Context, vs []any) error {
	return s.db.Write(ctx, func(tx *Tx) error {
		for _, v := range vs {
			if err := s.insert(ctx, tx, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Paged reads a table in pages of pageSize keyed by a text column, for
// records that load more rows of their own (roles, tags, versions): read
// returns a page after the key given and the key of its last record.
func Paged(ctx context.Context, pageSize int, read func(after string, limit int) (vs []any, last string, err error), fn func(v any) error) error {
	after := ""
	for {
		vs, last, err := read(after, pageSize)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if err := fn(v); err != nil {
				return err
			}
		}
		if len(vs) < pageSize {
			return nil
		}
		after = last
	}
}

// Scanner is a row to scan: *sql.Row or *sql.Rows.
type Scanner interface{ Scan(dest ...any) error }

// EachRow runs query on q and calls fn with every row scan reads, until fn
// fails.
func EachRow[T any](ctx context.Context, q Querier, query string, args []any, scan func(Scanner) (T, error), fn func(T) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return Translate(err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return Translate(err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return Translate(rows.Err())
}

// Typed adapts an insert of one record type to a Section's insert of any.
func Typed[T any](insert func(ctx context.Context, tx *Tx, v T) error) func(ctx context.Context, tx *Tx, v any) error {
	return func(ctx context.Context, tx *Tx, v any) error {
		t, ok := v.(T)
		if !ok {
			var want T
			return fmt.Errorf("sqlitestore: a %T record where a %T was expected", v, want)
		}
		return insert(ctx, tx, t)
	}
}

// AsAny passes each record on as any.
func AsAny[T any](fn func(v any) error) func(T) error { return func(v T) error { return fn(v) } }

// Dump is the whole embedded store as sections, read from one snapshot.
type Dump struct {
	db       *DB
	sections []storeport.Section
}

var _ storeport.Store = (*Dump)(nil)

// NewDump gathers the sections of every context on db.
func NewDump(db *DB, sections ...[]storeport.Section) *Dump {
	var all []storeport.Section
	for _, s := range sections {
		all = append(all, s...)
	}
	return &Dump{db: db, sections: storeport.InKindOrder(all)}
}

// Sections are the store's sections in the order of storeport.Kinds.
func (d *Dump) Sections() []storeport.Section { return d.sections }

// View runs fn on one snapshot of the database.
func (d *Dump) View(ctx context.Context, fn func(ctx context.Context) error) error {
	return d.db.View(ctx, fn)
}
