// Package platformporttest holds the contract suites that every adapter of
// the shared driven ports must pass: call TestBlobStore from the adapter's own
// tests with a constructor that returns a fresh, empty store.
package platformporttest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// SuiteOptions tunes TestBlobStore to an adapter.
type SuiteOptions struct {
	// MaxFileSize is the largest blob the suite may store; the cases that
	// need a larger one are skipped. Zero means DefaultMaxFileSize.
	MaxFileSize int64
	// Count, when set, returns how many things the store holds (files,
	// objects, chunks and files documents, entries: whatever a left-over
	// partial upload would add to, including temporary files). The suite
	// checks that it is unchanged by every failed Put and back to where it
	// was after a Delete. Without it those checks are skipped.
	Count func(t *testing.T, s platformport.BlobStore) int
}

// DefaultMaxFileSize is the MaxFileSize used when SuiteOptions leaves it zero.
const DefaultMaxFileSize = 8 << 20

// MiB is a mebibyte.
const MiB = 1 << 20

// keyPattern is what every adapter's keys look like: server-chosen hex,
// safe in a path, a URL and an object name.
var keyPattern = regexp.MustCompile(`^[0-9a-f]{16,64}$`)

// errSource is what the failing readers of the suite return.
var errSource = errors.New("platformporttest: the upload's reader failed")

// TestBlobStore runs the contract of platformport.BlobStore against the
// stores newStore returns; every subtest gets a fresh, empty one.
func TestBlobStore(t *testing.T, newStore func(t *testing.T) platformport.BlobStore, opts SuiteOptions) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	b := blobSuite{newStore: newStore, opts: opts}

	t.Run("round_trip_keeps_bytes_size_and_sha256", b.roundTrip)
	t.Run("small_reads_round_trip", b.smallReads)
	t.Run("empty_blob_round_trips", b.emptyBlob)
	t.Run("open_reads_ranges", b.ranges)
	t.Run("open_negative_offset_is_an_error", b.negativeOffset)
	t.Run("unknown_or_malformed_key_is_not_found", b.unknownKeys)
	t.Run("exactly_max_bytes_is_accepted", b.exactLimit)
	t.Run("one_byte_over_max_bytes_is_too_large_and_keeps_nothing", b.overLimit)
	t.Run("too_large_stops_reading_at_max_bytes_plus_one", b.readsAtMostLimitPlusOne)
	t.Run("failing_reader_keeps_nothing", b.failingReader)
	t.Run("cancelled_context_keeps_nothing", b.cancelledMidway)
	t.Run("already_cancelled_context_keeps_nothing", b.cancelledBefore)
	t.Run("truncated_upload_is_an_error", b.truncatedUpload)
	t.Run("delete_removes_the_blob_and_is_idempotent", b.deleteBlob)
	t.Run("concurrent_puts_get_distinct_keys", b.concurrentPuts)
	t.Run("store_works_after_failures", b.worksAfterFailures)
}

// blobSuite carries the suite's parameters to its cases.
type blobSuite struct {
	newStore func(t *testing.T) platformport.BlobStore
	opts     SuiteOptions
}

// setup returns a fresh store and a context bounded for one case.
func (b blobSuite) setup(t *testing.T) (platformport.BlobStore, context.Context) {
	t.Helper()
	s := b.newStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return s, ctx
}

// count returns the store's count, or -1 without opts.Count.
func (b blobSuite) count(t *testing.T, s platformport.BlobStore) int {
	t.Helper()
	if b.opts.Count == nil {
		return -1
	}
	return b.opts.Count(t, s)
}

// sameCount fails t when the store's count moved from before.
func (b blobSuite) sameCount(t *testing.T, s platformport.BlobStore, before int, after string) {
	t.Helper()
	if b.opts.Count == nil {
		return
	}
	if now := b.opts.Count(t, s); now != before {
		t.Errorf("after %s the store holds %d things, want %d as before: something was left behind", after, now, before)
	}
}

