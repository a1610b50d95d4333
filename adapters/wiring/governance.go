package wiring

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/bridge"
	"github.com/civicdatatrust/civictrust/adapters/memory/governancemem"
	"github.com/civicdatatrust/civictrust/adapters/mongo/governancemongo"
	"github.com/civicdatatrust/civictrust/application/governanceapp"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// governanceNoticeEvery is how often each instance looks for due notices
// (the 7-day reminders, grant.expire): well under a day, so that a reminder
// goes out on its day, and often enough that grant.expire follows the end
// closely.
const governanceNoticeEvery = time.Minute

// governanceServices provides the governance use cases (store-independent)
// and the datasets context's view of grants, which reads only the grants
// (governance itself reads datasets).
func governanceServices() fx.Option {
	return fx.Options(
		fx.Provide(
			newGovernanceService,
			func(s *governanceapp.Service) governanceport.Service { return s },
			func(g governanceport.GrantRepository, c platformport.Clock) datasetport.Grants {
				return governanceapp.NewActiveGrants(g, c)
			},
		),
	)
}

// governanceJobs runs the notices job while the service serves: started
// after the store, stopped before it closes.
func governanceJobs() fx.Option {
	return fx.Invoke(func(lc fx.Lifecycle, s *governanceapp.Service) {
		var job *kernel.Job
		lc.Append(fx.Hook{
			OnStart: func(context.Context) error {
				job = s.StartNotices(governanceNoticeEvery)
				return nil
			},
			OnStop: func(ctx context.Context) error { return job.Stop(ctx) },
		})
	})
}

// mongoGovernanceRepositories backs the governance ports with MongoDB.
func mongoGovernanceRepositories() fx.Option {
	return fx.Provide(
		func(db *mongo.Database) governanceport.TermsRepository { return governancemongo.NewTermsRepository(db) },
		func(db *mongo.Database) governanceport.ConsentRepository {
			return governancemongo.NewConsentRepository(db)
		},
		func(db *mongo.Database) governanceport.AccessRequestRepository {
			return governancemongo.NewAccessRequestRepository(db)
		},
		func(db *mongo.Database) governanceport.GrantRepository { return governancemongo.NewGrantRepository(db) },
		func(db *mongo.Database) governanceport.NoticeClaimRepository {
			return governancemongo.NewNoticeClaimRepository(db)
		},
	)
}

// memoryGovernanceRepositories backs them with memory.
func memoryGovernanceRepositories() fx.Option {
	return fx.Provide(
		func() governanceport.TermsRepository { return governancemem.NewTermsRepository() },
		func() governanceport.ConsentRepository { return governancemem.NewConsentRepository() },
		func() governanceport.AccessRequestRepository { return governancemem.NewAccessRequestRepository() },
		func() governanceport.GrantRepository { return governancemem.NewGrantRepository() },
		func() governanceport.NoticeClaimRepository { return governancemem.NewNoticeClaimRepository() },
	)
}

type governanceDeps struct {
	fx.In
	Terms       governanceport.TermsRepository
	Consents    governanceport.ConsentRepository
	Requests    governanceport.AccessRequestRepository
	Grants      governanceport.GrantRepository
	Notices     governanceport.NoticeClaimRepository
	Datasets    datasetport.Service
	Communities communityport.CommunityRepository
	Users       identityport.UserRepository
	Mailer      platformport.Mailer
	Clock       platformport.Clock
	Reporter    platformport.ErrorReporter
	Audit       auditport.Log
}

func newGovernanceService(d governanceDeps) *governanceapp.Service {
	return governanceapp.New(governanceapp.Deps{
		Terms: d.Terms, Consents: d.Consents, Requests: d.Requests, Grants: d.Grants, Notices: d.Notices,
		Datasets:    bridge.NewGovernanceDatasets(d.Datasets),
		Communities: bridge.NewGovernanceCommunities(d.Communities),
		Users:       bridge.NewGovernanceUsers(d.Users),
		Mailer:      d.Mailer, Clock: d.Clock, Reporter: d.Reporter, Audit: d.Audit,
	})
}
