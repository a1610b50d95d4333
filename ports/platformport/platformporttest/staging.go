package platformporttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"testing/iotest"
	"time"

	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// StagedStore is a blob store that also stages blobs arriving in pieces: the
// stages become blobs of the same store.
type StagedStore interface {
	platformport.BlobStore
	platformport.StagingStore
}

// StagingOptions tune TestStagingStore to an adapter.
type StagingOptions struct {
	// MaxFileSize is the largest blob the suite may stage; zero means
	// DefaultMaxFileSize.
	MaxFileSize int64
	// PieceSize is the unit the adapter stores a stage in (a part, a
	// chunk), so that the suite writes across its boundaries; zero: none.
	PieceSize int64
	// Count, when set, returns how many things the store holds, stages and
	// their pieces included (see SuiteOptions.Count): the suite checks that
	// aborting, sweeping and committing leave nothing behind.
	Count func(t *testing.T, s StagedStore) int
}

// TestStagingStore runs the contract of platformport.StagingStore against
// the stores newStore returns; every subtest gets a fresh, empty one.
func TestStagingStore(t *testing.T, newStore func(t *testing.T) StagedStore, opts StagingOptions) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	s := stagingSuite{newStore: newStore, opts: opts}
	t.Run("pieces_written_in_turn_commit_to_the_blob", s.roundTrip)
	t.Run("pieces_across_the_store's_own_units", s.acrossUnits)
	t.Run("a_stage_is_no_blob_until_committed", s.invisible)
	t.Run("a_failing_reader_keeps_what_it_yielded", s.failingReader)
	t.Run("a_cancelled_context_keeps_what_was_read", s.cancelled)
	t.Run("a_truncated_body_keeps_what_arrived", s.truncated)
	t.Run("writing_at_an_earlier_offset_drops_the_rest", s.rewrite)
	t.Run("an_offset_past_the_staged_bytes_is_refused", s.offsetPastEnd)
	t.Run("more_than_max_bytes_is_too_large", s.tooLarge)
	t.Run("an_empty_write_stages_nothing", s.emptyWrite)
	t.Run("commit_of_an_incomplete_stage_is_refused", s.incomplete)
	t.Run("commit_of_a_longer_stage_is_refused", s.commitLonger)
	t.Run("commit_again_returns_the_same_blob", s.commitTwice)
	t.Run("abort_deletes_the_stage_and_is_idempotent", s.abort)
	t.Run("abort_after_commit_keeps_the_blob", s.abortCommitted)
	t.Run("unknown_and_malformed_keys", s.unknownKeys)
	t.Run("sweep_aborts_old_stages_and_keeps_the_rest", s.sweep)
	t.Run("concurrent_stages_get_distinct_keys", s.concurrentStages)
}

type stagingSuite struct {
	newStore func(t *testing.T) StagedStore
	opts     StagingOptions
}

func (s stagingSuite) setup(t *testing.T) (StagedStore, context.Context) {
	t.Helper()
	st := s.newStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return st, ctx
}

func (s stagingSuite) count(t *testing.T, st StagedStore) int {
	t.Helper()
	if s.opts.Count == nil {
		return -1
	}
	return s.opts.Count(t, st)
}

func (s stagingSuite) sameCount(t *testing.T, st StagedStore, before int, after string) {
	t.Helper()
	if s.opts.Count == nil {
		return
	}
	if now := s.opts.Count(t, st); now != before {
		t.Errorf("after %s the store holds %d things, want %d: something was left behind", after, now, before)
	}
}

// create starts a stage.
func create(t *testing.T, ctx context.Context, st StagedStore) string {
	t.Helper()
	key, err := st.CreateStage(ctx)
	if err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	if !keyPattern.MatchString(key) {
		t.Errorf("stage key %q is not 16 to 64 lower-case hex digits", key)
	}
	return key
}

