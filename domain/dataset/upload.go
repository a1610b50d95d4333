package dataset

import (
	"slices"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// NewDataset is what a new dataset is created with besides its file: the
// optional fields of the create form, or the metadata of a resumable upload.
type NewDataset struct {
	Title       *string
	Description string
	CommunityID string
	Visibility  *Visibility
	Tags        []string
	License     string
}

// Clone returns a deep copy.
func (n NewDataset) Clone() NewDataset {
	c := n
	if n.Title != nil {
		t := *n.Title
		c.Title = &t
	}
	if n.Visibility != nil {
		v := *n.Visibility
		c.Visibility = &v
	}
	c.Tags = slices.Clone(n.Tags)
	return c
}

// HeadSize is how many of a file's first bytes decide its content type.
const HeadSize = 512

// An Upload is a file arriving in pieces (a resumable upload): who sends
// it, what it becomes once whole (a new dataset, or the next version of
// DatasetID) and how far it got. Its bytes live in a stage of the blob
// store; the upload counts only what it recorded with Advance, so a piece
// cut off, or one whose checksum failed, is written again from Offset.
//
// Requests on one upload can reach any replica at any time (a client that
// lost its connection retries at once, while the old request still reads):
// a request writes only while it holds the upload's lock, a lease it renews,
// which a newer request asks it to give up.
type Upload struct {
	ID      string
	OwnerID string
	// DatasetID is the dataset the file becomes the next version of; ""
	// for a new dataset, made with New.
	DatasetID string
	New       NewDataset
	// Filename is the cleaned client file name; DeclaredType the type the
	// client declared (both metadata only).
	Filename     string
	DeclaredType string
	// Metadata is the client's description of the upload as it sent it
	// (tus's Upload-Metadata), given back on every status request.
	Metadata string
	Size     int64
	// Offset is how many bytes are recorded: the upload goes on from there.
	Offset int64
	// StageKey names the stage of the blob store that holds the bytes.
	StageKey string
	// Hash is the state of the SHA-256 of the first Offset bytes, so that the
	// next piece, on any replica, hashes on from it.
	Hash []byte
	// Head is the file's first bytes, at most HeadSize of them.
	Head      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
	Lock      UploadLock
	// Result, once set, is what the upload became: it is kept until the
	// upload expires, so that a client whose last answer was lost learns it.
	Result *UploadResult
	// Revision increases on every change (optimistic concurrency).
	Revision int64
}

// UploadLock is the lease of the request writing an upload.
type UploadLock struct {
	Holder string // "" when free
	Until  time.Time
	// ReleaseAsked says that another request waits for the lock: the holder
	// stops at its next renewal and records what it has.
	ReleaseAsked bool
}

// UploadResult is the dataset and the version an upload became.
type UploadResult struct {
	DatasetID string
	Version   int
}

// Clone returns a deep copy.
func (u *Upload) Clone() *Upload {
	c := *u
	c.New = u.New.Clone()
	c.Hash, c.Head = slices.Clone(u.Hash), slices.Clone(u.Head)
	if u.Result != nil {
		r := *u.Result
		c.Result = &r
	}
	return &c
}

// Expired reports whether the upload may no longer go on at now.
func (u *Upload) Expired(now time.Time) bool { return !now.Before(u.ExpiresAt) }

// Whole reports whether every byte is recorded.
func (u *Upload) Whole() bool { return u.Offset == u.Size }

// Take gives holder the lock for lease when it is free, its lease is over or
// holder has it already, and reports whether it did. When another request
// holds it, Take asks that one to release it instead, and reports false.
func (u *Upload) Take(holder string, now time.Time, lease time.Duration) bool {
	if u.Lock.Holder != "" && u.Lock.Holder != holder && now.Before(u.Lock.Until) {
		u.Lock.ReleaseAsked = true
		return false
	}
	u.Lock = UploadLock{Holder: holder, Until: now.Add(lease)}
	return true
}

// Renew extends holder's lease and reports whether holder should stop: a
// release was asked for, or the upload expired. A lock holder lost (its
// lease ran out and another took it) is ErrUploadLocked.
func (u *Upload) Renew(holder string, now time.Time, lease time.Duration) (stop bool, err error) {
	if u.Lock.Holder != holder {
		return true, ErrUploadLocked
	}
	u.Lock.Until = now.Add(lease)
	return u.Lock.ReleaseAsked || u.Expired(now), nil
}

// Release frees the lock if holder has it.
func (u *Upload) Release(holder string) {
	if u.Lock.Holder == holder {
		u.Lock = UploadLock{}
	}
}

// Advance records n more bytes written from offset from by holder, with the
// hash state and the head they make. Only the lock's holder advances, from
// the recorded offset, and never past the size.
func (u *Upload) Advance(holder string, from, n int64, hash, head []byte) error {
	switch {
	case u.Lock.Holder != holder:
		return ErrUploadLocked
	case from != u.Offset:
		return ErrUploadOffset
	case n < 0 || n > u.Size-u.Offset:
		return ErrUploadTooLong
	}
	u.Offset += n
	u.Hash, u.Head = slices.Clone(hash), slices.Clone(head)
	return nil
}

// Finish records what a whole upload became.
func (u *Upload) Finish(r UploadResult) error {
	if !u.Whole() {
		return ErrUploadOffset
	}
	u.Result = &r
	return nil
}

// Errors of resumable uploads.
var (
	// ErrUploadNotFound is an upload that does not exist, is someone else's,
	// was ended or is gone after its expiry.
	ErrUploadNotFound = kernel.NewError(kernel.KindNotFound, "upload_not_found", "Upload not found")
	// ErrUploadExpired is an unfinished upload past its expiry, whose bytes
	// are being deleted: start again.
	ErrUploadExpired = kernel.NewError(kernel.KindNotFound, "upload_expired", "The upload expired: start a new one")
	// ErrUploadOffset is a piece sent at another offset than the upload's.
	ErrUploadOffset = kernel.NewError(kernel.KindConflict, "upload_offset_mismatch", "Upload-Offset is not the upload's offset: ask for it (HEAD) and go on from there")
	// ErrUploadLocked is an upload another request is writing.
	ErrUploadLocked = kernel.NewError(kernel.KindLocked, "upload_locked", "Another request is writing this upload; try again shortly")
	// ErrUploadTooLong is a piece that goes past the upload's length.
	ErrUploadTooLong = kernel.NewError(kernel.KindTooLarge, "upload_length_exceeded", "The piece goes past the upload's Upload-Length")
	// ErrChecksumMismatch is a piece whose bytes are not what its checksum
	// says: nothing of it is kept.
	ErrChecksumMismatch = kernel.NewError(kernel.KindInvalid, "checksum_mismatch", "The piece does not match its Upload-Checksum: send it again")
)
