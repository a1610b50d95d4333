// Package platformport holds the driven ports every context shares: the clock,
// the mailer and the store's health.
package platformport

import (
	"context"
	"time"
)

// Clock tells the time; tests swap it for a fake one.
type Clock interface {
	Now() time.Time
}

// Message is one e-mail.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Mailer sends e-mail.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// HealthChecker pings a dependency (the store) for readiness.
type HealthChecker interface {
	Ping(ctx context.Context) error
}

// ErrorReporter receives failures of best-effort work (a verification mail that
// could not be sent) that must not fail the user's request but must not vanish either.
type ErrorReporter interface {
	Report(ctx context.Context, operation string, err error)
}

// Transactor makes several writes one: Atomically runs fn so that the writes
// it makes through the repositories and the audit log under fn's context
// (a record and the audit event that tells of it) are all kept or none is,
// also when the process is killed half-way. fn does store work only (no
// hashing, no mail, no blob) and may run again if the store asks for a retry.
type Transactor interface {
	Atomically(ctx context.Context, fn func(ctx context.Context) error) error
}
