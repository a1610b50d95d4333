package communitymem

import (
	"context"
	"sort"
	"sync"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// JoinRequestRepository keeps join requests in a map, with the pending claim
// of each (community, user).
type JoinRequestRepository struct {
	mu      sync.Mutex
	byID    map[string]*community.JoinRequest
	pending map[string]string // membership key → id of the pending request
}

var _ communityport.JoinRequestRepository = (*JoinRequestRepository)(nil)

// NewJoinRequestRepository returns an empty repository.
func NewJoinRequestRepository() *JoinRequestRepository {
	return &JoinRequestRepository{byID: map[string]*community.JoinRequest{}, pending: map[string]string{}}
}

// Create stores a request; a pending one for the same pair is community.ErrRequestPending.
func (r *JoinRequestRepository) Create(_ context.Context, jr *community.JoinRequest) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := community.MembershipKey(jr.CommunityID, jr.UserID)
	if jr.Status == community.StatusPending {
		if _, ok := r.pending[key]; ok {
			return community.ErrRequestPending
		}
	}
	if _, ok := r.byID[jr.ID]; ok {
		return kernel.ErrConflict
	}
	jr.Revision = 1
	r.byID[jr.ID] = jr.Clone()
	if jr.Status == community.StatusPending {
		r.pending[key] = jr.ID
	}
	return nil
}

// Get returns a request by id.
func (r *JoinRequestRepository) Get(_ context.Context, id string) (*community.JoinRequest, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	jr, ok := r.byID[id]
	if !ok {
		return nil, community.ErrRequestNotFound
	}
	return jr.Clone(), nil
}

// Update applies fn to a copy and stores it if fn succeeds; a request that
// leaves pending releases its claim.
func (r *JoinRequestRepository) Update(_ context.Context, id string, fn func(*community.JoinRequest) error) (*community.JoinRequest, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[id]
	if !ok {
		return nil, community.ErrRequestNotFound
	}
	next := cur.Clone()
	if err := fn(next); err != nil {
		return nil, err
	}
	next.ID, next.CommunityID, next.UserID, next.Revision = id, cur.CommunityID, cur.UserID, cur.Revision+1
	r.byID[id] = next
	key := community.MembershipKey(cur.CommunityID, cur.UserID)
	if next.Status != community.StatusPending && r.pending[key] == id {
		delete(r.pending, key)
	}
	return next.Clone(), nil
}

// List returns a page of requests, oldest first.
func (r *JoinRequestRepository) List(_ context.Context, f communityport.JoinRequestFilter, skip, limit int) ([]*community.JoinRequest, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var match []*community.JoinRequest
	for _, jr := range r.byID {
		if (f.CommunityID == "" || jr.CommunityID == f.CommunityID) && (f.UserID == "" || jr.UserID == f.UserID) &&
			(f.Status == "" || jr.Status == f.Status) {
			match = append(match, jr)
		}
	}
	sort.Slice(match, func(i, j int) bool {
		return olderFirst(match[i].CreatedAt, match[i].ID, match[j].CreatedAt, match[j].ID)
	})
	page := paginate(match, skip, limit)
	out := make([]*community.JoinRequest, len(page))
	for i, jr := range page {
		out[i] = jr.Clone()
	}
	return out, int64(len(match)), nil
}

// DeleteAllInCommunity deletes a community's requests and their claims.
func (r *JoinRequestRepository) DeleteAllInCommunity(_ context.Context, communityID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, jr := range r.byID {
		if jr.CommunityID == communityID {
			delete(r.byID, id)
			delete(r.pending, community.MembershipKey(jr.CommunityID, jr.UserID))
		}
	}
	return nil
}
