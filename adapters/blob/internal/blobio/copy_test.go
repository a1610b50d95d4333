package blobio_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

func randomData(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{9}).Read(b)
	return b
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// countingReader counts the bytes handed out and the reads made after stop is set.
type countingReader struct {
	r         io.Reader
	n         atomic.Int64
	stopped   atomic.Bool
	lateReads atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.stopped.Load() {
		c.lateReads.Add(1)
	}
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// writes records the sizes of the writes it gets.
type writes struct {
	buf   bytes.Buffer
	sizes []int
}

func (w *writes) Write(p []byte) (int, error) {
	w.sizes = append(w.sizes, len(p))
	return w.buf.Write(p)
}

func TestCopyKeepsBytesSizeAndHashAndWritesFullBuffers(t *testing.T) {
	data := randomData(3<<20 + 12345)
	for name, src := range map[string]io.Reader{
		"whole reads":                  bytes.NewReader(data),
		"4 KiB reads":                  iotest.DataErrReader(io.LimitReader(&chunked{r: bytes.NewReader(data), n: 4096}, int64(len(data)))),
		"1 byte reads of a small file": iotest.OneByteReader(bytes.NewReader(data[:70_000])),
	} {
		t.Run(name, func(t *testing.T) {
			want := data
			if name == "1 byte reads of a small file" {
				want = data[:70_000]
			}
			var w writes
			got, err := blobio.Copy(context.Background(), &w, src, int64(len(want)))
			if err != nil {
				t.Fatal(err)
			}
			if got.Size != int64(len(want)) || got.SHA256 != sha(want) {
				t.Errorf("Copied = %+v, want size %d sha %s", got, len(want), sha(want))
			}
			if !bytes.Equal(w.buf.Bytes(), want) {
				t.Fatal("the bytes written differ from the source")
			}
			for i, n := range w.sizes[:len(w.sizes)-1] {
				if n != 256<<10 {
					t.Fatalf("write %d of %d was %d bytes; only the last may be shorter than 256 KiB", i, len(w.sizes), n)
				}
			}
		})
	}
}

type chunked struct {
	r io.Reader
	n int
}

func (c *chunked) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

func TestCopyStopsOneBytePastTheLimit(t *testing.T) {
	src := &countingReader{r: bytes.NewReader(randomData(2 << 20))}
	var w writes
	_, err := blobio.Copy(context.Background(), &w, src, 1<<20)
	if !errors.Is(err, platformport.ErrBlobTooLarge) {
		t.Fatalf("err = %v, want ErrBlobTooLarge", err)
	}
	if n := src.n.Load(); n != 1<<20+1 {
		t.Errorf("read %d bytes from the source, want the limit plus one", n)
	}
	if w.buf.Len() > 1<<20 {
		t.Errorf("wrote %d bytes, more than the limit", w.buf.Len())
	}
}

func TestCopyReturnsTheReadErrorAndNeverReadsAfterReturning(t *testing.T) {
	broken := errors.New("connection reset")
	src := &countingReader{r: io.MultiReader(bytes.NewReader(randomData(600<<10)), iotest.ErrReader(broken))}
	_, err := blobio.Copy(context.Background(), io.Discard, src, 0)
	if !errors.Is(err, broken) {
		t.Fatalf("err = %v, want the source's error", err)
	}
	src.stopped.Store(true)
	time.Sleep(20 * time.Millisecond)
	if n := src.lateReads.Load(); n != 0 {
		t.Errorf("%d reads after Copy returned", n)
	}
}

func TestCopyTruncatedUploadIsAnError(t *testing.T) {
	src := io.MultiReader(bytes.NewReader(randomData(300<<10)), iotest.ErrReader(io.ErrUnexpectedEOF))
	if _, err := blobio.Copy(context.Background(), io.Discard, src, 0); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want io.ErrUnexpectedEOF", err)
	}
}

// failingWriter fails from its second write on.
type failingWriter struct{ calls int }

var errDiskFull = errors.New("no space left on device")

func (f *failingWriter) Write(p []byte) (int, error) {
	f.calls++
	if f.calls > 1 {
		return 0, errDiskFull
	}
	return len(p), nil
}

func TestCopyStopsReadingSoonAfterAWriteFails(t *testing.T) {
	src := &countingReader{r: bytes.NewReader(randomData(64 << 20))}
	_, err := blobio.Copy(context.Background(), &failingWriter{}, src, 0)
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("err = %v, want the write error", err)
	}
	// Two writes, plus at most the buffers in flight and the one being filled.
	if n := src.n.Load(); n > 8*256<<10 {
		t.Errorf("read %d bytes after the write failed; want at most a few buffers", n)
	}
}

func TestCopyStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	src := &cancelAfter{r: bytes.NewReader(randomData(8 << 20)), after: 1 << 20, cancel: cancel}
	if _, err := blobio.Copy(ctx, io.Discard, src, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if src.n > 1<<20+256<<10 {
		t.Errorf("read %d bytes, want to stop at the first read after the cancellation", src.n)
	}
}

type cancelAfter struct {
	r      io.Reader
	n      int
	after  int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p[:min(len(p), 64<<10)])
	c.n += n
	if c.n >= c.after {
		c.cancel()
	}
	return n, err
}
