// Package storefile reads and writes a whole store as JSON Lines: a header
// naming the format and its schema version, one line per record (the audit
// chain included, exactly as sealed), the files of datasets and logos in
// chunks when asked for, and an end line with the number of each kind, so
// that a file cut short is refused rather than half imported.
package storefile

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Format names the files of this package in their header.
const Format = "civictrust-store"

// SchemaVersion is the version of the records' shape written here; a reader
// refuses a newer one.
const SchemaVersion = 1

// blobChunk is how much of a file one line carries (base64 makes it a third
// longer).
const blobChunk = 1 << 20

// maxLine bounds one line: a chunk and its envelope, or the largest record.
const maxLine = 8 << 20

// Header is the first line of a file.
type Header struct {
	Format        string    `json:"format"`
	SchemaVersion int       `json:"schema_version"`
	ExportedAt    time.Time `json:"exported_at"`
	// Source says which store was exported ("sqlite", "mongodb").
	Source string `json:"source"`
	// WithBlobs says whether the files are in the export too.
	WithBlobs bool `json:"with_blobs"`
}

// Line kinds besides the records'.
const (
	kindBlob     = "blob"      // a file: its key and SHA-256; its data follows
	kindBlobData = "blob_data" // a chunk of the file announced last
	kindBlobEnd  = "blob_end"  // the end of that file, with its size
	kindEnd      = "end"       // the counts of everything written
)

type line struct {
	Kind   string           `json:"kind"`
	Record json.RawMessage  `json:"record,omitempty"`
	Key    string           `json:"key,omitempty"`
	Size   int64            `json:"size,omitempty"`
	SHA256 string           `json:"sha256,omitempty"`
	Data   []byte           `json:"data,omitempty"`
	Counts map[string]int64 `json:"counts,omitempty"`
}

// Writer writes a file.
type Writer struct {
	w      *bufio.Writer
	enc    *json.Encoder
	counts map[string]int64
}

// NewWriter writes h to w and returns a Writer for the rest.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	h.Format, h.SchemaVersion = Format, SchemaVersion
	wr := &Writer{w: bw, enc: json.NewEncoder(bw), counts: map[string]int64{}}
	wr.enc.SetEscapeHTML(false)
	if err := wr.enc.Encode(h); err != nil {
		return nil, fmt.Errorf("storefile: write the header: %w", err)
	}
	return wr, nil
}

// Record writes one record of kind.
func (w *Writer) Record(kind storeport.Kind, v any) error {
	raw, err := encode(kind, v)
	if err != nil {
		return err
	}
	if err := w.enc.Encode(line{Kind: string(kind), Record: raw}); err != nil {
		return fmt.Errorf("storefile: write a %s: %w", kind, err)
	}
	w.counts[string(kind)]++
	return nil
}

// Blob writes the file stored under key, read from r, whose SHA-256 must be
// sum (a file that changed or broke on its way is refused).
func (w *Writer) Blob(key, sum string, r io.Reader) error {
	if err := w.enc.Encode(line{Kind: kindBlob, Key: key, SHA256: sum}); err != nil {
		return fmt.Errorf("storefile: write blob %s: %w", key, err)
	}
	h := sha256.New()
	buf := make([]byte, blobChunk)
	var n int64
	for {
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			h.Write(buf[:k])
			n += int64(k)
			if werr := w.enc.Encode(line{Kind: kindBlobData, Data: buf[:k]}); werr != nil {
				return fmt.Errorf("storefile: write blob %s: %w", key, werr)
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("storefile: read blob %s: %w", key, err)
		}
	}
	if hex.EncodeToString(h.Sum(nil)) != sum {
		return fmt.Errorf("storefile: blob %s does not match its recorded SHA-256", key)
	}
	if err := w.enc.Encode(line{Kind: kindBlobEnd, Size: n}); err != nil {
		return fmt.Errorf("storefile: write blob %s: %w", key, err)
	}
	w.counts[kindBlob]++
	return nil
}

// Close writes the end line and flushes; the file is complete only then.
func (w *Writer) Close() error {
	if err := w.enc.Encode(line{Kind: kindEnd, Counts: w.counts}); err != nil {
		return fmt.Errorf("storefile: write the end: %w", err)
	}
	return w.w.Flush()
}

// Counts are the records (and blobs, as "blob") written so far, by kind.
func (w *Writer) Counts() map[string]int64 { return w.counts }

// Reader reads a file.
type Reader struct {
	sc     *bufio.Scanner
	header Header
	counts map[string]int64
	blob   *blobReader
	done   bool
}

