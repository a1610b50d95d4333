package governancemongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// AccessRequestRepository stores requests in "governance_access_requests".
// A pending request carries pending_key "<dataset>|<requester>" under a
// sparse unique index, and a decided one none, so a second pending request
// of the pair is a duplicate key and a decision frees the pair in the same
// single-document write.
type AccessRequestRepository struct{ c *mongo.Collection }

var _ governanceport.AccessRequestRepository = (*AccessRequestRepository)(nil)

// NewAccessRequestRepository returns the repository on db.
func NewAccessRequestRepository(db *mongo.Database) *AccessRequestRepository {
	return &AccessRequestRepository{c: db.Collection(requestsCollection)}
}

type requestDoc struct {
	ID             bson.ObjectID `bson:"_id"`
	DatasetID      string        `bson:"dataset_id"`
	RequesterID    string        `bson:"requester_id"`
	Purpose        string        `bson:"purpose"`
	Organization   string        `bson:"organization"`
	RequestedUntil time.Time     `bson:"requested_until"`
	TermsVersion   int           `bson:"terms_version"`
	Status         string        `bson:"status"`
	DecidedBy      string        `bson:"decided_by"`
	DecidedAt      *time.Time    `bson:"decided_at"`
	Reason         string        `bson:"reason"`
	Note           string        `bson:"note"`
	GrantID        string        `bson:"grant_id"`
	CreatedAt      time.Time     `bson:"created_at"`
	PendingKey     string        `bson:"pending_key,omitempty"`
	Version        int64         `bson:"version"`
}

// pendingKey is the request's pending_key: its pair while pending, none after.
func pendingKey(r *governance.AccessRequest) string {
	if r.Status == governance.RequestPending {
		return r.DatasetID + "|" + r.RequesterID
	}
	return ""
}

func toRequestDoc(r *governance.AccessRequest, oid bson.ObjectID) requestDoc {
	return requestDoc{
		ID: oid, DatasetID: r.DatasetID, RequesterID: r.RequesterID, Purpose: r.Purpose, Organization: r.Organization,
		RequestedUntil: r.RequestedUntil, TermsVersion: r.TermsVersion, Status: string(r.Status), DecidedBy: r.DecidedBy,
		DecidedAt: r.DecidedAt, Reason: r.Reason, Note: r.Note, GrantID: r.GrantID, CreatedAt: r.CreatedAt,
		PendingKey: pendingKey(r), Version: r.Revision,
	}
}

func (d requestDoc) toDomain() *governance.AccessRequest {
	return &governance.AccessRequest{
		ID: d.ID.Hex(), DatasetID: d.DatasetID, RequesterID: d.RequesterID, Purpose: d.Purpose, Organization: d.Organization,
		RequestedUntil: utc(d.RequestedUntil), TermsVersion: d.TermsVersion, Status: governance.RequestStatus(d.Status),
		DecidedBy: d.DecidedBy, DecidedAt: utcPtr(d.DecidedAt), Reason: d.Reason, Note: d.Note, GrantID: d.GrantID,
		CreatedAt: utc(d.CreatedAt), Revision: d.Version,
	}
}

// Create inserts a request; a pending pair taken is governance.ErrRequestPending.
func (m *AccessRequestRepository) Create(ctx context.Context, r *governance.AccessRequest) error {
	oid, ok := mongostore.ObjectID(r.ID)
	if !ok {
		return badID("access request", r.ID)
	}
	r.Revision = 1
	return insert(ctx, m.c, oid, toRequestDoc(r, oid), governance.ErrRequestPending)
}

// Get returns a request; a malformed id is not found.
func (m *AccessRequestRepository) Get(ctx context.Context, id string) (*governance.AccessRequest, error) {
	return mongostore.FindByID(ctx, m.c, id, governance.ErrRequestNotFound, requestDoc.toDomain)
}

// Update is a compare-and-set on the version, retried when another writer won.
func (m *AccessRequestRepository) Update(ctx context.Context, id string, fn func(*governance.AccessRequest) error) (*governance.AccessRequest, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, governance.ErrRequestNotFound
	}
	return casUpdate(ctx, m.c, oid,
		func() (*governance.AccessRequest, error) { return m.Get(ctx, id) },
		func(r *governance.AccessRequest) int64 { return r.Revision },
		func(cur *governance.AccessRequest) (*governance.AccessRequest, any, error) {
			next := cur.Clone()
			if err := fn(next); err != nil {
				return nil, nil, err
			}
			next.ID, next.DatasetID, next.RequesterID, next.Revision = cur.ID, cur.DatasetID, cur.RequesterID, cur.Revision+1
			return next, toRequestDoc(next, oid), nil
		})
}

// List returns a page of the requests that match, the newest first.
func (m *AccessRequestRepository) List(ctx context.Context, f governanceport.RequestFilter, skip, limit int) ([]*governance.AccessRequest, int64, error) {
	filter := bson.D{}
	if f.DatasetID != "" {
		filter = append(filter, bson.E{Key: "dataset_id", Value: f.DatasetID})
	}
	if f.RequesterID != "" {
		filter = append(filter, bson.E{Key: "requester_id", Value: f.RequesterID})
	}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(f.Status)})
	}
	return list(ctx, m.c, filter, newestFirst("created_at"), skip, limit, requestDoc.toDomain)
}
