package sqlitestore_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

func TestOpenSetsUpTheFileForSharedUse(t *testing.T) {
	db := sqlitetest.Open(t)
	ctx := t.Context()
	var mode string
	if err := db.Reader(ctx).QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q, %v; want wal", mode, err)
	}
	var fk int
	if err := db.Reader(ctx).QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign keys %d, %v; want on", fk, err)
	}
	var version int
	if err := db.Reader(ctx).QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&version); err != nil ||
		version != sqlitestore.SchemaVersion() {
		t.Fatalf("schema version %d, %v; want %d", version, err, sqlitestore.SchemaVersion())
	}
	var readerCache, writerCache int
	if err := db.Reader(ctx).QueryRowContext(ctx, "PRAGMA cache_size").Scan(&readerCache); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *sqlitestore.Tx) error {
		return tx.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&writerCache)
	}); err != nil {
		t.Fatal(err)
	}
	if readerCache != -16384 || writerCache != -16384 {
		t.Fatalf("page cache of the readers %d, of the writer %d; want -16384 (16 MiB) each", readerCache, writerCache)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func TestReadersCannotWrite(t *testing.T) {
	db := sqlitetest.Open(t)
	_, err := db.Reader(t.Context()).ExecContext(t.Context(), "DELETE FROM schema_migrations")
	if err == nil {
		t.Fatal("a reader connection deleted rows")
	}
}

func TestReopeningAppliesNothingTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civictrust.db")
	first := sqlitetest.OpenAt(t, path)
	second := sqlitetest.OpenAt(t, path) // a second process on the same file
	for _, db := range []*sqlitestore.DB{first, second} {
		var n int
		if err := db.Reader(t.Context()).QueryRowContext(t.Context(), "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil ||
			n != sqlitestore.SchemaVersion() {
			t.Fatalf("%d migrations recorded, %v; want %d", n, err, sqlitestore.SchemaVersion())
		}
	}
}

func TestProcessesStartingAtOnceMigrateOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civictrust.db")
	errs := porttestkit.Concurrently(4, func(int) error {
		db, err := sqlitestore.Open(context.Background(), path, sqlitestore.Options{})
		if err == nil {
			err = db.Close()
		}
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
	}
}

func TestADatabaseOfANewerBuildIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civictrust.db")
	db := sqlitetest.OpenAt(t, path)
	if _, err := db.Exec(t.Context(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)",
		sqlitestore.SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	_, err := sqlitestore.Open(t.Context(), path, sqlitestore.Options{})
	if err == nil || !strings.Contains(err.Error(), "newer civictrust") {
		t.Fatalf("opening a newer schema: %v, want a refusal that says why", err)
	}
}

func TestWriteRollsBackOnError(t *testing.T) {
	db := sqlitetest.Open(t)
	boom := errors.New("boom")
	err := db.Write(t.Context(), func(tx *sqlitestore.Tx) error {
		if _, err := tx.ExecContext(t.Context(), "INSERT INTO roles (id, name, name_key, self_assignable, created_at, updated_at) VALUES ('r', 'R', 'r', 0, 0, 0)"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v, want fn's error", err)
	}
	var n int
	if err := db.Reader(t.Context()).QueryRowContext(t.Context(), "SELECT count(*) FROM roles").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d roles after a rolled-back write, %v", n, err)
	}
}

func TestConstraintErrorsAreLeftToTheCaller(t *testing.T) {
	db := sqlitetest.Open(t)
	insert := "INSERT INTO roles (id, name, name_key, self_assignable, created_at, updated_at) VALUES (?, 'R', 'r', 0, 0, 0)"
	if _, err := db.Exec(t.Context(), insert, "a"); err != nil {
		t.Fatal(err)
	}
	_, err := db.Exec(t.Context(), insert, "b")
	if !sqlitestore.IsUnique(err) || kernel.KindOf(err) != kernel.KindInternal {
		t.Fatalf("duplicate name: %v (unique %t)", err, sqlitestore.IsUnique(err))
	}
}

func TestACancelledRequestIsUnavailable(t *testing.T) {
	db := sqlitetest.Open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := db.Write(ctx, func(*sqlitestore.Tx) error { return nil })
	if kernel.KindOf(err) != kernel.KindUnavailable {
		t.Fatalf("Write on a cancelled context: %v, want unavailable", err)
	}
}

// count counts the rows of table t as the reader pool (another connection)
// sees them.
func count(t *testing.T, db *sqlitestore.DB) int {
	t.Helper()
	var n int
	if err := db.Reader(context.Background()).QueryRowContext(t.Context(), "SELECT count(*) FROM t").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func insert(ctx context.Context, db *sqlitestore.DB, k string) error {
	return db.Write(ctx, func(tx *sqlitestore.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO t (k) VALUES (?)", k)
		return sqlitestore.Translate(err)
	})
}

func TestAtomicallyKeepsEveryWriteOrNone(t *testing.T) {
	db := sqlitetest.Open(t)
	if _, err := db.Exec(t.Context(), "CREATE TABLE t (k TEXT PRIMARY KEY) STRICT"); err != nil {
		t.Fatal(err)
	}
	errLate := errors.New("fails after its writes")

	t.Run("a_failure_after_the_writes_undoes_them_all", func(t *testing.T) {
		err := db.Atomically(t.Context(), func(ctx context.Context) error {
			if err := insert(ctx, db, "a"); err != nil {
				return err
			}
			if _, err := db.Exec(ctx, "INSERT INTO t (k) VALUES ('b')"); err != nil {
				return err
			}
			return errLate
		})
		if !errors.Is(err, errLate) {
			t.Fatalf("Atomically: %v, want fn's error", err)
		}
		if n := count(t, db); n != 0 {
			t.Fatalf("%d rows kept after the failure, want 0", n)
		}
	})

	t.Run("reads_inside_see_the_writes_others_see_them_at_commit", func(t *testing.T) {
		err := db.Atomically(t.Context(), func(ctx context.Context) error {
			if err := insert(ctx, db, "c"); err != nil {
				return err
			}
			var n int
			if err := db.Reader(ctx).QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
				t.Errorf("inside: %d rows, %v; want 1", n, err)
			}
			if n := count(t, db); n != 0 {
				t.Errorf("another connection sees %d rows before the commit, want 0", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db); n != 1 {
			t.Fatalf("%d rows after the commit, want 1", n)
		}
	})

	t.Run("a_failed_nested_write_undoes_only_itself", func(t *testing.T) {
		err := db.Atomically(t.Context(), func(ctx context.Context) error {
			if err := insert(ctx, db, "d"); err != nil {
				return err
			}
			half := db.Write(ctx, func(tx *sqlitestore.Tx) error {
				if _, err := tx.ExecContext(ctx, "INSERT INTO t (k) VALUES ('e')"); err != nil {
					return err
				}
				return errLate
			})
			if !errors.Is(half, errLate) {
				t.Errorf("nested Write: %v, want its fn's error", half)
			}
			if err := insert(ctx, db, "c"); !sqlitestore.IsUnique(err) {
				t.Errorf("a duplicate inside: %v, want a conflict", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		rows, err := db.Reader(t.Context()).QueryContext(t.Context(), "SELECT k FROM t ORDER BY k")
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = rows.Close() }()
		for rows.Next() {
			var k string
			_ = rows.Scan(&k)
			keys = append(keys, k)
		}
		if strings.Join(keys, ",") != "c,d" {
			t.Fatalf("rows %v, want c,d (the nested write undone, the rest kept)", keys)
		}
	})
}
