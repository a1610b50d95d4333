package identityapp

import (
	"context"

	"strings"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Authenticate verifies an access token and returns who is calling.
//
// The hot path does no store round trip and, for a token seen in the last
// Settings.AuthCacheTTL (≤ 5 s), no signature check either: verified tokens are
// remembered (see verifiedTokens), and the session/user check is cached per
// session for at most Settings.AuthCacheTTL. Changes made by this instance (logout, revocation, role or status
// change, deletion) evict the cache at once; changes made by another replica are
// seen when the entry expires.
func (s *Service) Authenticate(ctx context.Context, accessToken string) (kernel.Principal, error) {
	now := s.Clock.Now()
	claims, ok := s.tokens.get(accessToken, now)
	if !ok {
		var err error
		if claims, err = s.Issuer.Verify(accessToken, now); err != nil {
			return kernel.Principal{}, err
		}
		s.tokens.put(accessToken, claims, now, s.settings.AuthCacheTTL)
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
		s.cache.put(claims.SessionID, cacheEntry{valid: false, principal: kernel.Principal{UserID: claims.UserID}, expires: now.Add(s.settings.AuthCacheTTL)})
		return kernel.Principal{}, identity.ErrInvalidToken
	}
	s.cache.put(claims.SessionID, cacheEntry{valid: true, principal: p, expires: now.Add(s.settings.AuthCacheTTL)})
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
func (s *Service) forgetUser(id string)    { s.cache.deleteUser(id) }

// isNotFound reports whether err means "no such record".
func isNotFound(err error) bool { return kernel.KindOf(err) == kernel.KindNotFound }

type cacheEntry struct {
	valid     bool
	principal kernel.Principal
	expires   time.Time
}

// principalCache is a bounded map of session id → authentication outcome.
type principalCache struct {
	mu      sync.RWMutex
	max     int
	entries map[string]cacheEntry
}

func newPrincipalCache(max int) *principalCache {
	return &principalCache{max: max, entries: make(map[string]cacheEntry)}
}

func (c *principalCache) get(sid string, now time.Time) (cacheEntry, bool) {
	c.mu.RLock()
	e, ok := c.entries[sid]
	c.mu.RUnlock()
	if !ok || !now.Before(e.expires) {
		return cacheEntry{}, false
	}
	return e, true
}

func (c *principalCache) put(sid string, e cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Crude but bounded: dropping everything costs one reload per live session.
		c.entries = make(map[string]cacheEntry)
	}
	c.entries[sid] = e
}

func (c *principalCache) delete(sid string) {
	c.mu.Lock()
	delete(c.entries, sid)
	c.mu.Unlock()
}

func (c *principalCache) deleteUser(userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for sid, e := range c.entries {
		if e.principal.UserID == userID {
			delete(c.entries, sid)
		}
	}
}

// ForgetUser drops cached authentication results of a user ("" drops all), after
// a change made on this instance to something they depend on (roles).
func (s *Service) ForgetUser(userID string) {
	if userID == "" {
		s.cache.mu.Lock()
		s.cache.entries = make(map[string]cacheEntry)
		s.cache.mu.Unlock()
		return
	}
	s.forgetUser(userID)
}
