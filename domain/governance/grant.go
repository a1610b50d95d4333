package governance

import "time"

// ReminderLead is how long before a grant's end its grantee is reminded.
const ReminderLead = 7 * 24 * time.Hour

// GrantStatus is a grant's state at a moment.
type GrantStatus string

// Grant statuses: active while the moment is before expires_at and the grant
// is not revoked; expired from expires_at on; revoked once revoked.
const (
	GrantActive  GrantStatus = "active"
	GrantExpired GrantStatus = "expired"
	GrantRevoked GrantStatus = "revoked"
)

// GrantStatuses lists every status.
func GrantStatuses() []GrantStatus { return []GrantStatus{GrantActive, GrantExpired, GrantRevoked} }

// ParseGrantStatus accepts the statuses' names.
func ParseGrantStatus(s string) (GrantStatus, bool) {
	for _, st := range GrantStatuses() {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// Subject is what a grant records of its dataset and community when it is
// made, so that the register still names them after either is renamed or
// deleted.
type Subject struct {
	DatasetTitle  string
	CommunityID   string
	CommunityName string
}

// Grant is the permission an approved request gives: its grantee may download
// the dataset, for the request's purpose, until ExpiresAt, unless revoked.
type Grant struct {
	ID            string
	DatasetID     string
	DatasetTitle  string
	CommunityID   string
	CommunityName string
	GranteeID     string
	RequestID     string
	Purpose       string
	Organization  string
	TermsVersion  int // 0 when the community had no terms
	GrantedBy     string
	GrantedAt     time.Time
	ExpiresAt     time.Time
	RevokedAt     *time.Time
	RevokedBy     string
	RevokeReason  string
	// Revision increases on every change; repositories use it for optimistic concurrency.
	Revision int64
}

// CheckGrantEnd checks when a grant is to end: after now and not after the
// end the request asked for.
func CheckGrantEnd(expiresAt, requestedUntil, now time.Time) error {
	if !expiresAt.After(now) {
		return ErrExpiresAtPast
	}
	if expiresAt.After(requestedUntil) {
		return ErrExpiresAtAfterRequest
	}
	return nil
}

// NewGrant returns the grant of an approved request r, made at now by the
// request's decider and ending at expiresAt. Its id is the one the approval
// recorded, so that the request and its grant name each other.
func NewGrant(r *AccessRequest, s Subject, expiresAt, now time.Time) (*Grant, error) {
	if r.Status != RequestApproved || r.GrantID == "" {
		return nil, ErrRequestNotPending
	}
	if err := CheckGrantEnd(expiresAt, r.RequestedUntil, now); err != nil {
		return nil, err
	}
	return &Grant{
		ID: r.GrantID, DatasetID: r.DatasetID, DatasetTitle: s.DatasetTitle, CommunityID: s.CommunityID,
		CommunityName: s.CommunityName, GranteeID: r.RequesterID, RequestID: r.ID, Purpose: r.Purpose,
		Organization: r.Organization, TermsVersion: r.TermsVersion, GrantedBy: r.DecidedBy, GrantedAt: now,
		ExpiresAt: expiresAt,
	}, nil
}

// StatusAt is the grant's status at now.
func (g *Grant) StatusAt(now time.Time) GrantStatus {
	switch {
	case g.RevokedAt != nil:
		return GrantRevoked
	case now.Before(g.ExpiresAt):
		return GrantActive
	default:
		return GrantExpired
	}
}

// ActiveAt reports whether the grantee may use the dataset at now.
func (g *Grant) ActiveAt(now time.Time) bool { return g.StatusAt(now) == GrantActive }

// Revoke ends an active grant at once, by a decider or by the grantee
// withdrawing consent; the reason is required. A grant that ended already is
// ErrGrantNotActive.
func (g *Grant) Revoke(by, reason string, at time.Time) error {
	why, err := ParseReason(reason)
	if err != nil {
		return err
	}
	if !g.ActiveAt(at) {
		return ErrGrantNotActive
	}
	g.RevokedAt, g.RevokedBy, g.RevokeReason = &at, by, why
	return nil
}

// WantsReminder reports whether the grantee is to be reminded of the end:
// only a grant that lasts longer than ReminderLead, and is not revoked,
// reaches a moment ReminderLead before its end.
func (g *Grant) WantsReminder() bool {
	return g.RevokedAt == nil && g.ExpiresAt.Sub(g.GrantedAt) > ReminderLead
}

// ReminderAt is when the grantee is to be reminded of the end.
func (g *Grant) ReminderAt() time.Time { return g.ExpiresAt.Add(-ReminderLead) }

// Clone returns a deep copy.
func (g *Grant) Clone() *Grant {
	c := *g
	if g.RevokedAt != nil {
		t := *g.RevokedAt
		c.RevokedAt = &t
	}
	return &c
}

// Notice names a piece of one-time work about a grant that a job claims in
// the store, so that it is done once however many instances run.
type Notice string

// Notices.
const (
	// NoticeExpiryReminder is the mail to the grantee ReminderLead before the end.
	NoticeExpiryReminder Notice = "expiry_reminder"
	// NoticeExpiryRecorded is the grant.expire audit event, once the end has passed.
	NoticeExpiryRecorded Notice = "expiry_recorded"
)

// Notices lists every notice.
func Notices() []Notice { return []Notice{NoticeExpiryReminder, NoticeExpiryRecorded} }

// NoticeClaim records that notice Notice of grant GrantID was taken, and when.
type NoticeClaim struct {
	GrantID   string
	Notice    Notice
	ClaimedAt time.Time
}
