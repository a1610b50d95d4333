package sqlitestore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The schema is a list of numbered migrations applied in order at start. A
// runner of our own rather than goose or golang-migrate: it is a page of
// code, keeps no package-level state (goose keeps its dialect and file system
// in globals), and applies every pending step in one BEGIN IMMEDIATE
// transaction, so that two processes starting at once on one file neither
// apply a step twice nor see half a schema.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one step of the schema: NNNN_name.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// migrations returns the embedded steps in order; a malformed file name is a
// programming error caught by the tests.
func migrations() []Migration {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		panic(err)
	}
	out := make([]Migration, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			panic("sqlitestore: migration file " + name + " is not NNNN_name.sql")
		}
		b, err := migrationFiles.ReadFile(path.Join("migrations", name))
		if err != nil {
			panic(err)
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out
}

// SchemaVersion is the newest migration this build knows; a database
// migrated past it is refused at open.
func SchemaVersion() int {
	ms := migrations()
	return ms[len(ms)-1].Version
}

// migrate applies the steps that the database has no record of (tests
// remove one step's record and what it made, to check what the step makes of
// a store written without it). A database written by a newer build (a step
// this build does not know) is refused rather than used half-understood.
func (db *DB) migrate(ctx context.Context, steps []Migration) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`); err != nil {
			return fmt.Errorf("sqlitestore: create schema_migrations: %w", Translate(err))
		}
		applied, current, err := appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		if latest := steps[len(steps)-1].Version; current > latest {
			return fmt.Errorf("sqlitestore: %s has schema version %d; this build knows up to %d (use a newer civictrust)",
				db.path, current, latest)
		}
		for _, m := range steps {
			if applied[m.Version] {
				continue
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("sqlitestore: migration %04d_%s: %w", m.Version, m.Name, Translate(err))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, time.Now().UnixMilli()); err != nil {
				return fmt.Errorf("sqlitestore: record migration %04d: %w", m.Version, Translate(err))
			}
		}
		return nil
	})
}

// appliedVersions are the steps the database has seen, and the newest.
func appliedVersions(ctx context.Context, tx *Tx) (map[int]bool, int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlitestore: read the schema version: %w", Translate(err))
	}
	defer func() { _ = rows.Close() }()
	applied, newest := map[int]bool{}, 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, 0, fmt.Errorf("sqlitestore: read the schema version: %w", Translate(err))
		}
		applied[v], newest = true, max(newest, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("sqlitestore: read the schema version: %w", Translate(err))
	}
	return applied, newest, nil
}
