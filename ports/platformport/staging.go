package platformport

import (
	"context"
	"io"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// StagingStore keeps blobs that arrive in pieces (resumable uploads) until
// they are whole. A stage lives in the same store as the finished blobs, so
// that any replica can take the next piece, and is invisible to
// BlobStore.Open until CommitStage makes it a blob. The methods carry "Stage"
// in their names because every adapter implements BlobStore on the same type.
// Every adapter passes the contract suite in platformporttest.
//
// The store keeps bytes, not progress: the caller records how far a stage
// got (the offset WriteStage reports) and writes on from there; whatever a
// stage holds past the offset written at is dropped.
type StagingStore interface {
	// CreateStage starts an empty stage and returns its key (server-chosen,
	// lower-case hex).
	CreateStage(ctx context.Context) (string, error)
	// WriteStage stages what r yields from offset on, dropping first what
	// the stage held past offset, and returns how many bytes of r it staged
	// durably (a later crash keeps them). It reads r to its end, or until r
	// fails, ctx ends or r yields more than maxBytes (> 0; ≤ 0: no limit),
	// which is ErrBlobTooLarge after maxBytes are staged. When r fails or ctx
	// ends, the bytes read before are staged all the same and counted: a
	// connection cut mid-upload keeps what arrived. Only when the store
	// itself fails may n count fewer bytes than were read; the caller must
	// not count the others.
	//
	// An offset past the bytes staged is ErrStageOffset; an unknown key (never
	// created, aborted, swept or committed) is ErrBlobNotFound.
	WriteStage(ctx context.Context, key string, offset int64, r io.Reader, maxBytes int64) (n int64, err error)
	// CommitStage makes a stage of size bytes a blob, readable with
	// BlobStore.Open under the key returned (the stage's key, for every
	// adapter), and ends the stage. A stage holding another number of bytes
	// is ErrStageIncomplete. Committing a stage committed already returns
	// its key again (a retry after a lost answer); an unknown key is
	// ErrBlobNotFound.
	CommitStage(ctx context.Context, key string, size int64) (string, error)
	// AbortStage deletes a stage and its bytes. An unknown key, or one
	// committed already (the blob stays: BlobStore.Delete removes it), is
	// not an error.
	AbortStage(ctx context.Context, key string) error
	// SweepStages aborts every stage created before before (an adapter may
	// go by the stage's last write instead, which is later) and reports how
	// many it aborted: what crashes and abandoned uploads left. Any number
	// of replicas may sweep at once.
	SweepStages(ctx context.Context, before time.Time) (int, error)
}

// Staging store errors. The caller keeps the offsets, so either one means
// that its records and the store disagree: a fault, never a client's.
var (
	ErrStageOffset     = kernel.NewError(kernel.KindInternal, "stage_offset", "Internal Server Error")
	ErrStageIncomplete = kernel.NewError(kernel.KindInternal, "stage_incomplete", "Internal Server Error")
)
