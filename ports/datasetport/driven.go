// Package datasetport declares the ports of the datasets context.
package datasetport

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
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