// fits skips t when a case needs a blob larger than MaxFileSize.
func (b blobSuite) fits(t *testing.T, size int64) {
	t.Helper()
	if size > b.opts.MaxFileSize {
		t.Skipf("needs a %d-byte blob; MaxFileSize is %d", size, b.opts.MaxFileSize)
	}
}

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(n int64, seed uint64) []byte {
	p := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), 1}).Read(p) // never fails
	return p
}

// sha256Hex is the lower-case hex SHA-256 of p.
func sha256Hex(p []byte) string {
	sum := sha256.Sum256(p)
	return hex.EncodeToString(sum[:])
}

// put stores data and checks the returned BlobInfo.
func put(t *testing.T, ctx context.Context, s platformport.BlobStore, data []byte, maxBytes int64) platformport.BlobInfo {
	t.Helper()
	info, err := s.Put(ctx, bytes.NewReader(data), maxBytes)
	if err != nil {
		t.Fatalf("Put(%d bytes, max %d): %v", len(data), maxBytes, err)
	}
	checkInfo(t, info, data)
	return info
}

// checkInfo checks a BlobInfo against the bytes that were stored.
func checkInfo(t *testing.T, info platformport.BlobInfo, data []byte) {
	t.Helper()
	if !keyPattern.MatchString(info.Key) {
		t.Errorf("key %q is not 16 to 64 lower-case hex digits", info.Key)
	}
	if info.Size != int64(len(data)) {
		t.Errorf("Size = %d, want %d", info.Size, len(data))
	}
	if want := sha256Hex(data); info.SHA256 != want {
		t.Errorf("SHA256 = %q, want %q", info.SHA256, want)
	}
}

// read opens a range of a blob and reads it whole.
func read(t *testing.T, ctx context.Context, s platformport.BlobStore, key string, offset, length int64) []byte {
	t.Helper()
	rc, err := s.Open(ctx, key, offset, length)
	if err != nil {
		t.Fatalf("Open(%s, %d, %d): %v", key, offset, length, err)
	}
	got, err := io.ReadAll(rc)
	if cerr := rc.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	if err != nil {
		t.Fatalf("read %s [%d, +%d): %v", key, offset, length, err)
	}
	return got
}

// sameBytes compares two byte slices without printing megabytes.
func sameBytes(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	t.Errorf("%s: got %d bytes, want %d; first difference at byte %d", what, len(got), len(want), i)
}

// notFound checks that opening key fails with ErrBlobNotFound.
func notFound(t *testing.T, ctx context.Context, s platformport.BlobStore, key string) {
	t.Helper()
	rc, err := s.Open(ctx, key, 0, -1)
	if err == nil {
		_ = rc.Close()
		t.Errorf("Open(%q) succeeded, want ErrBlobNotFound", key)
		return
	}
	if !errors.Is(err, platformport.ErrBlobNotFound) {
		t.Errorf("Open(%q) = %v, want ErrBlobNotFound", key, err)
	}
}

func (b blobSuite) roundTrip(t *testing.T) {
	for i, size := range []int64{1, MiB, 5*MiB + 1} {
		t.Run(fmt.Sprintf("%d_bytes", size), func(t *testing.T) {
			b.fits(t, size)
			s, ctx := b.setup(t)
			data := randomBytes(size, uint64(i))
			for _, maxBytes := range []int64{0, size + 1} { // no limit, and a limit not reached
				info := put(t, ctx, s, data, maxBytes)
				sameBytes(t, "whole blob", read(t, ctx, s, info.Key, 0, -1), data)
				sameBytes(t, "whole blob, length given", read(t, ctx, s, info.Key, 0, size), data)
			}
		})
	}
}

// smallReads stores a source that hands its bytes over in small, uneven
// pieces, as a multipart part does (at most 4 KiB a read), the last one
// together with io.EOF.
func (b blobSuite) smallReads(t *testing.T) {
	size := min(int64(MiB+7), b.opts.MaxFileSize)
	s, ctx := b.setup(t)
	data := randomBytes(size, 11)
	for _, src := range []io.Reader{
		iotest.DataErrReader(&pieces{r: bytes.NewReader(data), n: 4093}),
		iotest.HalfReader(bytes.NewReader(data)),
	} {
		info, err := s.Put(ctx, src, size)
		if err != nil {
			t.Fatalf("Put: %v", err)
		}
		checkInfo(t, info, data)
		sameBytes(t, "blob stored from small reads", read(t, ctx, s, info.Key, 0, -1), data)
	}
}

