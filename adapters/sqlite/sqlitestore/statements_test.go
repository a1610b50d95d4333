package sqlitestore_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
)

// Statements are kept prepared between runs: every run, on the readers, in
// a write transaction and in a read transaction, still reads what is
// committed at its start, and a failing statement still fails.
func TestKeptStatementsReadWhatIsCommitted(t *testing.T) {
	db := sqlitetest.Open(t)
	ctx := t.Context()
	const (
		insert = "INSERT INTO roles (id, name, name_key, self_assignable, created_at, updated_at) VALUES (?, ?, ?, 0, 0, 0)"
		count  = "SELECT count(*) FROM roles"
	)
	countOn := func(q sqlitestore.Querier) int {
		t.Helper()
		var n int
		if err := q.QueryRowContext(ctx, count).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := 1; i <= 5; i++ {
		var inTx int
		if err := db.Write(ctx, func(tx *sqlitestore.Tx) error {
			id := strconv.Itoa(i)
			if _, err := tx.ExecContext(ctx, insert, id, "R"+id, "r"+id); err != nil {
				return err
			}
			inTx = countOn(tx)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if inTx != i || countOn(db.Reader(ctx)) != i {
			t.Fatalf("after %d inserts: %d in the transaction, %d on the readers", i, inTx, countOn(db.Reader(ctx)))
		}
		if err := db.View(ctx, func(ctx context.Context) error {
			if n := countOn(db.Snapshot(ctx)); n != i {
				return fmt.Errorf("snapshot counts %d, want %d", n, i)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		err := db.Write(ctx, func(tx *sqlitestore.Tx) error {
			_, err := tx.ExecContext(ctx, insert, "1", "again", "again")
			return err
		})
		if !sqlitestore.IsUnique(err) {
			t.Fatalf("a duplicate id: %v, want a unique violation", err)
		}
	}
	if n := countOn(db.Reader(ctx)); n != 5 {
		t.Fatalf("%d roles after failed inserts, want 5", n)
	}
}

// More distinct statements than are kept still run, and answer right.
func TestStatementsPastTheKeptOnesStillRun(t *testing.T) {
	db := sqlitetest.Open(t)
	ctx := t.Context()
	for i := range 700 {
		var got int
		if err := db.Reader(ctx).QueryRowContext(ctx, fmt.Sprintf("SELECT ? + %d", i), 1).Scan(&got); err != nil || got != i+1 {
			t.Fatalf("statement %d: %d, %v", i, got, err)
		}
		if err := db.Write(ctx, func(tx *sqlitestore.Tx) error {
			return tx.QueryRowContext(ctx, fmt.Sprintf("SELECT ? * %d", i), 2).Scan(&got)
		}); err != nil || got != 2*i {
			t.Fatalf("write statement %d: %d, %v", i, got, err)
		}
	}
}
