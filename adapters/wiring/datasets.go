package wiring

import (
	"context"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/bridge"
	"github.com/civicdatatrust/civictrust/adapters/crypto/jwtkeys"
	"github.com/civicdatatrust/civictrust/adapters/system"
	"github.com/civicdatatrust/civictrust/application/accessapp"
	"github.com/civicdatatrust/civictrust/application/auditapp"
	"github.com/civicdatatrust/civictrust/application/datasetapp"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// datasetServices provides the datasets and audit use cases (store-independent).
func datasetServices() fx.Option {
	return fx.Provide(
		newAuditService,
		func(s *auditapp.Service) auditport.Service { return s },
		func(s *auditapp.Service) auditport.Log { return s },
		newDatasetService,
		newLinkSigner,
		func(s *datasetapp.Service) datasetport.Service { return s },
		func(r datasetport.DatasetRepository) communityport.DatasetCounter { return r },
	)
}

func newAuditService(store auditport.Store, clock platformport.Clock) *auditapp.Service {
	return auditapp.New(store, clock)
}

type datasetDeps struct {
	fx.In
	Config      configs.Config
	Datasets    datasetport.DatasetRepository
	Blobs       platformport.BlobStore
	Communities communityport.CommunityRepository
	Members     communityport.MembershipRepository
	Audit       auditport.Service
	Clock       platformport.Clock
	Reporter    platformport.ErrorReporter
	// Grants is governance's answer to who holds an active grant (governance.go).
	Grants datasetport.Grants
	Tx     platformport.Transactor
	// Staging and Uploads keep resumable uploads.
	Staging platformport.StagingStore
	Uploads datasetport.UploadRepository
	// Links signs download links; Auth and Access say who their users are now.
	Links  datasetport.LinkSigner
	Auth   identityport.AuthService
	Access *accessapp.Service
}

func newDatasetService(d datasetDeps) *datasetapp.Service {
	return datasetapp.New(datasetapp.Deps{
		Datasets: d.Datasets, Blobs: d.Blobs,
		Communities: bridge.NewDatasetCommunities(d.Communities, d.Members),
		AccessLog:   bridge.NewDatasetAccessLog(d.Audit), Grants: d.Grants, ContentTypes: system.ContentTypes{},
		Staging: d.Staging, Uploads: d.Uploads, Links: d.Links, Callers: bridge.NewDatasetCallers(d.Auth, d.Access),
		Clock: d.Clock, Reporter: d.Reporter, Tx: d.Tx,
	}, datasetapp.Settings{
		MaxUploadBytes: d.Config.MaxUploadBytes, UploadExpiry: d.Config.UploadExpiry, LinkTTL: d.Config.DownloadLinkTTL,
	})
}

// newLinkSigner signs download links with the access tokens' keys, under an
// audience of their own.
func newLinkSigner(cfg configs.Config, keys *jwtkeys.KeySet) (datasetport.LinkSigner, error) {
	return jwtkeys.NewLinkSigner(keys, cfg.JWTIssuer, cfg.JWTAudience)
}

// uploadSweeper deletes expired resumable uploads and their bytes: once at
// start (what a crash or a kill left, and the stages no record names), then
// every datasetapp.SweepEvery(UPLOAD_EXPIRY). Every replica runs it: the
// upload records live in the store, and a sweep claims each upload there
// (its lease, a compare-and-set) before it deletes anything, so replicas
// sweeping at once never delete the same upload twice nor one being written.
func uploadSweeper() fx.Option {
	return fx.Invoke(func(lc fx.Lifecycle, cfg configs.Config, s *datasetapp.Service) {
		var job *kernel.Job
		lc.Append(fx.Hook{
			OnStart: func(context.Context) error {
				job = s.StartUploadSweeper(datasetapp.SweepEvery(cfg.UploadExpiry))
				return nil
			},
			OnStop: func(ctx context.Context) error { return job.Stop(ctx) },
		})
	})
}
