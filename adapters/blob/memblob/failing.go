package memblob

import (
	"context"
	"errors"
	"io"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// ErrInjected is the failure a FailingStore's uploads end with.
var ErrInjected = errors.New("memblob: injected blob write failure")

var _ platformport.BlobStore = (*FailingStore)(nil)

// FailingStore wraps a BlobStore so that every Put fails: the wrapped store
// receives the first failAfterBytes bytes of the upload (or the whole upload
// when it is shorter), then a read error wrapping ErrInjected instead of more
// data or the end. It proves that a failed blob write leaves no record and
// no blob behind. Open and Delete are passed through unchanged.
type FailingStore struct {
	inner platformport.BlobStore
	after int64
}

// Failing returns a FailingStore over inner whose uploads fail after
// failAfterBytes bytes (0: at the first read).
func Failing(inner platformport.BlobStore, failAfterBytes int64) *FailingStore {
	return &FailingStore{inner: inner, after: max(failAfterBytes, 0)}
}

// Put passes r to the inner store, failing after the configured number of
// bytes; the error wraps ErrInjected.
func (s *FailingStore) Put(ctx context.Context, r io.Reader, maxBytes int64) (platformport.BlobInfo, error) {
	return s.inner.Put(ctx, &failingReader{src: r, left: s.after}, maxBytes)
}

// Open passes through to the inner store.
func (s *FailingStore) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	return s.inner.Open(ctx, key, offset, length)
}

// Delete passes through to the inner store.
func (s *FailingStore) Delete(ctx context.Context, key string) error {
	return s.inner.Delete(ctx, key)
}

// failingReader yields at most left bytes of src, then ErrInjected.
type failingReader struct {
	src  io.Reader
	left int64
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, ErrInjected
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.src.Read(p)
	r.left -= int64(n)
	if errors.Is(err, io.EOF) {
		// The source ended first: fail where the end would have been.
		r.left = 0
		return n, nil
	}
	return n, err
}
