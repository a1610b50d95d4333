package governanceapp

import (
	"context"
	"strconv"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// views gives each grant its status now.
func (s *Service) views(gs []*governance.Grant) []governanceport.GrantView {
	now := s.now()
	out := make([]governanceport.GrantView, len(gs))
	for i, g := range gs {
		out[i] = governanceport.GrantView{Grant: g, Status: g.StatusAt(now)}
	}
	return out
}

func (s *Service) listGrants(ctx context.Context, f governanceport.GrantFilter, pg governanceport.Page) ([]governanceport.GrantView, int64, error) {
	f.Now = s.now()
	gs, total, err := s.Grants.List(ctx, f, skipOf(pg), pg.Limit)
	if err != nil {
		return nil, 0, err
	}
	return s.views(gs), total, nil
}

// DatasetGrants lists a dataset's grants, the newest first (deciders).
func (s *Service) DatasetGrants(ctx context.Context, p kernel.Principal, datasetID string, status governance.GrantStatus, pg governanceport.Page) ([]governanceport.GrantView, int64, error) {
	ds, err := s.decidable(ctx, p, datasetID)
	if err != nil {
		return nil, 0, err
	}
	return s.listGrants(ctx, governanceport.GrantFilter{DatasetID: ds.ID, Status: status}, pg)
}

// MyGrants lists the caller's own grants, the newest first.
func (s *Service) MyGrants(ctx context.Context, p kernel.Principal, status governance.GrantStatus, pg governanceport.Page) ([]governanceport.GrantView, int64, error) {
	return s.listGrants(ctx, governanceport.GrantFilter{GranteeID: p.UserID, Status: status}, pg)
}

// Revoke ends an active grant at once: a decider, or the grantee withdrawing
// consent. A grant of a dataset the caller may not see is not found. It
// records grant.revoke; a grantee whose grant a decider revoked is told by
// mail.
func (s *Service) Revoke(ctx context.Context, p kernel.Principal, grantID, reason string) (governanceport.GrantView, error) {
	g, err := s.revoke(ctx, p, grantID, reason)
	e := event(audit.ActionGrantRevoke, audit.TargetGrant, grantID, nil)
	var view governanceport.GrantView
	if g != nil {
		e.Details = map[string]string{"dataset_id": g.DatasetID, "user_id": g.GranteeID, "by_grantee": strconv.FormatBool(p.IsSelf(g.GranteeID))}
		view = s.views([]*governance.Grant{g})[0]
	}
	return view, s.record(ctx, p, e, err)
}

func (s *Service) revoke(ctx context.Context, p kernel.Principal, grantID, reason string) (*governance.Grant, error) {
	g, err := s.Grants.Get(ctx, grantID)
	if err != nil {
		return nil, err
	}
	var ds governanceport.Dataset
	if !p.IsSelf(g.GranteeID) && !p.IsAdmin() {
		ds, err = s.Datasets.Dataset(ctx, p, g.DatasetID)
		switch {
		case isNotFound(err):
			return nil, governance.ErrGrantNotFound
		case err != nil:
			return nil, err
		case !ds.CanDecide:
			return nil, governance.ErrNotRevoker
		}
	}
	if _, err := governance.ParseReason(reason); err != nil {
		return nil, err
	}
	now := s.now()
	revoked, err := s.Grants.Update(ctx, g.ID, func(g *governance.Grant) error { return g.Revoke(p.UserID, reason, now) })
	if err != nil {
		return nil, err
	}
	if !p.IsSelf(revoked.GranteeID) {
		s.notifyRevocation(ctx, revoked)
	}
	return revoked, nil
}

// Register lists every grant ever made as the public sees it: what, for
// what, by which organization and when; never who.
func (s *Service) Register(ctx context.Context, f governanceport.RegisterFilter, pg governanceport.Page) ([]governanceport.RegisterEntry, int64, error) {
	views, total, err := s.listGrants(ctx, governanceport.GrantFilter{CommunityID: f.CommunityID, Status: f.Status}, pg)
	if err != nil {
		return nil, 0, err
	}
	out := make([]governanceport.RegisterEntry, len(views))
	for i, v := range views {
		g := v.Grant
		out[i] = governanceport.RegisterEntry{
			GrantID: g.ID, DatasetID: g.DatasetID, DatasetTitle: g.DatasetTitle, CommunityID: g.CommunityID,
			CommunityName: g.CommunityName, Organization: g.Organization, Purpose: g.Purpose,
			GrantedAt: g.GrantedAt, ExpiresAt: g.ExpiresAt, RevokedAt: g.RevokedAt, Status: v.Status,
		}
	}
	return out, total, nil
}

// ActiveGrant returns the id of a grant of userID on datasetID active now,
// read from the store every time.
func (s *Service) ActiveGrant(ctx context.Context, datasetID, userID string) (string, error) {
	return NewActiveGrants(s.Grants, s.Clock).ActiveGrant(ctx, datasetID, userID)
}

// ActiveGrants answers the datasets context's question at each download
// of a restricted file. It needs only the grants and the clock, so it is
// built apart from the service, which itself reads datasets.
type ActiveGrants struct {
	grants governanceport.GrantRepository
	clock  platformport.Clock
}

// NewActiveGrants returns the active-grant check on grants.
func NewActiveGrants(grants governanceport.GrantRepository, clock platformport.Clock) ActiveGrants {
	return ActiveGrants{grants: grants, clock: clock}
}

// ActiveGrant returns the id of a grant of userID on datasetID active now,
// "" when there is none.
func (a ActiveGrants) ActiveGrant(ctx context.Context, datasetID, userID string) (string, error) {
	if datasetID == "" || userID == "" {
		return "", nil
	}
	g, err := orNil(a.grants.FindActive(ctx, datasetID, userID, kernel.Truncate(a.clock.Now())))
	if err != nil || g == nil {
		return "", err
	}
	return g.ID, nil
}
