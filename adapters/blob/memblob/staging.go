package memblob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

var _ platformport.StagingStore = (*Store)(nil)

// stage is a blob arriving in pieces.
type stage struct {
	data    []byte
	created time.Time
}

// CreateStage starts an empty stage.
func (s *Store) CreateStage(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	key := blobio.NewKey()
	s.mu.Lock()
	s.stages[key] = &stage{created: time.Now()}
	s.mu.Unlock()
	return key, nil
}

// WriteStage reads r into memory, then replaces the stage's bytes past
// offset with what it read.
func (s *Store) WriteStage(ctx context.Context, key string, offset int64, r io.Reader, maxBytes int64) (int64, error) {
	if offset < 0 {
		return 0, fmt.Errorf("memblob: negative offset %d", offset)
	}
	s.mu.RLock()
	st, ok := s.stages[key]
	var held int64
	if ok {
		held = int64(len(st.data))
	}
	s.mu.RUnlock()
	if !ok {
		return 0, platformport.ErrBlobNotFound
	}
	if offset > held {
		return 0, platformport.ErrStageOffset
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	_, err := io.Copy(&buf, blobio.NewReader(ctx, r, maxBytes))
	got := buf.Bytes()
	if maxBytes > 0 && int64(len(got)) > maxBytes {
		got = got[:maxBytes]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok = s.stages[key]; !ok {
		return 0, errors.Join(platformport.ErrBlobNotFound, err)
	}
	if offset > int64(len(st.data)) {
		return 0, platformport.ErrStageOffset
	}
	st.data = append(st.data[:offset:offset], got...)
	return int64(len(got)), err
}

// CommitStage moves a stage to the blobs.
func (s *Store) CommitStage(ctx context.Context, key string, size int64) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.stages[key]
	if !ok {
		if _, done := s.blobs[key]; done {
			return key, nil
		}
		return "", platformport.ErrBlobNotFound
	}
	if int64(len(st.data)) != size {
		return "", platformport.ErrStageIncomplete
	}
	s.blobs[key] = st.data
	delete(s.stages, key)
	return key, nil
}

// AbortStage deletes a stage.
func (s *Store) AbortStage(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.stages, key)
	s.mu.Unlock()
	return nil
}

// SweepStages deletes the stages created before before.
func (s *Store) SweepStages(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, st := range s.stages {
		if st.created.Before(before) {
			delete(s.stages, k)
			n++
		}
	}
	return n, nil
}
