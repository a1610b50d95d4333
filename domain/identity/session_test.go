package identity_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
)

const (
	grace   = 30 * time.Second
	sliding = 7 * 24 * time.Hour
)

// rotatedSession is live at t0+1h: created at t0, rotated twice (h0 → h1 → h2),
// the last time at t0+1h.
func rotatedSession() *identity.Session {
	rotated := t0.Add(time.Hour)
	return &identity.Session{
		ID: "s1", UserID: "u1",
		RefreshHash:       "h2",
		PreviousHashes:    []string{"h0", "h1"},
		CreatedAt:         t0,
		RotatedAt:         rotated,
		LastUsedAt:        rotated,
		ExpiresAt:         rotated.Add(sliding),
		AbsoluteExpiresAt: t0.Add(30 * 24 * time.Hour),
	}
}

func TestClassifyRefresh(t *testing.T) {
	t.Parallel()
	rotated := t0.Add(time.Hour)
	revokedAt := rotated.Add(time.Minute)
	cases := []struct {
		name  string
		edit  func(s *identity.Session)
		hash  string
		at    time.Time
		grace time.Duration
		want  identity.RefreshOutcome
	}{
		{"current_secret_rotates", nil, "h2", rotated.Add(time.Hour), grace, identity.RefreshRotate},
		{"current_secret_rotates_without_grace", nil, "h2", rotated.Add(time.Second), 0, identity.RefreshRotate},
		{"older_previous_secret_is_reuse_even_within_grace", nil, "h0", rotated.Add(time.Second), grace, identity.RefreshReused},
		{"last_previous_secret_within_grace_is_retry", nil, "h1", rotated.Add(time.Second), grace, identity.RefreshRetry},
		{"last_previous_secret_at_the_grace_limit_is_retry", nil, "h1", rotated.Add(grace), grace, identity.RefreshRetry},
		{"last_previous_secret_outside_grace_is_reuse", nil, "h1", rotated.Add(grace + time.Millisecond), grace, identity.RefreshReused},
		{"last_previous_secret_without_grace_is_reuse", nil, "h1", rotated, 0, identity.RefreshReused},
		{"unknown_secret_is_rejected", nil, "nope", rotated.Add(time.Second), grace, identity.RefreshRejected},
		{"empty_secret_is_rejected", nil, "", rotated.Add(time.Second), grace, identity.RefreshRejected},
		{"revoked_session_rejects_current", func(s *identity.Session) { s.Revoke(revokedAt) }, "h2", revokedAt.Add(time.Second), grace, identity.RefreshRejected},
		{"revoked_session_rejects_previous", func(s *identity.Session) { s.Revoke(revokedAt) }, "h1", revokedAt.Add(time.Second), grace, identity.RefreshRejected},
		{"expired_session_rejects_current", nil, "h2", rotated.Add(sliding), grace, identity.RefreshRejected},
		{"just_before_expiry_rotates", nil, "h2", rotated.Add(sliding - time.Nanosecond), grace, identity.RefreshRotate},
		{"absolutely_expired_session_rejects_current", func(s *identity.Session) {
			s.AbsoluteExpiresAt = rotated.Add(time.Hour)
		}, "h2", rotated.Add(time.Hour), grace, identity.RefreshRejected},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := rotatedSession()
			if c.edit != nil {
				c.edit(s)
			}
			if got := s.ClassifyRefresh(c.hash, c.at, c.grace); got != c.want {
				t.Errorf("ClassifyRefresh(%q) = %d, want %d", c.hash, got, c.want)
			}
		})
	}
}

func TestRotate(t *testing.T) {
	t.Parallel()

	t.Run("replaces_the_secret_and_slides_the_expiry", func(t *testing.T) {
		t.Parallel()
		s := rotatedSession()
		now := t0.Add(2 * time.Hour)
		s.Rotate("h3", "nonce", now, sliding)
		if s.RefreshHash != "h3" || s.RotationNonce != "nonce" {
			t.Errorf("RefreshHash = %q, RotationNonce = %q; want h3, nonce", s.RefreshHash, s.RotationNonce)
		}
		if got := fmt.Sprint(s.PreviousHashes); got != "[h0 h1 h2]" {
			t.Errorf("PreviousHashes = %s, want [h0 h1 h2]", got)
		}
		if !s.RotatedAt.Equal(now) || !s.LastUsedAt.Equal(now) || !s.ExpiresAt.Equal(now.Add(sliding)) {
			t.Errorf("RotatedAt %v, LastUsedAt %v, ExpiresAt %v; want %v, %v, %v",
				s.RotatedAt, s.LastUsedAt, s.ExpiresAt, now, now, now.Add(sliding))
		}
		if !s.AbsoluteExpiresAt.Equal(t0.Add(30 * 24 * time.Hour)) {
			t.Errorf("AbsoluteExpiresAt moved to %v", s.AbsoluteExpiresAt)
		}
		// the secret just replaced is now the retry candidate, the new one rotates
		if got := s.ClassifyRefresh("h2", now.Add(time.Second), grace); got != identity.RefreshRetry {
			t.Errorf("ClassifyRefresh(replaced secret) = %d, want retry", got)
		}
		if got := s.ClassifyRefresh("h3", now.Add(time.Second), grace); got != identity.RefreshRotate {
			t.Errorf("ClassifyRefresh(new secret) = %d, want rotate", got)
		}
	})

	t.Run("caps_the_expiry_at_the_absolute_limit", func(t *testing.T) {
		t.Parallel()
		s := rotatedSession()
		now := s.AbsoluteExpiresAt.Add(-time.Hour)
		s.Rotate("h3", "nonce", now, sliding)
		if !s.ExpiresAt.Equal(s.AbsoluteExpiresAt) {
			t.Errorf("ExpiresAt = %v, want the absolute limit %v", s.ExpiresAt, s.AbsoluteExpiresAt)
		}
		if !s.ActiveAt(now) || s.ActiveAt(s.AbsoluteExpiresAt) {
			t.Error("the session must stay usable until, and not at, its absolute limit")
		}
	})

	t.Run("keeps_a_bounded_history_of_the_newest_secrets", func(t *testing.T) {
		t.Parallel()
		s := rotatedSession()
		s.PreviousHashes = nil
		s.RefreshHash = "r0"
		now := t0
		for i := 1; i <= 30; i++ {
			now = now.Add(time.Minute)
			s.Rotate(fmt.Sprintf("r%d", i), "nonce", now, sliding)
		}
		if len(s.PreviousHashes) != 20 {
			t.Fatalf("history has %d secrets, want 20", len(s.PreviousHashes))
		}
		if first, last := s.PreviousHashes[0], s.PreviousHashes[19]; first != "r10" || last != "r29" {
			t.Errorf("history runs %s … %s, want r10 … r29", first, last)
		}
		if got := s.ClassifyRefresh("r29", now.Add(time.Second), grace); got != identity.RefreshRetry {
			t.Errorf("last replaced secret = %d, want retry", got)
		}
		if got := s.ClassifyRefresh("r15", now.Add(time.Second), grace); got != identity.RefreshReused {
			t.Errorf("a remembered older secret = %d, want reused", got)
		}
	})
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	s := rotatedSession()
	first, second := t0.Add(2*time.Hour), t0.Add(3*time.Hour)
	s.Revoke(first)
	s.Revoke(second)
	if s.RevokedAt == nil || !s.RevokedAt.Equal(first) {
		t.Errorf("RevokedAt = %v, want the first revocation %v", s.RevokedAt, first)
	}
	if s.ActiveAt(first) {
		t.Error("a revoked session is active")
	}
}