// NewReader reads the header of r; a file of another format or a newer
// schema is refused.
func NewReader(r io.Reader) (*Reader, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	rd := &Reader{sc: sc, counts: map[string]int64{}}
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("storefile: read the header: %w", err)
		}
		return nil, errors.New("storefile: the file is empty")
	}
	if err := json.Unmarshal(sc.Bytes(), &rd.header); err != nil || rd.header.Format != Format {
		return nil, fmt.Errorf("storefile: not a %s file", Format)
	}
	if rd.header.SchemaVersion < 1 || rd.header.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("storefile: schema version %d; this build reads up to %d (use a newer civictrust)",
			rd.header.SchemaVersion, SchemaVersion)
	}
	return rd, nil
}

// Header is the file's header.
func (r *Reader) Header() Header { return r.header }

// Next returns the next item, or io.EOF after the end line once the counts
// it carries match what was read. A file's Data must be read before the next
// call, or it is skipped.
func (r *Reader) Next() (storeport.Item, error) {
	if r.done {
		return storeport.Item{}, io.EOF
	}
	if r.blob != nil {
		if err := r.blob.drain(); err != nil {
			return storeport.Item{}, err
		}
		r.blob = nil
	}
	l, err := r.line()
	if err != nil {
		return storeport.Item{}, err
	}
	switch l.Kind {
	case kindEnd:
		for k, n := range l.Counts {
			if r.counts[k] != n {
				return storeport.Item{}, fmt.Errorf("storefile: the file says %d %s records, %d were read", n, k, r.counts[k])
			}
		}
		for k, n := range r.counts {
			if l.Counts[k] != n {
				return storeport.Item{}, fmt.Errorf("storefile: %d %s records were read, the file says %d", n, k, l.Counts[k])
			}
		}
		r.done = true
		return storeport.Item{}, io.EOF
	case kindBlob:
		r.counts[kindBlob]++
		r.blob = &blobReader{r: r, key: l.Key, want: l.SHA256, sum: sha256.New()}
		return storeport.Item{Blob: &storeport.Blob{Key: l.Key, SHA256: l.SHA256, Data: r.blob}}, nil
	case kindBlobData:
		return storeport.Item{}, errors.New("storefile: file data without its file")
	}
	kind := storeport.Kind(l.Kind)
	v, err := decode(kind, l.Record)
	if err != nil {
		return storeport.Item{}, err
	}
	r.counts[l.Kind]++
	return storeport.Item{Kind: kind, Value: v}, nil
}

// line reads the next line.
func (r *Reader) line() (*line, error) {
	if !r.sc.Scan() {
		if err := r.sc.Err(); err != nil {
			return nil, fmt.Errorf("storefile: read: %w", err)
		}
		return nil, errors.New("storefile: the file is cut short (no end line)")
	}
	var l line
	if err := json.Unmarshal(r.sc.Bytes(), &l); err != nil {
		return nil, fmt.Errorf("storefile: a line that is not a record: %w", err)
	}
	return &l, nil
}

// blobReader reads a file's data lines up to its end line.
type blobReader struct {
	r    *Reader
	key  string
	n    int64
	want string
	sum  hash.Hash
	buf  []byte
	err  error
}

func (b *blobReader) Read(p []byte) (int, error) {
	for len(b.buf) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		l, err := b.r.line()
		if err != nil {
			b.err = err
			return 0, err
		}
		switch l.Kind {
		case kindBlobData:
			b.n += int64(len(l.Data))
			b.sum.Write(l.Data)
			b.buf = l.Data
		case kindBlobEnd:
			if l.Size != b.n || hex.EncodeToString(b.sum.Sum(nil)) != b.want {
				b.err = fmt.Errorf("storefile: file %s does not match its size and SHA-256", b.key)
				return 0, b.err
			}
			b.err = io.EOF
		default:
			b.err = fmt.Errorf("storefile: file %s is cut short", b.key)
		}
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

// drain reads what the consumer left of the file.
func (b *blobReader) drain() error {
	_, err := io.Copy(io.Discard, b)
	return err
}

// Check reads a whole file, the data of its files included, and reports what
// is wrong with it (cut short, a file that does not match its SHA-256,
// counts that do not add up), so that an import can refuse it before it
// writes anything.
func Check(r io.Reader) (map[string]int64, error) {
	rd, err := NewReader(r)
	if err != nil {
		return nil, err
	}
	for {
		if _, err := rd.Next(); errors.Is(err, io.EOF) {
			return rd.counts, nil
		} else if err != nil {
			return nil, err
		}
	}
}
