package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

const (
	// smtpDialTimeout bounds connecting to the server.
	smtpDialTimeout = 10 * time.Second
	// smtpSendTimeout bounds a whole conversation when ctx has no earlier
	// deadline.
	smtpSendTimeout = time.Minute
)

// SMTPMailer sends each message over its own SMTP connection with
// net/smtp. With an smtp:// URL the connection starts in plain text and is
// upgraded with STARTTLS when the server offers it; with smtps:// it is TLS
// from the start. When the URL has a user, PLAIN authentication is used,
// which net/smtp only allows over TLS or to a loopback server, so a password
// is never sent in clear to a remote host. The password never appears in an
// error. It is safe for concurrent use.
type SMTPMailer struct {
	addr      string // host:port
	host      string // host name for TLS verification and PLAIN auth
	implicit  bool   // smtps://
	user      string
	password  string
	from      *mail.Address
	display   string      // scheme://host:port, for errors
	tlsConfig *tls.Config // nil: system roots; tests set their own
}

var _ platformport.Mailer = (*SMTPMailer)(nil)

// NewSMTPMailer parses smtpURL — smtp://user:pass@host:port (port 25 by
// default, STARTTLS when offered) or smtps://user:pass@host:port (implicit
// TLS, port 465 by default); user and password are optional and may be
// percent-encoded — and returns a mailer sending from the address from
// (DefaultFrom when empty). Errors never contain the password.
func NewSMTPMailer(smtpURL, from string) (*SMTPMailer, error) {
	const want = "want smtp://user:pass@host:port or smtps://user:pass@host:port"
	u, err := url.Parse(strings.TrimSpace(smtpURL))
	if err != nil {
		// url.Error repeats the URL (and an escape error part of it):
		// report neither.
		return nil, fmt.Errorf("mail: SMTP URL is not a valid URL (%s)", want)
	}
	// Errors below name the URL only by scheme, host and port: any other
	// part might hold the password (even an opaque "user:pass@host" one).
	scheme := strings.ToLower(u.Scheme)
	m := &SMTPMailer{}
	switch scheme {
	case "smtp":
	case "smtps":
		m.implicit = true
	default:
		return nil, fmt.Errorf("mail: SMTP URL has an unsupported scheme (%s)", want)
	}
	m.host = u.Hostname()
	if u.Opaque != "" || m.host == "" {
		return nil, fmt.Errorf("mail: SMTP URL has no host (%s)", want)
	}
	m.display = scheme + "://" + u.Host
	port := u.Port()
	switch {
	case port == "" && m.implicit:
		port = "465"
	case port == "":
		port = "25"
	default:
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("mail: SMTP URL %s has an invalid port", m.display)
		}
	}
	m.addr = net.JoinHostPort(m.host, port)
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("mail: SMTP URL %s must not have a path, query or fragment", m.display)
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.password, _ = u.User.Password()
		if m.user == "" && m.password != "" {
			return nil, fmt.Errorf("mail: SMTP URL %s has a password but no user", m.display)
		}
	}
	if m.from, err = parseFrom(from); err != nil {
		return nil, err
	}
	return m, nil
}

// Send validates m and delivers it. It honours ctx: dialing gives up after
// 10 s or when ctx ends, the whole conversation is bounded by ctx's deadline
// (one minute at most) and cancelling ctx aborts it.
func (s *SMTPMailer) Send(ctx context.Context, m platformport.Message) error {
	to, err := validate(m)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := buildMessage(s.from, to, m.Subject, m.Body, time.Now())
	if err != nil {
		return err
	}
	if err := s.send(ctx, to.Address, data); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w (%w)", ctxErr, err)
		}
		return s.redact(fmt.Errorf("mail: smtp %s: %w", s.display, err))
	}
	return nil
}

// send runs one SMTP conversation.
func (s *SMTPMailer) send(ctx context.Context, rcpt string, data []byte) error {
	dialer := net.Dialer{Timeout: smtpDialTimeout}
	conn, err := dialer.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()

	// The conversation is bounded by smtpSendTimeout and by ctx: when ctx
	// ends (cancelled or past its deadline) any read or write in progress
	// fails at once. The connection deadline also covers ctx's deadline,
	// with a little grace so that ctx reports the cause first.
	deadline := time.Now().Add(smtpSendTimeout)
	if d, ok := ctx.Deadline(); ok && d.Add(time.Second).Before(deadline) {
		deadline = d.Add(time.Second)
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	if s.implicit {
		tc := tls.Client(conn, s.tls())
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("tls: %w", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()

	if !s.implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tls()); err != nil {
				return fmt.Errorf("starttls: %w", err)
			}
		}
	}
	if s.user != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("server does not offer AUTH but the URL has a user")
		}
		if err := c.Auth(smtp.PlainAuth("", s.user, s.password, s.host)); err != nil {
			return fmt.Errorf("auth as %q: %w", s.user, err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	return c.Quit()
}

// tls returns the TLS configuration for the server.
func (s *SMTPMailer) tls() *tls.Config {
	var cfg *tls.Config
	if s.tlsConfig != nil {
		cfg = s.tlsConfig.Clone()
	} else {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = s.host
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	return cfg
}

// redact makes sure the password cannot leak through err's message, should
// a server or library ever echo it.
func (s *SMTPMailer) redact(err error) error {
	if err == nil || s.password == "" || !strings.Contains(err.Error(), s.password) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), s.password, "xxxxx"), err: err}
}

// redactedError is an error whose message had the password masked. It
// deliberately has no Unwrap (the original message would leak through it)
// but still answers errors.Is for the original chain.
type redactedError struct {
	msg string
	err error
}

// Error returns the masked message.
func (e *redactedError) Error() string { return e.msg }

// Is reports whether the original error matches target.
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }
