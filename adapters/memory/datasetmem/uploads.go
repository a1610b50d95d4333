package datasetmem

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// UploadRepository keeps resumable uploads in a map.
type UploadRepository struct {
	mu   sync.Mutex
	byID map[string]*dataset.Upload
}

var _ datasetport.UploadRepository = (*UploadRepository)(nil)

// NewUploadRepository returns an empty repository.
func NewUploadRepository() *UploadRepository {
	return &UploadRepository{byID: map[string]*dataset.Upload{}}
}

// Create stores an upload.
func (r *UploadRepository) Create(_ context.Context, u *dataset.Upload) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, taken := r.byID[u.ID]; taken {
		return kernel.ErrConflict
	}
	u.Revision = 1
	r.byID[u.ID] = u.Clone()
	return nil
}

// Get returns an upload.
func (r *UploadRepository) Get(_ context.Context, id string) (*dataset.Upload, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	u, ok := r.byID[id]
	if !ok {
		return nil, dataset.ErrUploadNotFound
	}
	return u.Clone(), nil
}

// Update applies fn under the lock.
func (r *UploadRepository) Update(_ context.Context, id string, fn func(*dataset.Upload) error) (*dataset.Upload, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[id]
	if !ok {
		return nil, dataset.ErrUploadNotFound
	}
	next := cur.Clone()
	if err := fn(next); err != nil {
		return nil, err
	}
	next.ID, next.Revision = id, cur.Revision+1
	r.byID[id] = next
	return next.Clone(), nil
}

// Delete removes an upload.
func (r *UploadRepository) Delete(_ context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID[id]; !ok {
		return dataset.ErrUploadNotFound
	}
	delete(r.byID, id)
	return nil
}

// Expired returns the uploads expired at now, the soonest first.
func (r *UploadRepository) Expired(_ context.Context, now time.Time, limit int) ([]*dataset.Upload, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := []*dataset.Upload{}
	for _, u := range r.byID {
		if !u.ExpiresAt.After(now) {
			out = append(out, u.Clone())
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].ExpiresAt.Equal(out[j].ExpiresAt) {
			return out[i].ExpiresAt.Before(out[j].ExpiresAt)
		}
		return out[i].ID < out[j].ID
	})
	return out[:min(len(out), max(limit, 0))], nil
}
