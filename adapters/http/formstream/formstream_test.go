package formstream_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/textproto"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unsafe"

	"github.com/civicdatatrust/civictrust/adapters/http/formstream"
)

// parsed is what a reader made of a body: its parts, then the error that
// ended it (nil after the last part).
type parsed struct {
	Parts []parsedPart
	Err   error
}

type parsedPart struct {
	Header   textproto.MIMEHeader
	FormName string
	FileName string
	Contents []byte
	ReadErr  error // nil, or the error that broke the contents off
}

// part is the common view of both packages' parts.
type part interface {
	io.Reader
	FormName() string
	FileName() string
}

// parseWith reads every part of body with next, reading each part's contents
// readSize bytes at a time.
func parseWith(next func() (part, textproto.MIMEHeader, error), readSize int) parsed {
	var out parsed
	for len(out.Parts) < 100 {
		p, header, err := next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			out.Err = err
			return out
		}
		pp := parsedPart{Header: header, FormName: p.FormName(), FileName: p.FileName()}
		buf := make([]byte, readSize)
		for {
			n, err := p.Read(buf)
			pp.Contents = append(pp.Contents, buf[:n]...)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				pp.ReadErr = err
				break
			}
		}
		out.Parts = append(out.Parts, pp)
	}
	out.Err = errors.New("too many parts")
	return out
}

func parseMime(body io.Reader, boundary string, readSize int) parsed {
	mr := multipart.NewReader(body, boundary)
	return parseWith(func() (part, textproto.MIMEHeader, error) {
		p, err := mr.NextPart()
		if err != nil {
			return nil, nil, err
		}
		return p, p.Header, nil
	}, readSize)
}

func parseStream(body io.Reader, boundary string, readSize, bufSize int) parsed {
	mr := formstream.NewReaderSize(body, boundary, bufSize)
	return parseWith(func() (part, textproto.MIMEHeader, error) {
		p, err := mr.NextPart()
		if err != nil {
			return nil, nil, err
		}
		return p, p.Header, nil
	}, readSize)
}

// sameAsMime checks that formstream reads body as mime/multipart reads it:
// the same parts, headers, names and contents, and an error where it gives
// one. (The errors' texts may differ.) mime/multipart refuses lines of more
// than 4 KiB between parts and headers that formstream's larger buffer
// holds; when it refuses a body for that, formstream is not held to it.
func sameAsMime(t *testing.T, body []byte, boundary string, src func(io.Reader) io.Reader, readSize, bufSize int) {
	t.Helper()
	want := parseMime(src(bytes.NewReader(body)), boundary, readSize)
	got := parseStream(src(bytes.NewReader(body)), boundary, readSize, bufSize)
	if want.Err != nil && strings.Contains(want.Err.Error(), "buffer full") {
		return
	}
	if (want.Err == nil) != (got.Err == nil) {
		t.Fatalf("boundary %q, read size %d: error %v, mime/multipart's %v\nbody %q", boundary, readSize, got.Err, want.Err, clip(body))
	}
	if len(got.Parts) != len(want.Parts) {
		t.Fatalf("boundary %q, read size %d: %d parts, mime/multipart %d\nbody %q", boundary, readSize, len(got.Parts), len(want.Parts), clip(body))
	}
	for i := range want.Parts {
		w, g := want.Parts[i], got.Parts[i]
		if (w.ReadErr == nil) != (g.ReadErr == nil) {
			t.Fatalf("part %d: read error %v, mime/multipart's %v\nbody %q", i, g.ReadErr, w.ReadErr, clip(body))
		}
		w.ReadErr, g.ReadErr = nil, nil
		if !bytes.Equal(w.Contents, g.Contents) {
			t.Fatalf("part %d: contents differ (%d bytes, mime/multipart %d)\nbody %q", i, len(g.Contents), len(w.Contents), clip(body))
		}
		w.Contents, g.Contents = nil, nil
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("part %d: %+v, mime/multipart %+v", i, g, w)
		}
	}
}

func clip(b []byte) []byte {
	if len(b) > 600 {
		return append(b[:300:300], append([]byte("…"), b[len(b)-300:]...)...)
	}
	return b
}

// sources are ways a body arrives: at once, a byte at a time, in halves, in
// random pieces, with its error on the last bytes.
var sources = map[string]func(io.Reader) io.Reader{
	"whole":    func(r io.Reader) io.Reader { return r },
	"one-byte": iotest.OneByteReader,
	"half":     iotest.HalfReader,
	"data-err": iotest.DataErrReader,
	"pieces":   func(r io.Reader) io.Reader { return &pieces{r: r, rng: rand.New(rand.NewPCG(7, 7))} },
}