// write stages p at offset and checks that all of it was staged.
func write(t *testing.T, ctx context.Context, st StagedStore, key string, offset int64, p []byte) {
	t.Helper()
	n, err := st.WriteStage(ctx, key, offset, bytes.NewReader(p), 0)
	if err != nil {
		t.Fatalf("WriteStage(%d bytes at %d): %v", len(p), offset, err)
	}
	if n != int64(len(p)) {
		t.Fatalf("WriteStage(%d bytes at %d) staged %d", len(p), offset, n)
	}
}

// commit commits a stage and checks the key it returns.
func commit(t *testing.T, ctx context.Context, st StagedStore, key string, size int64) string {
	t.Helper()
	blob, err := st.CommitStage(ctx, key, size)
	if err != nil {
		t.Fatalf("CommitStage(%d): %v", size, err)
	}
	if blob != key {
		t.Errorf("CommitStage returned blob key %q, want the stage's key %q", blob, key)
	}
	return blob
}

// writeInPieces stages data in pieces cut at the given offsets.
func writeInPieces(t *testing.T, ctx context.Context, st StagedStore, key string, data []byte, cuts ...int64) {
	t.Helper()
	from := int64(0)
	for _, to := range append(cuts, int64(len(data))) {
		write(t, ctx, st, key, from, data[from:to])
		from = to
	}
}

func (s stagingSuite) roundTrip(t *testing.T) {
	st, ctx := s.setup(t)
	data := randomBytes(min(MiB+333, s.opts.MaxFileSize), 21)
	key := create(t, ctx, st)
	writeInPieces(t, ctx, st, key, data, 1, 2, 4093, 300_000, 300_001)
	blob := commit(t, ctx, st, key, int64(len(data)))
	sameBytes(t, "committed blob", read(t, ctx, st, blob, 0, -1), data)
	sameBytes(t, "a range of the committed blob", read(t, ctx, st, blob, 77, 1000), data[77:1077])
}

// acrossUnits writes pieces that start and end at, just before and just
// after the adapter's unit boundaries, and one that spans several units.
func (s stagingSuite) acrossUnits(t *testing.T) {
	u := s.opts.PieceSize
	if u <= 0 {
		t.Skip("the adapter stores a stage in one piece")
	}
	size := 3*u + 17
	if size > s.opts.MaxFileSize {
		t.Skipf("needs %d bytes; MaxFileSize is %d", size, s.opts.MaxFileSize)
	}
	st, ctx := s.setup(t)
	data := randomBytes(size, 22)
	key := create(t, ctx, st)
	writeInPieces(t, ctx, st, key, data, u-1, u, u+1, 3*u)
	sameBytes(t, "blob staged across units", read(t, ctx, st, commit(t, ctx, st, key, size), 0, -1), data)

	key = create(t, ctx, st)
	writeInPieces(t, ctx, st, key, data, 5, 2*u+3)
	sameBytes(t, "blob staged in pieces spanning units", read(t, ctx, st, commit(t, ctx, st, key, size), 0, -1), data)
}

func (s stagingSuite) invisible(t *testing.T) {
	st, ctx := s.setup(t)
	key := create(t, ctx, st)
	write(t, ctx, st, key, 0, []byte("not yet"))
	notFound(t, ctx, st, key)
	commit(t, ctx, st, key, 7)
	sameBytes(t, "committed blob", read(t, ctx, st, key, 0, -1), []byte("not yet"))
}

func (s stagingSuite) failingReader(t *testing.T) {
	st, ctx := s.setup(t)
	size := min(int64(2*MiB+5), s.opts.MaxFileSize)
	data := randomBytes(size, 23)
	key := create(t, ctx, st)
	offset := int64(0)
	for _, k := range []int64{0, 1, 100 << 10, MiB + 1} {
		k = min(k, size-offset)
		src := &failingReader{r: bytes.NewReader(data[offset : offset+k]), err: errSource}
		n, err := st.WriteStage(ctx, key, offset, src, 0)
		if !errors.Is(err, errSource) {
			t.Fatalf("WriteStage failing after %d bytes = %d, %v; want an error wrapping the reader's", k, n, err)
		}
		if n != k {
			t.Fatalf("WriteStage failing after %d bytes staged %d, want %d: what arrived is kept", k, n, k)
		}
		offset += n
	}
	write(t, ctx, st, key, offset, data[offset:])
	sameBytes(t, "blob staged around failures", read(t, ctx, st, commit(t, ctx, st, key, size), 0, -1), data)
}

