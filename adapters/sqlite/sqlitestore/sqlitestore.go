// Package sqlitestore opens the embedded store: one SQLite database file in
// WAL mode, shared by every repository of the process and by other processes
// on the same host (the CLI while the server runs, or a second server).
//
// Writes go through one connection and run in BEGIN IMMEDIATE transactions:
// SQLite admits one writer at a time anyway, and taking the write lock at the
// start means a read-modify-write never has to be retried because another
// writer upgraded first. Reads use a pool of query-only connections, which WAL
// lets run beside the writer.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	// The pure-Go SQLite driver: CGO_ENABLED=0 builds keep working.
	_ "modernc.org/sqlite"
)

// busyTimeout is how long a statement waits for another process's write lock
// before it fails as unavailable.
const busyTimeout = 10 * time.Second

// DB is the embedded store: a writer connection and a pool of readers on one
// database file.
type DB struct {
	path    string
	write   *sql.DB
	read    *sql.DB
	reads   *statements // kept prepared on the reader pool
	writes  *statements // kept prepared on the writer
	trace   func(query string, args []any)
	observe func(operation string, took time.Duration)
}

// Options tune Open.
type Options struct {
	// Readers is the size of the reader pool; 0 picks one per CPU, at least 4.
	Readers int
	// Trace, when set, is called with every statement the adapters run
	// through the DB and its transactions (tests check their query plans).
	Trace func(query string, args []any)
	// Observe, when set, is told how long each write transaction ("write")
	// and each statement of the readers ("read", to its first row) took.
	Observe func(operation string, took time.Duration)
}

// Open opens (creating it if needed) the database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string, o Options) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlitestore: create the folder of %s: %w", path, err)
	}
	write, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	db := &DB{path: path, write: write, writes: newStatements(write, true)}
	// The first connection switches the file to WAL (a persistent setting)
	// before any reader opens it read-only.
	if err := db.writerReady(ctx); err != nil {
		_ = write.Close()
		return nil, err
	}
	readers := o.Readers
	if readers <= 0 {
		readers = max(4, runtime.GOMAXPROCS(0))
	}
	read, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	read.SetConnMaxLifetime(0)
	read.SetConnMaxIdleTime(0)
	db.read, db.reads = read, newStatements(read, false)
	if err := db.migrate(ctx, migrations()); err != nil {
		_ = db.Close()
		return nil, err
	}
	db.trace, db.observe = o.Trace, o.Observe // the adapters' statements, not the schema's
	return db, nil
}

// dsn is the driver's connection string: the settings every connection needs
// (they are per connection in SQLite, except the journal mode).
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	// NORMAL is durable against a crash of the process in WAL mode; only a
	// power loss may take the last transactions back (never half of one).
	q.Add("_pragma", "synchronous(NORMAL)")
	// A page cache of 16 MiB a connection instead of SQLite's 2 MiB holds the
	// indexes a list walks, so that a deep page or a search does not read the
	// same pages from the file again on every request.
	q.Add("_pragma", "cache_size(-16384)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func (db *DB) writerReady(ctx context.Context) error {
	var mode string
	if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return Translate(fmt.Errorf("sqlitestore: open %s: %w", db.path, err))
	}
	if mode != "wal" {
		return fmt.Errorf("sqlitestore: %s: journal mode is %q, not wal (a network file system?)", db.path, mode)
	}
	return nil
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil {
		errs = append(errs, db.reads.close(), db.read.Close())
	}
	errs = append(errs, db.writes.close())
	// A last checkpoint folds the WAL back into the database file, so that a
	// copy of the file alone (a backup) holds everything.
	_, _ = db.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	errs = append(errs, db.write.Close())
	return errors.Join(errs...)
}

// Ping checks that the database answers (readiness).
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return Translate(err)
	}
	return nil
}

// Querier runs statements: the reader pool, or a write transaction when a
// read is part of a read-modify-write.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// conn is what a Querier runs on: a pool or a transaction.
type conn interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Tx is a write transaction (see Write), a read transaction (see View), or
// the reader pool.
type Tx struct {
	c conn
	// stmts, when set, keeps the statements of t's pool prepared; tx is the
	// transaction that runs them, nil for the reader pool itself.
	stmts *statements
	tx    *sql.Tx
	trace func(query string, args []any)
	// observe times each statement: set for the reader pool only (a write
	// transaction is timed whole).
	observe func(operation string, took time.Duration)
}

var _ Querier = (*Tx)(nil)

// QueryContext runs a query.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	defer t.traced(query, args)()
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.c.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query for one row.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	defer t.traced(query, args)()
	if st := t.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.c.QueryRowContext(ctx, query, args...)
}

// ExecContext runs a statement.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	defer t.traced(query, args)()
	if st := t.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.c.ExecContext(ctx, query, args...)
}