// pieces returns reads of random sizes, some of them empty.
type pieces struct {
	r   io.Reader
	rng *rand.Rand
}

func (p *pieces) Read(b []byte) (int, error) {
	n := p.rng.IntN(70_000)
	if n == 0 {
		return 0, nil
	}
	return p.r.Read(b[:min(len(b), n)])
}

// body builds multipart bodies, valid and broken.
type body struct {
	rng      *rand.Rand
	boundary string
	nl       string
}

func (b body) contents() []byte {
	var c []byte
	switch b.rng.IntN(4) {
	case 0: // empty or tiny
		c = make([]byte, b.rng.IntN(3))
	case 1: // around the buffers' sizes
		c = make([]byte, 4096+b.rng.IntN(3)-1+[]int{0, 16 << 10, 64 << 10}[b.rng.IntN(3)])
	default:
		c = make([]byte, b.rng.IntN(300_000))
	}
	for i := range c {
		c[i] = byte(b.rng.Uint32())
	}
	// Things that look like a boundary and are not, or may be cut off.
	near := []string{b.nl + "--" + b.boundary + "x", "\r\n--" + b.boundary[:len(b.boundary)/2], "\r", "\r\n", "\r\n-", "--" + b.boundary + "-x", b.nl + "--" + b.boundary + "-"}
	for range b.rng.IntN(4) {
		s := near[b.rng.IntN(len(near))]
		at := b.rng.IntN(len(c) + 1)
		c = append(c[:at:at], append([]byte(s), c[at:]...)...)
	}
	if b.rng.IntN(4) == 0 { // ends as a boundary begins
		c = append(c, near[1+b.rng.IntN(3)]...)
	}
	return c
}

func (b body) build() []byte {
	var w bytes.Buffer
	if b.rng.IntN(3) == 0 {
		fmt.Fprintf(&w, "preamble line%sanother%s", b.nl, b.nl)
	}
	for i := range b.rng.IntN(4) {
		lwsp := []string{"", " ", "\t ", ""}[b.rng.IntN(4)]
		fmt.Fprintf(&w, "--%s%s%s", b.boundary, lwsp, b.nl)
		fmt.Fprintf(&w, "Content-Disposition: form-data; name=\"f%d\"; filename=\"dir/file %d.bin\"%s", i, i, b.nl)
		if b.rng.IntN(5) == 0 {
			fmt.Fprintf(&w, "Content-Transfer-Encoding: quoted-printable%s", b.nl)
			fmt.Fprintf(&w, "%sa=3Db=%s c%s", b.nl, b.nl, b.nl)
			continue
		}
		if b.rng.IntN(3) == 0 {
			fmt.Fprintf(&w, "Content-Type: application/octet-stream%s X-Folded: yes%s", b.nl, b.nl)
		}
		w.WriteString(b.nl)
		w.Write(b.contents())
		w.WriteString(b.nl)
	}
	switch b.rng.IntN(5) {
	case 0:
		fmt.Fprintf(&w, "--%s--", b.boundary)
	case 1:
		fmt.Fprintf(&w, "--%s--  %sepilogue", b.boundary, b.nl)
	default:
		fmt.Fprintf(&w, "--%s--%s", b.boundary, b.nl)
	}
	out := w.Bytes()
	switch b.rng.IntN(8) {
	case 0: // cut anywhere
		out = out[:b.rng.IntN(len(out)+1)]
	case 1: // a byte changed anywhere
		if len(out) > 0 {
			out[b.rng.IntN(len(out))] = "\r\n-x "[b.rng.IntN(5)]
		}
	}
	return out
}

var boundaries = []string{
	"b",
	"simple boundary",
	"------------------------d74496d66958873e",                     // curl's
	"7d6d9a1e2f3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8", // as long as Go's
	"----WebKitFormBoundary7MA4YWxkTrZu0gW",                        // browsers'
}

func TestReadsBodiesAsMimeMultipartDoes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		boundary := boundaries[i%len(boundaries)]
		nl := "\r\n"
		if i%7 == 3 {
			nl = "\n"
		}
		b := body{rng: rng, boundary: boundary, nl: nl}.build()
		for name, src := range sources {
			readSize := []int{1, 100, 4096, 32 << 10, 256 << 10}[rng.IntN(5)]
			bufSize := []int{4 << 10, 64 << 10, formstream.DefaultBufferSize}[rng.IntN(3)]
			t.Run(fmt.Sprintf("%d/%s/%d/%d", i, name, readSize, bufSize), func(t *testing.T) {
				sameAsMime(t, b, boundary, src, readSize, bufSize)
			})
		}
	}
}