func (s stagingSuite) cancelled(t *testing.T) {
	st, ctx := s.setup(t)
	size := min(int64(MiB), s.opts.MaxFileSize)
	data := randomBytes(size, 24)
	key := create(t, ctx, st)
	at := size / 2
	cctx, cancel := context.WithCancel(ctx)
	src := &cancellingReader{data: data, at: at, cancel: cancel}
	n, err := st.WriteStage(cctx, key, 0, src, 0)
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("WriteStage cancelled after %d bytes = %d, %v; want context.Canceled", at, n, err)
	}
	if n != src.read {
		t.Fatalf("WriteStage cancelled after reading %d bytes staged %d", src.read, n)
	}
	if n > at+MiB {
		t.Errorf("WriteStage read %d bytes after its context was cancelled", n-at)
	}
	write(t, ctx, st, key, n, data[n:])
	sameBytes(t, "blob staged around a cancel", read(t, ctx, st, commit(t, ctx, st, key, size), 0, -1), data)

	key = create(t, ctx, st)
	done, stop := context.WithCancel(ctx)
	stop()
	if n, err := st.WriteStage(done, key, 0, bytes.NewReader(data), 0); !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("WriteStage on a cancelled context = %d, %v; want 0, context.Canceled", n, err)
	}
}

// cancellingReader yields data and cancels its context once at bytes are read.
type cancellingReader struct {
	data   []byte
	at     int64
	read   int64
	cancel context.CancelFunc
}

func (r *cancellingReader) Read(p []byte) (int, error) {
	if r.read >= int64(len(r.data)) {
		return 0, io.EOF
	}
	end := min(int64(len(r.data)), r.read+int64(len(p)))
	if r.read < r.at && end > r.at {
		end = r.at // cancel where asked
	}
	n := copy(p, r.data[r.read:end])
	r.read += int64(n)
	if r.read >= r.at {
		r.cancel()
	}
	return n, nil
}

func (s stagingSuite) truncated(t *testing.T) {
	st, ctx := s.setup(t)
	data := randomBytes(300<<10, 25)
	key := create(t, ctx, st)
	src := &failingReader{r: bytes.NewReader(data[:200<<10]), err: io.ErrUnexpectedEOF}
	n, err := st.WriteStage(ctx, key, 0, src, 0)
	if !errors.Is(err, io.ErrUnexpectedEOF) || n != 200<<10 {
		t.Fatalf("WriteStage of a truncated body = %d, %v; want %d, io.ErrUnexpectedEOF", n, err, 200<<10)
	}
	write(t, ctx, st, key, n, data[n:])
	sameBytes(t, "blob", read(t, ctx, st, commit(t, ctx, st, key, int64(len(data))), 0, -1), data)
}

func (s stagingSuite) rewrite(t *testing.T) {
	st, ctx := s.setup(t)
	size := min(int64(MiB+10), s.opts.MaxFileSize)
	data := randomBytes(size, 26)
	other := randomBytes(size, 27)
	key := create(t, ctx, st)
	// Bytes staged but never recorded (a store that failed after writing
	// them): the caller writes again from where it last counted.
	write(t, ctx, st, key, 0, other)
	write(t, ctx, st, key, 0, data[:10])
	write(t, ctx, st, key, 10, data[10:size/2])
	write(t, ctx, st, key, size/2, other[size/2:size-1])
	write(t, ctx, st, key, size/2, data[size/2:])
	sameBytes(t, "blob staged over dropped bytes", read(t, ctx, st, commit(t, ctx, st, key, size), 0, -1), data)

	// A write at an earlier offset drops the bytes after it, even when it
	// writes fewer than they were.
	key = create(t, ctx, st)
	write(t, ctx, st, key, 0, []byte("0123456789"))
	write(t, ctx, st, key, 4, []byte("ab"))
	if _, err := st.CommitStage(ctx, key, 10); !errors.Is(err, platformport.ErrStageIncomplete) {
		t.Errorf("CommitStage(10) after a write at 4 of 2 bytes = %v, want ErrStageIncomplete", err)
	}
	sameBytes(t, "blob", read(t, ctx, st, commit(t, ctx, st, key, 6), 0, -1), []byte("0123ab"))
}

