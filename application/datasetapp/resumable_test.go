package datasetapp_test

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // tus's required checksum algorithm: integrity, not secrecy
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/application/datasetapp"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// newResumableFixture is a fixture whose clock moves only when told.
func newResumableFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, nil)
	f.clock.hold()
	return f
}

// newResumable starts an upload of size bytes of a new dataset by the owner.
func (f *fixture) newResumable(t *testing.T, size int64, in datasetport.CreateInput) *dataset.Upload {
	t.Helper()
	st, err := f.svc.CreateUpload(metaCtx(t), who(ownerID), datasetport.ResumableInput{
		Target: datasetport.UploadTarget{CommunityID: in.CommunityID}, New: in,
		Filename: "sensors.csv", DeclaredType: "text/csv", Metadata: "filename c2Vuc29ycy5jc3Y=", Size: size,
	}, nil)
	if err != nil {
		t.Fatalf("CreateUpload: %v", err)
	}
	return st.Upload
}

// piece is a piece of content at offset.
func piece(offset int64, content string) datasetport.Piece {
	return datasetport.Piece{Offset: offset, Length: int64(len(content)), Body: strings.NewReader(content)}
}

// cutAfter yields n bytes of content, then fails as a connection cut does.
func cutAfter(offset int64, content string, n int) datasetport.Piece {
	return datasetport.Piece{Offset: offset, Length: -1, Body: io.MultiReader(strings.NewReader(content[:n]), failing{})}
}

type failing struct{}

var errCut = errors.New("connection reset by peer")

func (failing) Read([]byte) (int, error) { return 0, errCut }

func (f *fixture) write(t *testing.T, id string, p datasetport.Piece) (datasetport.UploadState, error) {
	t.Helper()
	return f.svc.WriteUpload(metaCtx(t), who(ownerID), id, p)
}

