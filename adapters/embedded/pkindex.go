package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the driver FerretDB uses; registered as "sqlite"
)

// IndexPrimaryKeys gives every collection of the store an index that its _id
// lookups can use, and returns how many it created.
//
// FerretDB's SQLite backend looks a document up by _id with
// `WHERE _ferretdb_sjson->'$._id' = ?` but builds its own unique index on
// `_ferretdb_sjson->"_id"`; SQLite uses an index on an expression only for
// that same expression, so every lookup by _id scanned the table (30 ms per
// read among 5,000 sessions, 0.4 ms with this index: see
// BenchmarkSessionsOnTheEmbeddedStore in identitymongo). The index added here
// is on the query's expression. FerretDB does not know of it and needs not:
// it is kept up to date by SQLite and dropped with its table.
//
// It only creates what is missing, so it is cheap to call again for
// collections created since (see the wiring, which calls it at start and then
// every minute).
func (s *Store) IndexPrimaryKeys(ctx context.Context) (int, error) {
	files, err := filepath.Glob(filepath.Join(s.dir, "*.sqlite"))
	if err != nil {
		return 0, fmt.Errorf("embedded: list databases: %w", err)
	}
	created := 0
	for _, file := range files {
		n, err := indexPrimaryKeys(ctx, file)
		created += n
		if err != nil {
			return created, err
		}
	}
	return created, nil
}

// pkIndexSuffix names the indexes IndexPrimaryKeys creates (after the table's name).
const pkIndexSuffix = "_civictrust_id"

func indexPrimaryKeys(ctx context.Context, file string) (int, error) {
	// The same pragmas as FerretDB's own connections: wait for its writers
	// rather than fail, and keep its write-ahead log.
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)")
	if err != nil {
		return 0, fmt.Errorf("embedded: open %s: %w", filepath.Base(file), err)
	}
	defer func() { _ = db.Close() }()
	rows, err := db.QueryContext(ctx, `SELECT t.table_name FROM _ferretdb_collections t
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = t.table_name || ?)`, pkIndexSuffix)
	if err != nil {
		return 0, fmt.Errorf("embedded: list collections of %s: %w", filepath.Base(file), err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			_ = rows.Close()
			return 0, fmt.Errorf("embedded: list collections of %s: %w", filepath.Base(file), err)
		}
		tables = append(tables, t)
	}
	_ = rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("embedded: list collections of %s: %w", filepath.Base(file), err)
	}
	created := 0
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (_ferretdb_sjson->'$._id')`,
			quoteIdent(t+pkIndexSuffix), quoteIdent(t))
		if _, err := db.ExecContext(ctx, q); err != nil {
			return created, fmt.Errorf("embedded: index _id of %s: %w", t, err)
		}
		created++
	}
	return created, nil
}

// quoteIdent quotes a SQLite identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
