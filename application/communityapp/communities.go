package communityapp

import (
	"context"
	"errors"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// Create makes a community whose administrator is the caller (community.create).
// The community, its administrator's membership and the event are written in
// one transaction where the store has them.
func (s *Service) Create(ctx context.Context, p kernel.Principal, in communityport.CreateInput) (communityport.CommunityView, error) {
	var v communityport.CommunityView
	err := s.atomically(ctx, func(ctx context.Context) error {
		var err error
		if v, err = s.create(ctx, p, in); err != nil {
			return err
		}
		return s.appendEvent(ctx, p, communityEvent(audit.ActionCommunityCreate, v.Community.ID(), map[string]string{"name": v.Community.Name()}))
	})
	return v, err
}

func (s *Service) create(ctx context.Context, p kernel.Principal, in communityport.CreateInput) (communityport.CommunityView, error) {
	now := s.now()
	c, err := community.New(kernel.NewID(now), in.Name, in.Description, p.UserID, now)
	if err != nil {
		return communityport.CommunityView{}, err
	}
	if err := s.Communities.Create(ctx, c); err != nil {
		return communityport.CommunityView{}, err
	}
	m := &community.Membership{CommunityID: c.ID(), UserID: p.UserID, Role: community.RoleAdmin, AddedAt: now}
	if err := s.Members.Add(ctx, m); err != nil {
		// Without its membership the community would be half made: take it back.
		_, undo := s.Communities.Delete(context.WithoutCancel(ctx), c.ID())
		s.report(ctx, "undo community creation", undo)
		return communityport.CommunityView{}, err
	}
	// As in join: a creator deleted meanwhile may have had their memberships
	// listed by the deletion's clean-up before this one was stored, which would
	// leave a community administered by nobody who exists. Look them up again.
	if s.deletedMeanwhile(ctx, p.UserID) {
		undoCtx := context.WithoutCancel(ctx)
		undo := s.Members.Remove(undoCtx, c.ID(), p.UserID)
		if undo == nil || errors.Is(undo, community.ErrNotMember) {
			_, undo = s.Communities.Delete(undoCtx, c.ID())
		}
		s.report(ctx, "undo a deleted user's community", undo)
		return communityport.CommunityView{}, kernel.ErrUnauthenticated.WithMessage("Your account has been deleted")
	}
	return communityport.CommunityView{Community: c, MemberCount: 1}, nil
}

// List returns a page of communities; every holder of the module sees them all.
func (s *Service) List(ctx context.Context, _ kernel.Principal, f communityport.ListFilter, pg communityport.Page) ([]communityport.CommunityView, int64, error) {
	cs, total, err := s.Communities.List(ctx, f, skipOf(pg), pg.Limit)
	if err != nil {
		return nil, 0, err
	}
	vs, err := s.views(ctx, cs)
	return vs, total, err
}

// Get returns one community.
func (s *Service) Get(ctx context.Context, _ kernel.Principal, id string) (communityport.CommunityView, error) {
	c, err := s.Communities.Get(ctx, id)
	if err != nil {
		return communityport.CommunityView{}, err
	}
	return s.view(ctx, c)
}

// Update renames or re-describes a community (its administrators, or a global
// admin): community.update, naming the fields changed.
func (s *Service) Update(ctx context.Context, p kernel.Principal, id string, in communityport.UpdateInput) (communityport.CommunityView, error) {
	v, err := s.update(ctx, p, id, in)
	var fields []string
	if in.Name != nil {
		fields = append(fields, "name")
	}
	if in.Description != nil {
		fields = append(fields, "description")
	}
	return v, s.record(ctx, p, communityEvent(audit.ActionCommunityUpdate, id, map[string]string{"fields": strings.Join(fields, ",")}), err)
}

func (s *Service) update(ctx context.Context, p kernel.Principal, id string, in communityport.UpdateInput) (communityport.CommunityView, error) {
	if _, err := s.managed(ctx, p, id); err != nil {
		return communityport.CommunityView{}, err
	}
	if in.Name != nil {
		if _, err := community.ParseName(*in.Name); err != nil {
			return communityport.CommunityView{}, err
		}
	}
	now := s.now()
	c, err := s.Communities.Update(ctx, id, func(c *community.Community) error {
		if !canManage(p, c) { // an administrator removed meanwhile
			return community.ErrNotCommunityAdmin
		}
		if in.Name != nil {
			if err := c.Rename(*in.Name, now); err != nil {
				return err
			}
		}
		if in.Description != nil {
			c.Describe(*in.Description, now)
		}
		return nil
	})
	if err != nil {
		return communityport.CommunityView{}, err
	}
	return s.view(ctx, c)
}

// Delete removes a community that holds no datasets, then its memberships, join
// requests and logo. Once the community is gone nothing can be added to it (see
// AddMember), so the clean-up only reports failures: the community stays
// deleted. It records community.delete.
func (s *Service) Delete(ctx context.Context, p kernel.Principal, id string) error {
	return s.record(ctx, p, communityEvent(audit.ActionCommunityDelete, id, nil), s.delete(ctx, p, id))
}

func (s *Service) delete(ctx context.Context, p kernel.Principal, id string) error {
	if _, err := s.managed(ctx, p, id); err != nil {
		return err
	}
	n, err := s.Datasets.CountInCommunity(ctx, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return community.ErrHasDatasets
	}
	c, err := s.Communities.Delete(ctx, id)
	if err != nil {
		return err
	}
	s.cleanUp(context.WithoutCancel(ctx), id)
	if c.HasLogo() {
		s.report(ctx, "delete community logo", s.Blobs.Delete(context.WithoutCancel(ctx), c.LogoKey()))
	}
	return nil
}

// cleanUp removes what belongs to a deleted community.
func (s *Service) cleanUp(ctx context.Context, id string) {
	s.report(ctx, "delete community memberships", s.Members.RemoveAllInCommunity(ctx, id))
	s.report(ctx, "delete community join requests", s.Requests.DeleteAllInCommunity(ctx, id))
}

// UserCommunities lists the communities a user belongs to: one's own, or
// anyone's with the users module.
func (s *Service) UserCommunities(ctx context.Context, p kernel.Principal, userID string, pg communityport.Page) ([]communityport.CommunityView, int64, error) {
	if !p.IsSelf(userID) {
		if !p.CanManageUsers() {
			return nil, 0, community.ErrNotAllowed
		}
		if _, err := s.Users.Get(ctx, userID); err != nil {
			return nil, 0, err
		}
	}
	ms, total, err := s.Members.ListByUser(ctx, userID, skipOf(pg), pg.Limit)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.CommunityID
	}
	cs, err := s.Communities.GetMany(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	vs, err := s.views(ctx, cs)
	return vs, total, err
}
