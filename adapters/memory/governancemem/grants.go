package governancemem

import (
	"cmp"
	"context"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// GrantRepository keeps grants in a map, with the grant of each request.
type GrantRepository struct {
	mu        sync.Mutex
	byID      map[string]*governance.Grant
	byRequest map[string]string // request id → grant id
}

var _ governanceport.GrantRepository = (*GrantRepository)(nil)

// NewGrantRepository returns an empty repository.
func NewGrantRepository() *GrantRepository {
	return &GrantRepository{byID: map[string]*governance.Grant{}, byRequest: map[string]string{}}
}

// Create stores a grant; a second grant of a request is governance.ErrGrantExists.
func (m *GrantRepository) Create(_ context.Context, g *governance.Grant) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.byRequest[g.RequestID]; ok {
		return governance.ErrGrantExists
	}
	if _, ok := m.byID[g.ID]; ok {
		return kernel.ErrConflict
	}
	g.Revision = 1
	m.byID[g.ID] = g.Clone()
	m.byRequest[g.RequestID] = g.ID
	return nil
}

// Get returns a grant by id.
func (m *GrantRepository) Get(_ context.Context, id string) (*governance.Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.byID[id]
	if !ok {
		return nil, governance.ErrGrantNotFound
	}
	return g.Clone(), nil
}

// Update applies fn to a copy under the lock.
func (m *GrantRepository) Update(_ context.Context, id string, fn func(*governance.Grant) error) (*governance.Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.byID[id]
	if !ok {
		return nil, governance.ErrGrantNotFound
	}
	next := cur.Clone()
	if err := fn(next); err != nil {
		return nil, err
	}
	next.ID, next.DatasetID, next.GranteeID, next.RequestID, next.Revision = cur.ID, cur.DatasetID, cur.GranteeID, cur.RequestID, cur.Revision+1
	m.byID[id] = next
	return next.Clone(), nil
}

// List returns a page of the grants that match, the newest first.
func (m *GrantRepository) List(_ context.Context, f governanceport.GrantFilter, skip, limit int) ([]*governance.Grant, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	all := sorted(m.byID, func(g *governance.Grant) bool {
		return (f.DatasetID == "" || g.DatasetID == f.DatasetID) && (f.GranteeID == "" || g.GranteeID == f.GranteeID) &&
			(f.CommunityID == "" || g.CommunityID == f.CommunityID) && (f.Status == "" || g.StatusAt(f.Now) == f.Status)
	}, func(a, b *governance.Grant) int { return newestFirst(a.GrantedAt, a.ID, b.GrantedAt, b.ID) })
	return page(all, skip, limit, (*governance.Grant).Clone), int64(len(all)), nil
}

// FindActive returns the active grant of the pair that ends last.
func (m *GrantRepository) FindActive(_ context.Context, datasetID, granteeID string, now time.Time) (*governance.Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var best *governance.Grant
	for _, g := range m.byID {
		if g.DatasetID == datasetID && g.GranteeID == granteeID && g.ActiveAt(now) && (best == nil || g.ExpiresAt.After(best.ExpiresAt)) {
			best = g
		}
	}
	if best == nil {
		return nil, governance.ErrGrantNotFound
	}
	return best.Clone(), nil
}

// Ending returns unrevoked grants ending in [from, to), the soonest first.
func (m *GrantRepository) Ending(_ context.Context, from, to time.Time, limit int) ([]*governance.Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	all := sorted(m.byID, func(g *governance.Grant) bool {
		return g.RevokedAt == nil && !g.ExpiresAt.Before(from) && g.ExpiresAt.Before(to)
	}, func(a, b *governance.Grant) int {
		if c := a.ExpiresAt.Compare(b.ExpiresAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return page(all, 0, limit, (*governance.Grant).Clone), nil
}

// NoticeClaimRepository keeps the claimed notices in a set.
type NoticeClaimRepository struct {
	mu      sync.Mutex
	claimed map[string]time.Time // grant id + notice → when it was claimed
}

var _ governanceport.NoticeClaimRepository = (*NoticeClaimRepository)(nil)

// NewNoticeClaimRepository returns an empty repository.
func NewNoticeClaimRepository() *NoticeClaimRepository {
	return &NoticeClaimRepository{claimed: map[string]time.Time{}}
}

func claimKey(grantID string, n governance.Notice) string { return grantID + "|" + string(n) }

// Claim takes a notice unless it is taken.
func (m *NoticeClaimRepository) Claim(_ context.Context, grantID string, n governance.Notice, at time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := claimKey(grantID, n)
	if _, ok := m.claimed[key]; ok {
		return false, nil
	}
	m.claimed[key] = at
	return true, nil
}

// Release gives a claim back.
func (m *NoticeClaimRepository) Release(_ context.Context, grantID string, n governance.Notice) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.claimed, claimKey(grantID, n))
	return nil
}

// Claimed reports which grants have the notice taken.
func (m *NoticeClaimRepository) Claimed(_ context.Context, n governance.Notice, grantIDs []string) (map[string]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]bool{}
	for _, id := range grantIDs {
		if _, ok := m.claimed[claimKey(id, n)]; ok {
			out[id] = true
		}
	}
	return out, nil
}
