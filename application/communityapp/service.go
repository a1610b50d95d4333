// Package communityapp implements the community use cases: communities and
// their logos, memberships, join requests and who may do what with them.
package communityapp

import (
	"context"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Deps are the driven ports the community use cases need.
type Deps struct {
	Communities communityport.CommunityRepository
	Members     communityport.MembershipRepository
	Requests    communityport.JoinRequestRepository
	Users       communityport.UserDirectory
	Datasets    communityport.DatasetCounter
	Blobs       platformport.BlobStore
	Mailer      platformport.Mailer
	Clock       platformport.Clock
	Reporter    platformport.ErrorReporter
	// Audit receives the context's audit events (nil: none are recorded).
	Audit auditport.Log
	// Tx writes a new community, its first membership and its event
	// together (nil: one after the other).
	Tx platformport.Transactor
}

// Service implements communityport.Service.
type Service struct {
	Deps
}

var _ communityport.Service = (*Service)(nil)

// New builds the community service.
func New(d Deps) *Service { return &Service{Deps: d} }

func (s *Service) now() time.Time { return kernel.Truncate(s.Clock.Now()) }

// report hands a best-effort failure to the reporter.
func (s *Service) report(ctx context.Context, op string, err error) {
	if err != nil && s.Reporter != nil {
		s.Reporter.Report(ctx, op, err)
	}
}

// canManage reports whether p administers c: a community admin or a global admin.
func canManage(p kernel.Principal, c *community.Community) bool {
	return p.IsAdmin() || c.IsAdmin(p.UserID)
}

// managed loads a community the caller must administer: unknown → 404, outsider → 403.
func (s *Service) managed(ctx context.Context, p kernel.Principal, id string) (*community.Community, error) {
	c, err := s.Communities.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canManage(p, c) {
		return nil, community.ErrNotCommunityAdmin
	}
	return c, nil
}

// skipOf turns a 1-based page into an offset without overflowing.
func skipOf(pg communityport.Page) int { return kernel.PageOffset(pg.Page, pg.Limit) }

// views adds member counts to communities (one count for the whole page).
func (s *Service) views(ctx context.Context, cs []*community.Community) ([]communityport.CommunityView, error) {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID()
	}
	counts, err := s.Members.Count(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]communityport.CommunityView, len(cs))
	for i, c := range cs {
		out[i] = communityport.CommunityView{Community: c, MemberCount: counts[c.ID()]}
	}
	return out, nil
}

func (s *Service) view(ctx context.Context, c *community.Community) (communityport.CommunityView, error) {
	vs, err := s.views(ctx, []*community.Community{c})
	if err != nil {
		return communityport.CommunityView{}, err
	}
	return vs[0], nil
}

func isNotFound(err error) bool { return kernel.KindOf(err) == kernel.KindNotFound }

// gone reports whether err says the community no longer exists.
func gone(err error) bool { return errors.Is(err, community.ErrCommunityNotFound) }
