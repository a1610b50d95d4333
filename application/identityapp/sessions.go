package identityapp

import (
	"context"
	"slices"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Logout revokes the caller's session; its access tokens stop working at once here
// and within the cache TTL elsewhere.
func (s *Service) Logout(ctx context.Context, p kernel.Principal) error {
	if err := s.revokeSession(ctx, p.SessionID); err != nil {
		return err
	}
	s.record(ctx, event(ctx, p.UserID, audit.ActionLogout, audit.TargetSession, p.SessionID))
	return nil
}

// LogoutAll revokes every session of the caller, the current one included.
func (s *Service) LogoutAll(ctx context.Context, p kernel.Principal) error {
	if err := s.revokeAll(ctx, p.UserID, ""); err != nil {
		return err
	}
	s.record(ctx, event(ctx, p.UserID, audit.ActionLogoutAll, audit.TargetUser, p.UserID))
	return nil
}

// Sessions lists the caller's live sessions.
func (s *Service) Sessions(ctx context.Context, p kernel.Principal) ([]*identity.Session, error) {
	all, err := s.SessionStore.ListForUser(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	live := all[:0]
	for _, sess := range all {
		if sess.ActiveAt(now) {
			live = append(live, sess)
		}
	}
	// Newest first. Ids only carry whole seconds (the rest is random), so the
	// store's id order does not say which of two sessions opened in one second
	// is newer.
	slices.SortStableFunc(live, func(a, b *identity.Session) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return live, nil
}

// RevokeSession ends one of the caller's own sessions; others' are "not found".
func (s *Service) RevokeSession(ctx context.Context, p kernel.Principal, sessionID string) error {
	sess, err := s.SessionStore.Get(ctx, sessionID)
	if isNotFound(err) || (err == nil && sess.UserID != p.UserID) {
		return identity.ErrSessionNotFound
	}
	if err != nil {
		return err
	}
	if err := s.revokeSession(ctx, sessionID); err != nil {
		return err
	}
	s.record(ctx, event(ctx, p.UserID, audit.ActionSessionRevoke, audit.TargetSession, sessionID))
	return nil
}

func (s *Service) revokeSession(ctx context.Context, id string) error {
	now := s.now()
	_, err := s.SessionStore.Update(ctx, id, func(sess *identity.Session) error {
		sess.Revoke(now)
		return nil
	})
	if isNotFound(err) {
		return nil
	}
	return err
}

func (s *Service) revokeAll(ctx context.Context, userID, except string) error {
	_, err := s.SessionStore.RevokeAllForUser(ctx, userID, except, s.now())
	return err
}
