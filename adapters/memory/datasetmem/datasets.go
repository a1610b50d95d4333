// Package datasetmem implements the dataset repositories in memory.
package datasetmem

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// DatasetRepository keeps datasets in a map.
type DatasetRepository struct {
	mu   sync.Mutex
	byID map[string]*dataset.Dataset
}

var _ datasetport.DatasetRepository = (*DatasetRepository)(nil)

// NewDatasetRepository returns an empty repository.
func NewDatasetRepository() *DatasetRepository {
	return &DatasetRepository{byID: map[string]*dataset.Dataset{}}
}

// Create stores a dataset.
func (r *DatasetRepository) Create(_ context.Context, d *dataset.Dataset) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	d.BumpRevision()
	r.byID[d.ID()] = d.Clone()
	return nil
}

// Get returns a dataset.
func (r *DatasetRepository) Get(_ context.Context, id string) (*dataset.Dataset, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.byID[id]
	if !ok {
		return nil, dataset.ErrNotFound
	}
	return d.Clone(), nil
}

func visible(f datasetport.Filter, d *dataset.Dataset) bool {
	if f.Scope.All {
		return true
	}
	return d.Visibility() == dataset.Public || d.Visibility() == dataset.Restricted || d.OwnerID() == f.Scope.ViewerID ||
		(d.Visibility() == dataset.Community && slices.Contains(f.Scope.Communities, d.CommunityID()))
}

func matches(f datasetport.Filter, d *dataset.Dataset) bool {
	q := strings.ToLower(f.Query)
	return visible(f, d) &&
		(f.CommunityID == "" || d.CommunityID() == f.CommunityID) &&
		(f.OwnerID == "" || d.OwnerID() == f.OwnerID) &&
		(f.Tag == "" || d.HasTag(f.Tag)) &&
		(f.Visibility == "" || d.Visibility() == f.Visibility) &&
		(q == "" || strings.Contains(strings.ToLower(d.Title()), q) || strings.Contains(strings.ToLower(d.Description()), q))
}

// List returns a page, newest first.
func (r *DatasetRepository) List(_ context.Context, f datasetport.Filter, skip, limit int) ([]*dataset.Dataset, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var all []*dataset.Dataset
	for _, d := range r.byID {
		if matches(f, d) {
			all = append(all, d.Clone())
		}
	}
	// Newest first: by creation time, then id (ids order by the second only).
	sort.Slice(all, func(i, j int) bool {
		if !all[i].CreatedAt().Equal(all[j].CreatedAt()) {
			return all[i].CreatedAt().After(all[j].CreatedAt())
		}
		return all[i].ID() > all[j].ID()
	})
	total := int64(len(all))
	skip = min(max(skip, 0), len(all))
	all = all[skip:]
	if limit >= 0 && limit < len(all) {
		all = all[:limit]
	}
	return all, total, nil
}

// Update applies fn atomically.
func (r *DatasetRepository) Update(_ context.Context, id string, fn func(*dataset.Dataset) error) (*dataset.Dataset, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[id]
	if !ok {
		return nil, dataset.ErrNotFound
	}
	next := cur.Clone()
	if err := fn(next); err != nil {
		return nil, err
	}
	next.BumpRevision()
	r.byID[id] = next
	return next.Clone(), nil
}

// Delete removes a dataset and returns it.
func (r *DatasetRepository) Delete(_ context.Context, id string) (*dataset.Dataset, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.byID[id]
	if !ok {
		return nil, dataset.ErrNotFound
	}
	delete(r.byID, id)
	return d, nil
}

// CountInCommunity counts a community's datasets.
func (r *DatasetRepository) CountInCommunity(_ context.Context, communityID string) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	for _, d := range r.byID {
		if d.CommunityID() == communityID {
			n++
		}
	}
	return n, nil
}
