package mongostore

import (
	"errors"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/civicdatatrust/civictrust/domain/kernel"
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
// A repository that needs a more specific sentinel (say "email taken") uses
// NotFoundAs or DuplicateAs instead.
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

// NotFoundAs maps a missing document to a context's own not-found sentinel and
// translates every other error.
func NotFoundAs(err, notFound error) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return notFound
	}
	return Translate(err)
}

// DuplicateAs maps a duplicate key in a unique index other than _id to taken,
// a context's own sentinel (a name or an address already in use), and
// translates every other error: a clash of identifiers stays a plain
// conflict (see IsDuplicateID).
func DuplicateAs(err, taken error) error {
	if IsDuplicateKey(err) && !IsDuplicateID(err) {
		return taken
	}
	return Translate(err)
}

// IsDuplicateKey reports whether err is a unique-index violation (E11000).
func IsDuplicateKey(err error) bool { return mongo.IsDuplicateKeyError(err) }

// IsDuplicateID reports whether err is a duplicate key in the _id index. A
// duplicate-key error names the index's keys in keyPattern (MongoDB 4.2 and
// later), on a write error as on a command's.
func IsDuplicateID(err error) bool {
	var docs []bson.Raw
	if we, ok := errors.AsType[mongo.WriteException](err); ok {
		for _, e := range we.WriteErrors {
			docs = append(docs, e.Raw)
		}
	}
	if ce, ok := errors.AsType[mongo.CommandError](err); ok {
		docs = append(docs, ce.Raw)
	}
	for _, doc := range docs {
		pattern, ok := doc.Lookup("keyPattern").DocumentOK()
		if !ok {
			continue
		}
		if keys, err := pattern.Elements(); err == nil && len(keys) == 1 && keys[0].Key() == "_id" {
			return true
		}
	}
	return false
}

// isUnavailable reports whether err means the store could not be reached or
// did not answer in time.
func isUnavailable(err error) bool {
	return mongo.IsTimeout(err) ||
		mongo.IsNetworkError(err) ||
		errors.Is(err, mongo.ErrClientDisconnected) ||
		errors.As(err, new(topology.ServerSelectionError)) ||
		errors.As(err, new(topology.ConnectionError)) ||
		// A pool cleared after a connection failed: the server went away
		// while this operation waited for a connection.
		errors.As(err, new(driver.RetryablePoolError))
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
