package wiring

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/memory/governancemem"
	"github.com/civicdatatrust/civictrust/adapters/mongo/governancemongo"
	"github.com/civicdatatrust/civictrust/application/governanceapp"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/governance"
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
// and the datasets context's view of grants.
func governanceServices() fx.Option {
	return fx.Options(
		fx.Provide(
			newGovernanceService,
			func(s *governanceapp.Service) governanceport.Service { return s },
			func() *grantLink { return &grantLink{} },
			func(l *grantLink) datasetport.Grants { return l },
		),
		fx.Invoke(func(l *grantLink, s governanceport.Service) { l.governance.Store(&s) }),
	)
}

// governanceJobs runs the notices job while the service serves: started
// after the store, stopped before it closes.
func governanceJobs() fx.Option {
	return fx.Invoke(func(lc fx.Lifecycle, s *governanceapp.Service) {
		var job *governanceapp.NoticeJob
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
		Datasets:    governanceDatasets{datasets: d.Datasets},
		Communities: governanceCommunities{communities: d.Communities},
		Users:       governanceUsers{users: d.Users},
		Mailer:      d.Mailer, Clock: d.Clock, Reporter: d.Reporter, Audit: d.Audit,
	})
}

// grantLink serves the datasets context's view of grants from the
// governance service. Governance reads datasets through the datasets
// service, so the link back is set once both exist (fx.Invoke) instead of
// through a constructor cycle.
type grantLink struct {
	governance atomic.Pointer[governanceport.Service]
}

func (l *grantLink) ActiveGrant(ctx context.Context, datasetID, userID string) (string, error) {
	s := l.governance.Load()
	if s == nil {
		return "", kernel.ErrUnavailable
	}
	return (*s).ActiveGrant(ctx, datasetID, userID)
}

// governanceDatasets serves governance's view of datasets from the datasets
// service, whose visibility rule (grants included) it is.
type governanceDatasets struct{ datasets datasetport.Service }

func (g governanceDatasets) Dataset(ctx context.Context, p kernel.Principal, id string) (governanceport.Dataset, error) {
	d, rights, err := g.datasets.Rights(ctx, p, id)
	if errors.Is(err, dataset.ErrNotFound) {
		return governanceport.Dataset{}, governance.ErrDatasetNotFound
	}
	if err != nil {
		return governanceport.Dataset{}, err
	}
	return governanceport.Dataset{
		ID: d.ID, Title: d.Title, CommunityID: d.CommunityID, OwnerID: d.OwnerID,
		Restricted: d.Visibility == dataset.Restricted, CanDownload: rights.Download, CanDecide: rights.Change,
	}, nil
}

// governanceCommunities serves governance's view of communities.
type governanceCommunities struct {
	communities communityport.CommunityRepository
}

func (g governanceCommunities) Community(ctx context.Context, id string) (governanceport.Community, error) {
	c, err := g.communities.Get(ctx, id)
	if errors.Is(err, community.ErrCommunityNotFound) {
		return governanceport.Community{}, governance.ErrCommunityNotFound
	}
	if err != nil {
		return governanceport.Community{}, err
	}
	return governanceport.Community{ID: c.ID, Name: c.Name, AdminIDs: c.AdminIDs}, nil
}

// governanceUsers serves governance's view of users: whom to mail.
type governanceUsers struct{ users identityport.UserRepository }

func (g governanceUsers) User(ctx context.Context, id string) (governanceport.User, error) {
	u, err := g.users.Get(ctx, id)
	if err != nil {
		return governanceport.User{}, err
	}
	return governanceport.User{ID: u.ID, Name: u.Name, Email: u.Email}, nil
}
