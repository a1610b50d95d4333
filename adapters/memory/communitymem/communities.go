// Package communitymem implements the community repositories in memory, for
// tests and for anyone swapping adapters.
package communitymem

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// CommunityRepository keeps communities in a map, with their names' keys.
type CommunityRepository struct {
	mu     sync.Mutex
	byID   map[string]*community.Community
	byName map[string]string // name key → id
}

var _ communityport.CommunityRepository = (*CommunityRepository)(nil)

// NewCommunityRepository returns an empty repository.
func NewCommunityRepository() *CommunityRepository {
	return &CommunityRepository{byID: map[string]*community.Community{}, byName: map[string]string{}}
}

// Create stores a new community; a taken name is community.ErrNameTaken.
func (r *CommunityRepository) Create(_ context.Context, c *community.Community) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := community.NameKey(c.Name())
	if _, ok := r.byName[key]; ok {
		return community.ErrNameTaken
	}
	if _, ok := r.byID[c.ID()]; ok {
		return kernel.ErrConflict
	}
	c.BumpRevision()
	r.byID[c.ID()] = c.Clone()
	r.byName[key] = c.ID()
	return nil
}

// Get returns a community by id.
func (r *CommunityRepository) Get(_ context.Context, id string) (*community.Community, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.byID[id]
	if !ok {
		return nil, community.ErrCommunityNotFound
	}
	return c.Clone(), nil
}

// GetMany returns the communities that exist among ids, in their order.
func (r *CommunityRepository) GetMany(_ context.Context, ids []string) ([]*community.Community, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*community.Community, 0, len(ids))
	for _, id := range ids {
		if c, ok := r.byID[id]; ok {
			out = append(out, c.Clone())
		}
	}
	return out, nil
}

// List returns a page of communities, oldest first.
func (r *CommunityRepository) List(_ context.Context, f communityport.ListFilter, skip, limit int) ([]*community.Community, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	needle := community.NameKey(f.NameContains)
	var match []*community.Community
	for _, c := range r.byID {
		if needle == "" || strings.Contains(community.NameKey(c.Name()), needle) {
			match = append(match, c)
		}
	}
	sort.Slice(match, func(i, j int) bool {
		return olderFirst(match[i].CreatedAt(), match[i].ID(), match[j].CreatedAt(), match[j].ID())
	})
	page := paginate(match, skip, limit)
	out := make([]*community.Community, len(page))
	for i, c := range page {
		out[i] = c.Clone()
	}
	return out, int64(len(match)), nil
}

// Update applies fn to a copy and stores it if fn succeeds.
func (r *CommunityRepository) Update(_ context.Context, id string, fn func(*community.Community) error) (*community.Community, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[id]
	if !ok {
		return nil, community.ErrCommunityNotFound
	}
	next := cur.Clone()
	if err := fn(next); err != nil {
		return nil, err
	}
	oldKey, newKey := community.NameKey(cur.Name()), community.NameKey(next.Name())
	if newKey != oldKey {
		if owner, taken := r.byName[newKey]; taken && owner != id {
			return nil, community.ErrNameTaken
		}
		delete(r.byName, oldKey)
		r.byName[newKey] = id
	}
	next.BumpRevision()
	r.byID[id] = next
	return next.Clone(), nil
}

// Delete removes a community and returns it.
func (r *CommunityRepository) Delete(_ context.Context, id string) (*community.Community, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.byID[id]
	if !ok {
		return nil, community.ErrCommunityNotFound
	}
	delete(r.byName, community.NameKey(c.Name()))
	delete(r.byID, id)
	return c, nil
}

// olderFirst orders by time, then by id.
func olderFirst(at1 time.Time, id1 string, at2 time.Time, id2 string) bool {
	if !at1.Equal(at2) {
		return at1.Before(at2)
	}
	return id1 < id2
}

// paginate returns the page [skip, skip+limit) of xs (limit < 0: to the end).
func paginate[T any](xs []T, skip, limit int) []T {
	if skip < 0 {
		skip = 0
	}
	if skip > len(xs) {
		skip = len(xs)
	}
	xs = xs[skip:]
	if limit >= 0 && limit < len(xs) {
		xs = xs[:limit]
	}
	return xs
}
