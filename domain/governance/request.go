package governance

import "time"

// MaxRequestPeriod is how far ahead a request may ask access to last.
const MaxRequestPeriod = 365 * 24 * time.Hour

// RequestStatus is where an access request is in its life.
type RequestStatus string

// Access request statuses: pending until a decider approves or rejects it, or
// the requester withdraws it. The three outcomes are final.
const (
	RequestPending   RequestStatus = "pending"
	RequestApproved  RequestStatus = "approved"
	RequestRejected  RequestStatus = "rejected"
	RequestWithdrawn RequestStatus = "withdrawn"
)

// RequestStatuses lists every status.
func RequestStatuses() []RequestStatus {
	return []RequestStatus{RequestPending, RequestApproved, RequestRejected, RequestWithdrawn}
}

// ParseRequestStatus accepts the statuses' names.
func ParseRequestStatus(s string) (RequestStatus, bool) {
	for _, st := range RequestStatuses() {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// CanTransition reports whether a request may go from one status to another:
// pending → approved, rejected or withdrawn, and nothing else.
func CanTransition(from, to RequestStatus) bool {
	return from == RequestPending && (to == RequestApproved || to == RequestRejected || to == RequestWithdrawn)
}

// RequestInput is what a requester asks for.
type RequestInput struct {
	Purpose        string
	Organization   string
	RequestedUntil time.Time
	// TermsVersion is the version of the community's terms the requester
	// accepted (0: none).
	TermsVersion int
}

// AccessRequest is a user's request to use a restricted dataset: for what
// purpose, on behalf of which organization and until when.
type AccessRequest struct {
	ID             string
	DatasetID      string
	RequesterID    string
	Purpose        string
	Organization   string // "" for none
	RequestedUntil time.Time
	TermsVersion   int // the accepted terms' version, 0 for none
	Status         RequestStatus
	DecidedBy      string     // the decider who approved or rejected; "" otherwise
	DecidedAt      *time.Time // when the request left pending
	Reason         string     // a rejection's reason
	Note           string     // an approval's note, "" for none
	GrantID        string     // the grant an approval made
	CreatedAt      time.Time
	// Revision increases on every change; repositories use it for optimistic concurrency.
	Revision int64
}

// CheckRequestedUntil checks the end a request asks for: after now, at most
// MaxRequestPeriod ahead.
func CheckRequestedUntil(until, now time.Time) error {
	if !until.After(now) {
		return ErrRequestedUntilPast
	}
	if until.Sub(now) > MaxRequestPeriod {
		return ErrRequestedUntilTooFar
	}
	return nil
}

// NewAccessRequest checks in and returns a pending request.
func NewAccessRequest(id, datasetID, requesterID string, in RequestInput, now time.Time) (*AccessRequest, error) {
	purpose, err := ParsePurpose(in.Purpose)
	if err != nil {
		return nil, err
	}
	org, err := ParseOrganization(in.Organization)
	if err != nil {
		return nil, err
	}
	if err := CheckRequestedUntil(in.RequestedUntil, now); err != nil {
		return nil, err
	}
	return &AccessRequest{
		ID: id, DatasetID: datasetID, RequesterID: requesterID, Purpose: purpose, Organization: org,
		RequestedUntil: in.RequestedUntil, TermsVersion: in.TermsVersion, Status: RequestPending, CreatedAt: now,
	}, nil
}

// Approve accepts a pending request with the id of the grant it makes and an
// optional note.
func (r *AccessRequest) Approve(by, grantID, note string, at time.Time) error {
	n, err := ParseNote(note)
	if err != nil {
		return err
	}
	if err := r.moveTo(RequestApproved, at); err != nil {
		return err
	}
	r.DecidedBy, r.GrantID, r.Note = by, grantID, n
	return nil
}

// Reject declines a pending request; the reason is required.
func (r *AccessRequest) Reject(by, reason string, at time.Time) error {
	why, err := ParseReason(reason)
	if err != nil {
		return err
	}
	if err := r.moveTo(RequestRejected, at); err != nil {
		return err
	}
	r.DecidedBy, r.Reason = by, why
	return nil
}

// Withdraw cancels a pending request on the requester's behalf.
func (r *AccessRequest) Withdraw(at time.Time) error { return r.moveTo(RequestWithdrawn, at) }

func (r *AccessRequest) moveTo(to RequestStatus, at time.Time) error {
	if !CanTransition(r.Status, to) {
		return ErrRequestNotPending
	}
	r.Status = to
	r.DecidedAt = &at
	return nil
}

// Clone returns a deep copy.
func (r *AccessRequest) Clone() *AccessRequest {
	c := *r
	if r.DecidedAt != nil {
		t := *r.DecidedAt
		c.DecidedAt = &t
	}
	return &c
}
