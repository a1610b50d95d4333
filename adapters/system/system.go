// Package system adapts the platform ports to the operating system: the real
// clock and an error reporter that writes to the log.
package system

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Clock is the wall clock.
type Clock struct{}

var _ platformport.Clock = Clock{}

// Now returns the current time in UTC.
func (Clock) Now() time.Time { return time.Now().UTC() }

// LogReporter reports best-effort failures to the log.
type LogReporter struct{ Log zerolog.Logger }

var _ platformport.ErrorReporter = LogReporter{}

// Report logs a failure that did not fail the request.
func (r LogReporter) Report(_ context.Context, operation string, err error) {
	r.Log.Warn().Err(err).Str("operation", operation).Msg("background operation failed")
}