func (s stagingSuite) offsetPastEnd(t *testing.T) {
	st, ctx := s.setup(t)
	key := create(t, ctx, st)
	for _, off := range []int64{1, 1 << 20} {
		if n, err := st.WriteStage(ctx, key, off, bytes.NewReader([]byte("x")), 0); !errors.Is(err, platformport.ErrStageOffset) || n != 0 {
			t.Errorf("WriteStage at %d of an empty stage = %d, %v; want 0, ErrStageOffset", off, n, err)
		}
	}
	write(t, ctx, st, key, 0, []byte("abc"))
	if _, err := st.WriteStage(ctx, key, 4, bytes.NewReader([]byte("x")), 0); !errors.Is(err, platformport.ErrStageOffset) {
		t.Errorf("WriteStage at 4 of a 3-byte stage = %v, want ErrStageOffset", err)
	}
	if _, err := st.WriteStage(ctx, key, -1, bytes.NewReader([]byte("x")), 0); err == nil {
		t.Error("WriteStage at -1 succeeded")
	}
	write(t, ctx, st, key, 3, []byte("d"))
	sameBytes(t, "blob", read(t, ctx, st, commit(t, ctx, st, key, 4), 0, -1), []byte("abcd"))
}

func (s stagingSuite) tooLarge(t *testing.T) {
	st, ctx := s.setup(t)
	data := randomBytes(1000, 28)
	key := create(t, ctx, st)
	write(t, ctx, st, key, 0, data[:100])
	src := &countingReader{left: 4096}
	n, err := st.WriteStage(ctx, key, 100, src, 900)
	if !errors.Is(err, platformport.ErrBlobTooLarge) {
		t.Fatalf("WriteStage of 4096 bytes with max 900 = %d, %v; want ErrBlobTooLarge", n, err)
	}
	if got := src.read.Load(); got > 901 {
		t.Errorf("WriteStage with max 900 read %d bytes, want at most 901", got)
	}
	if n > 900 {
		t.Errorf("WriteStage with max 900 staged %d bytes", n)
	}
	// Exactly max bytes is fine.
	write(t, ctx, st, key, 100, data[100:])
	if n, err := st.WriteStage(ctx, key, 100, bytes.NewReader(data[100:]), 900); err != nil || n != 900 {
		t.Errorf("WriteStage of exactly max bytes = %d, %v", n, err)
	}
	sameBytes(t, "blob", read(t, ctx, st, commit(t, ctx, st, key, 1000), 0, -1), data)
}

func (s stagingSuite) emptyWrite(t *testing.T) {
	st, ctx := s.setup(t)
	key := create(t, ctx, st)
	if n, err := st.WriteStage(ctx, key, 0, bytes.NewReader(nil), 0); err != nil || n != 0 {
		t.Errorf("WriteStage of nothing = %d, %v", n, err)
	}
	write(t, ctx, st, key, 0, []byte("xy"))
	if n, err := st.WriteStage(ctx, key, 2, iotest.DataErrReader(bytes.NewReader(nil)), 0); err != nil || n != 0 {
		t.Errorf("WriteStage of nothing at the end = %d, %v", n, err)
	}
	sameBytes(t, "blob", read(t, ctx, st, commit(t, ctx, st, key, 2), 0, -1), []byte("xy"))
}

func (s stagingSuite) incomplete(t *testing.T) {
	st, ctx := s.setup(t)
	key := create(t, ctx, st)
	write(t, ctx, st, key, 0, []byte("abc"))
	if _, err := st.CommitStage(ctx, key, 4); !errors.Is(err, platformport.ErrStageIncomplete) {
		t.Errorf("CommitStage(4) of a 3-byte stage = %v, want ErrStageIncomplete", err)
	}
	notFound(t, ctx, st, key)
	write(t, ctx, st, key, 3, []byte("d"))
	sameBytes(t, "blob", read(t, ctx, st, commit(t, ctx, st, key, 4), 0, -1), []byte("abcd"))
}

