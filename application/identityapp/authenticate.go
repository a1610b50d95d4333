package identityapp

import (
	"context"
	"strings"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Authenticate verifies an access token and returns who is calling: the
// token's signature and claims, then its session and user as stored now, so
// that a logout, a revocation or a disabled account is refused at once, on
// every replica.
func (s *Service) Authenticate(ctx context.Context, accessToken string) (kernel.Principal, error) {
	now := s.Clock.Now()
	claims, err := s.Issuer.Verify(accessToken, now)
	if err != nil {
		return kernel.Principal{}, err
	}
	return s.SessionPrincipal(ctx, claims.UserID, claims.SessionID)
}

// SessionPrincipal loads a session and its user as stored now.
func (s *Service) SessionPrincipal(ctx context.Context, userID, sessionID string) (kernel.Principal, error) {
	p, err := s.loadPrincipal(ctx, userID, sessionID, s.Clock.Now())
	if err != nil {
		if kernel.KindOf(err) == kernel.KindUnavailable || kernel.KindOf(err) == kernel.KindInternal {
			return kernel.Principal{}, err
		}
		return kernel.Principal{}, identity.ErrInvalidToken
	}
	return p, nil
}

func (s *Service) loadPrincipal(ctx context.Context, userID, sessionID string, now time.Time) (kernel.Principal, error) {
	sess, err := s.SessionStore.Get(ctx, sessionID)
	if err != nil {
		return kernel.Principal{}, err
	}
	if sess.UserID != userID || !sess.ActiveAt(now) {
		return kernel.Principal{}, identity.ErrInvalidToken
	}
	u, err := s.Users.Get(ctx, userID)
	if err != nil {
		return kernel.Principal{}, err
	}
	if !u.Active() {
		return kernel.Principal{}, identity.ErrInvalidToken
	}
	roles, err := s.Roles.ByIDs(ctx, u.RoleIDs())
	if err != nil {
		return kernel.Principal{}, err
	}
	p := kernel.Principal{UserID: u.ID(), SessionID: sessionID, RoleIDs: u.RoleIDs()}
	for _, r := range roles {
		p.RoleNames = append(p.RoleNames, strings.ToLower(r.Name))
	}
	return p, nil
}

// isNotFound reports whether err means "no such record".
func isNotFound(err error) bool { return kernel.KindOf(err) == kernel.KindNotFound }
