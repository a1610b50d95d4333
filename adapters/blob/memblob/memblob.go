// Package memblob keeps blobs in memory, for tests: it has the semantics of
// the durable stores (server-chosen keys, the size limit, nothing kept after
// a failed Put, stages of uploads in pieces), and Failing wraps any store so
// that its uploads fail.
//
// A blob is held whole in memory, so this store is no place for real uploads.
package memblob

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

var _ platformport.BlobStore = (*Store)(nil)

// Store is an in-memory BlobStore. Keys are 32 lower-case hex digits. It is
// safe for concurrent use; the zero value is not usable, call New.
type Store struct {
	mu     sync.RWMutex
	blobs  map[string][]byte // never modified once stored
	stages map[string]*stage // guarded by mu, as their bytes are
}

// New returns an empty store.
func New() *Store {
	return &Store{blobs: make(map[string][]byte), stages: make(map[string]*stage)}
}

// Put reads r into a new blob. The blob becomes visible only once r is read
// to its end without error and within maxBytes.
func (s *Store) Put(ctx context.Context, r io.Reader, maxBytes int64) (platformport.BlobInfo, error) {
	br := blobio.NewReader(ctx, r, maxBytes)
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, br); err != nil {
		return platformport.BlobInfo{}, err
	}
	if err := ctx.Err(); err != nil {
		return platformport.BlobInfo{}, err
	}
	key := blobio.NewKey()
	s.mu.Lock()
	s.blobs[key] = buf.Bytes()
	s.mu.Unlock()
	return br.Info(key), nil
}

// Open reads length bytes of the blob from offset (length < 0: to the end).
func (s *Store) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	b, ok := s.blobs[key]
	s.mu.RUnlock()
	if !ok {
		return nil, platformport.ErrBlobNotFound
	}
	start, n, err := blobio.Range(int64(len(b)), offset, length)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(b[start : start+n])), nil
}

// Delete removes the blob; a missing or malformed key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.blobs, key)
	s.mu.Unlock()
	return nil
}

// Len returns the number of stored blobs.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.blobs)
}

// Stages returns the number of stages (uploads in pieces not yet committed).
func (s *Store) Stages() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.stages)
}
