package bridge

import (
	"context"
	"errors"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// GovernanceDatasets serves governance's view of datasets from the datasets
// service, whose visibility rule (grants included) it is.
type GovernanceDatasets struct{ datasets datasetport.Service }

var _ governanceport.Datasets = GovernanceDatasets{}

// NewGovernanceDatasets returns governance's view of the datasets s serves.
func NewGovernanceDatasets(s datasetport.Service) GovernanceDatasets {
	return GovernanceDatasets{datasets: s}
}

// Dataset returns a dataset as p sees it, with p's rights on it.
func (g GovernanceDatasets) Dataset(ctx context.Context, p kernel.Principal, id string) (governanceport.Dataset, error) {
	d, rights, err := g.datasets.Rights(ctx, p, id)
	if errors.Is(err, dataset.ErrNotFound) {
		return governanceport.Dataset{}, governance.ErrDatasetNotFound
	}
	if err != nil {
		return governanceport.Dataset{}, err
	}
	return governanceport.Dataset{
		ID: d.ID(), Title: d.Title(), CommunityID: d.CommunityID(), OwnerID: d.OwnerID(),
		Restricted: d.Visibility() == dataset.Restricted, CanDownload: rights.Download, CanDecide: rights.Change,
	}, nil
}

// GovernanceCommunities serves governance's view of communities.
type GovernanceCommunities struct {
	communities communityport.CommunityRepository
}

var _ governanceport.Communities = GovernanceCommunities{}

// NewGovernanceCommunities returns governance's view of communities.
func NewGovernanceCommunities(c communityport.CommunityRepository) GovernanceCommunities {
	return GovernanceCommunities{communities: c}
}

// Community returns a community's name and administrators.
func (g GovernanceCommunities) Community(ctx context.Context, id string) (governanceport.Community, error) {
	c, err := g.communities.Get(ctx, id)
	if errors.Is(err, community.ErrCommunityNotFound) {
		return governanceport.Community{}, governance.ErrCommunityNotFound
	}
	if err != nil {
		return governanceport.Community{}, err
	}
	return governanceport.Community{ID: c.ID(), Name: c.Name(), AdminIDs: c.AdminIDs()}, nil
}

// GovernanceUsers serves governance's view of users: whom to mail.
type GovernanceUsers struct{ users identityport.UserRepository }

var _ governanceport.Users = GovernanceUsers{}

// NewGovernanceUsers returns governance's view of users.
func NewGovernanceUsers(users identityport.UserRepository) GovernanceUsers {
	return GovernanceUsers{users: users}
}

// User returns whom to mail.
func (g GovernanceUsers) User(ctx context.Context, id string) (governanceport.User, error) {
	u, err := g.users.Get(ctx, id)
	if err != nil {
		return governanceport.User{}, err
	}
	return governanceport.User{ID: u.ID(), Name: u.Name(), Email: u.Email()}, nil
}