// prepared is query kept prepared for t, nil when t keeps no statements.
func (t *Tx) prepared(ctx context.Context, query string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	st := t.stmts.get(ctx, query)
	if st == nil || t.tx == nil {
		return st
	}
	return t.tx.StmtContext(ctx, st)
}

// traced tells the trace of a statement and returns what times it.
func (t *Tx) traced(query string, args []any) func() {
	if t.trace != nil {
		t.trace(query, args)
	}
	if t.observe == nil {
		return func() {}
	}
	start := time.Now()
	return func() { t.observe("read", time.Since(start)) }
}

// Reader is the pool of query-only connections; under Atomically, its
// transaction, so that a use case reads what it has just written.
func (db *DB) Reader(ctx context.Context) Querier {
	if tx := db.joined(ctx); tx != nil {
		return tx
	}
	return &Tx{c: db.read, stmts: db.reads, trace: db.trace, observe: db.observe}
}

type atomicKey struct{ db *DB }

// joined is the transaction of the Atomically that ctx runs under, if any.
func (db *DB) joined(ctx context.Context) *Tx {
	tx, _ := ctx.Value(atomicKey{db}).(*Tx)
	return tx
}

// Atomically runs fn in one write transaction that every Write, Exec and
// Reader under fn's context joins: the writes fn makes through the
// repositories (a record and its audit event) are committed together or not
// at all. fn holds the write lock while it runs, so it does store work only:
// no password hashing, no mail, no blob. Nested calls join the outer one.
func (db *DB) Atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	if db.joined(ctx) != nil {
		return fn(ctx)
	}
	return db.Write(ctx, func(tx *Tx) error { return fn(context.WithValue(ctx, atomicKey{db}, tx)) })
}

// Write runs fn in one transaction that holds the database's write lock from
// its start (BEGIN IMMEDIATE), and commits when fn returns nil. fn's error is
// returned as it is; the store's own errors are translated (Translate).
// Under Atomically, fn runs in a savepoint of its transaction: its error
// undoes its own statements, and the rest commit or roll back with the whole.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	if tx := db.joined(ctx); tx != nil {
		return nested(ctx, tx, fn)
	}
	if db.observe != nil {
		defer db.timed("write", time.Now())
	}
	db.writes.prepareWanted(ctx)
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return Translate(err)
	}
	if err := fn(&Tx{c: tx, stmts: db.writes, tx: tx, trace: db.trace}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return Translate(err)
	}
	return nil
}

// nested runs fn in a savepoint of tx.
func nested(ctx context.Context, tx *Tx, fn func(tx *Tx) error) error {
	if _, err := tx.c.ExecContext(ctx, "SAVEPOINT nested"); err != nil {
		return Translate(err)
	}
	if err := fn(tx); err != nil {
		if _, rerr := tx.c.ExecContext(ctx, "ROLLBACK TO nested"); rerr != nil {
			return errors.Join(err, Translate(rerr))
		}
		_, _ = tx.c.ExecContext(ctx, "RELEASE nested")
		return err
	}
	_, err := tx.c.ExecContext(ctx, "RELEASE nested")
	return Translate(err)
}

// Exec runs one statement on the writer, in a transaction of its own (or in
// the one of the Atomically that ctx runs under).
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx := db.joined(ctx); tx != nil {
		res, err := tx.ExecContext(ctx, query, args...)
		return res, Translate(err)
	}
	if db.trace != nil {
		db.trace(query, args)
	}
	if db.observe != nil {
		defer db.timed("write", time.Now())
	}
	res, err := db.write.ExecContext(ctx, query, args...)
	return res, Translate(err)
}

func (db *DB) timed(operation string, start time.Time) { db.observe(operation, time.Since(start)) }

type viewKey struct{ db *DB }

// View runs fn with a context under which Snapshot reads one consistent
// snapshot of the database (one read transaction): an export of a store that
// is being written to still reads every table as of one moment.
func (db *DB) View(ctx context.Context, fn func(ctx context.Context) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Translate(err)
	}
	defer func() { _ = tx.Rollback() }()
	// A read transaction takes its snapshot at its first read.
	var one int
	if err := tx.QueryRowContext(ctx, "SELECT 1 FROM schema_migrations LIMIT 1").Scan(&one); err != nil {
		return Translate(err)
	}
	return fn(context.WithValue(ctx, viewKey{db}, &Tx{c: tx, stmts: db.reads, tx: tx, trace: db.trace}))
}

// Snapshot is the read transaction of the View that ctx runs under, or the
// reader pool outside one.
func (db *DB) Snapshot(ctx context.Context) Querier {
	if tx, ok := ctx.Value(viewKey{db}).(*Tx); ok {
		return tx
	}
	return db.Reader(ctx)
}
