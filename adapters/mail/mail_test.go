package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

const resetBody = "Hello,\n\nreset your password: http://localhost:8000/reset?token=abc=def_123\n\nBye.\n"

var fileNameRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{9}Z-[0-9a-f]{16}-[A-Za-z0-9.@+_-]+\.eml$`)

func TestFileMailerWritesParsableMessages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	m := NewFileMailer(dir)
	ctx := context.Background()
	sent := []platformport.Message{
		{To: "alice@example.com", Subject: "Verify your email", Body: "verify: http://x/verify?token=1"},
		{To: "Bob <bob@example.com>", Subject: "Réinitialisation — mot de passe", Body: "Grüße\nhttp://x/reset?token=2"},
		{To: "alice@example.com", Subject: "Reset your password", Body: resetBody},
	}
	for _, msg := range sent {
		if err := m.Send(ctx, msg); err != nil {
			t.Fatalf("Send(%q): %v", msg.To, err)
		}
	}

	if runtime.GOOS != "windows" {
		st, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if perm := st.Mode().Perm(); perm != 0o700 {
			t.Errorf("mail folder mode = %o, want 700", perm)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(sent) {
		t.Fatalf("%d files, want %d", len(entries), len(sent))
	}
	for _, e := range entries {
		if !fileNameRE.MatchString(e.Name()) {
			t.Errorf("file name %q does not match %v", e.Name(), fileNameRE)
		}
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(raw, []byte("\r\n\r\n")) {
			t.Errorf("%s: no CRLF header/body separator", e.Name())
		}
		parsed, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s does not parse: %v", e.Name(), err)
		}
		for _, h := range []string{"To", "From", "Subject", "Date", "Message-ID"} {
			if parsed.Header.Get(h) == "" {
				t.Errorf("%s: no %s header", e.Name(), h)
			}
		}
		if got := parsed.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
			t.Errorf("%s: Content-Type = %q", e.Name(), got)
		}
		if _, err := parsed.Header.Date(); err != nil {
			t.Errorf("%s: bad Date: %v", e.Name(), err)
		}
	}
	// The ASCII reset link is readable as is in the file (7bit body).
	raw, _ := os.ReadFile(filepath.Join(dir, entries[2].Name()))
	if !bytes.Contains(raw, []byte("token=abc=def_123")) {
		t.Errorf("reset link not verbatim in the file:\n%s", raw)
	}

	got, err := ReadMessages(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(sent) {
		t.Fatalf("ReadMessages: %d messages, want %d", len(got), len(sent))
	}
	wantTo := []string{"alice@example.com", "bob@example.com", "alice@example.com"}
	for i, g := range got {
		if g.To != wantTo[i] || g.Subject != sent[i].Subject || g.Body != sent[i].Body {
			t.Errorf("message %d = {%q %q %q}, want {%q %q %q}", i, g.To, g.Subject, g.Body, wantTo[i], sent[i].Subject, sent[i].Body)
		}
		if g.From != "no-reply@localhost" {
			t.Errorf("message %d: From = %q", i, g.From)
		}
		if g.Path != filepath.Join(dir, entries[i].Name()) {
			t.Errorf("message %d: Path = %q", i, g.Path)
		}
		if g.Date.IsZero() {
			t.Errorf("message %d: zero Date", i)
		}
	}

	latest, err := LatestTo(dir, "ALICE@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if latest.Subject != "Reset your password" || latest.Body != resetBody {
		t.Errorf("LatestTo(alice) = %+v", latest)
	}
	if b, err := LatestTo(dir, "Bob <bob@example.com>"); err != nil || b.Subject != sent[1].Subject {
		t.Errorf("LatestTo(bob) = %+v, %v", b, err)
	}
	if _, err := LatestTo(dir, "nobody@example.com"); !errors.Is(err, ErrNoMessage) {
		t.Errorf("LatestTo(nobody) error = %v, want ErrNoMessage", err)
	}
	if msgs, err := ReadMessages(filepath.Join(dir, "missing")); err != nil || len(msgs) != 0 {
		t.Errorf("ReadMessages(missing) = %v, %v", msgs, err)
	}
}

func TestFileMailerConcurrentSends(t *testing.T) {
	dir := t.TempDir()
	m := NewFileMailer(dir)
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- m.Send(context.Background(), platformport.Message{
				To: "same@example.com", Subject: "s", Body: fmt.Sprintf("body %d", i),
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
		names[e.Name()] = true
	}
	if len(names) != n {
		t.Fatalf("%d distinct files, want %d", len(names), n)
	}
	msgs, err := ReadMessages(dir)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]bool{}
	for i, msg := range msgs {
		bodies[msg.Body] = true
		if i > 0 && msg.Date.Before(msgs[i-1].Date) {
			t.Errorf("messages not oldest first at %d", i)
		}
	}
	if len(bodies) != n {
		t.Errorf("%d distinct bodies, want %d", len(bodies), n)
	}
}

func TestFileMailerNamesSortByTime(t *testing.T) {
	dir := t.TempDir()
	m := NewFileMailer(dir)
	for i := range 20 {
		if err := m.Send(context.Background(), platformport.Message{To: "a@example.com", Subject: "s", Body: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := ReadMessages(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, msg := range msgs {
		if msg.Body != fmt.Sprint(i) {
			t.Fatalf("message %d has body %q: not in send order", i, msg.Body)
		}
	}
}

func TestHeaderInjectionIsRejected(t *testing.T) {
	var logBuf bytes.Buffer
	dir := t.TempDir()
	smtpM, err := NewSMTPMailer("smtp://127.0.0.1:1", "")
	if err != nil {
		t.Fatal(err)
	}
	mailers := map[string]platformport.Mailer{
		"log":  NewLogMailer(zerolog.New(&logBuf)),
		"file": NewFileMailer(dir),
		"smtp": smtpM,
	}
	bad := []platformport.Message{
		{To: "a@example.com", Subject: "Hi\r\nBcc: evil@example.com", Body: "x"},
		{To: "a@example.com", Subject: "Hi\nBcc: evil@example.com", Body: "x"},
		{To: "a@example.com", Subject: "Hi\rX", Body: "x"},
		{To: "a@example.com\r\nBcc: evil@example.com", Subject: "Hi", Body: "x"},
		{To: "a@example.com\n", Subject: "Hi", Body: "x"},
		{To: "", Subject: "Hi", Body: "x"},
		{To: "not an address", Subject: "Hi", Body: "x"},
		{To: "a@example.com, b@example.com", Subject: "Hi", Body: "x"},
	}
	for name, m := range mailers {
		for _, msg := range bad {
			err := m.Send(context.Background(), msg)
			if !errors.Is(err, ErrInvalidMessage) {
				t.Errorf("%s: Send(%q, %q) error = %v, want ErrInvalidMessage", name, msg.To, msg.Subject, err)
			}
		}
	}
	if logBuf.Len() != 0 {
		t.Errorf("log mailer logged a rejected message: %s", logBuf.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("file mailer wrote %d files for rejected messages", len(entries))
	}
}

func TestLogMailer(t *testing.T) {
	var buf bytes.Buffer
	m := NewLogMailer(zerolog.New(&buf).Level(zerolog.InfoLevel))
	msg := platformport.Message{To: "a@example.com", Subject: "Reset", Body: resetBody}
	if err := m.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1: %s", len(lines), buf.String())
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["level"] != "info" || rec["to"] != msg.To || rec["subject"] != msg.Subject || rec["body"] != msg.Body {
		t.Errorf("log line = %v", rec)
	}
	// The zero logger is disabled and must not panic.
	if err := NewLogMailer(zerolog.Logger{}).Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
}

// --- fake SMTP server -------------------------------------------------------

type received struct {
	auth  string // decoded PLAIN response: authzid \0 user \0 pass
	from  string
	rcpt  []string
	data  string
	isTLS bool
}

type fakeSMTP struct {
	t         *testing.T
	ln        net.Listener
	tlsConfig *tls.Config // server side; nil: no TLS at all
	implicit  bool        // TLS from the first byte (smtps)
	authErr   string      // when set, AUTH is answered with this 535 line
	done      chan received
}

func startFakeSMTP(t *testing.T, f *fakeSMTP) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.t, f.ln, f.done = t, ln, make(chan received, 10)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.handle(conn)
		}
	}()
	return f
}

func (f *fakeSMTP) addr() string { return f.ln.Addr().String() }

func (f *fakeSMTP) handle(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	var r received
	if f.implicit {
		tc := tls.Server(conn, f.tlsConfig)
		if err := tc.Handshake(); err != nil {
			return
		}
		conn, r.isTLS = tc, true
	}
	tp := textproto.NewConn(conn)
	_ = tp.PrintfLine("220 fake.test ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			_ = tp.PrintfLine("250-fake.test hello")
			if f.tlsConfig != nil && !r.isTLS {
				_ = tp.PrintfLine("250-STARTTLS")
			}
			_ = tp.PrintfLine("250 AUTH PLAIN")
		case "HELO", "NOOP", "RSET":
			_ = tp.PrintfLine("250 ok")
		case "STARTTLS":
			if f.tlsConfig == nil || r.isTLS {
				_ = tp.PrintfLine("502 no")
				continue
			}
			_ = tp.PrintfLine("220 go ahead")
			tc := tls.Server(conn, f.tlsConfig)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, r.isTLS = tc, true
			tp = textproto.NewConn(conn)
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			if !strings.EqualFold(mech, "PLAIN") {
				_ = tp.PrintfLine("504 unsupported")
				continue
			}
			if resp == "" {
				_ = tp.PrintfLine("334 ")
				if resp, err = tp.ReadLine(); err != nil {
					return
				}
			}
			dec, err := base64.StdEncoding.DecodeString(resp)
			if err != nil {
				_ = tp.PrintfLine("501 bad base64")
				continue
			}
			r.auth = string(dec)
			if f.authErr != "" {
				_ = tp.PrintfLine("%s", f.authErr)
				continue
			}
			_ = tp.PrintfLine("235 2.7.0 authenticated")
		case "MAIL":
			r.from = arg
			_ = tp.PrintfLine("250 ok")
		case "RCPT":
			r.rcpt = append(r.rcpt, arg)
			_ = tp.PrintfLine("250 ok")
		case "DATA":
			_ = tp.PrintfLine("354 end with .")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			r.data = string(b)
			_ = tp.PrintfLine("250 queued")
		case "QUIT":
			_ = tp.PrintfLine("221 bye")
			f.done <- r
			return
		default:
			_ = tp.PrintfLine("502 unknown command")
		}
	}
}

func (f *fakeSMTP) wait() received {
	f.t.Helper()
	select {
	case r := <-f.done:
		return r
	case <-time.After(5 * time.Second):
		f.t.Fatal("fake SMTP server received nothing")
		return received{}
	}
}

// selfSigned returns a server config for 127.0.0.1 and a client config
// trusting it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "fake smtp"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool}
}

func checkReceived(t *testing.T, r received, wantTLS bool) {
	t.Helper()
	if r.auth != "\x00mailer\x00p@ss:w0rd" {
		t.Errorf("AUTH PLAIN response = %q", r.auth)
	}
	if r.from != "FROM:<noreply@civictrust.test>" {
		t.Errorf("MAIL %s", r.from)
	}
	if len(r.rcpt) != 1 || r.rcpt[0] != "TO:<alice@example.com>" {
		t.Errorf("RCPT %v", r.rcpt)
	}
	if r.isTLS != wantTLS {
		t.Errorf("TLS = %v, want %v", r.isTLS, wantTLS)
	}
	msg, err := mail.ReadMessage(strings.NewReader(r.data))
	if err != nil {
		t.Fatalf("DATA does not parse: %v\n%s", err, r.data)
	}
	if got := msg.Header.Get("Subject"); got != "Reset your password" {
		t.Errorf("Subject = %q", got)
	}
	if got := msg.Header.Get("To"); got != "alice@example.com" {
		t.Errorf("To = %q", got)
	}
	if got := msg.Header.Get("From"); got != `"CivicTrust" <noreply@civictrust.test>` {
		t.Errorf("From = %q", got)
	}
	if !strings.Contains(r.data, "token=abc=def_123") {
		t.Errorf("body lost the link:\n%s", r.data)
	}
}

var resetMsg = platformport.Message{To: "alice@example.com", Subject: "Reset your password", Body: resetBody}

func TestSMTPMailerPlainWithAuth(t *testing.T) {
	f := startFakeSMTP(t, &fakeSMTP{})
	m, err := NewSMTPMailer("smtp://mailer:p%40ss%3Aw0rd@"+f.addr(), "CivicTrust <noreply@civictrust.test>")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), resetMsg); err != nil {
		t.Fatal(err)
	}
	checkReceived(t, f.wait(), false)
}

func TestSMTPMailerSTARTTLS(t *testing.T) {
	srv, cli := selfSigned(t)
	f := startFakeSMTP(t, &fakeSMTP{tlsConfig: srv})
	m, err := NewSMTPMailer("smtp://mailer:p%40ss%3Aw0rd@"+f.addr(), "CivicTrust <noreply@civictrust.test>")
	if err != nil {
		t.Fatal(err)
	}
	m.tlsConfig = cli
	if err := m.Send(context.Background(), resetMsg); err != nil {
		t.Fatal(err)
	}
	checkReceived(t, f.wait(), true)
}

func TestSMTPMailerImplicitTLS(t *testing.T) {
	srv, cli := selfSigned(t)
	f := startFakeSMTP(t, &fakeSMTP{tlsConfig: srv, implicit: true})
	m, err := NewSMTPMailer("smtps://mailer:p%40ss%3Aw0rd@"+f.addr(), "CivicTrust <noreply@civictrust.test>")
	if err != nil {
		t.Fatal(err)
	}
	m.tlsConfig = cli
	if err := m.Send(context.Background(), resetMsg); err != nil {
		t.Fatal(err)
	}
	checkReceived(t, f.wait(), true)

	// Without trusting the certificate the handshake fails.
	m.tlsConfig = nil
	if err := m.Send(context.Background(), resetMsg); err == nil {
		t.Error("Send trusted an unknown certificate")
	}
}

func TestSMTPMailerWithoutUserSkipsAuth(t *testing.T) {
	f := startFakeSMTP(t, &fakeSMTP{})
	m, err := NewSMTPMailer("smtp://"+f.addr(), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), resetMsg); err != nil {
		t.Fatal(err)
	}
	r := f.wait()
	if r.auth != "" {
		t.Errorf("authenticated without a user: %q", r.auth)
	}
	if r.from != "FROM:<no-reply@localhost>" {
		t.Errorf("MAIL %s", r.from)
	}
}

func TestSMTPMailerRespectsContext(t *testing.T) {
	// A server that accepts and never says anything.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	m, err := NewSMTPMailer("smtp://u:topsecret@"+ln.Addr().String(), "")
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = m.Send(ctx, resetMsg)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send error = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v", d)
	}

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	err = m.Send(ctx, resetMsg)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Send error = %v, want Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v", d)
	}
	if err != nil && strings.Contains(err.Error(), "topsecret") {
		t.Errorf("error leaks the password: %v", err)
	}
}

func TestSMTPErrorsHideThePassword(t *testing.T) {
	const secret = "s3cr3tPW"
	for _, u := range []string{
		"smtp://user:" + secret + "@",
		"smtp://user:" + secret + "@host:notaport",
		"smtp://user:" + secret + "@host:99999",
		"smtp://user:" + secret + "%zz@host:25",
		"smtp://user:" + secret + "@host:25/path?x=1",
		"ftp://user:" + secret + "@host:25",
		"smtp:user:" + secret + "@host:25",
		"user:" + secret + "@host:25",
		"smtp://:" + secret + "@host:25",
		"smtp://user:" + secret + "@host:25\nX",
		"smtp://user:" + secret + "@ho st:25",
		"://user:" + secret + "@host",
	} {
		_, err := NewSMTPMailer(u, "")
		if err == nil {
			t.Errorf("NewSMTPMailer(%q) accepted a bad URL", u)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("NewSMTPMailer(%q) error leaks the password: %v", u, err)
		}
		if _, err := New(DriverSMTP, Options{SMTPURL: u}); err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("New(smtp, %q) error = %v", u, err)
		}
	}

	// A failed login (even one whose reply echoes the password) does not
	// leak it either.
	f := startFakeSMTP(t, &fakeSMTP{authErr: "535 5.7.8 bad credentials " + secret})
	m, err := NewSMTPMailer("smtp://user:"+secret+"@"+f.addr(), "")
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), resetMsg)
	if err == nil {
		t.Fatal("Send succeeded despite a failed login")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("auth error leaks the password: %v", err)
	}
	// Nothing listening: the dial error names the host, not the password.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	m, err = NewSMTPMailer("smtp://user:"+secret+"@"+addr, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), resetMsg); err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), addr) {
		t.Errorf("dial error = %v", err)
	}
}

func TestNew(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		driver string
		opts   Options
		want   any
	}{
		{"", Options{}, &LogMailer{}},
		{"log", Options{}, &LogMailer{}},
		{"FILE", Options{Dir: dir}, &FileMailer{}},
		{"smtp", Options{SMTPURL: "smtp://u:p@localhost:2525", From: "a@example.com"}, &SMTPMailer{}},
	}
	for _, c := range cases {
		m, err := New(c.driver, c.opts)
		if err != nil {
			t.Errorf("New(%q): %v", c.driver, err)
			continue
		}
		if fmt.Sprintf("%T", m) != fmt.Sprintf("%T", c.want) {
			t.Errorf("New(%q) = %T, want %T", c.driver, m, c.want)
		}
	}
	for _, c := range []struct {
		driver string
		opts   Options
	}{
		{"sendmail", Options{}},
		{"file", Options{}},
		{"file", Options{Dir: dir, From: "bad\r\nBcc: x@example.com"}},
		{"smtp", Options{}},
		{"smtp", Options{SMTPURL: "smtp://localhost:25", From: "not an address"}},
	} {
		if _, err := New(c.driver, c.opts); err == nil {
			t.Errorf("New(%q, %+v) accepted bad options", c.driver, c.opts)
		}
	}

	m, err := New("file", Options{Dir: dir, From: "Civic <civic@example.org>"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), resetMsg); err != nil {
		t.Fatal(err)
	}
	got, err := LatestTo(dir, "alice@example.com")
	if err != nil || got.From != "civic@example.org" {
		t.Errorf("LatestTo = %+v, %v", got, err)
	}
}

func TestSanitizeRecipient(t *testing.T) {
	for in, want := range map[string]string{
		"alice@example.com":      "alice@example.com",
		"../../etc/passwd@x.com": "_.._etc_passwd@x.com",
		"ünïcode@example.com":    "__n__code@example.com",
		"":                       "unknown",
		strings.Repeat("a", 200): strings.Repeat("a", 64),
	} {
		if got := sanitizeRecipient(in); got != want {
			t.Errorf("sanitizeRecipient(%q) = %q, want %q", in, got, want)
		}
	}
}
