package sqlitestore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Times are stored as INTEGER milliseconds since the epoch (UTC): they sort
// and compare as numbers, and milliseconds are the contract's precision.

// Millis is t as stored.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// Time is a stored time read back, in UTC.
func Time(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// NullMillis is an optional time as stored (NULL for nil).
func NullMillis(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// TimePtr is an optional stored time read back.
func TimePtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := Time(v.Int64)
	return &t
}

// NullString stores "" as NULL (for optional references such as a dataset's
// community, so that a foreign key or a partial index can tell "none").
func NullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// Bool is a stored 0/1 as a bool.
func Bool(v int64) bool { return v != 0 }

// Int is a bool as stored.
func Int(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// JSON encodes a small value kept in one column (a list never filtered on).
func JSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("sqlitestore: encode: %w", err)
	}
	return string(b), nil
}

// FromJSON decodes what JSON stored.
func FromJSON(s string, v any) error {
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("sqlitestore: decode: %w", err)
	}
	return nil
}

// Placeholders returns "?, ?, …" for n values (n ≥ 1).
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Args turns strings into query arguments.
func Args(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// EscapeLike escapes s for a LIKE pattern written with ESCAPE '\'.
func EscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Qualified prefixes each column of a comma-separated list with table and a
// dot, for a query that joins tables with columns of the same name.
func Qualified(table, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = table + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