// pieces reads at most n bytes at a time.
type pieces struct {
	r io.Reader
	n int
}

func (p *pieces) Read(b []byte) (int, error) { return p.r.Read(b[:min(len(b), p.n)]) }

func (b blobSuite) emptyBlob(t *testing.T) {
	s, ctx := b.setup(t)
	info := put(t, ctx, s, nil, 0)
	if got := read(t, ctx, s, info.Key, 0, -1); len(got) != 0 {
		t.Errorf("empty blob reads %d bytes", len(got))
	}
	info = put(t, ctx, s, []byte{}, 10)
	if got := read(t, ctx, s, info.Key, 0, 5); len(got) != 0 {
		t.Errorf("empty blob reads %d bytes", len(got))
	}
}

func (b blobSuite) ranges(t *testing.T) {
	size := min(int64(MiB+3), b.opts.MaxFileSize) // spans several chunks of a chunked store
	s, ctx := b.setup(t)
	data := randomBytes(size, 7)
	key := put(t, ctx, s, data, 0).Key

	mid := size / 3
	cases := []struct {
		name           string
		offset, length int64
		want           []byte
	}{
		{"start", 0, 10, data[:10]},
		{"start_to_end", 0, -1, data},
		{"middle", mid, size / 3, data[mid : mid+size/3]},
		{"middle_to_end", mid, -1, data[mid:]},
		{"one_byte_in_the_middle", mid, 1, data[mid : mid+1]},
		{"end", size - 7, 7, data[size-7:]},
		{"end_length_past_the_end_is_cut", size - 7, 100, data[size-7:]},
		{"last_byte", size - 1, -1, data[size-1:]},
		{"zero_length", mid, 0, nil},
		{"offset_at_the_end_is_empty", size, -1, nil},
		{"offset_at_the_end_with_length_is_empty", size, 5, nil},
		{"offset_past_the_end_is_empty", size + 10, -1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sameBytes(t, c.name, read(t, ctx, s, key, c.offset, c.length), c.want)
		})
	}
	t.Run("small_reads", func(t *testing.T) {
		rc, err := s.Open(ctx, key, 5, 300_000)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = rc.Close() }()
		var got []byte
		p := make([]byte, 4093) // not a divisor of any chunk size
		for {
			n, err := rc.Read(p)
			got = append(got, p[:n]...)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		sameBytes(t, "read in small pieces", got, data[5:300_005])
	})
}

func (b blobSuite) negativeOffset(t *testing.T) {
	s, ctx := b.setup(t)
	key := put(t, ctx, s, []byte("hello"), 0).Key
	rc, err := s.Open(ctx, key, -1, -1)
	if err == nil {
		_ = rc.Close()
		t.Fatal("Open with offset -1 succeeded")
	}
}

func (b blobSuite) unknownKeys(t *testing.T) {
	s, ctx := b.setup(t)
	data := []byte("keep me")
	key := put(t, ctx, s, data, 0).Key

	gone := put(t, ctx, s, []byte("delete me"), 0).Key
	if err := s.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
	other := []byte(key) // the same key but for its last digit
	if other[len(other)-1] == '0' {
		other[len(other)-1] = '1'
	} else {
		other[len(other)-1] = '0'
	}
	keys := []string{
		gone,                          // well-formed, deleted
		string(other),                 // well-formed, never stored
		strings.Repeat("0", len(key)), // well-formed, never stored
		"",                            // malformed from here on
		"nope",
		strings.ToUpper(key),
		key + "0",
		key[:len(key)-1],
		"/" + key,
		key + "/",
		"../" + key,
		"../../../../../../etc/passwd",
		"..",
		".",
		".tmp",
		key[:2] + "/" + key,
		key + "\x00",
		"zz" + key[2:],
	}
	for _, k := range keys {
		if k == key {
			continue // ToUpper of a key of digits only
		}
		notFound(t, ctx, s, k)
		if err := s.Delete(ctx, k); err != nil {
			t.Errorf("Delete(%q) = %v, want nil", k, err)
		}
	}
	sameBytes(t, "the stored blob after deleting other keys", read(t, ctx, s, key, 0, -1), data)
}

