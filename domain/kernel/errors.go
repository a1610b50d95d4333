// Package kernel is the shared kernel of every bounded context: error kinds,
// identifiers and the calling principal.
package kernel

import "errors"

// Kind classifies an error so that the edge of the system (the HTTP adapter)
// can choose a status without knowing any context's sentinels.
type Kind int

// Error kinds, from the least to the most specific; KindInternal is the zero value
// so that an unclassified error is never shown to a client.
const (
	KindInternal Kind = iota
	KindInvalid
	KindUnauthenticated
	KindForbidden
	KindNotFound
	KindConflict
	KindTooLarge
	KindUnsupportedMedia
	KindLocked
	KindRateLimited
	KindUnavailable
	KindRangeNotSatisfiable
)

// Error is a domain error: a kind, a stable snake_case code for clients that
// branch on errors, and a message that is safe to show.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	// Field, when set, names the request field the error is about (for 422s).
	Field string
	// Missing says the field is absent (a 422 of type "missing"), not wrong.
	Missing bool
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is match two *Error values by code, so a sentinel with details
// added (see WithMessage) still matches its sentinel.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code
}

// NewError declares a sentinel.
func NewError(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// WithMessage returns a copy of e carrying another safe message (same kind and code).
func (e *Error) WithMessage(msg string) *Error {
	c := *e
	c.Message = msg
	return &c
}

// WithField returns a copy of e naming the request field it is about.
func (e *Error) WithField(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

// AsMissing returns a copy of e that says its field is absent.
func (e *Error) AsMissing() *Error {
	c := *e
	c.Missing = true
	return &c
}

// KindOf returns the kind of the first *Error in err's chain, or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// Generic errors shared by every context.
var (
	ErrNotFound        = NewError(KindNotFound, "not_found", "Not found")
	ErrUnavailable     = NewError(KindUnavailable, "database_unavailable", "Database unavailable")
	ErrConflict        = NewError(KindConflict, "conflict", "Conflict")
	ErrUnauthenticated = NewError(KindUnauthenticated, "not_authenticated", "Not authenticated")
	ErrForbidden       = NewError(KindForbidden, "forbidden", "Not allowed")
)

// Unavailable wraps a store failure so that it maps to 503 while keeping the cause for logs.
func Unavailable(cause error) error {
	return &wrapped{kernel: ErrUnavailable, cause: cause}
}

// Wrap attaches a cause (for logs) to a domain error (for clients).
func Wrap(e *Error, cause error) error { return &wrapped{kernel: e, cause: cause} }

type wrapped struct {
	kernel *Error
	cause  error
}

func (w *wrapped) Error() string   { return w.kernel.Message + ": " + w.cause.Error() }
func (w *wrapped) Unwrap() []error { return []error{w.kernel, w.cause} }
