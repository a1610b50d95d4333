// Package formstream reads a multipart/form-data body as a stream, as
// mime/multipart does, but hands a part's contents over in large reads.
//
// mime/multipart reads its input through a 4 KiB buffer and copies every part
// out of it 4 KiB at a time: for a 1 GiB upload that is 262,144 boundary scans
// and two copies of every byte on the goroutine that reads the socket. Here a
// large Read of a part reads the connection straight into the caller's buffer
// and scans it once; only the few bytes that may begin a boundary, and what
// follows a boundary, are kept back in the reader's own buffer.
//
// The parsing rules are mime/multipart's (a differential test holds the two
// to the same parts and contents): the same boundary delimiter and final
// boundary lines, bodies ending in LF instead of CRLF when the first boundary
// line does, the preamble skipped, quoted-printable parts decoded, and the
// same FormName and FileName.
package formstream

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
)

// DefaultBufferSize is the reader's own buffer: a part's header block and any
// line between parts must fit in it, and it bounds one direct read.
const DefaultBufferSize = 256 << 10

// directReadMin is the smallest Read of a part served by reading the source
// straight into the caller's buffer; smaller Reads go through the reader's,
// which then reads at most this much, so that the next large Read is soon
// direct again.
const directReadMin = 16 << 10

// maxEmptyReads is how many reads in a row may give nothing before the source
// counts as broken (io.ErrNoProgress), as in bufio.
const maxEmptyReads = 100

// ErrHeaderTooLarge is returned by NextPart when a part's header block, or a
// line before it, does not fit in the reader's buffer.
var ErrHeaderTooLarge = errors.New("multipart: part header too large")

// Reader iterates over the parts of a multipart body.
type Reader struct {
	src     io.Reader
	readErr error // the first error src gave; src is not read after it
	// emptyReads counts reads of src in a row that gave nothing.
	emptyReads int

	buf  []byte
	r, w int // buf[r:w] is read from src and not yet consumed

	current   *Part
	partsRead int

	nl               []byte // "\r\n", or "\n" once the first boundary line ends so
	nlDashBoundary   []byte // nl + "--boundary"
	dashBoundaryDash []byte // "--boundary--"
	dashBoundary     []byte // "--boundary"
}

// NewReader returns a reader of the parts of src, delimited by boundary (the
// "boundary" parameter of the Content-Type), with a buffer of
// DefaultBufferSize.
func NewReader(src io.Reader, boundary string) *Reader {
	return NewReaderSize(src, boundary, DefaultBufferSize)
}

// NewReaderSize is NewReader with a buffer of size bytes (at least 4 KiB).
func NewReaderSize(src io.Reader, boundary string, size int) *Reader {
	b := []byte("\r\n--" + boundary + "--")
	return &Reader{
		src:              src,
		buf:              make([]byte, max(size, 4<<10)),
		nl:               b[:2],
		nlDashBoundary:   b[:len(b)-2],
		dashBoundaryDash: b[2:],
		dashBoundary:     b[2 : len(b)-2],
	}
}

// Part is one part of the body. Its contents are read with Read, up to the
// next boundary.
type Part struct {
	// Header holds the part's header fields; a quoted-printable
	// Content-Transfer-Encoding is removed, since Read decodes it.
	Header textproto.MIMEHeader

	mr       *Reader
	contents io.Reader // raw{p}, or a decoder around it
	names    multipart.Part

	n     int   // bytes of contents waiting at mr.buf[mr.r:]
	total int64 // bytes of contents returned so far
	err   error // returned once n is 0: io.EOF at the boundary
}

// FormName returns the name parameter of a form-data Content-Disposition, as
// mime/multipart's Part.FormName does.
func (p *Part) FormName() string { return p.names.FormName() }

// FileName returns the base name of the filename parameter of the
// Content-Disposition, as mime/multipart's Part.FileName does.
func (p *Part) FileName() string { return p.names.FileName() }

// Read reads the part's contents; io.EOF at the next boundary.
func (p *Part) Read(d []byte) (int, error) { return p.contents.Read(d) }

// Close reads the rest of the part, so that NextPart can find the next one.
func (p *Part) Close() error {
	_, err := io.Copy(io.Discard, p)
	return err
}