func (s stagingSuite) commitLonger(t *testing.T) {
	st, ctx := s.setup(t)
	key := create(t, ctx, st)
	write(t, ctx, st, key, 0, []byte("abcdef"))
	if _, err := st.CommitStage(ctx, key, 4); !errors.Is(err, platformport.ErrStageIncomplete) {
		t.Errorf("CommitStage(4) of a 6-byte stage = %v, want ErrStageIncomplete", err)
	}
	sameBytes(t, "blob", read(t, ctx, st, commit(t, ctx, st, key, 6), 0, -1), []byte("abcdef"))
}

func (s stagingSuite) commitTwice(t *testing.T) {
	st, ctx := s.setup(t)
	key := create(t, ctx, st)
	write(t, ctx, st, key, 0, []byte("twice"))
	commit(t, ctx, st, key, 5)
	before := s.count(t, st)
	commit(t, ctx, st, key, 5)
	s.sameCount(t, st, before, "a second commit")
	sameBytes(t, "blob", read(t, ctx, st, key, 0, -1), []byte("twice"))
	if _, err := st.WriteStage(ctx, key, 5, bytes.NewReader([]byte("x")), 0); !errors.Is(err, platformport.ErrBlobNotFound) {
		t.Errorf("WriteStage after commit = %v, want ErrBlobNotFound", err)
	}
}

func (s stagingSuite) abort(t *testing.T) {
	st, ctx := s.setup(t)
	keep := put(t, ctx, st, []byte("keep"), 0)
	before := s.count(t, st)
	key := create(t, ctx, st)
	size := min(int64(MiB+9), s.opts.MaxFileSize)
	writeInPieces(t, ctx, st, key, randomBytes(size, 29), size/3)
	porttestkit.MustNil(t, st.AbortStage(ctx, key), "AbortStage")
	s.sameCount(t, st, before, "an abort")
	porttestkit.MustNil(t, st.AbortStage(ctx, key), "AbortStage again")
	if _, err := st.WriteStage(ctx, key, 0, bytes.NewReader([]byte("x")), 0); !errors.Is(err, platformport.ErrBlobNotFound) {
		t.Errorf("WriteStage after abort = %v, want ErrBlobNotFound", err)
	}
	if _, err := st.CommitStage(ctx, key, size); !errors.Is(err, platformport.ErrBlobNotFound) {
		t.Errorf("CommitStage after abort = %v, want ErrBlobNotFound", err)
	}
	notFound(t, ctx, st, key)
	sameBytes(t, "the other blob", read(t, ctx, st, keep.Key, 0, -1), []byte("keep"))

	// An empty stage goes too.
	key = create(t, ctx, st)
	porttestkit.MustNil(t, st.AbortStage(ctx, key), "AbortStage of an empty stage")
	s.sameCount(t, st, before, "the abort of an empty stage")
}

func (s stagingSuite) abortCommitted(t *testing.T) {
	st, ctx := s.setup(t)
	key := create(t, ctx, st)
	write(t, ctx, st, key, 0, []byte("stays"))
	commit(t, ctx, st, key, 5)
	porttestkit.MustNil(t, st.AbortStage(ctx, key), "AbortStage of a committed stage")
	sameBytes(t, "committed blob after an abort", read(t, ctx, st, key, 0, -1), []byte("stays"))
	before := s.count(t, st)
	porttestkit.MustNil(t, st.Delete(ctx, key), "Delete")
	if s.opts.Count != nil && s.count(t, st) >= before {
		t.Error("Delete of a committed stage's blob freed nothing")
	}
}

