// Package governanceport declares what the governance application needs
// (driven ports: its repositories, and the datasets, communities and users it
// governs, each reached through a port) and what it offers to drivers such as
// the HTTP adapter and the datasets context (the Service).
//
// Every repository passes the contract suites in governanceporttest. Ids are
// the kernel's 24-hex identifiers; an unknown or malformed id is the
// repository's not-found sentinel, never another error. Times go in and come
// out at the stored precision (kernel.Truncate) in UTC.
package governanceport

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// TermsRepository stores the published terms. Terms never change once stored;
// (community, version) is unique.
type TermsRepository interface {
	// Create stores terms; a version the community has already is
	// governance.ErrTermsVersionTaken, even when both are created at once.
	Create(ctx context.Context, t *governance.Terms) error
	// Get returns terms by id (governance.ErrTermsNotFound when unknown or malformed).
	Get(ctx context.Context, id string) (*governance.Terms, error)
	// Current returns the community's terms of the highest version
	// (governance.ErrTermsNotFound when it has none).
	Current(ctx context.Context, communityID string) (*governance.Terms, error)
	// List returns a page of a community's terms, the highest version first,
	// and their number (limit < 0: all of them).
	List(ctx context.Context, communityID string, skip, limit int) ([]*governance.Terms, int64, error)
}

// ConsentFilter narrows a consent listing; "" matches any.
type ConsentFilter struct {
	UserID      string
	CommunityID string
}

// ConsentRepository keeps the consent records: append-only, never changed.
type ConsentRepository interface {
	Create(ctx context.Context, c *governance.Consent) error
	// List returns a page of the consents that match, the newest first (by
	// accepted_at, then id), and their number (limit < 0: all of them).
	List(ctx context.Context, f ConsentFilter, skip, limit int) ([]*governance.Consent, int64, error)
}

// RequestFilter narrows an access-request listing; zero values match any.
type RequestFilter struct {
	DatasetID   string
	RequesterID string
	Status      governance.RequestStatus
}

// AccessRequestRepository stores access requests. A requester has at most one
// pending request per dataset: creating a second is
// governance.ErrRequestPending, even when both are created at once; a request
// that leaves pending frees the pair at once.
type AccessRequestRepository interface {
	// Create stores a request and sets its Version to 1.
	Create(ctx context.Context, r *governance.AccessRequest) error
	// Get returns a request (governance.ErrRequestNotFound when unknown or malformed).
	Get(ctx context.Context, id string) (*governance.AccessRequest, error)
	// Update loads the request, applies fn to a copy and stores it as one
	// compare-and-set on its Version, which it increases by one; when another
	// writer won, it loads the request again and applies fn again (so fn may
	// run more than once, and must not call the repository). An error of fn
	// aborts and is returned as it is; nothing is stored. Of concurrent
	// decisions on one pending request exactly one applies: the others' fn
	// sees the decided request. ID, DatasetID and RequesterID never change.
	Update(ctx context.Context, id string, fn func(r *governance.AccessRequest) error) (*governance.AccessRequest, error)
	// List returns a page of the requests that match, the newest first (by
	// created_at, then id), and their number (limit < 0: all of them).
	List(ctx context.Context, f RequestFilter, skip, limit int) ([]*governance.AccessRequest, int64, error)
}

// GrantFilter narrows a grant listing; zero values match any. Status is
// evaluated at Now (active: not revoked and Now < expires_at; expired: not
// revoked and expires_at ≤ Now; revoked: revoked), so Now is required with it.
type GrantFilter struct {
	DatasetID   string
	GranteeID   string
	CommunityID string
	Status      governance.GrantStatus
	Now         time.Time
}

// GrantRepository stores grants. A request makes at most one grant: creating
// a second grant with the same RequestID is governance.ErrGrantExists, even
// when both are created at once.
type GrantRepository interface {
	// Create stores a grant and sets its Version to 1.
	Create(ctx context.Context, g *governance.Grant) error
	// Get returns a grant (governance.ErrGrantNotFound when unknown or malformed).
	Get(ctx context.Context, id string) (*governance.Grant, error)
	// Update is a compare-and-set like AccessRequestRepository.Update: of two
	// concurrent revocations one applies, the other's fn sees the revoked
	// grant. ID, DatasetID, GranteeID and RequestID never change.
	Update(ctx context.Context, id string, fn func(g *governance.Grant) error) (*governance.Grant, error)
	// List returns a page of the grants that match, the newest first (by
	// granted_at, then id), and their number (limit < 0: all of them).
	List(ctx context.Context, f GrantFilter, skip, limit int) ([]*governance.Grant, int64, error)
	// FindActive returns a grant of granteeID on datasetID that is active at
	// now, the one that ends last when there are several
	// (governance.ErrGrantNotFound when there is none). It reads the store
	// every time: expiry and revocation take effect at once on every replica.
	FindActive(ctx context.Context, datasetID, granteeID string, now time.Time) (*governance.Grant, error)
	// Ending returns at most limit grants (limit < 0: all of them) that are
	// not revoked and whose expires_at is in [from, to), the soonest first (by
	// expires_at, then id).
	Ending(ctx context.Context, from, to time.Time, limit int) ([]*governance.Grant, error)
}

// NoticeClaimRepository records which one-time work about a grant has been
// taken (the reminder mail before its end, the grant.expire audit event), so
// that several instances running one job against one store do it once.
type NoticeClaimRepository interface {
	// Claim takes notice n of grantID at `at` and reports true, or reports
	// false when it was taken already. Of any number of concurrent claims of
	// one (grant, notice), by any processes, exactly one reports true.
	Claim(ctx context.Context, grantID string, n governance.Notice, at time.Time) (bool, error)
	// Release gives a claim back (the work failed), so that a later Claim may
	// take it again; releasing a claim that does not exist is no error.
	Release(ctx context.Context, grantID string, n governance.Notice) error
	// Claimed returns which of grantIDs have notice n taken (absent: not taken).
	Claimed(ctx context.Context, n governance.Notice, grantIDs []string) (map[string]bool, error)
}

// Dataset is a dataset as governance sees it, for one caller.
type Dataset struct {
	ID          string
	Title       string
	CommunityID string
	OwnerID     string
	Restricted  bool
	// CanDownload: the caller may download the file now (an active grant included).
	CanDownload bool
	// CanDecide: the caller manages the dataset (its owner, its community's
	// admins, global admins), who decide on access to it.
	CanDecide bool
}

// Datasets is the datasets context as governance needs it.
type Datasets interface {
	// Dataset returns dataset id as p sees it, recording nothing;
	// governance.ErrDatasetNotFound when it does not exist or p may not see it.
	Dataset(ctx context.Context, p kernel.Principal, id string) (Dataset, error)
}

// Community is a community as governance sees it.
type Community struct {
	ID       string
	Name     string
	AdminIDs []string
}

// Communities is the communities context as governance needs it.
type Communities interface {
	// Community returns a community (governance.ErrCommunityNotFound when unknown or malformed).
	Community(ctx context.Context, id string) (Community, error)
}

// User is what governance needs to know of a user: whom to mail.
type User struct {
	ID    string
	Name  string
	Email string
}

// Users is the identity context as governance needs it.
type Users interface {
	// User returns a user; any error means the user cannot be mailed.
	User(ctx context.Context, id string) (User, error)
}
