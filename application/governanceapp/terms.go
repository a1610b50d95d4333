package governanceapp

import (
	"context"
	"errors"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// maxPublishAttempts bounds the retries of a publication that met another
// one of the same version.
const maxPublishAttempts = 8

// PublishTerms publishes the next version of a community's terms: the
// community's admins and global admins. Two publications at once get two
// versions. It records terms.publish.
func (s *Service) PublishTerms(ctx context.Context, p kernel.Principal, communityID string, in governanceport.TermsInput) (*governance.Terms, error) {
	t, err := s.publishTerms(ctx, p, communityID, in)
	e := event(audit.ActionTermsPublish, audit.TargetCommunity, communityID, map[string]string{"community_id": communityID})
	if t != nil {
		e = event(audit.ActionTermsPublish, audit.TargetTerms, t.ID, map[string]string{"community_id": communityID, "version": itoa(t.Version)})
	}
	return t, s.record(ctx, p, e, err)
}

func (s *Service) publishTerms(ctx context.Context, p kernel.Principal, communityID string, in governanceport.TermsInput) (*governance.Terms, error) {
	if _, err := s.community(ctx, p, communityID, true); err != nil {
		return nil, err
	}
	for range maxPublishAttempts {
		current, err := orNil(s.Terms.Current(ctx, communityID))
		if err != nil {
			return nil, err
		}
		now := s.now()
		t, err := governance.NewTerms(kernel.NewID(now), communityID, governance.NextVersion(current), in.Title, in.Body, p.UserID, now)
		if err != nil {
			return nil, err
		}
		err = s.Terms.Create(ctx, t)
		if errors.Is(err, governance.ErrTermsVersionTaken) {
			continue // another publication took this version: take the next one
		}
		if err != nil {
			return nil, err
		}
		return t, nil
	}
	return nil, governance.ErrTermsVersionTaken
}

// ListTerms lists a community's terms, the newest version first.
func (s *Service) ListTerms(ctx context.Context, p kernel.Principal, communityID string, pg governanceport.Page) ([]*governance.Terms, int64, error) {
	if _, err := s.community(ctx, p, communityID, false); err != nil {
		return nil, 0, err
	}
	return s.Terms.List(ctx, communityID, skipOf(pg), pg.Limit)
}

// CurrentTerms returns a community's current terms.
func (s *Service) CurrentTerms(ctx context.Context, p kernel.Principal, communityID string) (*governance.Terms, error) {
	if _, err := s.community(ctx, p, communityID, false); err != nil {
		return nil, err
	}
	return s.Terms.Current(ctx, communityID)
}
