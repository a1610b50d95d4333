package wiring

import (
	"context"
	"errors"
	"strconv"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/crypto/jwtkeys"
	"github.com/civicdatatrust/civictrust/adapters/system"
	"github.com/civicdatatrust/civictrust/application/accessapp"
	"github.com/civicdatatrust/civictrust/application/auditapp"
	"github.com/civicdatatrust/civictrust/application/datasetapp"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/community"
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
		Communities: datasetCommunities{communities: d.Communities, members: d.Members},
		AccessLog:   datasetAccessLog{audit: d.Audit}, Grants: d.Grants, ContentTypes: system.ContentTypes{},
		Staging: d.Staging, Uploads: d.Uploads, Links: d.Links, Callers: datasetCallers{auth: d.Auth, access: d.Access},
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

// datasetCallers is who a download link's user is now: their session as a
// bearer token of it would give it, with roles and modules resolved.
type datasetCallers struct {
	auth   identityport.AuthService
	access *accessapp.Service
}

func (c datasetCallers) Caller(ctx context.Context, userID, sessionID string) (kernel.Principal, error) {
	p, err := c.auth.SessionPrincipal(ctx, userID, sessionID)
	if err != nil {
		return kernel.Principal{}, err
	}
	return c.access.Authorize(ctx, p)
}

// uploadSweeper deletes expired resumable uploads and their bytes: once at
// start (what a crash or a kill left, and the stages no record names), then
// every datasetapp.SweepEvery(UPLOAD_EXPIRY). Every replica runs it: the
// upload records live in the store, and a sweep claims each upload there
// (its lease, a compare-and-set) before it deletes anything, so replicas
// sweeping at once never delete the same upload twice nor one being written.
func uploadSweeper() fx.Option {
	return fx.Invoke(func(lc fx.Lifecycle, cfg configs.Config, s *datasetapp.Service) {
		var job *datasetapp.Job
		lc.Append(fx.Hook{
			OnStart: func(context.Context) error {
				job = s.StartUploadSweeper(datasetapp.SweepEvery(cfg.UploadExpiry))
				return nil
			},
			OnStop: func(ctx context.Context) error { return job.Stop(ctx) },
		})
	})
}

// datasetCommunities serves the datasets context's view of communities.
type datasetCommunities struct {
	communities communityport.CommunityRepository
	members     communityport.MembershipRepository
}

func (c datasetCommunities) Membership(ctx context.Context, communityID, userID string) (datasetport.Membership, error) {
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

func (c datasetCommunities) CommunitiesOf(ctx context.Context, userID string) ([]string, error) {
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

// datasetAccessLog makes the per-dataset access log a view over the audit trail.
type datasetAccessLog struct{ audit auditport.Service }

func (l datasetAccessLog) Record(ctx context.Context, e datasetport.AccessEntry) error {
	details := map[string]string{"version": strconv.Itoa(e.Version)}
	if e.GrantID != "" {
		details["grant_id"] = e.GrantID
	}
	_, err := l.audit.Append(ctx, audit.Event{
		At: e.At, ActorID: e.ActorID, Action: "dataset." + e.Action, TargetType: "dataset", TargetID: e.DatasetID,
		IP: e.IP, UserAgent: e.UserAgent, RequestID: e.RequestID, Outcome: audit.Success, Details: details,
	})
	return err
}

func (l datasetAccessLog) List(ctx context.Context, datasetID string, skip, limit int) ([]datasetport.AccessEntry, int64, error) {
	page := skip/max(limit, 1) + 1
	evs, total, err := l.audit.List(ctx, auditport.Filter{TargetType: "dataset", TargetID: datasetID}, page, limit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]datasetport.AccessEntry, 0, len(evs))
	for _, e := range evs {
		v, _ := strconv.Atoi(e.Details["version"])
		out = append(out, datasetport.AccessEntry{
			ID: e.ID, Seq: e.Seq, DatasetID: e.TargetID, ActorID: e.ActorID, Action: e.Action, Version: v, GrantID: e.Details["grant_id"], IP: e.IP,
			UserAgent: e.UserAgent, RequestID: e.RequestID, At: e.At, Outcome: e.Outcome, PrevHash: e.PrevHash, Hash: e.Hash,
		})
	}
	return out, total, nil
}

// maxCommunitiesPerUser bounds the membership list read for the dataset
// visibility query.
const maxCommunitiesPerUser = 10_000
