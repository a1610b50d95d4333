package governance_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/governance"
)

func pendingRequest(t *testing.T) *governance.AccessRequest {
	t.Helper()
	r, err := governance.NewAccessRequest("r1", "d1", "u1", governance.RequestInput{
		Purpose: "  " + purpose + "  ", Organization: " City Lab ", RequestedUntil: t0.Add(30 * 24 * time.Hour), TermsVersion: 2,
	}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// decisions apply each way of deciding a request.
var decisions = map[governance.RequestStatus]func(r *governance.AccessRequest, at time.Time) error{
	governance.RequestApproved:  func(r *governance.AccessRequest, at time.Time) error { return r.Approve("d-er", "g1", " welcome ", at) },
	governance.RequestRejected:  func(r *governance.AccessRequest, at time.Time) error { return r.Reject("d-er", "  out of scope  ", at) },
	governance.RequestWithdrawn: func(r *governance.AccessRequest, at time.Time) error { return r.Withdraw(at) },
}

func requestIn(t *testing.T, s governance.RequestStatus) *governance.AccessRequest {
	t.Helper()
	r := pendingRequest(t)
	if s != governance.RequestPending {
		if err := decisions[s](r, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestNewAccessRequestIsPendingAndChecked(t *testing.T) {
	t.Parallel()
	r := pendingRequest(t)
	if r.Status != governance.RequestPending || r.Purpose != purpose || r.Organization != "City Lab" || r.TermsVersion != 2 ||
		r.DecidedAt != nil || r.DecidedBy != "" || r.GrantID != "" || !r.CreatedAt.Equal(t0) || r.RequesterID != "u1" || r.DatasetID != "d1" {
		t.Errorf("new request = %+v", *r)
	}
	bad := []struct {
		name string
		in   governance.RequestInput
		want error
	}{
		{"short_purpose", governance.RequestInput{Purpose: "too short", RequestedUntil: t0.Add(time.Hour)}, governance.ErrInvalidPurpose},
		{"multi_line_organization", governance.RequestInput{Purpose: purpose, Organization: "a\nb", RequestedUntil: t0.Add(time.Hour)}, governance.ErrInvalidOrganization},
		{"long_organization", governance.RequestInput{Purpose: purpose, Organization: strings.Repeat("o", 201), RequestedUntil: t0.Add(time.Hour)}, governance.ErrInvalidOrganization},
		{"past_end", governance.RequestInput{Purpose: purpose, RequestedUntil: t0.Add(-time.Second)}, governance.ErrRequestedUntilPast},
		{"no_end", governance.RequestInput{Purpose: purpose}, governance.ErrRequestedUntilPast},
		{"end_too_far", governance.RequestInput{Purpose: purpose, RequestedUntil: t0.Add(366 * 24 * time.Hour)}, governance.ErrRequestedUntilTooFar},
	}
	for _, b := range bad {
		if _, err := governance.NewAccessRequest("r1", "d1", "u1", b.in, t0); !errors.Is(err, b.want) {
			t.Errorf("%s: got %v, want %v", b.name, err, b.want)
		}
	}
}

// Every (from, to) pair: pending → approved | rejected | withdrawn are the
// only transitions; deciding anything not pending is ErrRequestNotPending and
// changes nothing.
func TestAccessRequestStateMachine(t *testing.T) {
	t.Parallel()
	later := t0.Add(time.Hour)
	for _, from := range governance.RequestStatuses() {
		for to, decide := range decisions {
			allowed := from == governance.RequestPending
			t.Run(fmt.Sprintf("%s_to_%s", from, to), func(t *testing.T) {
				t.Parallel()
				if got := governance.CanTransition(from, to); got != allowed {
					t.Errorf("CanTransition = %t, want %t", got, allowed)
				}
				r := requestIn(t, from)
				before := r.Clone()
				err := decide(r, later)
				if !allowed {
					if !errors.Is(err, governance.ErrRequestNotPending) {
						t.Fatalf("got %v, want ErrRequestNotPending", err)
					}
					sameRequest(t, r, before)
					return
				}
				if err != nil {
					t.Fatalf("got %v, want the transition to succeed", err)
				}
				if r.Status != to || r.DecidedAt == nil || !r.DecidedAt.Equal(later) {
					t.Errorf("status %s decided at %v, want %s at %v", r.Status, r.DecidedAt, to, later)
				}
				switch to {
				case governance.RequestApproved:
					if r.DecidedBy != "d-er" || r.GrantID != "g1" || r.Note != "welcome" || r.Reason != "" {
						t.Errorf("approved: %+v", *r)
					}
				case governance.RequestRejected:
					if r.DecidedBy != "d-er" || r.Reason != "out of scope" || r.GrantID != "" {
						t.Errorf("rejected: %+v", *r)
					}
				case governance.RequestWithdrawn:
					if r.DecidedBy != "" || r.GrantID != "" {
						t.Errorf("withdrawn: %+v", *r)
					}
				}
			})
		}
	}
}

func sameRequest(t *testing.T, got, want *governance.AccessRequest) {
	t.Helper()
	if got.Status != want.Status || got.DecidedBy != want.DecidedBy || got.Reason != want.Reason || got.Note != want.Note ||
		got.GrantID != want.GrantID || (got.DecidedAt == nil) != (want.DecidedAt == nil) ||
		(got.DecidedAt != nil && !got.DecidedAt.Equal(*want.DecidedAt)) {
		t.Errorf("request changed: %+v, want %+v", *got, *want)
	}
}

func TestRejectNeedsAReasonAndApproveAShortNote(t *testing.T) {
	t.Parallel()
	r := pendingRequest(t)
	before := r.Clone()
	if err := r.Reject("d-er", "   ", t0); !errors.Is(err, governance.ErrInvalidReason) {
		t.Errorf("Reject without a reason: %v", err)
	}
	if err := r.Approve("d-er", "g1", strings.Repeat("n", 1001), t0); !errors.Is(err, governance.ErrInvalidNote) {
		t.Errorf("Approve with a long note: %v", err)
	}
	sameRequest(t, r, before)
	if r.Status != governance.RequestPending {
		t.Errorf("status %s, want pending", r.Status)
	}
}

func TestNothingLeadsBackToPending(t *testing.T) {
	t.Parallel()
	for _, from := range governance.RequestStatuses() {
		if governance.CanTransition(from, governance.RequestPending) || governance.CanTransition(from, from) {
			t.Errorf("CanTransition from %s to pending or to itself", from)
		}
	}
}

func TestParseStatuses(t *testing.T) {
	t.Parallel()
	for _, s := range governance.RequestStatuses() {
		if got, ok := governance.ParseRequestStatus(string(s)); !ok || got != s {
			t.Errorf("ParseRequestStatus(%q) = %q, %t", s, got, ok)
		}
	}
	for _, s := range governance.GrantStatuses() {
		if got, ok := governance.ParseGrantStatus(string(s)); !ok || got != s {
			t.Errorf("ParseGrantStatus(%q) = %q, %t", s, got, ok)
		}
	}
	for _, bad := range []string{"", "Pending", "active ", "done"} {
		if _, ok := governance.ParseRequestStatus(bad); ok {
			t.Errorf("ParseRequestStatus(%q) accepted", bad)
		}
		if _, ok := governance.ParseGrantStatus(bad); ok {
			t.Errorf("ParseGrantStatus(%q) accepted", bad)
		}
	}
}

func TestRequestCloneDoesNotAlias(t *testing.T) {
	t.Parallel()
	r := requestIn(t, governance.RequestApproved)
	c := r.Clone()
	*c.DecidedAt = t0.Add(48 * time.Hour)
	if r.DecidedAt.Equal(*c.DecidedAt) {
		t.Error("Clone shares DecidedAt")
	}
}
