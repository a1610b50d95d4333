package datasetapp

import (
	"context"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// ErrLinksOff is the error of download links on a service built without
// their ports.
var ErrLinksOff = kernel.NewError(kernel.KindInternal, "download_links_off", "Internal Server Error")

// CreateDownloadLink signs a link to a version the caller may download now,
// bound to the caller's session, and records it in the access log.
func (s *Service) CreateDownloadLink(ctx context.Context, p kernel.Principal, id string, version int) (datasetport.DownloadLink, error) {
	meta := kernel.RequestMetaFrom(ctx)
	if s.deps.Links == nil || s.deps.Callers == nil {
		return datasetport.DownloadLink{}, ErrLinksOff
	}
	dl, err := s.Open(ctx, p, id, version, 0, -1, false)
	if err != nil {
		return datasetport.DownloadLink{}, err
	}
	now := s.deps.Clock.Now()
	// A link's expiry has whole seconds: the one it says is the one it has.
	expires := now.Add(s.set.LinkTTL).Truncate(time.Second).UTC()
	token, err := s.deps.Links.Sign(datasetport.LinkClaims{
		DatasetID: dl.Dataset.ID(), Version: dl.Version.Number, UserID: p.UserID, SessionID: p.SessionID, ExpiresAt: expires,
	}, now)
	if err != nil {
		return datasetport.DownloadLink{}, err
	}
	s.log(ctx, dl.Dataset, p, "link", dl.Version.Number, meta)
	return datasetport.DownloadLink{Token: token, ExpiresAt: expires}, nil
}

// OpenLink checks a link, then who its user is now (signed in still, in the
// session the link was made in, allowed to use datasets), then opens the
// version as Open would for them: a download through a link is theirs in
// the access log and the audit trail.
func (s *Service) OpenLink(ctx context.Context, token string, offset, length int64, open bool) (datasetport.Download, kernel.Principal, error) {
	if s.deps.Links == nil || s.deps.Callers == nil {
		return datasetport.Download{}, kernel.Principal{}, ErrLinksOff
	}
	c, err := s.deps.Links.Verify(token, s.deps.Clock.Now())
	if err != nil {
		return datasetport.Download{}, kernel.Principal{}, err
	}
	p, err := s.deps.Callers.Caller(ctx, c.UserID, c.SessionID)
	if err != nil {
		if kernel.KindOf(err) == kernel.KindUnauthenticated {
			return datasetport.Download{}, kernel.Principal{}, kernel.Wrap(dataset.ErrLinkRevoked, err)
		}
		return datasetport.Download{}, kernel.Principal{}, err
	}
	if !p.MayUse(kernel.ModuleDatasets) {
		return datasetport.Download{}, kernel.Principal{}, dataset.ErrLinkRevoked
	}
	meta := kernel.RequestMetaFrom(ctx)
	meta.ActorID = p.UserID
	dl, err := s.Open(kernel.WithRequestMeta(ctx, meta), p, c.DatasetID, c.Version, offset, length, open)
	switch {
	case errors.Is(err, dataset.ErrGrantRequired):
		return datasetport.Download{}, p, kernel.Wrap(dataset.ErrLinkRevoked, err)
	case errors.Is(err, dataset.ErrNotFound):
		// Gone, or no longer the user's to see.
		if _, gerr := s.deps.Datasets.Get(ctx, c.DatasetID); gerr == nil {
			return datasetport.Download{}, p, kernel.Wrap(dataset.ErrLinkRevoked, err)
		}
		return datasetport.Download{}, p, err
	case err != nil:
		return datasetport.Download{}, p, err
	}
	return dl, p, nil
}
