package governance_test

import (
	"errors"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/governance"
)

var subject = governance.Subject{DatasetTitle: "Noise 2025", CommunityID: "c1", CommunityName: "Riverside"}

func activeGrant(t *testing.T, expiresAt time.Time) *governance.Grant {
	t.Helper()
	r := pendingRequest(t)
	if err := r.Approve("d-er", "g1", "", t0); err != nil {
		t.Fatal(err)
	}
	g, err := governance.NewGrant(r, subject, expiresAt, t0)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestNewGrantCopiesTheApprovedRequest(t *testing.T) {
	t.Parallel()
	end := t0.Add(10 * 24 * time.Hour)
	g := activeGrant(t, end)
	if g.ID != "g1" || g.RequestID != "r1" || g.DatasetID != "d1" || g.GranteeID != "u1" || g.GrantedBy != "d-er" ||
		g.Purpose != purpose || g.Organization != "City Lab" || g.TermsVersion != 2 || !g.GrantedAt.Equal(t0) ||
		!g.ExpiresAt.Equal(end) || g.DatasetTitle != "Noise 2025" || g.CommunityID != "c1" || g.CommunityName != "Riverside" || g.RevokedAt != nil {
		t.Errorf("NewGrant = %+v", *g)
	}
}

func TestNewGrantChecksItsEnd(t *testing.T) {
	t.Parallel()
	r := pendingRequest(t) // requested until t0 + 30 days
	if _, err := governance.NewGrant(r, subject, t0.Add(time.Hour), t0); !errors.Is(err, governance.ErrRequestNotPending) {
		t.Errorf("a grant of a pending request: %v", err)
	}
	if err := r.Approve("d-er", "g1", "", t0); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		end  time.Time
		want error
	}{
		{"the_requested_end", r.RequestedUntil, nil},
		{"earlier", t0.Add(time.Hour), nil},
		{"after_the_requested_end", r.RequestedUntil.Add(time.Millisecond), governance.ErrExpiresAtAfterRequest},
		{"now", t0, governance.ErrExpiresAtPast},
		{"in_the_past", t0.Add(-time.Hour), governance.ErrExpiresAtPast},
	}
	for _, c := range cases {
		_, err := governance.NewGrant(r, subject, c.end, t0)
		if (c.want == nil && err != nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

// A grant is active while now < expires_at and it is not revoked: a moment
// one millisecond (the stored precision) after the end is past it.
func TestGrantStatusAt(t *testing.T) {
	t.Parallel()
	end := t0.Add(10 * 24 * time.Hour)
	revoked := activeGrant(t, end)
	if err := revoked.Revoke("u1", "consent withdrawn", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		g    *governance.Grant
		at   time.Time
		want governance.GrantStatus
	}{
		{"at_the_grant", activeGrant(t, end), t0, governance.GrantActive},
		{"a_millisecond_before_the_end", activeGrant(t, end), end.Add(-time.Millisecond), governance.GrantActive},
		{"at_the_end", activeGrant(t, end), end, governance.GrantExpired},
		{"a_second_after_the_end", activeGrant(t, end), end.Add(time.Second), governance.GrantExpired},
		{"revoked_before_the_end", revoked, t0.Add(2 * time.Hour), governance.GrantRevoked},
		{"revoked_stays_revoked_after_the_end", revoked, end.Add(time.Hour), governance.GrantRevoked},
	}
	for _, c := range cases {
		if got := c.g.StatusAt(c.at); got != c.want {
			t.Errorf("%s: StatusAt = %s, want %s", c.name, got, c.want)
		}
		if got := c.g.ActiveAt(c.at); got != (c.want == governance.GrantActive) {
			t.Errorf("%s: ActiveAt = %t", c.name, got)
		}
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	end := t0.Add(10 * 24 * time.Hour)
	t.Run("an_active_grant_is_revoked_with_its_reason", func(t *testing.T) {
		t.Parallel()
		g := activeGrant(t, end)
		at := t0.Add(time.Hour)
		if err := g.Revoke("d-er", "  purpose fulfilled ", at); err != nil {
			t.Fatal(err)
		}
		if g.RevokedAt == nil || !g.RevokedAt.Equal(at) || g.RevokedBy != "d-er" || g.RevokeReason != "purpose fulfilled" {
			t.Errorf("revoked grant = %+v", *g)
		}
	})
	t.Run("a_reason_is_required", func(t *testing.T) {
		t.Parallel()
		g := activeGrant(t, end)
		if err := g.Revoke("d-er", " ", t0.Add(time.Hour)); !errors.Is(err, governance.ErrInvalidReason) || g.RevokedAt != nil {
			t.Errorf("Revoke without a reason = %v, revoked at %v", err, g.RevokedAt)
		}
	})
	t.Run("a_revoked_grant_cannot_be_revoked_again", func(t *testing.T) {
		t.Parallel()
		g := activeGrant(t, end)
		first := t0.Add(time.Hour)
		if err := g.Revoke("d-er", "first", first); err != nil {
			t.Fatal(err)
		}
		if err := g.Revoke("u1", "second", first.Add(time.Hour)); !errors.Is(err, governance.ErrGrantNotActive) {
			t.Errorf("second Revoke = %v, want ErrGrantNotActive", err)
		}
		if !g.RevokedAt.Equal(first) || g.RevokedBy != "d-er" || g.RevokeReason != "first" {
			t.Errorf("the second revocation changed the grant: %+v", *g)
		}
	})
	t.Run("an_expired_grant_cannot_be_revoked", func(t *testing.T) {
		t.Parallel()
		g := activeGrant(t, end)
		if err := g.Revoke("d-er", "too late", end); !errors.Is(err, governance.ErrGrantNotActive) || g.RevokedAt != nil {
			t.Errorf("Revoke at the end = %v, revoked at %v", err, g.RevokedAt)
		}
	})
}

func TestReminder(t *testing.T) {
	t.Parallel()
	long := activeGrant(t, t0.Add(30*24*time.Hour))
	if !long.WantsReminder() || !long.ReminderAt().Equal(t0.Add(23*24*time.Hour)) {
		t.Errorf("a 30-day grant: WantsReminder %t, ReminderAt %v", long.WantsReminder(), long.ReminderAt())
	}
	if short := activeGrant(t, t0.Add(governance.ReminderLead)); short.WantsReminder() {
		t.Error("a grant of exactly 7 days wants a reminder at its own start")
	}
	if err := long.Revoke("u1", "done", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if long.WantsReminder() {
		t.Error("a revoked grant wants a reminder")
	}
}

func TestGrantCloneDoesNotAlias(t *testing.T) {
	t.Parallel()
	g := activeGrant(t, t0.Add(30*24*time.Hour))
	if err := g.Revoke("u1", "done", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	c := g.Clone()
	*c.RevokedAt = t0
	if g.RevokedAt.Equal(t0) {
		t.Error("Clone shares RevokedAt")
	}
}
