package bridge

import (
	"context"
	"errors"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// UserDirectory serves the community context's view of users from
// identity's users.
type UserDirectory struct{ users identityport.UserRepository }

var _ communityport.UserDirectory = UserDirectory{}

// NewUserDirectory returns the community context's view of users.
func NewUserDirectory(users identityport.UserRepository) UserDirectory {
	return UserDirectory{users: users}
}

// Get returns a user's id, name and email.
func (d UserDirectory) Get(ctx context.Context, id string) (communityport.UserInfo, error) {
	u, err := d.users.Get(ctx, id)
	if errors.Is(err, identity.ErrUserNotFound) {
		return communityport.UserInfo{}, community.ErrUserNotFound
	}
	if err != nil {
		return communityport.UserInfo{}, err
	}
	return communityport.UserInfo{ID: u.ID(), Name: u.Name(), Email: u.Email()}, nil
}

// maxCommunitiesPerUser bounds the membership list read for the dataset
// visibility query.
const maxCommunitiesPerUser = 10_000

// DatasetCommunities serves the datasets context's view of communities.
type DatasetCommunities struct {
	communities communityport.CommunityRepository
	members     communityport.MembershipRepository
}

var _ datasetport.Communities = DatasetCommunities{}

// NewDatasetCommunities returns the datasets context's view of communities.
func NewDatasetCommunities(c communityport.CommunityRepository, m communityport.MembershipRepository) DatasetCommunities {
	return DatasetCommunities{communities: c, members: m}
}

// Membership says whether a community exists and whether userID belongs
// to it or administers it (an unknown community is not an error: the
// datasets context decides what it means).
func (c DatasetCommunities) Membership(ctx context.Context, communityID, userID string) (datasetport.Membership, error) {
	cm, err := c.communities.Get(ctx, communityID)
	if errors.Is(err, community.ErrCommunityNotFound) {
		return datasetport.Membership{}, nil
	}
	if err != nil {
		return datasetport.Membership{}, err
	}
	m := datasetport.Membership{Exists: true, Admin: cm.IsAdmin(userID)}
	if _, err := c.members.Get(ctx, communityID, userID); err == nil {
		m.Member = true
	} else if !errors.Is(err, community.ErrNotMember) {
		return datasetport.Membership{}, err
	}
	return m, nil
}

// CommunitiesOf lists the ids of the communities userID belongs to.
func (c DatasetCommunities) CommunitiesOf(ctx context.Context, userID string) ([]string, error) {
	ms, _, err := c.members.ListByUser(ctx, userID, 0, maxCommunitiesPerUser)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.CommunityID)
	}
	return ids, nil
}