// NextPart returns the next part, after reading what is left of the current
// one; io.EOF after the last.
func (r *Reader) NextPart() (*Part, error) {
	if r.current != nil {
		_ = r.current.Close()
		r.current = nil
	}
	if string(r.dashBoundary) == "--" {
		return nil, errors.New("multipart: boundary is empty")
	}
	expectNewPart := false
	for {
		line, err := r.readLine()
		if errors.Is(err, io.EOF) && r.isFinalBoundary(line) {
			return nil, io.EOF // "--boundary--" at the very end, without a newline
		}
		if err != nil {
			return nil, fmt.Errorf("multipart: NextPart: %w", err)
		}
		if r.isBoundaryDelimiterLine(line) {
			r.partsRead++
			p, err := r.newPart()
			if err != nil {
				return nil, err
			}
			r.current = p
			return p, nil
		}
		if r.isFinalBoundary(line) {
			return nil, io.EOF
		}
		if expectNewPart {
			return nil, fmt.Errorf("multipart: expecting a new Part; got line %q", string(line))
		}
		if r.partsRead == 0 {
			continue // the preamble
		}
		// The newline between the previous part's contents and the boundary.
		if bytes.Equal(line, r.nl) {
			expectNewPart = true
			continue
		}
		return nil, fmt.Errorf("multipart: unexpected line in Next(): %q", line)
	}
}

// newPart reads a part's header block, which must fit in the buffer.
func (r *Reader) newPart() (*Part, error) {
	end, err := r.headerEnd()
	if err != nil {
		return nil, err
	}
	block := r.buf[r.r:end]
	r.r = end
	header, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(block))).ReadMIMEHeader()
	if err != nil {
		return nil, err
	}
	p := &Part{Header: header, mr: r}
	p.contents = raw{p}
	const cte = "Content-Transfer-Encoding"
	if strings.EqualFold(header.Get(cte), "quoted-printable") {
		header.Del(cte)
		p.contents = quotedprintable.NewReader(raw{p})
	}
	p.names.Header = header
	return p, nil
}

// headerEnd returns the offset in buf just past the empty line that ends the
// header block starting at r.r, reading until it is there (or the body ends).
func (r *Reader) headerEnd() (int, error) {
	scanned := r.r // lines before this offset are complete and not empty
	for {
		for {
			i := bytes.IndexByte(r.buf[scanned:r.w], '\n')
			if i < 0 {
				break
			}
			line := r.buf[scanned : scanned+i+1]
			scanned += i + 1
			if len(line) == 1 || (len(line) == 2 && line[0] == '\r') {
				return scanned, nil
			}
		}
		if r.readErr != nil {
			// The body ends inside the header block: textproto tells how,
			// as it does for mime/multipart (io.EOF, the end of the parts,
			// when nothing of the block is there).
			return r.w, nil
		}
		if r.r == 0 && r.w == len(r.buf) {
			return 0, ErrHeaderTooLarge
		}
		scanned -= r.r
		r.fill(len(r.buf))
	}
}

// readLine returns the next line, its newline included, as bufio's
// ReadSlice('\n') does: with src's error when the body ends without one.
func (r *Reader) readLine() ([]byte, error) {
	scanned := r.r
	for {
		if i := bytes.IndexByte(r.buf[scanned:r.w], '\n'); i >= 0 {
			line := r.buf[r.r : scanned+i+1]
			r.r = scanned + i + 1
			return line, nil
		}
		scanned = r.w
		if r.readErr != nil {
			line := r.buf[r.r:r.w]
			r.r = r.w
			return line, r.readErr
		}
		if r.r == 0 && r.w == len(r.buf) {
			return nil, ErrHeaderTooLarge
		}
		scanned -= r.r
		r.fill(len(r.buf))
	}
}

// fill moves the unread bytes to the front of buf and reads once from src, at
// most limit bytes, into the space after them. src is not read again after an
// error; a src that keeps returning nothing, and no error, fails as bufio's
// readers fail it.
func (r *Reader) fill(limit int) {
	if r.r > 0 {
		r.w = copy(r.buf, r.buf[r.r:r.w])
		r.r = 0
	}
	if r.readErr != nil || r.w == len(r.buf) {
		return
	}
	r.w += r.read(r.buf[r.w:min(len(r.buf), r.w+limit)])
}

// read reads src once into p, keeping its error.
func (r *Reader) read(p []byte) int {
	n, err := r.src.Read(p)
	switch {
	case err != nil:
		r.readErr = err
	case n > 0:
		r.emptyReads = 0
	default:
		r.emptyReads++
		if r.emptyReads >= maxEmptyReads {
			r.readErr = io.ErrNoProgress
		}
	}
	return n
}

func (r *Reader) isFinalBoundary(line []byte) bool {
	if !bytes.HasPrefix(line, r.dashBoundaryDash) {
		return false
	}
	rest := skipLWSPChar(line[len(r.dashBoundaryDash):])
	return len(rest) == 0 || bytes.Equal(rest, r.nl)
}

// isBoundaryDelimiterLine reports whether line is "--boundary", optional
// spaces and tabs, and a newline (RFC 2046, section 5.1). A first boundary
// line ending in a bare LF switches the reader to LF newlines, as
// mime/multipart does: a violation of the RFC that occurs in practice.
func (r *Reader) isBoundaryDelimiterLine(line []byte) bool {
	if !bytes.HasPrefix(line, r.dashBoundary) {
		return false
	}
	rest := skipLWSPChar(line[len(r.dashBoundary):])
	if r.partsRead == 0 && len(rest) == 1 && rest[0] == '\n' {
		r.nl = r.nl[1:]
		r.nlDashBoundary = r.nlDashBoundary[1:]
	}
	return bytes.Equal(rest, r.nl)
}

