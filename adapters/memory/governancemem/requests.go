package governancemem

import (
	"context"
	"sync"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// AccessRequestRepository keeps requests in a map, with the pending request of
// each (dataset, requester).
type AccessRequestRepository struct {
	mu      sync.Mutex
	byID    map[string]*governance.AccessRequest
	pending map[string]string // dataset id + requester id → id of the pending request
}

var _ governanceport.AccessRequestRepository = (*AccessRequestRepository)(nil)

// NewAccessRequestRepository returns an empty repository.
func NewAccessRequestRepository() *AccessRequestRepository {
	return &AccessRequestRepository{byID: map[string]*governance.AccessRequest{}, pending: map[string]string{}}
}

func pendingKey(r *governance.AccessRequest) string { return r.DatasetID + "|" + r.RequesterID }

// Create stores a request; a second pending one for the pair is governance.ErrRequestPending.
func (m *AccessRequestRepository) Create(_ context.Context, r *governance.AccessRequest) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	pending := r.Status == governance.RequestPending
	if _, taken := m.pending[pendingKey(r)]; pending && taken {
		return governance.ErrRequestPending
	}
	if _, ok := m.byID[r.ID]; ok {
		return kernel.ErrConflict
	}
	r.Revision = 1
	m.byID[r.ID] = r.Clone()
	if pending {
		m.pending[pendingKey(r)] = r.ID
	}
	return nil
}

// Get returns a request by id.
func (m *AccessRequestRepository) Get(_ context.Context, id string) (*governance.AccessRequest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.byID[id]
	if !ok {
		return nil, governance.ErrRequestNotFound
	}
	return r.Clone(), nil
}

// Update applies fn to a copy under the lock; a request that leaves pending frees its pair.
func (m *AccessRequestRepository) Update(_ context.Context, id string, fn func(*governance.AccessRequest) error) (*governance.AccessRequest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.byID[id]
	if !ok {
		return nil, governance.ErrRequestNotFound
	}
	next := cur.Clone()
	if err := fn(next); err != nil {
		return nil, err
	}
	next.ID, next.DatasetID, next.RequesterID, next.Revision = cur.ID, cur.DatasetID, cur.RequesterID, cur.Revision+1
	m.byID[id] = next
	if key := pendingKey(cur); next.Status != governance.RequestPending && m.pending[key] == id {
		delete(m.pending, key)
	}
	return next.Clone(), nil
}

// List returns a page of the requests that match, the newest first.
func (m *AccessRequestRepository) List(_ context.Context, f governanceport.RequestFilter, skip, limit int) ([]*governance.AccessRequest, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	all := sorted(m.byID, func(r *governance.AccessRequest) bool {
		return (f.DatasetID == "" || r.DatasetID == f.DatasetID) && (f.RequesterID == "" || r.RequesterID == f.RequesterID) &&
			(f.Status == "" || r.Status == f.Status)
	}, func(a, b *governance.AccessRequest) int { return newestFirst(a.CreatedAt, a.ID, b.CreatedAt, b.ID) })
	return page(all, skip, limit, (*governance.AccessRequest).Clone), int64(len(all)), nil
}
