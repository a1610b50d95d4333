package identity

import (
	"slices"
	"time"
)

// Session is one signed-in device: the refresh-token family that access tokens
// point to through their sid claim.
type Session struct {
	ID     string
	UserID string
	// RefreshHash is the SHA-256 of the current refresh secret; only hashes are stored.
	RefreshHash string
	// PreviousHashes are the rotated-away secrets: presenting one again means theft.
	PreviousHashes []string
	// RotationNonce is the random value the current secret was derived with
	// from the previous one, so that the previous secret presented again
	// within the grace interval gets the current secret back; empty before
	// the first rotation.
	RotationNonce string
	RotatedAt     time.Time
	CreatedAt     time.Time
	LastUsedAt    time.Time
	// ExpiresAt slides forward on each refresh; AbsoluteExpiresAt never moves.
	ExpiresAt         time.Time
	AbsoluteExpiresAt time.Time
	RevokedAt         *time.Time
	IP                string
	UserAgent         string
	Revision          int64
}

// ActiveAt reports whether the session may still be used at now.
func (s *Session) ActiveAt(now time.Time) bool {
	return s.RevokedAt == nil && now.Before(s.ExpiresAt) && now.Before(s.AbsoluteExpiresAt)
}

// RefreshOutcome is what presenting a refresh secret to a session means.
type RefreshOutcome int

// Refresh outcomes.
const (
	RefreshRejected RefreshOutcome = iota // unknown secret or dead session
	RefreshRotate                         // the current secret: rotate
	RefreshReused                         // a rotated-away secret: theft, revoke
	RefreshRetry                          // the last rotated-away secret within the grace interval: answer as its rotation did
)

// ClassifyRefresh decides what a presented secret hash means for this session.
// grace is REFRESH_REUSE_INTERVAL: a client retrying a lost response within it is not a thief.
func (s *Session) ClassifyRefresh(hash string, now time.Time, grace time.Duration) RefreshOutcome {
	if !s.ActiveAt(now) {
		return RefreshRejected
	}
	if hash == s.RefreshHash {
		return RefreshRotate
	}
	if i := slices.Index(s.PreviousHashes, hash); i >= 0 {
		if grace > 0 && i == len(s.PreviousHashes)-1 && now.Sub(s.RotatedAt) <= grace {
			return RefreshRetry
		}
		return RefreshReused
	}
	return RefreshRejected
}

// Rotate replaces the current secret, derived with nonce from the presented
// one, and slides the expiry, never past the absolute limit.
func (s *Session) Rotate(newHash, nonce string, now time.Time, sliding time.Duration) {
	s.PreviousHashes = append(s.PreviousHashes, s.RefreshHash)
	const keep = 20 // bounded history; older secrets are long expired in practice
	if len(s.PreviousHashes) > keep {
		s.PreviousHashes = s.PreviousHashes[len(s.PreviousHashes)-keep:]
	}
	s.RefreshHash = newHash
	s.RotationNonce = nonce
	s.RotatedAt = now
	s.LastUsedAt = now
	s.ExpiresAt = now.Add(sliding)
	if s.ExpiresAt.After(s.AbsoluteExpiresAt) {
		s.ExpiresAt = s.AbsoluteExpiresAt
	}
}

// Revoke ends the session; revoking twice keeps the first time.
func (s *Session) Revoke(now time.Time) {
	if s.RevokedAt == nil {
		s.RevokedAt = &now
	}
}
