package wiring

import (
	"context"
	"errors"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/application/communityapp"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// userDirectory serves the community context's view of users from the
// identity context's user repository.
type userDirectory struct{ users identityport.UserRepository }

func (d userDirectory) Get(ctx context.Context, id string) (communityport.UserInfo, error) {
	u, err := d.users.Get(ctx, id)
	if errors.Is(err, identity.ErrUserNotFound) {
		return communityport.UserInfo{}, community.ErrUserNotFound
	}
	if err != nil {
		return communityport.UserInfo{}, err
	}
	return communityport.UserInfo{ID: u.ID, Name: u.Name, Email: u.Email}, nil
}

type communityDeps struct {
	fx.In
	Communities communityport.CommunityRepository
	Members     communityport.MembershipRepository
	Requests    communityport.JoinRequestRepository
	Users       identityport.UserRepository
	Datasets    communityport.DatasetCounter
	Blobs       platformport.BlobStore
	Mailer      platformport.Mailer
	Clock       platformport.Clock
	Reporter    platformport.ErrorReporter
	Audit       auditport.Log
	Tx          platformport.Transactor
}

func newCommunityService(d communityDeps) *communityapp.Service {
	return communityapp.New(communityapp.Deps{
		Communities: d.Communities, Members: d.Members, Requests: d.Requests,
		Users: userDirectory{users: d.Users}, Datasets: d.Datasets, Blobs: d.Blobs,
		Mailer: d.Mailer, Clock: d.Clock, Reporter: d.Reporter, Audit: d.Audit,
		Tx: d.Tx,
	})
}
