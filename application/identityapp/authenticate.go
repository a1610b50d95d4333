package identityapp

import (
	"context"
	"strings"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Authenticate verifies an access token and returns who is calling.
//
// The hot path does no store round trip and, for a token seen in the last
// Settings.AuthCacheTTL (≤ 5 s), no signature check either: verified tokens
// are remembered (see verify), and the session/user check is cached per
// session for at most Settings.AuthCacheTTL. Changes made by this instance
// (logout, revocation, role or status change, deletion) evict the cache at
// once; changes made by another replica are seen when the entry expires.
func (s *Service) Authenticate(ctx context.Context, accessToken string) (kernel.Principal, error) {
	now := s.Clock.Now()
	claims, err := s.verify(accessToken, now)
	if err != nil {
		return kernel.Principal{}, err
	}
	if e, ok := s.cache.get(claims.SessionID, now); ok {
		if !e.valid || e.principal.UserID != claims.UserID {
			return kernel.Principal{}, identity.ErrInvalidToken
		}
		return e.principal, nil
	}
	p, err := s.loadPrincipal(ctx, claims.UserID, claims.SessionID, now)
	if err != nil {
		if kernel.KindOf(err) == kernel.KindUnavailable || kernel.KindOf(err) == kernel.KindInternal {
			return kernel.Principal{}, err
		}
		s.cache.put(claims.SessionID, cacheEntry{valid: false, principal: kernel.Principal{UserID: claims.UserID}}, now.Add(s.settings.AuthCacheTTL))
		return kernel.Principal{}, identity.ErrInvalidToken
	}
	s.cache.put(claims.SessionID, cacheEntry{valid: true, principal: p}, now.Add(s.settings.AuthCacheTTL))
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
	if !u.Active {
		return kernel.Principal{}, identity.ErrInvalidToken
	}
	roles, err := s.Roles.ByIDs(ctx, u.RoleIDs)
	if err != nil {
		return kernel.Principal{}, err
	}
	p := kernel.Principal{UserID: u.ID, SessionID: sessionID, RoleIDs: append([]string(nil), u.RoleIDs...)}
	for _, r := range roles {
		p.RoleNames = append(p.RoleNames, strings.ToLower(r.Name))
	}
	return p, nil
}

// forgetSession and forgetUser evict cache entries after a local change.
func (s *Service) forgetSession(id string) { s.cache.delete(id) }
func (s *Service) forgetUser(id string) {
	s.cache.deleteFunc(func(_ string, e cacheEntry) bool { return e.principal.UserID == id })
}

// isNotFound reports whether err means "no such record".
func isNotFound(err error) bool { return kernel.KindOf(err) == kernel.KindNotFound }

// cacheEntry is a session's cached authentication outcome.
type cacheEntry struct {
	valid     bool
	principal kernel.Principal
}

// ForgetUser drops cached authentication results of a user ("" drops all), after
// a change made on this instance to something they depend on (roles).
func (s *Service) ForgetUser(userID string) {
	if userID == "" {
		s.cache.clear()
		return
	}
	s.forgetUser(userID)
}
