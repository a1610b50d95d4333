package wiring

import (
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/bridge"
	"github.com/civicdatatrust/civictrust/application/auditapp"
	"github.com/civicdatatrust/civictrust/application/datasetapp"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// datasetServices provides the datasets and audit use cases (store-independent).
func datasetServices() fx.Option {
	return fx.Provide(
		newAuditService,
		func(s *auditapp.Service) auditport.Service { return s },
		func(s *auditapp.Service) auditport.Log { return s },
		newDatasetService,
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
}

func newDatasetService(d datasetDeps) *datasetapp.Service {
	return datasetapp.New(datasetapp.Deps{
		Datasets: d.Datasets, Blobs: d.Blobs,
		Communities: bridge.NewDatasetCommunities(d.Communities, d.Members),
		AccessLog:   bridge.NewDatasetAccessLog(d.Audit), Grants: d.Grants,
		Clock: d.Clock, Reporter: d.Reporter, Tx: d.Tx,
	}, d.Config.MaxUploadBytes)
}
