package identityapp

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// verifiedTokens remembers access tokens whose signature and claims checked
// out, so that a client calling again with the same token skips the Ed25519
// verification (the largest cost of an authenticated request after the
// handler's own work). An entry lives until the token expires or for
// Settings.AuthCacheTTL, whichever is sooner, so nothing about a token is
// trusted for longer than the session check itself. The session and user behind the token are still checked through the
// principal cache, so logout and revocation work as before.
//
// Entries are keyed by the token's SHA-256, not the token: the map never
// holds a usable credential.
type verifiedTokens struct {
	mu      sync.RWMutex
	max     int
	entries map[[sha256.Size]byte]verifiedToken
}

type verifiedToken struct {
	claims identityport.AccessClaims
	until  time.Time
}

func newVerifiedTokens(max int) *verifiedTokens {
	return &verifiedTokens{max: max, entries: make(map[[sha256.Size]byte]verifiedToken)}
}

// get returns the claims of token when it was verified and the entry is still
// good at now.
func (c *verifiedTokens) get(token string, now time.Time) (identityport.AccessClaims, bool) {
	key := sha256.Sum256([]byte(token))
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) || !now.Before(e.claims.ExpiresAt) {
		return identityport.AccessClaims{}, false
	}
	return e.claims, true
}

// put remembers a verified token for ttl at most, never past its expiry.
func (c *verifiedTokens) put(token string, claims identityport.AccessClaims, now time.Time, ttl time.Duration) {
	until := now.Add(ttl)
	if claims.ExpiresAt.Before(until) {
		until = claims.ExpiresAt
	}
	if !now.Before(until) {
		return // expired already (accepted within the issuer's leeway): nothing to save
	}
	key := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Crude but bounded: dropping everything costs one verification per live token.
		c.entries = make(map[[sha256.Size]byte]verifiedToken)
	}
	c.entries[key] = verifiedToken{claims: claims, until: until}
}
