// Package governanceapp implements data-use governance: terms and consents,
// access requests and their decisions, time-bound grants, the public register
// of data uses, and the notices that come due as grants end (the reminder
// mail and the grant.expire audit event), claimed in the store so that each is
// done once however many instances run.
package governanceapp

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Deps are the driven ports the governance use cases need.
type Deps struct {
	Terms       governanceport.TermsRepository
	Consents    governanceport.ConsentRepository
	Requests    governanceport.AccessRequestRepository
	Grants      governanceport.GrantRepository
	Notices     governanceport.NoticeClaimRepository
	Datasets    governanceport.Datasets
	Communities governanceport.Communities
	Users       governanceport.Users
	Mailer      platformport.Mailer
	Clock       platformport.Clock
	Reporter    platformport.ErrorReporter
	// Audit receives the context's audit events (nil: none are recorded).
	Audit auditport.Log
}

// Service implements governanceport.Service.
type Service struct {
	Deps
}

var _ governanceport.Service = (*Service)(nil)

// New builds the governance service.
func New(d Deps) *Service { return &Service{Deps: d} }

func (s *Service) now() time.Time { return kernel.Truncate(s.Clock.Now()) }

// report hands a best-effort failure to the reporter.
func (s *Service) report(ctx context.Context, op string, err error) {
	if err != nil && s.Reporter != nil {
		s.Reporter.Report(ctx, op, err)
	}
}

// skipOf turns a 1-based page into an offset without overflowing.
func skipOf(pg governanceport.Page) int {
	if pg.Page <= 1 || pg.Limit <= 0 {
		return 0
	}
	if pg.Page-1 > math.MaxInt/pg.Limit {
		return math.MaxInt
	}
	return (pg.Page - 1) * pg.Limit
}

// decidable loads a dataset the caller decides on: hidden → 404, not a decider → 403.
func (s *Service) decidable(ctx context.Context, p kernel.Principal, datasetID string) (governanceport.Dataset, error) {
	ds, err := s.Datasets.Dataset(ctx, p, datasetID)
	if err != nil {
		return governanceport.Dataset{}, err
	}
	if !ds.CanDecide {
		return governanceport.Dataset{}, governance.ErrNotDecider
	}
	return ds, nil
}

// community loads a community; a caller who must administer it gets 403 otherwise.
func (s *Service) community(ctx context.Context, p kernel.Principal, id string, mustAdminister bool) (governanceport.Community, error) {
	c, err := s.Communities.Community(ctx, id)
	if err != nil {
		return governanceport.Community{}, err
	}
	if mustAdminister && !p.IsAdmin() && !slices.Contains(c.AdminIDs, p.UserID) {
		return governanceport.Community{}, governance.ErrNotCommunityAdmin
	}
	return c, nil
}

func isNotFound(err error) bool { return kernel.KindOf(err) == kernel.KindNotFound }

// orNil maps a not-found error to nil, for lookups that may find nothing.
func orNil[T any](v *T, err error) (*T, error) {
	if err != nil && isNotFound(err) {
		return nil, nil
	}
	return v, err
}

// unavailable reports a store that did not answer.
func unavailable(err error) bool { return kernel.KindOf(err) == kernel.KindUnavailable }
