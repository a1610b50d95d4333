package mail

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// fileTimeLayout is the UTC timestamp that starts every file name: RFC 3339
// with fixed-width nanoseconds and '-' instead of ':' so names are portable
// and sort by time.
const fileTimeLayout = "2006-01-02T15-04-05.000000000Z"

// ErrNoMessage is returned by LatestTo when no message went to the address.
var ErrNoMessage = errors.New("mail: no message for that recipient")

// FileMailer writes every message as one RFC 5322 file in a folder, named
// <UTC time with nanoseconds>-<random hex>-<recipient>.eml so that names sort
// by time and never collide. Files are written atomically (a temporary file
// in the same folder renamed into place), so a reader never sees half a
// message. It is safe for concurrent use.
type FileMailer struct {
	dir  string
	from *mail.Address

	mu   sync.Mutex
	last time.Time // last timestamp handed out, to keep names strictly increasing
}

var _ platformport.Mailer = (*FileMailer)(nil)

// NewFileMailer returns a mailer writing into dir, which is created (0o700)
// on the first Send if it is missing. The sender is DefaultFrom.
func NewFileMailer(dir string) *FileMailer {
	from, _ := mail.ParseAddress(DefaultFrom) // a constant known to parse
	return &FileMailer{dir: dir, from: from}
}

// Dir returns the folder the mailer writes to.
func (f *FileMailer) Dir() string { return f.dir }

// now returns the current UTC time, strictly after the previous one this
// mailer handed out, so two sends never share a timestamp.
func (f *FileMailer) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := time.Now().UTC().Round(0)
	if !t.After(f.last) {
		t = f.last.Add(time.Nanosecond)
	}
	f.last = t
	return t
}

// Send validates m and writes it as a new file in the mailer's folder.
func (f *FileMailer) Send(ctx context.Context, m platformport.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	to, err := validate(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("mail: create mail folder: %w", err)
	}
	t := f.now()
	data, err := buildMessage(f.from, to, m.Subject, m.Body, t)
	if err != nil {
		return err
	}
	suffix, err := randomHex(8)
	if err != nil {
		return err
	}
	name := t.Format(fileTimeLayout) + "-" + suffix + "-" + sanitizeRecipient(to.Address) + ".eml"
	return writeAtomic(f.dir, name, data)
}

// writeAtomic writes data to dir/name through a temporary file in dir that
// is synced and then renamed into place.
func writeAtomic(dir, name string, data []byte) (err error) {
	tmp, err := os.CreateTemp(dir, ".mail-*.tmp")
	if err != nil {
		return fmt.Errorf("mail: write message: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("mail: write message: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("mail: write message: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("mail: write message: %w", err)
	}
	if err = os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("mail: write message: %w", err)
	}
	return nil
}

// sanitizeRecipient turns an address into a safe, bounded file-name part.
func sanitizeRecipient(addr string) string {
	const maxLen = 64
	var b strings.Builder
	for i := 0; i < len(addr) && b.Len() < maxLen; i++ {
		c := addr[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '@', c == '+', c == '_', c == '-':
			b.WriteByte(c)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		return "unknown"
	}
	return s
}

// StoredMessage is one message read back from a FileMailer folder.
type StoredMessage struct {
	// To is the recipient's bare address (the display name, if any, is
	// dropped).
	To string
	// From is the sender's bare address.
	From string
	// Subject is the decoded subject.
	Subject string
	// Body is the decoded body with LF line endings.
	Body string
	// Date is the message's Date header; zero if it is missing or invalid.
	Date time.Time
	// Path is the file the message was read from.
	Path string
}

// ReadMessages parses every message a FileMailer wrote in dir and returns
// them oldest first. A missing folder holds no messages and is not an error.
func ReadMessages(dir string) ([]StoredMessage, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("mail: read mail folder: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasSuffix(n, ".eml") && !strings.HasPrefix(n, ".") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	msgs := make([]StoredMessage, 0, len(names))
	for _, n := range names {
		m, err := readMessage(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// LatestTo returns the newest message in dir sent to the address to
// (compared case-insensitively), or an error wrapping ErrNoMessage.
func LatestTo(dir, to string) (StoredMessage, error) {
	want := strings.TrimSpace(to)
	if a, err := mail.ParseAddress(to); err == nil {
		want = a.Address
	}
	msgs, err := ReadMessages(dir)
	if err != nil {
		return StoredMessage{}, err
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(msgs[i].To, want) {
			return msgs[i], nil
		}
	}
	return StoredMessage{}, fmt.Errorf("%w: %s", ErrNoMessage, want)
}

// readMessage parses one message file.
func readMessage(path string) (StoredMessage, error) {
	fail := func(err error) (StoredMessage, error) {
		return StoredMessage{}, fmt.Errorf("mail: read %s: %w", path, err)
	}
	file, err := os.Open(path)
	if err != nil {
		return fail(err)
	}
	defer func() { _ = file.Close() }()
	msg, err := mail.ReadMessage(file)
	if err != nil {
		return fail(err)
	}
	var body io.Reader
	body = msg.Body
	switch strings.ToLower(strings.TrimSpace(msg.Header.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return fail(err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	sm := StoredMessage{
		To:      bareAddress(msg.Header.Get("To")),
		From:    bareAddress(msg.Header.Get("From")),
		Subject: subject,
		Body:    normalizeNewlines(string(raw)),
		Path:    path,
	}
	if d, err := msg.Header.Date(); err == nil {
		sm.Date = d
	}
	return sm, nil
}

// bareAddress returns the address part of a header value, or the value
// itself when it does not parse.
func bareAddress(v string) string {
	if a, err := mail.ParseAddress(v); err == nil {
		return a.Address
	}
	return strings.TrimSpace(v)
}