func skipLWSPChar(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// raw reads a part's contents as they are in the body.
type raw struct{ p *Part }

func (pr raw) Read(d []byte) (int, error) {
	p, r := pr.p, pr.p.mr
	for p.n == 0 && p.err == nil {
		p.n, p.err = scanUntilBoundary(r.buf[r.r:r.w], r.dashBoundary, r.nlDashBoundary, p.total, r.partErr())
		if p.n > 0 || p.err != nil {
			break
		}
		// Nothing in the buffer is known to be contents: at most the start
		// of a boundary. A large Read takes the rest from src directly (if
		// d holds what is buffered with room to spare: a boundary may be
		// as long as the request's headers allow).
		if len(d) >= directReadMin && len(d) > 2*(r.w-r.r) {
			if n, err := pr.readDirect(d); n > 0 || err != nil {
				return n, err
			}
			continue // only the start of a possible boundary so far
		}
		if r.r == 0 && r.w == len(r.buf) {
			return 0, ErrHeaderTooLarge // a boundary as long as the buffer
		}
		r.fill(directReadMin)
	}
	if p.n == 0 {
		return 0, p.err
	}
	n := copy(d, r.buf[r.r:r.r+min(len(d), p.n)])
	r.r += n
	p.total += int64(n)
	p.n -= n
	if p.n == 0 {
		return n, p.err
	}
	return n, nil
}

// readDirect serves a large Read when nothing buffered is known to be
// contents: the buffered bytes (a possible boundary start) and one read of src
// land in d and are scanned there; what is not contents goes back to the
// buffer, which is why the read is bounded by the buffer's size. It returns 0
// and no error when all it has may still begin a boundary.
func (pr raw) readDirect(d []byte) (int, error) {
	p, r := pr.p, pr.p.mr
	k := copy(d, r.buf[r.r:r.w])
	r.r, r.w = 0, 0
	end := k
	if r.readErr == nil {
		end += r.read(d[k:min(len(d), len(r.buf))])
	}
	n, err := scanUntilBoundary(d[:end], r.dashBoundary, r.nlDashBoundary, p.total, r.partErr())
	r.w = copy(r.buf, d[n:end])
	p.total += int64(n)
	p.err = err
	return n, err
}

// partErr is src's error as a part sees it: a body that ends inside a part
// ended too early.
func (r *Reader) partErr() error {
	return unexpected(r.readErr)
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// scanUntilBoundary is mime/multipart's: it returns how many bytes at the
// start of buf are contents, and the error to return once they are read
// (io.EOF when a boundary follows them). total is how many bytes of the part
// were read before buf.
func scanUntilBoundary(buf, dashBoundary, nlDashBoundary []byte, total int64, readErr error) (int, error) {
	if total == 0 {
		// At the beginning of the contents, a boundary needs no newline.
		if bytes.HasPrefix(buf, dashBoundary) {
			switch matchAfterPrefix(buf, dashBoundary, readErr) {
			case -1:
				return len(dashBoundary), nil
			case 0:
				return 0, nil
			case +1:
				return 0, io.EOF
			}
		}
		if bytes.HasPrefix(dashBoundary, buf) {
			return 0, readErr
		}
	}
	if i := bytes.Index(buf, nlDashBoundary); i >= 0 {
		switch matchAfterPrefix(buf[i:], nlDashBoundary, readErr) {
		case -1:
			return i + len(nlDashBoundary), nil
		case 0:
			return i, nil
		case +1:
			return i, io.EOF
		}
	}
	if bytes.HasPrefix(nlDashBoundary, buf) {
		return 0, readErr
	}
	// Everything up to the last newline is contents, and so is what follows
	// it unless it may begin a boundary.
	i := bytes.LastIndexByte(buf, nlDashBoundary[0])
	if i >= 0 && bytes.HasPrefix(nlDashBoundary, buf[i:]) {
		return i, nil
	}
	return len(buf), readErr
}

// matchAfterPrefix tells, for buf starting with a boundary, whether it is one:
// +1 yes (followed by a space, tab, newline or "--"), -1 no (the boundary
// string is only a prefix of something else), 0 not known before more is read.
func matchAfterPrefix(buf, prefix []byte, readErr error) int {
	if len(buf) == len(prefix) {
		if readErr != nil {
			return +1
		}
		return 0
	}
	c := buf[len(prefix)]
	if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
		return +1
	}
	if c == '-' {
		if len(buf) == len(prefix)+1 {
			if readErr != nil {
				return -1
			}
			return 0
		}
		if buf[len(prefix)+1] == '-' {
			return +1
		}
	}
	return -1
}
