package datasetport

import (
	"context"
	"hash"
	"io"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// CreateInput is the metadata of a new dataset (the optional form fields).
type CreateInput = dataset.NewDataset

// UploadTarget is what an upload becomes: the next version of DatasetID, or
// (DatasetID "") a new dataset in CommunityID ("" for none).
type UploadTarget struct {
	DatasetID   string
	CommunityID string
}

// FileUpload is one file on its way into a dataset within one request (a
// multipart form): BeginUpload checked the caller's rights, Store streams
// the bytes to the blob store, Commit attaches them, and Abort drops them.
// The upload cleans up after itself: a failed Store or Commit has dropped
// what it stored, and Abort after Commit does nothing, so that a handler may
// defer Abort.
type FileUpload interface {
	// Store streams the file to the blob store, computing its size and
	// SHA-256 and refusing it as soon as it passes the size limit; an empty
	// file is dataset.ErrEmptyFile.
	Store(ctx context.Context, r io.Reader, filename, declaredType string) error
	// Commit creates the dataset (with in), or its next version (in is then
	// unused), exactly as the service's rules say, checking the rights
	// again.
	Commit(ctx context.Context, in CreateInput) (*dataset.Dataset, error)
	// Abort drops what Store stored, even when ctx is cancelled.
	Abort(ctx context.Context)
}

// ResumableInput is a resumable upload at its creation.
type ResumableInput struct {
	Target UploadTarget
	// New is the new dataset's metadata (Target.DatasetID "").
	New          CreateInput
	Filename     string
	DeclaredType string
	// Metadata is the client's description as sent, given back on status.
	Metadata string
	Size     int64
}

// Piece is the bytes one request brings to a resumable upload.
type Piece struct {
	// Offset is where the client says the piece starts.
	Offset int64
	// Length is the piece's length when the request declares it (-1: it
	// does not): a piece that would go past the upload is refused unread.
	Length int64
	Body   io.Reader
	// Checksum, when set, is what the piece must hash to: a piece that does
	// not is dataset.ErrChecksumMismatch, and nothing of it counts.
	Checksum *Checksum
}

// Checksum is a hash of a piece and the sum the client sent.
type Checksum struct {
	Hash hash.Hash
	Sum  []byte
}

// UploadState is a resumable upload and, once whole, the dataset it became
// (with Upload.Result saying which version).
type UploadState struct {
	Upload  *dataset.Upload
	Dataset *dataset.Dataset
}

// DownloadLink is a signed link to one version of a dataset's file.
type DownloadLink struct {
	Token     string
	ExpiresAt time.Time
}

// UpdateInput is a partial metadata update; nil fields stay unchanged.
type UpdateInput struct {
	Title       *string
	Description *string
	Visibility  *dataset.Visibility
	Tags        *[]string
	License     *string
}

// Download is an open version of a dataset's file.
type Download struct {
	Dataset *dataset.Dataset
	Version dataset.Version
	Body    io.ReadCloser // nil when only metadata was asked for
	Offset  int64
	Length  int64
}

// Service is the dataset use cases.
type Service interface {
	// BeginUpload starts a file upload within one request after checking
	// that the caller may make what it becomes: change the dataset for a
	// new version, belong to the community for a new dataset.
	BeginUpload(ctx context.Context, p kernel.Principal, t UploadTarget) (FileUpload, error)
	// CreateUpload starts a resumable upload, checking the caller's rights,
	// the size and the new dataset's metadata first, and writes first (when
	// set) as its first piece.
	CreateUpload(ctx context.Context, p kernel.Principal, in ResumableInput, first *Piece) (UploadState, error)
	// UploadStatus returns the caller's upload (another's is not found),
	// with the offset where its bytes end.
	UploadStatus(ctx context.Context, p kernel.Principal, id string) (UploadState, error)
	// WriteUpload appends a piece at the upload's offset; with the last byte
	// the dataset or version is created (as Commit would) and returned.
	WriteUpload(ctx context.Context, p kernel.Principal, id string, piece Piece) (UploadState, error)
	// AbortUpload ends an unfinished upload and deletes its bytes.
	AbortUpload(ctx context.Context, p kernel.Principal, id string) error
	// CreateDownloadLink signs a link to version (0: the current one) of a
	// dataset the caller may download.
	CreateDownloadLink(ctx context.Context, p kernel.Principal, id string, version int) (DownloadLink, error)
	// OpenLink is Open for the user a download link was made for, after
	// checking the link and that the user may still download the file (a
	// refusal is a dataset.ErrLink… error); it returns who that user is.
	OpenLink(ctx context.Context, token string, offset, length int64, open bool) (Download, kernel.Principal, error)
	List(ctx context.Context, p kernel.Principal, f Filter, page, limit int) ([]*dataset.Dataset, int64, error)
	Get(ctx context.Context, p kernel.Principal, id string) (*dataset.Dataset, error)
	Update(ctx context.Context, p kernel.Principal, id string, in UpdateInput) (*dataset.Dataset, error)
	Delete(ctx context.Context, p kernel.Principal, id string) error
	// Open prepares a download of version (0: current) for bytes [offset, offset+length)
	// (length < 0: to the end). With open=false only the metadata is resolved (304s).
	Open(ctx context.Context, p kernel.Principal, id string, version int, offset, length int64, open bool) (Download, error)
	Versions(ctx context.Context, p kernel.Principal, id string) (*dataset.Dataset, error)
	// Rights returns a dataset with what p may do with it, an active grant
	// included, and records nothing (for the governance context); a dataset p
	// may not view is dataset.ErrNotFound.
	Rights(ctx context.Context, p kernel.Principal, id string) (*dataset.Dataset, dataset.Rights, error)
	AccessLog(ctx context.Context, p kernel.Principal, id string, page, limit int) ([]AccessEntry, int64, error)
}
