package mail

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// LogMailer is the development mailer: it sends nothing and logs each
// message instead, body included. It is the one place where a link with its
// token may appear in the logs.
type LogMailer struct {
	log zerolog.Logger
}

var _ platformport.Mailer = (*LogMailer)(nil)

// NewLogMailer returns a mailer that logs every message on log.
func NewLogMailer(log zerolog.Logger) *LogMailer {
	return &LogMailer{log: log}
}

// Send validates m like the other mailers do and logs it as one info line
// with its recipient, subject and body.
func (l *LogMailer) Send(ctx context.Context, m platformport.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := validate(m); err != nil {
		return err
	}
	l.log.Info().
		Str("mail_driver", DriverLog).
		Str("to", m.To).
		Str("subject", m.Subject).
		Str("body", m.Body).
		Msg("mail (not sent: log driver)")
	return nil
}
