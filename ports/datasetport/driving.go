package datasetport

import (
	"context"
	"io"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// UploadedFile is a file stored by PutFile and not yet attached to a dataset.
type UploadedFile struct {
	File dataset.File
}

// CreateInput is the metadata of a new dataset (the optional form fields).
type CreateInput struct {
	Title       *string
	Description string
	CommunityID string
	Visibility  *dataset.Visibility
	Tags        []string
	License     string
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
	// PutFile streams a file to the blob store (size limit, SHA-256); the file is
	// not visible to anyone until Create or AddVersion attaches it, and
	// DiscardFile removes it when the request fails before that.
	PutFile(ctx context.Context, r io.Reader, filename, contentType string) (UploadedFile, error)
	DiscardFile(ctx context.Context, f UploadedFile)
	// CheckUpload refuses an upload before its bytes are read: for a new version
	// of datasetID the caller must be allowed to change it; for a new dataset in
	// communityID the caller must belong to the community. Empty ids are skipped.
	CheckUpload(ctx context.Context, p kernel.Principal, datasetID, communityID string) error
	// Create attaches an uploaded file to a new dataset; on failure the file is discarded.
	Create(ctx context.Context, p kernel.Principal, in CreateInput, f UploadedFile, meta kernel.RequestMeta) (*dataset.Dataset, error)
	// AddVersion attaches an uploaded file as the next version; on failure the file is discarded.
	AddVersion(ctx context.Context, p kernel.Principal, id string, f UploadedFile, meta kernel.RequestMeta) (*dataset.Dataset, error)
	List(ctx context.Context, p kernel.Principal, f Filter, page, limit int) ([]*dataset.Dataset, int64, error)
	Get(ctx context.Context, p kernel.Principal, id string, meta kernel.RequestMeta) (*dataset.Dataset, error)
	Update(ctx context.Context, p kernel.Principal, id string, in UpdateInput, meta kernel.RequestMeta) (*dataset.Dataset, error)
	Delete(ctx context.Context, p kernel.Principal, id string, meta kernel.RequestMeta) error
	// Open prepares a download of version (0: current) for bytes [offset, offset+length)
	// (length < 0: to the end). With open=false only the metadata is resolved (304s).
	Open(ctx context.Context, p kernel.Principal, id string, version int, offset, length int64, open bool, meta kernel.RequestMeta) (Download, error)
	Versions(ctx context.Context, p kernel.Principal, id string) (*dataset.Dataset, error)
	// Rights returns a dataset with what p may do with it, an active grant
	// included, and records nothing (for the governance context); a dataset p
	// may not view is dataset.ErrNotFound.
	Rights(ctx context.Context, p kernel.Principal, id string) (*dataset.Dataset, dataset.Rights, error)
	AccessLog(ctx context.Context, p kernel.Principal, id string, page, limit int) ([]AccessEntry, int64, error)
}
