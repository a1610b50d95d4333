package wiring

import (
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/bridge"
	"github.com/civicdatatrust/civictrust/application/communityapp"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

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
		Users: bridge.NewUserDirectory(d.Users), Datasets: d.Datasets, Blobs: d.Blobs,
		Mailer: d.Mailer, Clock: d.Clock, Reporter: d.Reporter, Audit: d.Audit,
		Tx: d.Tx,
	})
}