func (s stagingSuite) unknownKeys(t *testing.T) {
	st, ctx := s.setup(t)
	real := create(t, ctx, st)
	write(t, ctx, st, real, 0, []byte("real"))
	for _, k := range []string{"", "nope", "../" + real, real + "0", real[:len(real)-1], "0123456789abcdef0123456789abcdef", "0123456789abcdef01234567", "../../etc/passwd"} {
		if _, err := st.WriteStage(ctx, k, 0, bytes.NewReader([]byte("x")), 0); !errors.Is(err, platformport.ErrBlobNotFound) {
			t.Errorf("WriteStage(%q) = %v, want ErrBlobNotFound", k, err)
		}
		if _, err := st.CommitStage(ctx, k, 1); !errors.Is(err, platformport.ErrBlobNotFound) {
			t.Errorf("CommitStage(%q) = %v, want ErrBlobNotFound", k, err)
		}
		if err := st.AbortStage(ctx, k); err != nil {
			t.Errorf("AbortStage(%q) = %v, want nil", k, err)
		}
	}
	sameBytes(t, "the real stage", read(t, ctx, st, commit(t, ctx, st, real, 4), 0, -1), []byte("real"))
}

func (s stagingSuite) sweep(t *testing.T) {
	st, ctx := s.setup(t)
	blob := put(t, ctx, st, []byte("a blob"), 0)
	committed := create(t, ctx, st)
	write(t, ctx, st, committed, 0, []byte("committed"))
	commit(t, ctx, st, committed, 9)
	before := s.count(t, st)

	var stages []string
	for i := range 3 {
		k := create(t, ctx, st)
		write(t, ctx, st, k, 0, randomBytes(int64(1000*(i+1)), uint64(30+i)))
		stages = append(stages, k)
	}
	n, err := st.SweepStages(ctx, time.Now().Add(-time.Hour))
	porttestkit.MustNil(t, err, "SweepStages an hour ago")
	porttestkit.Eq(t, "stages swept before an hour ago", n, 0)
	write(t, ctx, st, stages[0], 1000, []byte("still there"))

	n, err = st.SweepStages(ctx, time.Now().Add(time.Hour))
	porttestkit.MustNil(t, err, "SweepStages")
	porttestkit.Eq(t, "stages swept", n, len(stages))
	for _, k := range stages {
		if _, err := st.WriteStage(ctx, k, 0, bytes.NewReader([]byte("x")), 0); !errors.Is(err, platformport.ErrBlobNotFound) {
			t.Errorf("WriteStage of a swept stage = %v, want ErrBlobNotFound", err)
		}
	}
	s.sameCount(t, st, before, "a sweep")
	sameBytes(t, "a blob after a sweep", read(t, ctx, st, blob.Key, 0, -1), []byte("a blob"))
	sameBytes(t, "a committed stage after a sweep", read(t, ctx, st, committed, 0, -1), []byte("committed"))
	n, err = st.SweepStages(ctx, time.Now().Add(time.Hour))
	porttestkit.MustNil(t, err, "SweepStages again")
	porttestkit.Eq(t, "stages swept again", n, 0)
}

func (s stagingSuite) concurrentStages(t *testing.T) {
	st, ctx := s.setup(t)
	const n = 6
	data := make([][]byte, n)
	keys := make([]string, n)
	for i := range n {
		data[i] = randomBytes(100<<10, uint64(40+i))
	}
	errs := porttestkit.Concurrently(n, func(i int) error {
		k, err := st.CreateStage(ctx)
		if err != nil {
			return err
		}
		keys[i] = k
		for from := int64(0); from < int64(len(data[i])); from += 30 << 10 {
			to := min(from+30<<10, int64(len(data[i])))
			if m, err := st.WriteStage(ctx, k, from, bytes.NewReader(data[i][from:to]), 0); err != nil || m != to-from {
				return fmt.Errorf("write %d: %d, %w", i, m, err)
			}
		}
		_, err = st.CommitStage(ctx, k, int64(len(data[i])))
		return err
	})
	seen := map[string]bool{}
	for i := range n {
		porttestkit.MustNil(t, errs[i], fmt.Sprintf("stage %d", i))
		if seen[keys[i]] {
			t.Fatalf("two stages got the key %s", keys[i])
		}
		seen[keys[i]] = true
		sameBytes(t, fmt.Sprintf("blob %d", i), read(t, ctx, st, keys[i], 0, -1), data[i])
	}
}
