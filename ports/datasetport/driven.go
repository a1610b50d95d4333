// Package datasetport declares the ports of the datasets context.
package datasetport

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Filter narrows a dataset listing. Scope says what the caller may see.
type Filter struct {
	Query       string // case-insensitive substring of title or description
	CommunityID string
	OwnerID     string
	Tag         string
	Visibility  dataset.Visibility
	Scope       Scope
}

// Scope is the visibility rule as a query: everything for global admins; else
// public and restricted datasets (restricted metadata is listed for everyone),
// the viewer's own, and community datasets of their communities.
type Scope struct {
	All         bool
	ViewerID    string
	Communities []string
}

// DatasetRepository stores datasets with their versions, one document each, so
// that a new version is one atomic change (no multi-document transactions).
type DatasetRepository interface {
	Create(ctx context.Context, d *dataset.Dataset) error
	Get(ctx context.Context, id string) (*dataset.Dataset, error)
	// List returns a page ordered newest first and the total that match.
	List(ctx context.Context, f Filter, skip, limit int) ([]*dataset.Dataset, int64, error)
	// Update applies fn atomically (optimistic concurrency; fn may run again).
	Update(ctx context.Context, id string, fn func(d *dataset.Dataset) error) (*dataset.Dataset, error)
	// Delete removes a dataset and returns it as it was removed, with every
	// version, so that the caller deletes exactly the blobs it held (a version
	// added after the caller read the dataset included).
	Delete(ctx context.Context, id string) (*dataset.Dataset, error)
	// CountInCommunity counts a community's datasets.
	CountInCommunity(ctx context.Context, communityID string) (int64, error)
}

// Membership is the caller's relation to a community.
type Membership struct {
	Exists bool // the community exists
	Member bool
	Admin  bool
}

// Communities is the communities context as the datasets context needs it.
type Communities interface {
	Membership(ctx context.Context, communityID, userID string) (Membership, error)
	// CommunitiesOf lists the ids of the communities userID belongs to.
	CommunitiesOf(ctx context.Context, userID string) ([]string, error)
}

// AccessEntry is one view, download or change of a dataset. The log is a view
// over the audit trail, so entries carry their chain hashes.
type AccessEntry struct {
	ID        string
	Seq       int64 // position in the audit chain, from 1
	DatasetID string
	ActorID   string
	Action    string // view, download, create, update, version, delete
	Version   int
	// GrantID names the grant a download of a restricted dataset was made
	// under ("" when the caller needed none).
	GrantID   string
	IP        string
	UserAgent string
	RequestID string
	At        time.Time
	Outcome   string
	PrevHash  string
	Hash      string
}

// AccessLog records who did what with a dataset.
type AccessLog interface {
	Record(ctx context.Context, e AccessEntry) error
	// List returns a page of a dataset's entries, newest first, and their number.
	List(ctx context.Context, datasetID string, skip, limit int) ([]AccessEntry, int64, error)
}

// Grants is the governance context as the datasets context needs it.
type Grants interface {
	// ActiveGrant returns the id of a grant of userID on datasetID that is
	// active now, "" when there is none. It is asked at every download of a
	// restricted dataset by someone who does not manage it, never cached:
	// expiry and revocation take effect at once on every replica.
	ActiveGrant(ctx context.Context, datasetID, userID string) (string, error)
}

// UploadRepository keeps resumable uploads, one record each, where every
// replica sees them. Every adapter passes the contract suite in
// datasetporttest.
type UploadRepository interface {
	// Create stores a new upload; a taken id is kernel.ErrConflict.
	Create(ctx context.Context, u *dataset.Upload) error
	// Get returns an upload; an unknown or malformed id is
	// dataset.ErrUploadNotFound.
	Get(ctx context.Context, id string) (*dataset.Upload, error)
	// Update applies fn to the stored upload and stores the result
	// atomically (a compare-and-set on the revision: fn may run again, on a
	// fresh copy) and returns what it stored; an error of fn stores nothing
	// and is returned.
	Update(ctx context.Context, id string, fn func(u *dataset.Upload) error) (*dataset.Upload, error)
	// Delete removes an upload; an unknown id is dataset.ErrUploadNotFound.
	Delete(ctx context.Context, id string) error
	// Expired returns at most limit uploads whose ExpiresAt is at or before
	// now, the soonest to expire first.
	Expired(ctx context.Context, now time.Time, limit int) ([]*dataset.Upload, error)
}

// LinkClaims are what a download link grants: one version of one dataset's
// file, to the user who asked for it, in the session they asked in, until
// ExpiresAt.
type LinkClaims struct {
	DatasetID string
	Version   int
	UserID    string
	SessionID string
	ExpiresAt time.Time
}

// LinkSigner signs download links with keys every replica shares, so that
// any replica verifies a link another made, and nobody can alter one.
type LinkSigner interface {
	// Sign returns the token of a link (URL-safe).
	Sign(c LinkClaims, now time.Time) (string, error)
	// Verify checks a token's signature and expiry at now: an altered or
	// foreign token is dataset.ErrLinkInvalid, an expired one
	// dataset.ErrLinkExpired.
	Verify(token string, now time.Time) (LinkClaims, error)
}

// Callers is the identity and access contexts as download links need them.
type Callers interface {
	// Caller returns the principal userID acts as in sessionID now, roles
	// and modules resolved, as a bearer token of that session would give it:
	// a user who is gone or disabled, or a session that ended, is an error
	// of kind unauthenticated.
	Caller(ctx context.Context, userID, sessionID string) (kernel.Principal, error)
}

// ContentTypes decides what type a stored file is served as.
type ContentTypes interface {
	// Detect returns the type of a file from its first bytes (at most
	// dataset.HeadSize), its name and the type its sender declared.
	Detect(head []byte, filename, declared string) string
}