func (b blobSuite) exactLimit(t *testing.T) {
	s, ctx := b.setup(t)
	for i, size := range []int64{1, 1000, min(MiB+1, b.opts.MaxFileSize)} {
		data := randomBytes(size, uint64(100+i))
		info := put(t, ctx, s, data, size)
		sameBytes(t, "blob of exactly max bytes", read(t, ctx, s, info.Key, 0, -1), data)
	}
}

func (b blobSuite) overLimit(t *testing.T) {
	s, ctx := b.setup(t)
	for i, size := range []int64{2, 1000, min(MiB+1, b.opts.MaxFileSize)} {
		before := b.count(t, s)
		data := randomBytes(size, uint64(200+i))
		info, err := s.Put(ctx, bytes.NewReader(data), size-1)
		if !errors.Is(err, platformport.ErrBlobTooLarge) {
			t.Fatalf("Put(%d bytes, max %d) = %+v, %v; want ErrBlobTooLarge", size, size-1, info, err)
		}
		b.sameCount(t, s, before, "a too large Put")
	}
}

// countingReader yields left bytes and counts what was read. Not safe for
// concurrent reads (no reader of an upload is).
type countingReader struct {
	left int64
	read atomic.Int64
	// after, when set, runs once when read reaches at.
	at    int64
	after func()
	once  sync.Once
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	if done := r.read.Load(); r.after != nil && done < r.at && int64(len(p)) > r.at-done {
		p = p[:r.at-done] // end this read where after runs
	}
	for i := range p {
		p[i] = byte(i * 7)
	}
	r.left -= int64(len(p))
	if n := r.read.Add(int64(len(p))); r.after != nil && n >= r.at {
		r.once.Do(r.after)
	}
	return len(p), nil
}

func (b blobSuite) readsAtMostLimitPlusOne(t *testing.T) {
	s, ctx := b.setup(t)
	for _, limit := range []int64{1, 4096, min(MiB, b.opts.MaxFileSize)} {
		before := b.count(t, s)
		src := &countingReader{left: 4*limit + 64*1024}
		_, err := s.Put(ctx, src, limit)
		if !errors.Is(err, platformport.ErrBlobTooLarge) {
			t.Fatalf("Put of %d bytes with max %d = %v, want ErrBlobTooLarge", src.left+src.read.Load(), limit, err)
		}
		if got := src.read.Load(); got > limit+1 {
			t.Errorf("Put with max %d read %d bytes from its reader, want at most %d", limit, got, limit+1)
		}
		b.sameCount(t, s, before, "a too large Put")
	}
}

// failingReader yields n pseudo-random bytes, then err.
type failingReader struct {
	r   io.Reader
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, r.err
	}
	return n, err
}

func (b blobSuite) failingReader(t *testing.T) {
	s, ctx := b.setup(t)
	for _, at := range []int64{0, 100 << 10, min(5*MiB+1, b.opts.MaxFileSize)} {
		before := b.count(t, s)
		src := &failingReader{r: bytes.NewReader(randomBytes(at, 3)), err: errSource}
		info, err := s.Put(ctx, src, 0)
		if !errors.Is(err, errSource) {
			t.Fatalf("Put failing after %d bytes = %+v, %v; want an error wrapping the reader's", at, info, err)
		}
		b.sameCount(t, s, before, fmt.Sprintf("a Put whose reader failed after %d bytes", at))
	}
}