func (f *fixture) offset(t *testing.T, id string) int64 {
	t.Helper()
	st, err := f.svc.UploadStatus(metaCtx(t), who(ownerID), id)
	if err != nil {
		t.Fatalf("UploadStatus: %v", err)
	}
	return st.Upload.Offset
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// readBlob reads a dataset's current file.
func (f *fixture) readBlob(t *testing.T, d *dataset.Dataset) string {
	t.Helper()
	rc, err := f.blobs.Open(t.Context(), d.File().BlobKey, 0, -1)
	if err != nil {
		t.Fatalf("open blob: %v", err)
	}
	defer func() { _ = rc.Close() }()
	b, _ := io.ReadAll(rc)
	return string(b)
}

const content = "station,pm25\nA,12\nB,17\nC,9\n"

func TestResumableUpload(t *testing.T) {
	t.Parallel()
	size := int64(len(content))

	t.Run("pieces_make_the_dataset_with_the_sha256_of_the_whole", func(t *testing.T) {
		t.Parallel()
		f := newResumableFixture(t)
		title := "Air"
		u := f.newResumable(t, size, datasetport.CreateInput{Title: &title, CommunityID: community, Tags: []string{"Air"}})
		for _, cut := range [][2]int{{0, 1}, {1, 10}, {10, 20}} {
			st, err := f.write(t, u.ID, piece(int64(cut[0]), content[cut[0]:cut[1]]))
			if err != nil || st.Dataset != nil || st.Upload.Offset != int64(cut[1]) {
				t.Fatalf("piece %v: offset %d, dataset %v, %v", cut, st.Upload.Offset, st.Dataset, err)
			}
		}
		st, err := f.write(t, u.ID, piece(20, content[20:]))
		if err != nil || st.Dataset == nil {
			t.Fatalf("last piece: %+v, %v", st, err)
		}
		d := st.Dataset
		if d.Title() != "Air" || d.CommunityID() != community || d.Visibility() != dataset.Community || d.OwnerID() != ownerID ||
			d.File().SHA256 != sum(content) || d.File().Size != size || d.File().Filename != "sensors.csv" ||
			d.File().ContentType != "text/csv; charset=utf-8" || d.Tags()[0] != "air" {
			t.Errorf("dataset %+v, file %+v", d, d.File())
		}
		if got := f.readBlob(t, d); got != content {
			t.Errorf("blob %q", got)
		}
		if acts := f.log.actions(); len(acts) != 1 || acts[0] != "create" {
			t.Errorf("access log %v, want one create", acts)
		}
		if f.blobs.Stages() != 0 || f.blobs.Len() != 1 {
			t.Errorf("%d stages and %d blobs, want the one blob", f.blobs.Stages(), f.blobs.Len())
		}
		// The result stays for a client whose last answer was lost.
		again, err := f.svc.UploadStatus(metaCtx(t), who(ownerID), u.ID)
		if err != nil || again.Upload.Result == nil || again.Upload.Result.DatasetID != d.ID() || again.Upload.Offset != size {
			t.Errorf("status after the end: %+v, %v", again.Upload, err)
		}
		if st, err := f.write(t, u.ID, piece(size, "")); err != nil || st.Upload.Result.DatasetID != d.ID() {
			t.Errorf("the last piece again: %+v, %v", st.Upload, err)
		}
		if _, err := f.write(t, u.ID, piece(3, "x")); !errors.Is(err, dataset.ErrUploadOffset) {
			t.Errorf("a piece after the end: %v", err)
		}
	})

	t.Run("a_new_version_in_one_piece_with_the_creation", func(t *testing.T) {
		t.Parallel()
		f := newResumableFixture(t)
		d := f.create(t, datasetport.CreateInput{CommunityID: community}, "v1")
		first := piece(0, content)
		st, err := f.svc.CreateUpload(metaCtx(t), who(adminID), datasetport.ResumableInput{
			Target: datasetport.UploadTarget{DatasetID: d.ID()}, Filename: "v2.csv", Size: size,
		}, &first)
		if err != nil || st.Dataset == nil || st.Dataset.Version() != 2 || st.Upload.Result.Version != 2 {
			t.Fatalf("CreateUpload with the whole file: %+v, %v", st, err)
		}
		if st.Dataset.Versions()[1].CreatedBy != adminID || st.Dataset.File().SHA256 != sum(content) {
			t.Errorf("version %+v", st.Dataset.Versions()[1])
		}
		if acts := f.log.actions(); acts[len(acts)-1] != "version" {
			t.Errorf("access log %v, want a version last", acts)
		}
	})

	t.Run("a_cut_piece_keeps_what_arrived", func(t *testing.T) {
		t.Parallel()
		f := newResumableFixture(t)
		u := f.newResumable(t, size, datasetport.CreateInput{})
		if _, err := f.write(t, u.ID, cutAfter(0, content, 7)); !errors.Is(err, errCut) {
			t.Fatalf("a cut piece: %v, want the body's error", err)
		}
		if got := f.offset(t, u.ID); got != 7 {
			t.Fatalf("offset after a cut at 7: %d", got)
		}
		if _, err := f.write(t, u.ID, cutAfter(7, content[7:], 0)); !errors.Is(err, errCut) {
			t.Fatalf("a piece cut at once: %v", err)
		}
		if _, err := f.write(t, u.ID, cutAfter(7, content[7:], 5)); !errors.Is(err, errCut) {
			t.Fatal(err)
		}
		st, err := f.write(t, u.ID, piece(12, content[12:]))
		if err != nil || st.Dataset == nil || st.Dataset.File().SHA256 != sum(content) || f.readBlob(t, st.Dataset) != content {
			t.Fatalf("after two cuts: %+v, %v", st, err)
		}
	})

	t.Run("pieces_at_another_offset_or_past_the_end_count_nothing", func(t *testing.T) {
		t.Parallel()
		f := newResumableFixture(t)
		u := f.newResumable(t, size, datasetport.CreateInput{})
		if _, err := f.write(t, u.ID, piece(0, content[:5])); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			p    datasetport.Piece
			want *kernel.Error
		}{
			{"behind", piece(4, "x"), dataset.ErrUploadOffset},
			{"ahead", piece(6, "x"), dataset.ErrUploadOffset},
			{"declared_past_the_end", datasetport.Piece{Offset: 5, Length: size, Body: strings.NewReader(content)}, dataset.ErrUploadTooLong},
			{"sent_past_the_end", datasetport.Piece{Offset: 5, Length: -1, Body: strings.NewReader(content)}, dataset.ErrUploadTooLong},
		} {
			if _, err := f.write(t, u.ID, c.p); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %s", c.name, err, c.want.Code)
			}
			if got := f.offset(t, u.ID); got != 5 {
				t.Errorf("%s: offset %d, want 5", c.name, got)
			}
		}
		st, err := f.write(t, u.ID, piece(5, content[5:]))
		if err != nil || st.Dataset == nil || st.Dataset.File().SHA256 != sum(content) {
			t.Fatalf("the rest: %+v, %v", st, err)
		}
	})

	t.Run("a_piece_with_a_checksum_counts_whole_or_not_at_all", func(t *testing.T) {
		t.Parallel()
		f := newResumableFixture(t)
		u := f.newResumable(t, size, datasetport.CreateInput{})
		checked := func(p datasetport.Piece, of string) datasetport.Piece {
			s := sha1.Sum([]byte(of))                                       //nolint:gosec // the client's checksum
			p.Checksum = &datasetport.Checksum{Hash: sha1.New(), Sum: s[:]} //nolint:gosec // the client's checksum
			return p
		}
		if _, err := f.write(t, u.ID, checked(piece(0, content[:10]), "something else")); !errors.Is(err, dataset.ErrChecksumMismatch) {
			t.Errorf("a wrong checksum: %v", err)
		}
		if _, err := f.write(t, u.ID, checked(cutAfter(0, content, 6), content[:10])); !errors.Is(err, errCut) {
			t.Errorf("a cut piece with a checksum: %v", err)
		}
		if got := f.offset(t, u.ID); got != 0 {
			t.Fatalf("offset %d after a mismatch and a cut piece with a checksum, want 0", got)
		}
		if st, err := f.write(t, u.ID, checked(piece(0, content[:10]), content[:10])); err != nil || st.Upload.Offset != 10 {
			t.Fatalf("a right checksum: %+v, %v", st.Upload, err)
		}
		st, err := f.write(t, u.ID, checked(piece(10, content[10:]), content[10:]))
		if err != nil || st.Dataset.File().SHA256 != sum(content) || f.readBlob(t, st.Dataset) != content {
			t.Fatalf("the rest: %+v, %v", st, err)
		}
	})

	t.Run("rights_size_and_metadata_are_checked_at_creation", func(t *testing.T) {
		t.Parallel()
		f := newResumableFixture(t)
		restricted := dataset.Restricted
		d := f.create(t, datasetport.CreateInput{CommunityID: community}, "v1")
		for _, c := range []struct {
			name string
			p    kernel.Principal
			in   datasetport.ResumableInput
			want *kernel.Error
		}{
			{"a_stranger_in_a_community", who(strangeID), datasetport.ResumableInput{New: datasetport.CreateInput{CommunityID: community}, Size: 3}, dataset.ErrNotCommunityMember},
			{"a_member_for_a_version", who(memberID), datasetport.ResumableInput{Target: datasetport.UploadTarget{DatasetID: d.ID()}, Size: 3}, kernel.ErrForbidden},
			{"restricted_without_a_community", who(ownerID), datasetport.ResumableInput{New: datasetport.CreateInput{Visibility: &restricted}, Size: 3}, dataset.ErrRestrictedNeedsCommunity},
			{"empty", who(ownerID), datasetport.ResumableInput{Size: 0}, dataset.ErrEmptyFile},
		} {
			if _, err := f.svc.CreateUpload(metaCtx(t), c.p, c.in, nil); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %s", c.name, err, c.want.Code)
			}
		}
		if _, err := f.svc.CreateUpload(metaCtx(t), who(ownerID), datasetport.ResumableInput{Size: 1025}, nil); kernel.KindOf(err) != kernel.KindTooLarge {
			t.Errorf("over the limit: %v", err)
		}
		if f.blobs.Stages() != 0 {
			t.Errorf("%d stages after refused creations", f.blobs.Stages())
		}
	})

	t.Run("rights_are_checked_again_at_the_end", func(t *testing.T) {
		t.Parallel()
		f := newResumableFixture(t)
		d := f.create(t, datasetport.CreateInput{}, "v1")
		st, err := f.svc.CreateUpload(metaCtx(t), who(ownerID), datasetport.ResumableInput{
			Target: datasetport.UploadTarget{DatasetID: d.ID()}, Filename: "v2.csv", Size: size,
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.write(t, st.Upload.ID, piece(0, content[:5])); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Delete(metaCtx(t), who(ownerID), d.ID()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.write(t, st.Upload.ID, piece(5, content[5:])); !errors.Is(err, dataset.ErrNotFound) {
			t.Fatalf("the last piece of a version of a deleted dataset: %v", err)
		}
		if f.blobs.Len() != 0 || f.blobs.Stages() != 0 {
			t.Errorf("%d blobs and %d stages left", f.blobs.Len(), f.blobs.Stages())
		}
		if _, err := f.svc.UploadStatus(metaCtx(t), who(ownerID), st.Upload.ID); !errors.Is(err, dataset.ErrUploadNotFound) {
			t.Errorf("status of the ended upload: %v", err)
		}
	})

	t.Run("another's_upload_is_not_found_and_an_expired_one_expired", func(t *testing.T) {
		t.Parallel()
		f := newResumableFixture(t)
		u := f.newResumable(t, size, datasetport.CreateInput{})
		if _, err := f.svc.UploadStatus(metaCtx(t), who(memberID), u.ID); !errors.Is(err, dataset.ErrUploadNotFound) {
			t.Errorf("status of another's upload: %v", err)
		}
		if _, err := f.svc.WriteUpload(metaCtx(t), who(memberID), u.ID, piece(0, "x")); !errors.Is(err, dataset.ErrUploadNotFound) {
			t.Errorf("a piece of another's upload: %v", err)
		}
		if err := f.svc.AbortUpload(t.Context(), who(memberID), u.ID); !errors.Is(err, dataset.ErrUploadNotFound) {
			t.Errorf("abort of another's upload: %v", err)
		}
		f.clock.advance(datasetapp.DefaultUploadExpiry)
		if _, err := f.write(t, u.ID, piece(0, "x")); !errors.Is(err, dataset.ErrUploadExpired) {
			t.Errorf("a piece after the expiry: %v", err)
		}
		if _, err := f.svc.UploadStatus(metaCtx(t), who(ownerID), u.ID); !errors.Is(err, dataset.ErrUploadExpired) {
			t.Errorf("status after the expiry: %v", err)
		}
	})

	t.Run("abort_deletes_the_bytes_and_the_upload", func(t *testing.T) {
		t.Parallel()
		f := newResumableFixture(t)
		u := f.newResumable(t, size, datasetport.CreateInput{})
		if _, err := f.write(t, u.ID, piece(0, content[:9])); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AbortUpload(t.Context(), who(ownerID), u.ID); err != nil {
			t.Fatal(err)
		}
		if f.blobs.Stages() != 0 || f.blobs.Len() != 0 {
			t.Errorf("%d stages, %d blobs after abort", f.blobs.Stages(), f.blobs.Len())
		}
		if _, err := f.write(t, u.ID, piece(9, content[9:])); !errors.Is(err, dataset.ErrUploadNotFound) {
			t.Errorf("a piece after abort: %v", err)
		}
	})
}

// blockingReader yields head, then blocks until released, then yields rest.
type blockingReader struct {
	head, rest string
	read       bool
	release    chan struct{}
	reached    chan struct{}
}

func (r *blockingReader) Read(p []byte) (int, error) {
	if !r.read {
		r.read = true
		close(r.reached)
		return copy(p, r.head), nil
	}
	<-r.release
	if r.rest == "" {
		return 0, io.EOF
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

// A request that finds the upload being written asks the writer to let go,
// and learns the offset where the writer's bytes end.
func TestAWriterLetsGoWhenAnotherRequestAsks(t *testing.T) {
	t.Parallel()
	f := newResumableFixture(t)
	u := f.newResumable(t, int64(len(content)), datasetport.CreateInput{})
	body := &blockingReader{head: content[:8], rest: content[8:12], release: make(chan struct{}), reached: make(chan struct{})}
	var wg sync.WaitGroup
	var first datasetport.UploadState
	var firstErr error
	wg.Go(func() {
		first, firstErr = f.svc.WriteUpload(metaCtx(t), who(ownerID), u.ID, datasetport.Piece{Offset: 0, Length: -1, Body: body})
	})
	<-body.reached
	// The writer's connection comes back to life after the writer was asked
	// to let go (its renewal sees the request within a few seconds).
	go func() {
		for {
			cur, err := f.uploads.Get(t.Context(), u.ID)
			if err == nil && cur.Lock.ReleaseAsked {
				time.Sleep(3 * time.Second)
				close(body.release)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	st, err := f.svc.UploadStatus(metaCtx(t), who(ownerID), u.ID)
	wg.Wait()
	if firstErr != nil {
		t.Fatalf("the first writer: %v", firstErr)
	}
	if err != nil || st.Upload.Offset != first.Upload.Offset || first.Upload.Offset < 8 {
		t.Fatalf("status %+v, %v; the first writer stopped at %d", st.Upload, err, first.Upload.Offset)
	}
	if st.Upload.Lock.Holder != "" {
		t.Errorf("lock after the status: %+v", st.Upload.Lock)
	}
	// And the upload goes on from there.
	off := st.Upload.Offset
	done, err := f.write(t, u.ID, piece(off, content[off:]))
	if err != nil || done.Dataset == nil || done.Dataset.File().SHA256 != sum(content) {
		t.Fatalf("the rest: %+v, %v", done, err)
	}
}

func TestSweepUploads(t *testing.T) {
	t.Parallel()
	f := newResumableFixture(t)
	size := int64(len(content))
	abandoned := f.newResumable(t, size, datasetport.CreateInput{})
	if _, err := f.write(t, abandoned.ID, piece(0, content[:4])); err != nil {
		t.Fatal(err)
	}
	finished := f.newResumable(t, size, datasetport.CreateInput{})
	st, err := f.write(t, finished.ID, piece(0, content))
	if err != nil || st.Dataset == nil {
		t.Fatal(err)
	}
	held := f.newResumable(t, size, datasetport.CreateInput{})
	// An orphaned stage: a crash between the stage and its record.
	if _, err := f.blobs.CreateStage(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.SweepUploads(t.Context()); err != nil || n != 0 {
		t.Fatalf("a sweep before any expiry deleted %d, %v", n, err)
	}

	f.clock.advance(datasetapp.DefaultUploadExpiry)
	// A request holds one of them (it expired while it wrote).
	if _, err := f.uploads.Update(t.Context(), held.ID, func(u *dataset.Upload) error {
		u.Take("a request", f.clock.Now(), time.Hour)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	n, err := f.svc.SweepUploads(t.Context())
	if err != nil || n != 2 {
		t.Fatalf("sweep deleted %d uploads, %v; want the abandoned and the finished ones", n, err)
	}
	for _, id := range []string{abandoned.ID, finished.ID} {
		if _, err := f.uploads.Get(t.Context(), id); !errors.Is(err, dataset.ErrUploadNotFound) {
			t.Errorf("upload %s after the sweep: %v", id, err)
		}
	}
	if _, err := f.uploads.Get(t.Context(), held.ID); err != nil {
		t.Errorf("the held upload was swept: %v", err)
	}
	if got := f.readBlob(t, st.Dataset); got != content {
		t.Errorf("the finished upload's dataset lost its file: %q", got)
	}
	// The held stage and the orphan remain until they are older than any
	// upload can be.
	if f.blobs.Stages() != 2 {
		t.Errorf("%d stages, want the held one and the orphan", f.blobs.Stages())
	}
	if !bytes.Equal([]byte(content), []byte(f.readBlob(t, st.Dataset))) {
		t.Error("dataset changed")
	}
}
