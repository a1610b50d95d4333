package identityapp

import (
	"crypto/sha256"
	"time"

	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// verify checks an access token's signature and claims, or finds it checked
// already: verified tokens are remembered, so that a client calling again with
// the same token skips the Ed25519 verification (the largest cost of an
// authenticated request after the handler's own work). An entry lives until
// the token expires or for Settings.AuthCacheTTL, whichever is sooner, so
// nothing about a token is trusted for longer than the session check itself.
// The session and user behind the token are still checked through the
// principal cache, so logout and revocation work as before. Failures are never
// remembered.
//
// Entries are keyed by the token's SHA-256, not the token: the map never holds
// a usable credential.
func (s *Service) verify(token string, now time.Time) (identityport.AccessClaims, error) {
	key := sha256.Sum256([]byte(token))
	if claims, ok := s.tokens.get(key, now); ok {
		return claims, nil
	}
	claims, err := s.Issuer.Verify(token, now)
	if err != nil {
		return identityport.AccessClaims{}, err
	}
	until := now.Add(s.settings.AuthCacheTTL)
	if claims.ExpiresAt.Before(until) {
		until = claims.ExpiresAt
	}
	s.tokens.put(key, claims, until) // an until not after now (accepted within the leeway) is never found
	return claims, nil
}
