package communityapp

import (
	"bytes"
	"context"
	"io"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// SetLogo stores a new logo and drops the one it replaces. The caller's rights
// are checked before the upload is read.
//
// It records community.logo_update.
func (s *Service) SetLogo(ctx context.Context, p kernel.Principal, id string, read communityport.LogoReader) (communityport.CommunityView, error) {
	v, err := s.setLogo(ctx, p, id, read)
	return v, s.record(ctx, p, communityEvent(audit.ActionCommunityLogoUpdate, id, nil), err)
}

func (s *Service) setLogo(ctx context.Context, p kernel.Principal, id string, read communityport.LogoReader) (communityport.CommunityView, error) {
	if _, err := s.managed(ctx, p, id); err != nil {
		return communityport.CommunityView{}, err
	}
	logo, err := read()
	if err != nil {
		return communityport.CommunityView{}, err
	}
	info, err := s.Blobs.Put(ctx, bytes.NewReader(logo.Data), community.MaxLogoBytes)
	if err != nil {
		return communityport.CommunityView{}, err
	}
	now := s.now()
	var replaced string
	c, err := s.Communities.Update(ctx, id, func(c *community.Community) error {
		if !canManage(p, c) {
			return community.ErrNotCommunityAdmin
		}
		replaced = c.SetLogo(info.Key, logo.ContentType, info.SHA256, now)
		return nil
	})
	if err != nil {
		s.report(ctx, "delete unused logo", s.Blobs.Delete(context.WithoutCancel(ctx), info.Key))
		return communityport.CommunityView{}, err
	}
	if replaced != "" && replaced != info.Key {
		s.report(ctx, "delete replaced logo", s.Blobs.Delete(context.WithoutCancel(ctx), replaced))
	}
	return s.view(ctx, c)
}

// Logo describes a community's logo; ErrNoLogo when it has none.
func (s *Service) Logo(ctx context.Context, _ kernel.Principal, id string) (communityport.LogoFile, error) {
	c, err := s.Communities.Get(ctx, id)
	if err != nil {
		return communityport.LogoFile{}, err
	}
	if !c.HasLogo() {
		return communityport.LogoFile{}, community.ErrNoLogo
	}
	key := c.LogoKey()
	return communityport.LogoFile{
		ContentType: c.LogoContentType(),
		ETag:        c.LogoETag(),
		Open: func(ctx context.Context) (io.ReadCloser, error) {
			r, err := s.Blobs.Open(ctx, key, 0, -1)
			if isNotFound(err) {
				return nil, community.ErrNoLogo // replaced or deleted since it was described
			}
			return r, err
		},
	}, nil
}
