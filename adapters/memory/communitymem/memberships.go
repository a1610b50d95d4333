package communitymem

import (
	"context"
	"sort"
	"sync"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// MembershipRepository keeps memberships in a map keyed by (community, user).
type MembershipRepository struct {
	mu    sync.Mutex
	byKey map[string]community.Membership
}

var _ communityport.MembershipRepository = (*MembershipRepository)(nil)

// NewMembershipRepository returns an empty repository.
func NewMembershipRepository() *MembershipRepository {
	return &MembershipRepository{byKey: map[string]community.Membership{}}
}

// Add stores a membership; a second one for the same pair is community.ErrAlreadyMember.
func (r *MembershipRepository) Add(_ context.Context, m *community.Membership) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := community.MembershipKey(m.CommunityID, m.UserID)
	if _, ok := r.byKey[key]; ok {
		return community.ErrAlreadyMember
	}
	r.byKey[key] = *m
	return nil
}

// Get returns one membership.
func (r *MembershipRepository) Get(_ context.Context, communityID, userID string) (*community.Membership, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.byKey[community.MembershipKey(communityID, userID)]
	if !ok {
		return nil, community.ErrNotMember
	}
	return &m, nil
}

// Remove deletes one membership.
func (r *MembershipRepository) Remove(_ context.Context, communityID, userID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := community.MembershipKey(communityID, userID)
	if _, ok := r.byKey[key]; !ok {
		return community.ErrNotMember
	}
	delete(r.byKey, key)
	return nil
}

// ListByCommunity returns a page of a community's memberships, oldest first.
func (r *MembershipRepository) ListByCommunity(_ context.Context, communityID string, skip, limit int) ([]*community.Membership, int64, error) {
	return r.list(func(m community.Membership) bool { return m.CommunityID == communityID }, skip, limit)
}

// ListByUser returns a page of a user's memberships, oldest first.
func (r *MembershipRepository) ListByUser(_ context.Context, userID string, skip, limit int) ([]*community.Membership, int64, error) {
	return r.list(func(m community.Membership) bool { return m.UserID == userID }, skip, limit)
}

func (r *MembershipRepository) list(keep func(community.Membership) bool, skip, limit int) ([]*community.Membership, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var match []community.Membership
	for _, m := range r.byKey {
		if keep(m) {
			match = append(match, m)
		}
	}
	sort.Slice(match, func(i, j int) bool { return membershipLess(match[i], match[j]) })
	page := paginate(match, skip, limit)
	out := make([]*community.Membership, len(page))
	for i := range page {
		m := page[i]
		out[i] = &m
	}
	return out, int64(len(match)), nil
}

// membershipLess orders memberships by time added, then by key.
func membershipLess(a, b community.Membership) bool {
	return olderFirst(a.AddedAt, community.MembershipKey(a.CommunityID, a.UserID), b.AddedAt, community.MembershipKey(b.CommunityID, b.UserID))
}

// Count returns the number of members of each community.
func (r *MembershipRepository) Count(_ context.Context, communityIDs []string) (map[string]int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	want := make(map[string]bool, len(communityIDs))
	for _, id := range communityIDs {
		want[id] = true
	}
	out := map[string]int64{}
	for _, m := range r.byKey {
		if want[m.CommunityID] {
			out[m.CommunityID]++
		}
	}
	return out, nil
}

// RemoveAllInCommunity deletes a community's memberships.
func (r *MembershipRepository) RemoveAllInCommunity(_ context.Context, communityID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for key, m := range r.byKey {
		if m.CommunityID == communityID {
			delete(r.byKey, key)
		}
	}
	return nil
}
