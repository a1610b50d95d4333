package mongostore

import (
	"errors"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// ferretUniqueViolation is what FerretDB's SQLite backend returns when an
// update (not an insert) breaks a unique index: InternalError, code 1, with
// SQLite's message, instead of E11000. See adapters/embedded.
const (
	ferretInternalErrorCode = 1
	ferretUniqueViolation   = "UNIQUE constraint failed"
)

// Translate maps a driver error to a kernel error, keeping the cause for logs:
//
//   - nil → nil
//   - mongo.ErrNoDocuments → kernel.ErrNotFound
//   - a duplicate key → kernel.ErrConflict (see IsDuplicateKey)
//   - timeouts, network errors, server selection failures and a closed
//     client → kernel.ErrUnavailable (HTTP 503)
//   - anything else → err unchanged (an internal error).
//
// A repository that needs a more specific sentinel (say "email taken") checks
// IsDuplicateKey itself before calling Translate.
func Translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return kernel.ErrNotFound
	case IsDuplicateKey(err):
		return kernel.Wrap(kernel.ErrConflict, err)
	case isUnavailable(err):
		return kernel.Unavailable(err)
	default:
		return err
	}
}

// IsDuplicateKey reports whether err is a unique-index violation: E11000 on
// MongoDB, and also the form FerretDB's SQLite backend gives for updates.
func IsDuplicateKey(err error) bool {
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	var se mongo.ServerError
	return errors.As(err, &se) && se.HasErrorCodeWithMessage(ferretInternalErrorCode, ferretUniqueViolation)
}

// isUnavailable reports whether err means the store could not be reached or
// did not answer in time.
func isUnavailable(err error) bool {
	return mongo.IsTimeout(err) ||
		mongo.IsNetworkError(err) ||
		errors.Is(err, mongo.ErrClientDisconnected) ||
		errors.As(err, new(topology.ServerSelectionError)) ||
		errors.As(err, new(topology.ConnectionError))
}

// shortError is an error with a shorter message than the one it wraps.
type shortError struct {
	msg string
	err error
}

func (e shortError) Error() string { return e.msg }
func (e shortError) Unwrap() error { return e.err }

// shortSelectionError keeps what a person needs of a server selection
// failure: the driver's message describes the whole topology (a line of a
// kilobyte or more), when the last error of each server says what is wrong.
// The error still matches topology.ServerSelectionError.
func shortSelectionError(err error) error {
	var se topology.ServerSelectionError
	if !errors.As(err, &se) {
		return err
	}
	var causes []string
	for _, s := range se.Desc.Servers {
		if s.LastError != nil {
			causes = append(causes, s.Addr.String()+": "+s.LastError.Error())
		}
	}
	msg := "no server answered"
	if len(causes) > 0 {
		msg += " (" + strings.Join(causes, "; ") + ")"
	}
	return shortError{msg: msg, err: err}
}
