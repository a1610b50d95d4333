package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Translate maps the driver's errors to the kernel's: a store that is busy
// beyond the busy timeout, out of disk or gone, and a request that ran out of
// time, are unavailable (503); anything else is returned as it is (an
// internal error, logged, never shown). sql.ErrNoRows and constraint
// violations are left to the caller, who knows which sentinel they mean.
func Translate(err error) error {
	if err == nil || errors.Is(err, sql.ErrNoRows) || IsConstraint(err) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return kernel.Unavailable(err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary result code
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR,
			sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL, sqlite3.SQLITE_INTERRUPT:
			return kernel.Unavailable(err)
		}
	}
	return err
}

// IsUnique reports whether err is a violation of a unique index or primary key.
func IsUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// IsConstraint reports whether err is a violated constraint of any kind.
func IsConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}
