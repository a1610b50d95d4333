package datasetapp

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// A resumable upload runs the life cycle of upload.go across requests, any
// of which may reach any replica: its record (datasetport.UploadRepository)
// says how far it got and holds the SHA-256 state there, its bytes wait in a
// stage of the blob store (platformport.StagingStore). A request writes only
// while it holds the upload's lease; one that finds it held asks the holder
// to let go (the holder stops at its next renewal and records what it has)
// and waits a little, so that a client retrying at once after a cut goes on
// where the bytes end, not where they ended at the last record.

const (
	// uploadLease is how long a request holds an upload without renewing:
	// what a crashed replica keeps an upload from others.
	uploadLease = 30 * time.Second
	// renewEvery is how often a writing request renews its lease and learns
	// whether it should stop.
	renewEvery = 2 * time.Second
	// lockWait is how long a request waits for another to let go.
	lockWait = 5 * time.Second
	// lockPoll is how often a waiting request looks again.
	lockPoll = 50 * time.Millisecond
	// recordTimeout bounds recording a piece, which runs even when the
	// request's context is cancelled: what was staged must be counted.
	recordTimeout = 30 * time.Second
)

// errStopped ends a piece whose request was asked to let go of the upload.
var errStopped = errors.New("datasetapp: the upload's lease is wanted elsewhere")

// ErrResumableOff is the error of resumable uploads on a service built
// without their ports.
var ErrResumableOff = kernel.NewError(kernel.KindInternal, "resumable_uploads_off", "Internal Server Error")

func (s *Service) resumable() error {
	if s.deps.Staging == nil || s.deps.Uploads == nil {
		return ErrResumableOff
	}
	return nil
}

// newHolder names one request's hold on an upload.
func newHolder() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// target is what an upload becomes.
func target(u *dataset.Upload) datasetport.UploadTarget {
	if u.DatasetID != "" {
		return datasetport.UploadTarget{DatasetID: u.DatasetID}
	}
	return datasetport.UploadTarget{CommunityID: u.New.CommunityID}
}

// CreateUpload checks the caller's rights, the size and the new dataset's
// metadata, creates the stage and the record, and writes the first piece.
func (s *Service) CreateUpload(ctx context.Context, p kernel.Principal, in datasetport.ResumableInput, first *datasetport.Piece) (datasetport.UploadState, error) {
	if err := s.resumable(); err != nil {
		return datasetport.UploadState{}, err
	}
	switch {
	case in.Size <= 0:
		return datasetport.UploadState{}, dataset.ErrEmptyFile
	case in.Size > s.set.MaxUploadBytes:
		return datasetport.UploadState{}, s.tooLarge()
	}
	t := datasetport.UploadTarget{DatasetID: in.Target.DatasetID}
	if t.DatasetID == "" {
		t.CommunityID = in.New.CommunityID
		if err := checkNew(in.New); err != nil {
			return datasetport.UploadState{}, err
		}
	}
	if err := s.checkTarget(ctx, p, t); err != nil {
		return datasetport.UploadState{}, err
	}
	key, err := s.deps.Staging.CreateStage(ctx)
	if err != nil {
		return datasetport.UploadState{}, err
	}
	fresh, err := hashState(sha256.New())
	if err != nil {
		return datasetport.UploadState{}, err
	}
	now := s.now()
	u := &dataset.Upload{
		ID: kernel.NewID(now), OwnerID: p.UserID, DatasetID: t.DatasetID,
		Filename: dataset.CleanFilename(in.Filename), DeclaredType: in.DeclaredType, Metadata: in.Metadata,
		Size: in.Size, StageKey: key, Hash: fresh, CreatedAt: now, ExpiresAt: now.Add(s.set.UploadExpiry),
	}
	if t.DatasetID == "" {
		u.New = in.New.Clone()
	}
	if err := s.deps.Uploads.Create(ctx, u); err != nil {
		s.abortStage(ctx, key)
		return datasetport.UploadState{}, err
	}
	if first == nil {
		return datasetport.UploadState{Upload: u}, nil
	}
	return s.WriteUpload(ctx, p, u.ID, *first)
}

