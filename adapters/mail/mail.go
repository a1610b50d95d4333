// Package mail implements the platformport.Mailer port three ways: a log
// mailer for development, a file mailer that writes one RFC 5322 message per
// file (for tests and local use) and an SMTP mailer.
//
// All three validate a message the same way before doing anything with it:
// the recipient must be one parsable address and neither it nor the subject
// may contain CR, LF or other control characters, so header injection is
// impossible whichever driver is configured.
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// DefaultFrom is the sender used when no From address is configured.
const DefaultFrom = "CivicTrust <no-reply@localhost>"

// Driver names accepted by New.
const (
	// DriverLog names the LogMailer.
	DriverLog = "log"
	// DriverFile names the FileMailer.
	DriverFile = "file"
	// DriverSMTP names the SMTPMailer.
	DriverSMTP = "smtp"
)

// ErrInvalidMessage is wrapped by every error caused by a message that cannot
// be sent as given: a recipient that is not one valid address, or a recipient
// or subject holding CR, LF or another control character.
var ErrInvalidMessage = errors.New("mail: invalid message")

// Options configures New. Only the fields the chosen driver needs are read.
type Options struct {
	// Dir is the folder the file driver writes to.
	Dir string
	// SMTPURL is smtp://user:pass@host:port or smtps://user:pass@host:port
	// for the smtp driver.
	SMTPURL string
	// From is the sender address of the file and smtp drivers; empty means
	// DefaultFrom.
	From string
	// Log is the logger of the log driver.
	Log zerolog.Logger
}

// New builds the mailer named by driver: "log" (the default when driver is
// empty), "file" or "smtp".
func New(driver string, opts Options) (platformport.Mailer, error) {
	switch strings.ToLower(strings.TrimSpace(driver)) {
	case "", DriverLog:
		return NewLogMailer(opts.Log), nil
	case DriverFile:
		if strings.TrimSpace(opts.Dir) == "" {
			return nil, errors.New("mail: the file driver needs a folder (MAIL_DIR)")
		}
		m := NewFileMailer(opts.Dir)
		if opts.From != "" {
			from, err := parseFrom(opts.From)
			if err != nil {
				return nil, err
			}
			m.from = from
		}
		return m, nil
	case DriverSMTP:
		if strings.TrimSpace(opts.SMTPURL) == "" {
			return nil, errors.New("mail: the smtp driver needs SMTP_URL")
		}
		return NewSMTPMailer(opts.SMTPURL, opts.From)
	default:
		return nil, fmt.Errorf("mail: unknown driver %q (want %q, %q or %q)", driver, DriverLog, DriverFile, DriverSMTP)
	}
}

// checkHeader rejects header values holding control characters (CR and LF
// above all); a horizontal tab is allowed.
func checkHeader(field, v string) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidMessage, field)
	}
	for _, r := range v {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return fmt.Errorf("%w: %s contains a control character (CR/LF are not allowed)", ErrInvalidMessage, field)
		}
	}
	return nil
}

// validate checks m and returns its parsed recipient.
func validate(m platformport.Message) (*mail.Address, error) {
	if err := checkHeader("recipient", m.To); err != nil {
		return nil, err
	}
	if err := checkHeader("subject", m.Subject); err != nil {
		return nil, err
	}
	if strings.TrimSpace(m.To) == "" {
		return nil, fmt.Errorf("%w: no recipient", ErrInvalidMessage)
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("%w: recipient is not a valid address", ErrInvalidMessage)
	}
	return to, nil
}

// parseFrom parses a sender address; empty means DefaultFrom.
func parseFrom(from string) (*mail.Address, error) {
	if strings.TrimSpace(from) == "" {
		from = DefaultFrom
	}
	if err := checkHeader("sender", from); err != nil {
		return nil, err
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: sender %q is not a valid address", from)
	}
	return a, nil
}

// headerAddress formats a for a header: the bare address when it has no
// display name, the RFC 2047-encoded name-addr form otherwise.
func headerAddress(a *mail.Address) string {
	if a.Name == "" {
		return a.Address
	}
	return a.String()
}

// randomHex returns n random bytes as hex.
func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("mail: random: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// needsQP reports whether body cannot go out as 7bit text: it holds non-ASCII
// bytes or a line longer than RFC 5322 allows.
func needsQP(body string) bool {
	for _, line := range strings.Split(body, "\n") {
		if len(line) > 998 {
			return true
		}
		for i := 0; i < len(line); i++ {
			if line[i] >= 0x80 || line[i] == 0 {
				return true
			}
		}
	}
	return false
}

// buildMessage renders an RFC 5322 message with CRLF line endings. The body
// is sent as 7bit when it can be, quoted-printable otherwise; the subject is
// RFC 2047-encoded when it is not ASCII. Callers have validated to and
// subject already.
func buildMessage(from, to *mail.Address, subject, body string, date time.Time) ([]byte, error) {
	id, err := randomHex(16)
	if err != nil {
		return nil, err
	}
	domain := "localhost"
	if i := strings.LastIndexByte(from.Address, '@'); i >= 0 && i < len(from.Address)-1 {
		domain = from.Address[i+1:]
	}
	body = normalizeNewlines(body)

	var b bytes.Buffer
	header := func(k, v string) {
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(v)
		b.WriteString("\r\n")
	}
	header("From", headerAddress(from))
	header("To", headerAddress(to))
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+id+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	if needsQP(body) {
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		w := quotedprintable.NewWriter(&b)
		if _, err := w.Write([]byte(body)); err != nil {
			return nil, fmt.Errorf("mail: encode body: %w", err)
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("mail: encode body: %w", err)
		}
	} else {
		header("Content-Transfer-Encoding", "7bit")
		b.WriteString("\r\n")
		b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	}
	return b.Bytes(), nil
}
