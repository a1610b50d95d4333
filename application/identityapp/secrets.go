package identityapp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Refresh and one-time tokens are "<record id>.<256-bit secret>": the id makes the
// lookup a primary-key read (the only fast one on the embedded store); only a hash
// of the secret is stored, so a database leak yields no usable token.

func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// deriveSecret is the refresh secret that follows secret: an HMAC keyed with
// a random nonce the session stores. Whoever holds only the old secret cannot
// compute it, and the stored nonce and hashes alone give neither.
func deriveSecret(secret, nonce string) string {
	mac := hmac.New(sha256.New, []byte(nonce))
	mac.Write([]byte(secret))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// boundHash is the stored hash of a one-time secret bound to a value (such as the
// address a verification mail went to); an empty binding is the plain hash.
func boundHash(secret, binding string) string {
	if binding == "" {
		return hashSecret(secret)
	}
	return hashSecret(secret + "\x00" + binding)
}

func joinToken(id, secret string) string { return id + "." + secret }

// splitToken parses "<id>.<secret>"; ok is false for anything malformed.
func splitToken(tok string) (id, secret string, ok bool) {
	id, secret, found := strings.Cut(strings.TrimSpace(tok), ".")
	if !found || !kernel.IsID(id) || len(secret) != 43 {
		return "", "", false
	}
	return strings.ToLower(id), secret, true
}

func sameHash(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
