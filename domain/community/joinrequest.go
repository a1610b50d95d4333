package community

import (
	"strings"
	"time"
)

// Length bounds of the free texts of a join request.
const (
	MessageMaxLen = 1000
	ReasonMaxLen  = 1000
)

// RequestStatus is where a join request is in its life.
type RequestStatus string

// Join request statuses: pending until an administrator approves or rejects
// it, or the requester withdraws it. The three outcomes are final.
const (
	StatusPending   RequestStatus = "pending"
	StatusApproved  RequestStatus = "approved"
	StatusRejected  RequestStatus = "rejected"
	StatusWithdrawn RequestStatus = "withdrawn"
)

// Statuses lists every status.
func Statuses() []RequestStatus {
	return []RequestStatus{StatusPending, StatusApproved, StatusRejected, StatusWithdrawn}
}

// ParseRequestStatus accepts the statuses' names.
func ParseRequestStatus(s string) (RequestStatus, bool) {
	for _, st := range Statuses() {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// CanTransition reports whether a request may go from one status to another:
// pending → approved, rejected or withdrawn, and nothing else.
func CanTransition(from, to RequestStatus) bool {
	return from == StatusPending && (to == StatusApproved || to == StatusRejected || to == StatusWithdrawn)
}

// JoinRequest is a user's request to join a community.
type JoinRequest struct {
	ID          string
	CommunityID string
	UserID      string
	Message     string // "" for none
	Status      RequestStatus
	Reason      string // the rejection's reason, "" for none
	DecidedBy   string // the administrator who approved or rejected; "" otherwise
	CreatedAt   time.Time
	DecidedAt   *time.Time // when the request left pending
	// Revision increases on every change; repositories use it for optimistic concurrency.
	Revision int64
}

// NewJoinRequest returns a pending request.
func NewJoinRequest(id, communityID, userID, message string, at time.Time) *JoinRequest {
	return &JoinRequest{
		ID: id, CommunityID: communityID, UserID: userID,
		Message: strings.TrimSpace(message), Status: StatusPending, CreatedAt: at,
	}
}

// Approve accepts a pending request (ErrRequestNotPending otherwise).
func (r *JoinRequest) Approve(by string, at time.Time) error {
	if err := r.moveTo(StatusApproved, at); err != nil {
		return err
	}
	r.DecidedBy = by
	return nil
}

// Reject declines a pending request, with an optional reason.
func (r *JoinRequest) Reject(by, reason string, at time.Time) error {
	if err := r.moveTo(StatusRejected, at); err != nil {
		return err
	}
	r.DecidedBy, r.Reason = by, strings.TrimSpace(reason)
	return nil
}

// Withdraw cancels a pending request on the requester's behalf.
func (r *JoinRequest) Withdraw(at time.Time) error { return r.moveTo(StatusWithdrawn, at) }

func (r *JoinRequest) moveTo(to RequestStatus, at time.Time) error {
	if !CanTransition(r.Status, to) {
		return ErrRequestNotPending
	}
	r.Status = to
	r.DecidedAt = &at
	return nil
}

// Clone returns a deep copy.
func (r *JoinRequest) Clone() *JoinRequest {
	c := *r
	if r.DecidedAt != nil {
		t := *r.DecidedAt
		c.DecidedAt = &t
	}
	return &c
}
