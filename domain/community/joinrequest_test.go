package community_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/community"
)

var t0 = time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC)

// transitions applies each way of deciding a request.
var transitions = map[community.RequestStatus]func(r *community.JoinRequest, at time.Time) error{
	community.StatusApproved:  func(r *community.JoinRequest, at time.Time) error { return r.Approve("admin1", at) },
	community.StatusRejected:  func(r *community.JoinRequest, at time.Time) error { return r.Reject("admin1", "  not now  ", at) },
	community.StatusWithdrawn: func(r *community.JoinRequest, at time.Time) error { return r.Withdraw(at) },
}

func inStatus(s community.RequestStatus) *community.JoinRequest {
	r := community.NewJoinRequest("r1", "c1", "u1", "  hello  ", t0)
	if s != community.StatusPending {
		if err := transitions[s](r, t0.Add(time.Minute)); err != nil {
			panic(err)
		}
	}
	return r
}

func TestNewJoinRequestIsPending(t *testing.T) {
	t.Parallel()
	r := community.NewJoinRequest("r1", "c1", "u1", "  hello  ", t0)
	if r.Status != community.StatusPending || r.Message != "hello" || r.DecidedAt != nil || r.DecidedBy != "" || !r.CreatedAt.Equal(t0) {
		t.Errorf("new request = %+v", *r)
	}
}

// Every (from, to) pair: pending → approved | rejected | withdrawn are the only
// allowed transitions; everything else is refused and leaves the request unchanged.
func TestJoinRequestStateMachine(t *testing.T) {
	t.Parallel()
	later := t0.Add(time.Hour)
	for _, from := range community.Statuses() {
		for to, apply := range transitions {
			allowed := from == community.StatusPending
			t.Run(fmt.Sprintf("%s_to_%s", from, to), func(t *testing.T) {
				t.Parallel()
				if got := community.CanTransition(from, to); got != allowed {
					t.Errorf("CanTransition = %t, want %t", got, allowed)
				}
				r := inStatus(from)
				before := *r
				err := apply(r, later)
				if !allowed {
					if !errors.Is(err, community.ErrRequestNotPending) {
						t.Fatalf("got %v, want ErrRequestNotPending", err)
					}
					if r.Status != before.Status || r.DecidedBy != before.DecidedBy || r.Reason != before.Reason ||
						(r.DecidedAt == nil) != (before.DecidedAt == nil) || (r.DecidedAt != nil && !r.DecidedAt.Equal(*before.DecidedAt)) {
						t.Errorf("refused transition changed the request: %+v → %+v", before, *r)
					}
					return
				}
				if err != nil {
					t.Fatalf("got %v, want the transition to succeed", err)
				}
				if r.Status != to {
					t.Errorf("status = %s, want %s", r.Status, to)
				}
				if r.DecidedAt == nil || !r.DecidedAt.Equal(later) {
					t.Errorf("DecidedAt = %v, want %v", r.DecidedAt, later)
				}
				switch to {
				case community.StatusApproved:
					if r.DecidedBy != "admin1" || r.Reason != "" {
						t.Errorf("approved: DecidedBy %q Reason %q", r.DecidedBy, r.Reason)
					}
				case community.StatusRejected:
					if r.DecidedBy != "admin1" || r.Reason != "not now" {
						t.Errorf("rejected: DecidedBy %q Reason %q", r.DecidedBy, r.Reason)
					}
				case community.StatusWithdrawn:
					if r.DecidedBy != "" {
						t.Errorf("withdrawn: DecidedBy %q, want none", r.DecidedBy)
					}
				}
			})
		}
	}
}

func TestNothingLeadsBackToPending(t *testing.T) {
	t.Parallel()
	for _, from := range community.Statuses() {
		if community.CanTransition(from, community.StatusPending) {
			t.Errorf("CanTransition(%s, pending) = true", from)
		}
	}
	for _, s := range community.Statuses() {
		if community.CanTransition(s, s) {
			t.Errorf("CanTransition(%s, %s) = true", s, s)
		}
	}
}

func TestParseRequestStatus(t *testing.T) {
	t.Parallel()
	for _, s := range community.Statuses() {
		if got, ok := community.ParseRequestStatus(string(s)); !ok || got != s {
			t.Errorf("ParseRequestStatus(%q) = %q, %t", s, got, ok)
		}
	}
	for _, bad := range []string{"", "Pending", "done", "approved "} {
		if _, ok := community.ParseRequestStatus(bad); ok {
			t.Errorf("ParseRequestStatus(%q) accepted", bad)
		}
	}
}

func TestJoinRequestCloneDoesNotAlias(t *testing.T) {
	t.Parallel()
	r := inStatus(community.StatusApproved)
	c := r.Clone()
	*c.DecidedAt = t0.Add(48 * time.Hour)
	if r.DecidedAt.Equal(*c.DecidedAt) {
		t.Error("Clone shares DecidedAt")
	}
}
