package platformport

import (
	"context"
	"io"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// BlobInfo describes a stored blob.
type BlobInfo struct {
	Key    string // chosen by the store; never derived from a client's file name
	Size   int64
	SHA256 string // lower-case hex
}

// BlobStore keeps file contents (dataset versions, community logos). Every
// adapter passes the contract suite in platformporttest.
type BlobStore interface {
	// Put streams r into a new blob while computing its size and SHA-256. When
	// maxBytes > 0 and r yields more, Put stops as soon as the limit is crossed and
	// fails with ErrBlobTooLarge. On any failure (including ctx cancelled and r
	// failing) nothing is left behind: no partial blob is ever visible under a key.
	Put(ctx context.Context, r io.Reader, maxBytes int64) (BlobInfo, error)
	// Open reads length bytes from offset (length < 0: to the end). An unknown key
	// is ErrBlobNotFound.
	Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	// Delete removes a blob; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// Blob store errors.
var (
	ErrBlobTooLarge = kernel.NewError(kernel.KindTooLarge, "file_too_large", "File too large")
	ErrBlobNotFound = kernel.NewError(kernel.KindNotFound, "blob_not_found", "File not found")
)