// ownUpload returns the caller's upload; anyone else's is not found.
func (s *Service) ownUpload(ctx context.Context, p kernel.Principal, id string) (*dataset.Upload, error) {
	u, err := s.deps.Uploads.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.OwnerID != p.UserID {
		return nil, dataset.ErrUploadNotFound
	}
	return u, nil
}

// lock takes the upload's lease for holder, asking whoever holds it to let
// go and waiting for that up to lockWait.
func (s *Service) lock(ctx context.Context, id, holder string) (*dataset.Upload, error) {
	deadline := time.Now().Add(lockWait)
	for {
		took := false
		u, err := s.deps.Uploads.Update(ctx, id, func(u *dataset.Upload) error {
			took = u.Take(holder, s.deps.Clock.Now(), uploadLease)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if took {
			return u, nil
		}
		if time.Now().After(deadline) {
			return nil, dataset.ErrUploadLocked
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// unlock gives the lease back (even when ctx is cancelled).
func (s *Service) unlock(ctx context.Context, id, holder string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	_, err := s.deps.Uploads.Update(ctx, id, func(u *dataset.Upload) error { u.Release(holder); return nil })
	if err != nil && !errors.Is(err, dataset.ErrUploadNotFound) {
		s.report(ctx, "release an upload", err)
	}
}

// UploadStatus returns the caller's upload. A request still writing it is
// asked to let go first, so that the offset is where the bytes end; a whole
// upload whose dataset a failure kept from being made is finished now.
func (s *Service) UploadStatus(ctx context.Context, p kernel.Principal, id string) (datasetport.UploadState, error) {
	meta := kernel.RequestMetaFrom(ctx)
	if err := s.resumable(); err != nil {
		return datasetport.UploadState{}, err
	}
	u, err := s.ownUpload(ctx, p, id)
	if err != nil {
		return datasetport.UploadState{}, err
	}
	if u.Result != nil {
		return datasetport.UploadState{Upload: u}, nil
	}
	if u.Expired(s.deps.Clock.Now()) {
		return datasetport.UploadState{}, dataset.ErrUploadExpired
	}
	holder := newHolder()
	locked, err := s.lock(ctx, id, holder)
	if errors.Is(err, dataset.ErrUploadLocked) {
		return datasetport.UploadState{Upload: u}, nil // as recorded: a write there is refused, not wrong
	}
	if err != nil {
		return datasetport.UploadState{}, err
	}
	if locked.Whole() && locked.Result == nil {
		return s.finish(ctx, p, locked, holder, meta)
	}
	s.unlock(ctx, id, holder)
	locked.Release(holder)
	return datasetport.UploadState{Upload: locked}, nil
}

// WriteUpload appends a piece at the upload's offset and, with the last
// byte, makes the dataset or version.
func (s *Service) WriteUpload(ctx context.Context, p kernel.Principal, id string, piece datasetport.Piece) (datasetport.UploadState, error) {
	meta := kernel.RequestMetaFrom(ctx)
	if err := s.resumable(); err != nil {
		return datasetport.UploadState{}, err
	}
	u, err := s.ownUpload(ctx, p, id)
	if err != nil {
		return datasetport.UploadState{}, err
	}
	if u.Result != nil {
		// A client whose last answer was lost sends the end again.
		if piece.Offset == u.Size {
			return datasetport.UploadState{Upload: u}, nil
		}
		return datasetport.UploadState{}, dataset.ErrUploadOffset
	}
	if u.Expired(s.deps.Clock.Now()) {
		return datasetport.UploadState{}, dataset.ErrUploadExpired
	}
	holder := newHolder()
	if u, err = s.lock(ctx, id, holder); err != nil {
		return datasetport.UploadState{}, err
	}
	switch {
	case piece.Offset != u.Offset:
		s.unlock(ctx, id, holder)
		return datasetport.UploadState{}, dataset.ErrUploadOffset
	case piece.Length > u.Size-u.Offset:
		s.unlock(ctx, id, holder)
		return datasetport.UploadState{}, dataset.ErrUploadTooLong
	}
	if !u.Whole() {
		n, next, werr := s.stream(ctx, u, holder, piece)
		if n > 0 || werr == nil {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
			recorded, err := s.deps.Uploads.Update(rctx, id, func(x *dataset.Upload) error {
				return x.Advance(holder, u.Offset, n, next.hash, next.head)
			})
			cancel()
			if err != nil {
				s.unlock(ctx, id, holder)
				return datasetport.UploadState{}, errors.Join(err, werr)
			}
			u = recorded
		}
		if werr != nil && !errors.Is(werr, errStopped) {
			s.unlock(ctx, id, holder)
			return datasetport.UploadState{Upload: u}, werr
		}
	}
	if u.Whole() {
		return s.finish(ctx, p, u, holder, meta)
	}
	s.unlock(ctx, id, holder)
	u.Release(holder)
	return datasetport.UploadState{Upload: u}, nil
}

// progress is what a piece leaves: the hash state and the head.
type progress struct {
	hash []byte
	head []byte
}

// stream stages a piece and returns how many of its bytes count, with the
// hash state and head they make. Bytes count only when every byte the stage
// read of the piece was staged, and, when the piece has a checksum, the
// whole piece arrived and matches it: otherwise the bytes staged past the
// offset are dropped by the next write.
func (s *Service) stream(ctx context.Context, u *dataset.Upload, holder string, piece datasetport.Piece) (int64, progress, error) {
	h := sha256.New()
	if err := restoreHash(h, u.Hash); err != nil {
		return 0, progress{}, err
	}
	r := &pieceReader{src: piece.Body, hash: h, head: bytes.Clone(u.Head)}
	if piece.Checksum != nil {
		r.check = piece.Checksum.Hash
	}
	stop := s.renew(ctx, u.ID, holder, &r.stopped)
	staged, err := s.deps.Staging.WriteStage(ctx, u.StageKey, u.Offset, r, u.Size-u.Offset)
	stop()
	switch {
	case errors.Is(err, platformport.ErrBlobTooLarge):
		return 0, progress{}, dataset.ErrUploadTooLong
	case staged != r.n:
		return 0, progress{}, errors.Join(fmt.Errorf("datasetapp: the stage kept %d of %d bytes", staged, r.n), err)
	case piece.Checksum != nil && err != nil:
		return 0, progress{}, err // a piece with a checksum counts whole or not at all
	case piece.Checksum != nil && !bytes.Equal(piece.Checksum.Hash.Sum(nil), piece.Checksum.Sum):
		return 0, progress{}, dataset.ErrChecksumMismatch
	}
	state, herr := hashState(h)
	if herr != nil {
		return 0, progress{}, herr
	}
	return staged, progress{hash: state, head: r.head}, err
}

// renew renews holder's lease every renewEvery while a piece streams, and
// sets *stopped when the holder should stop (a release asked for, the
// upload expired, the lease lost). The function it returns ends the
// renewals and waits for them.
func (s *Service) renew(ctx context.Context, id, holder string, stopped *stopFlag) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(renewEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renewEvery)
			stop := false
			_, err := s.deps.Uploads.Update(rctx, id, func(u *dataset.Upload) error {
				var err error
				stop, err = u.Renew(holder, s.deps.Clock.Now(), uploadLease)
				return err
			})
			cancel()
			if stop || errors.Is(err, dataset.ErrUploadLocked) || errors.Is(err, dataset.ErrUploadNotFound) {
				stopped.set()
				return
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// stopFlag tells a piece's reader to stop; safe for concurrent use.
type stopFlag struct {
	mu sync.Mutex
	on bool
}

func (f *stopFlag) set() {
	f.mu.Lock()
	f.on = true
	f.mu.Unlock()
}

func (f *stopFlag) isSet() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.on
}

// pieceReader reads a piece for the stage, hashing what it hands over,
// keeping the file's head and counting, and stops when told to.
type pieceReader struct {
	src     io.Reader
	hash    hash.Hash
	check   hash.Hash // nil without a checksum
	head    []byte
	n       int64
	stopped stopFlag
}

func (r *pieceReader) Read(p []byte) (int, error) {
	if r.stopped.isSet() {
		return 0, errStopped
	}
	n, err := r.src.Read(p)
	if n > 0 {
		r.hash.Write(p[:n]) // a hash never fails
		if r.check != nil {
			r.check.Write(p[:n])
		}
		if room := dataset.HeadSize - len(r.head); room > 0 {
			r.head = append(r.head, p[:min(n, room)]...)
		}
		r.n += int64(n)
	}
	return n, err
}

// hashState is the state of h, to go on from on another replica.
func hashState(h hash.Hash) ([]byte, error) {
	m, ok := h.(encoding.BinaryMarshaler)
	if !ok {
		return nil, errors.New("datasetapp: the hash keeps no state")
	}
	return m.MarshalBinary()
}

// restoreHash sets h to a state hashState made ("" leaves it fresh).
func restoreHash(h hash.Hash, state []byte) error {
	if len(state) == 0 {
		return nil
	}
	u, ok := h.(encoding.BinaryUnmarshaler)
	if !ok {
		return errors.New("datasetapp: the hash keeps no state")
	}
	if err := u.UnmarshalBinary(state); err != nil {
		return fmt.Errorf("datasetapp: the upload's hash state: %w", err)
	}
	return nil
}

// finish commits a whole upload's stage into a blob and makes the dataset
// or version of it, as a single-request upload's Commit does; holder holds
// the upload. When the dataset can no longer be made (the caller lost the
// right meanwhile, the dataset went), the upload ends and its bytes go.
func (s *Service) finish(ctx context.Context, p kernel.Principal, u *dataset.Upload, holder string, meta kernel.RequestMeta) (datasetport.UploadState, error) {
	h := sha256.New()
	if err := restoreHash(h, u.Hash); err != nil {
		s.unlock(ctx, u.ID, holder)
		return datasetport.UploadState{}, err
	}
	key, err := s.deps.Staging.CommitStage(ctx, u.StageKey, u.Size)
	if err != nil {
		s.unlock(ctx, u.ID, holder)
		return datasetport.UploadState{}, err
	}
	f := dataset.File{
		Filename: u.Filename, ContentType: s.deps.ContentTypes.Detect(u.Head, u.Filename, u.DeclaredType),
		Size: u.Size, SHA256: hex.EncodeToString(h.Sum(nil)), BlobKey: key,
	}
	d, err := s.attach(ctx, p, target(u), u.New, f, meta)
	if err != nil {
		s.discard(ctx, key)
		s.deleteUpload(ctx, u.ID)
		return datasetport.UploadState{}, err
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	done, err := s.deps.Uploads.Update(rctx, u.ID, func(x *dataset.Upload) error {
		x.Release(holder)
		return x.Finish(dataset.UploadResult{DatasetID: d.ID(), Version: d.Version()})
	})
	if err != nil {
		// The dataset is made: the record only repeats it to a client whose
		// answer is lost.
		s.report(ctx, "record a finished upload", err)
		done = u.Clone()
		done.Release(holder)
		done.Result = &dataset.UploadResult{DatasetID: d.ID(), Version: d.Version()}
	}
	return datasetport.UploadState{Upload: done, Dataset: d}, nil
}

// AbortUpload ends the caller's upload: an unfinished one's bytes go; a
// finished one leaves its dataset as it is.
func (s *Service) AbortUpload(ctx context.Context, p kernel.Principal, id string) error {
	if err := s.resumable(); err != nil {
		return err
	}
	u, err := s.ownUpload(ctx, p, id)
	if err != nil {
		return err
	}
	if u.Result == nil {
		holder := newHolder()
		if _, err := s.lock(ctx, id, holder); err != nil {
			return err
		}
		if err := s.deps.Staging.AbortStage(ctx, u.StageKey); err != nil {
			s.unlock(ctx, id, holder)
			return err
		}
	}
	return s.deps.Uploads.Delete(ctx, id)
}

func (s *Service) abortStage(ctx context.Context, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	s.report(ctx, "abort an upload's stage", s.deps.Staging.AbortStage(ctx, key))
}

func (s *Service) deleteUpload(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := s.deps.Uploads.Delete(ctx, id); err != nil && !errors.Is(err, dataset.ErrUploadNotFound) {
		s.report(ctx, "delete an upload", err)
	}
}
