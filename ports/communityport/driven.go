// Package communityport declares what the community application needs (driven
// ports) and what it offers to drivers such as the HTTP adapter (driving ports).
package communityport

import (
	"context"

	"github.com/civicdatatrust/civictrust/domain/community"
)

// ListFilter narrows a community listing.
type ListFilter struct {
	NameContains string // case-insensitive substring of the name; "" for any
}

// CommunityRepository stores communities. Names are unique case-insensitively
// (community.ErrNameTaken); an unknown or malformed id is community.ErrCommunityNotFound.
type CommunityRepository interface {
	Create(ctx context.Context, c *community.Community) error
	Get(ctx context.Context, id string) (*community.Community, error)
	// GetMany returns the communities with these ids that exist, in the order given.
	GetMany(ctx context.Context, ids []string) ([]*community.Community, error)
	// List returns a page of communities, oldest first (by creation time, then id), and the total that match.
	List(ctx context.Context, f ListFilter, skip, limit int) ([]*community.Community, int64, error)
	// Update loads the community, applies fn and stores the result as one
	// compare-and-set on its version (fn may run more than once; an fn error aborts).
	// fn must not call the repository.
	Update(ctx context.Context, id string, fn func(c *community.Community) error) (*community.Community, error)
	// Delete removes a community and returns it as it was last stored.
	Delete(ctx context.Context, id string) (*community.Community, error)
}

// MembershipRepository stores memberships, one per (community, user): adding a
// second is community.ErrAlreadyMember, even when both are added at once.
type MembershipRepository interface {
	Add(ctx context.Context, m *community.Membership) error
	// Get returns a membership (community.ErrNotMember when there is none).
	Get(ctx context.Context, communityID, userID string) (*community.Membership, error)
	// Remove deletes a membership (community.ErrNotMember when there is none).
	Remove(ctx context.Context, communityID, userID string) error
	// ListByCommunity returns a page of a community's memberships, oldest first, and their number.
	ListByCommunity(ctx context.Context, communityID string, skip, limit int) ([]*community.Membership, int64, error)
	// ListByUser returns a page of a user's memberships, oldest first (limit < 0: all of them), and their number.
	ListByUser(ctx context.Context, userID string, skip, limit int) ([]*community.Membership, int64, error)
	// Count returns the number of members of each community (absent: none).
	Count(ctx context.Context, communityIDs []string) (map[string]int64, error)
	// RemoveAllInCommunity deletes every membership of a community.
	RemoveAllInCommunity(ctx context.Context, communityID string) error
}

// JoinRequestFilter narrows a join-request listing.
type JoinRequestFilter struct {
	CommunityID string                  // "" for any
	UserID      string                  // the requester; "" for any
	Status      community.RequestStatus // "" for any
}

// JoinRequestRepository stores join requests. A user has at most one pending
// request per community: creating a second is community.ErrRequestPending, even
// when both are created at once; the claim is released when the request leaves
// pending.
type JoinRequestRepository interface {
	Create(ctx context.Context, r *community.JoinRequest) error
	// Get returns a request (community.ErrRequestNotFound when unknown or malformed).
	Get(ctx context.Context, id string) (*community.JoinRequest, error)
	// Update applies fn as one compare-and-set on the request's version, like
	// CommunityRepository.Update: of two concurrent decisions only one applies.
	Update(ctx context.Context, id string, fn func(r *community.JoinRequest) error) (*community.JoinRequest, error)
	// List returns a page of requests, oldest first (by creation time, then id), and the total that match.
	List(ctx context.Context, f JoinRequestFilter, skip, limit int) ([]*community.JoinRequest, int64, error)
	// DeleteAllInCommunity deletes every request of a community and its pending claims.
	DeleteAllInCommunity(ctx context.Context, communityID string) error
}

// UserInfo is what the community context needs to know of a user.
type UserInfo struct {
	ID    string
	Name  string
	Email string
}

// UserDirectory looks users up; it is served by the identity context.
type UserDirectory interface {
	// Get returns a user (community.ErrUserNotFound when unknown or malformed).
	Get(ctx context.Context, id string) (UserInfo, error)
}

// DatasetCounter counts the datasets a community holds; it is served by the
// datasets context (a community that holds datasets cannot be deleted).
type DatasetCounter interface {
	CountInCommunity(ctx context.Context, communityID string) (int64, error)
}