func (b blobSuite) cancelledMidway(t *testing.T) {
	s, ctx := b.setup(t)
	for _, at := range []int64{1, 300 << 10, min(5*MiB+1, b.opts.MaxFileSize)} {
		before := b.count(t, s)
		cctx, cancel := context.WithCancel(ctx)
		src := &countingReader{left: at + 4*MiB, at: at, after: cancel}
		info, err := s.Put(cctx, src, 0)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Put cancelled after %d bytes = %+v, %v; want context.Canceled", at, info, err)
		}
		// The store checks the context between reads: it may finish the read
		// in flight, not go on reading megabytes.
		if extra := src.read.Load() - at; extra > MiB {
			t.Errorf("Put read %d bytes after its context was cancelled", extra)
		}
		b.sameCount(t, s, before, fmt.Sprintf("a Put cancelled after %d bytes", at))
	}
}

func (b blobSuite) cancelledBefore(t *testing.T) {
	s, ctx := b.setup(t)
	before := b.count(t, s)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.Put(cctx, bytes.NewReader([]byte("never stored")), 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Put on a cancelled context = %v, want context.Canceled", err)
	}
	b.sameCount(t, s, before, "a Put on a cancelled context")
}

func (b blobSuite) truncatedUpload(t *testing.T) {
	// A body cut short by a lost connection reads as io.ErrUnexpectedEOF,
	// which must not be taken for the end of the upload.
	s, ctx := b.setup(t)
	before := b.count(t, s)
	src := &failingReader{r: bytes.NewReader(randomBytes(200<<10, 4)), err: io.ErrUnexpectedEOF}
	if _, err := s.Put(ctx, src, 0); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("Put of a truncated upload = %v, want io.ErrUnexpectedEOF", err)
	}
	b.sameCount(t, s, before, "a truncated upload")
}

func (b blobSuite) deleteBlob(t *testing.T) {
	s, ctx := b.setup(t)
	keep := put(t, ctx, s, []byte("keep"), 0)
	before := b.count(t, s)
	data := randomBytes(min(MiB+5, b.opts.MaxFileSize), 5)
	info := put(t, ctx, s, data, 0)
	if b.opts.Count != nil && b.count(t, s) <= before {
		t.Errorf("Count did not grow after a Put")
	}
	if err := s.Delete(ctx, info.Key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	notFound(t, ctx, s, info.Key)
	b.sameCount(t, s, before, "a Delete")
	if err := s.Delete(ctx, info.Key); err != nil {
		t.Errorf("second Delete = %v, want nil", err)
	}
	sameBytes(t, "the other blob", read(t, ctx, s, keep.Key, 0, -1), []byte("keep"))
}

func (b blobSuite) concurrentPuts(t *testing.T) {
	s, ctx := b.setup(t)
	const n = 8
	size := min(int64(300<<10), b.opts.MaxFileSize)
	data := make([][]byte, n)
	infos := make([]platformport.BlobInfo, n)
	for i := range n {
		data[i] = randomBytes(size, uint64(300+i))
	}
	errs := porttestkit.Concurrently(n, func(i int) error {
		var err error
		infos[i], err = s.Put(ctx, bytes.NewReader(data[i]), size)
		return err
	})
	seen := make(map[string]int)
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Put %d: %v", i, errs[i])
		}
		checkInfo(t, infos[i], data[i])
		if j, dup := seen[infos[i].Key]; dup {
			t.Fatalf("Puts %d and %d got the same key %s", j, i, infos[i].Key)
		}
		seen[infos[i].Key] = i
	}
	for i := range n {
		sameBytes(t, fmt.Sprintf("blob %d", i), read(t, ctx, s, infos[i].Key, 0, -1), data[i])
	}
}

func (b blobSuite) worksAfterFailures(t *testing.T) {
	s, ctx := b.setup(t)
	_, _ = s.Put(ctx, bytes.NewReader(make([]byte, 100)), 10)
	_, _ = s.Put(ctx, &failingReader{r: bytes.NewReader(make([]byte, 100)), err: errSource}, 0)
	data := randomBytes(1000, 9)
	info := put(t, ctx, s, data, 1000)
	sameBytes(t, "blob stored after failed Puts", read(t, ctx, s, info.Key, 0, -1), data)
}