func FuzzReadsBodiesAsMimeMultipartDoes(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 20 {
		b := body{rng: rng, boundary: "b", nl: "\r\n"}.build()
		if len(b) < 5000 {
			f.Add(b, "b", uint32(i*977))
		}
	}
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\r\n--b--"), "b", uint32(5))
	f.Add([]byte("--b\n\nx\n--bb\n--b--\n"), "b", uint32(17))
	f.Fuzz(func(t *testing.T, body []byte, boundary string, sizes uint32) {
		readSize := 1 + int(sizes%(300<<10))
		bufSize := 4<<10 + int(sizes>>20)
		sameAsMime(t, body, boundary, func(r io.Reader) io.Reader { return r }, readSize, bufSize)
		sameAsMime(t, body, boundary, iotest.HalfReader, readSize, bufSize)
	})
}

// A large Read of a part's contents reads the source straight into the
// caller's buffer: the contents are not copied through the reader's.
func TestLargeReadsGoStraightIntoTheCallersBuffer(t *testing.T) {
	contents := make([]byte, 8<<20)
	for i := range contents {
		contents[i] = byte(i*7 + i>>11)
	}
	var b bytes.Buffer
	b.WriteString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n")
	b.Write(contents)
	b.WriteString("\r\n--b--\r\n")
	src := &recordingReader{r: iotest.HalfReader(&b)} // reads of changing sizes
	mr := formstream.NewReader(src, "b")
	p, err := mr.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, 256<<10)
	direct, total := 0, 0
	for {
		src.into = nil
		n, err := p.Read(buf)
		got = append(got, buf[:n]...)
		for _, into := range src.into {
			total += into.n
			if within(into.p, buf) {
				direct += into.n
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, contents) {
		t.Fatalf("contents differ: %d bytes, want %d", len(got), len(contents))
	}
	if direct < total*9/10 {
		t.Fatalf("%d of %d bytes read from the source went into the caller's buffer, want at least 90 %%", direct, total)
	}
	if _, err := mr.NextPart(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last part: %v, want io.EOF", err)
	}
}

type read struct {
	p []byte
	n int
}

type recordingReader struct {
	r    io.Reader
	into []read
}

func (r *recordingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.into = append(r.into, read{p: p, n: n})
	return n, err
}

// within reports whether p's memory lies in buf's.
func within(p, buf []byte) bool {
	if len(p) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	at := uintptr(unsafe.Pointer(unsafe.SliceData(p)))
	return at >= start && at < start+uintptr(len(buf))
}

func TestAHeaderBlockLargerThanTheBufferIsRefused(t *testing.T) {
	body := "--b\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Long: " + strings.Repeat("a", 8<<10) + "\r\n\r\nx\r\n--b--\r\n"
	_, err := formstream.NewReaderSize(strings.NewReader(body), "b", 4<<10).NextPart()
	if !errors.Is(err, formstream.ErrHeaderTooLarge) {
		t.Fatalf("NextPart: %v, want ErrHeaderTooLarge", err)
	}
}

func TestASourceThatGivesNothingFails(t *testing.T) {
	_, err := formstream.NewReader(nothing{}, "b").NextPart()
	if !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("NextPart: %v, want io.ErrNoProgress", err)
	}
}

type nothing struct{}

func (nothing) Read([]byte) (int, error) { return 0, nil }

// A boundary longer than a Read still delimits the contents exactly.
func TestABoundaryLongerThanARead(t *testing.T) {
	boundary := strings.Repeat("x", 40<<10)
	contents := bytes.Repeat([]byte("0123456789\r\n--"+boundary[:100]), 3000)
	body := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n" + string(contents) + "\r\n--" + boundary + "--\r\n"
	for _, readSize := range []int{16 << 10, 20 << 10, 256 << 10} {
		got := parseStream(iotest.HalfReader(strings.NewReader(body)), boundary, readSize, formstream.DefaultBufferSize)
		if got.Err != nil || len(got.Parts) != 1 || got.Parts[0].ReadErr != nil || !bytes.Equal(got.Parts[0].Contents, contents) {
			t.Fatalf("read size %d: %d parts, error %v", readSize, len(got.Parts), got.Err)
		}
	}
}
