package governanceport

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Page is a 1-based page of a listing.
type Page struct {
	Page  int
	Limit int
}

// TermsInput is a new version of a community's terms.
type TermsInput struct {
	Title string
	Body  string
}

// ApproveInput is an approval: the grant's end (nil: the request's
// requested_until) and an optional note for the requester.
type ApproveInput struct {
	ExpiresAt *time.Time
	Note      string
}

// RegisterFilter narrows the public register; zero values match any.
type RegisterFilter struct {
	Status      governance.GrantStatus
	CommunityID string
}

// RegisterEntry is one data use as the public sees it: what, for what, by
// which organization and when, and never who.
type RegisterEntry struct {
	GrantID       string
	DatasetID     string
	DatasetTitle  string
	CommunityID   string
	CommunityName string
	Organization  string
	Purpose       string
	GrantedAt     time.Time
	ExpiresAt     time.Time
	RevokedAt     *time.Time
	Status        governance.GrantStatus
}

// GrantView is a grant with its status now.
type GrantView struct {
	Grant  *governance.Grant
	Status governance.GrantStatus
}

// Service is the governance use cases. Deciders on a dataset are its owner,
// its community's admins and global admins; a dataset the caller may not see
// is governance.ErrDatasetNotFound.
type Service interface {
	// PublishTerms publishes the next version of a community's terms (its
	// admins and global admins).
	PublishTerms(ctx context.Context, p kernel.Principal, communityID string, in TermsInput) (*governance.Terms, error)
	// ListTerms lists a community's terms, the newest version first.
	ListTerms(ctx context.Context, p kernel.Principal, communityID string, pg Page) ([]*governance.Terms, int64, error)
	// CurrentTerms returns the community's current terms (governance.ErrTermsNotFound when none).
	CurrentTerms(ctx context.Context, p kernel.Principal, communityID string) (*governance.Terms, error)

	// RequestAccess files the caller's request to use a restricted dataset,
	// recording the consent to the community's current terms.
	RequestAccess(ctx context.Context, p kernel.Principal, datasetID string, in governance.RequestInput) (*governance.AccessRequest, error)
	// DatasetRequests lists a dataset's requests (deciders), the newest first.
	DatasetRequests(ctx context.Context, p kernel.Principal, datasetID string, status governance.RequestStatus, pg Page) ([]*governance.AccessRequest, int64, error)
	// MyRequests lists the caller's own requests, the newest first.
	MyRequests(ctx context.Context, p kernel.Principal, status governance.RequestStatus, pg Page) ([]*governance.AccessRequest, int64, error)
	// Approve approves a pending request and makes its grant (deciders);
	// concurrent approvals make one grant, the others are
	// governance.ErrRequestNotPending.
	Approve(ctx context.Context, p kernel.Principal, datasetID, requestID string, in ApproveInput) (*governance.AccessRequest, error)
	// Reject declines a pending request with a reason (deciders).
	Reject(ctx context.Context, p kernel.Principal, datasetID, requestID, reason string) (*governance.AccessRequest, error)
	// Withdraw cancels the caller's own pending request.
	Withdraw(ctx context.Context, p kernel.Principal, datasetID, requestID string) error

	// DatasetGrants lists a dataset's grants (deciders), the newest first.
	DatasetGrants(ctx context.Context, p kernel.Principal, datasetID string, status governance.GrantStatus, pg Page) ([]GrantView, int64, error)
	// MyGrants lists the caller's own grants, the newest first.
	MyGrants(ctx context.Context, p kernel.Principal, status governance.GrantStatus, pg Page) ([]GrantView, int64, error)
	// Revoke ends an active grant at once (deciders, or the grantee
	// withdrawing consent).
	Revoke(ctx context.Context, p kernel.Principal, grantID, reason string) (GrantView, error)

	// Register is the public register of data uses: every grant ever made,
	// the newest first, without any person's name, email or id.
	Register(ctx context.Context, f RegisterFilter, pg Page) ([]RegisterEntry, int64, error)

	// ActiveGrant returns the id of a grant of userID on datasetID that is
	// active now, "" when there is none. It is what the datasets context asks
	// before a restricted file leaves the store, answered from the store every
	// time.
	ActiveGrant(ctx context.Context, datasetID, userID string) (string, error)
}
