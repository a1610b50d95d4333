package communitymongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// JoinRequestRepository stores requests in "community_join_requests". A
// pending request carries pending_key "<community>|<user>" under a sparse
// unique index, and a decided one none: a second pending request of the pair
// is a duplicate key, also when both arrive at once, and a decision frees the
// pair in the same single-document write.
type JoinRequestRepository struct {
	c *mongo.Collection
}

var _ communityport.JoinRequestRepository = (*JoinRequestRepository)(nil)

// NewJoinRequestRepository returns the repository on db.
func NewJoinRequestRepository(db *mongo.Database) *JoinRequestRepository {
	return &JoinRequestRepository{c: db.Collection(joinRequestsCollection)}
}

type joinRequestDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	CommunityID string        `bson:"community_id"`
	UserID      string        `bson:"user_id"`
	Message     string        `bson:"message"`
	Status      string        `bson:"status"`
	Reason      string        `bson:"reason"`
	DecidedBy   string        `bson:"decided_by"`
	CreatedAt   time.Time     `bson:"created_at"`
	DecidedAt   *time.Time    `bson:"decided_at"`
	PendingKey  string        `bson:"pending_key,omitempty"`
	Version     int64         `bson:"version"`
}

func toJoinRequestDoc(r *community.JoinRequest, oid bson.ObjectID) joinRequestDoc {
	return joinRequestDoc{
		ID: oid, CommunityID: r.CommunityID, UserID: r.UserID, Message: r.Message, Status: string(r.Status),
		Reason: r.Reason, DecidedBy: r.DecidedBy, CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt, Version: r.Revision,
		PendingKey: pendingKey(r),
	}
}

// pendingKey is the request's pending_key: its pair while pending, none after.
func pendingKey(r *community.JoinRequest) string {
	if r.Status != community.StatusPending {
		return ""
	}
	return community.MembershipKey(r.CommunityID, r.UserID)
}

func (d joinRequestDoc) toDomain() *community.JoinRequest {
	r := &community.JoinRequest{
		ID: d.ID.Hex(), CommunityID: d.CommunityID, UserID: d.UserID, Message: d.Message,
		Status: community.RequestStatus(d.Status), Reason: d.Reason, DecidedBy: d.DecidedBy,
		CreatedAt: d.CreatedAt.UTC(), Revision: d.Version,
	}
	if d.DecidedAt != nil {
		t := d.DecidedAt.UTC()
		r.DecidedAt = &t
	}
	return r
}

// Create inserts the request; a second pending request of the user in the
// community is community.ErrRequestPending.
func (r *JoinRequestRepository) Create(ctx context.Context, jr *community.JoinRequest) error {
	oid, err := mongostore.NewObjectID(jr.ID)
	if err != nil {
		return err
	}
	jr.Revision = 1
	_, err = r.c.InsertOne(ctx, toJoinRequestDoc(jr, oid))
	return mongostore.DuplicateAs(err, community.ErrRequestPending)
}

// Get returns a request; a malformed id is not found.
func (r *JoinRequestRepository) Get(ctx context.Context, id string) (*community.JoinRequest, error) {
	return mongostore.FindByID(ctx, r.c, id, community.ErrRequestNotFound, joinRequestDoc.toDomain)
}

// Update is a compare-and-set on the request's version, retried when
// another writer came first: of two concurrent decisions one applies, the
// other reads it. A request that leaves pending leaves the unique index.
func (r *JoinRequestRepository) Update(ctx context.Context, id string, fn func(*community.JoinRequest) error) (*community.JoinRequest, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, community.ErrRequestNotFound
	}
	return mongostore.CompareAndSet(ctx, community.ErrStaleRequest, func() (*community.JoinRequest, bool, error) {
		cur, err := r.Get(ctx, id)
		if err != nil {
			return nil, false, err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return nil, false, err
		}
		next.ID, next.CommunityID, next.UserID, next.Revision = id, cur.CommunityID, cur.UserID, cur.Revision+1
		stored, err := mongostore.ReplaceIfVersion(ctx, r.c, oid, "version", cur.Revision, toJoinRequestDoc(next, oid))
		if err != nil {
			return nil, false, mongostore.DuplicateAs(err, community.ErrRequestPending)
		}
		return next, stored, nil
	})
}

// List returns a page of requests, oldest first, and the number that match.
func (r *JoinRequestRepository) List(ctx context.Context, f communityport.JoinRequestFilter, skip, limit int) ([]*community.JoinRequest, int64, error) {
	filter := bson.D{}
	if f.CommunityID != "" {
		filter = append(filter, bson.E{Key: "community_id", Value: f.CommunityID})
	}
	if f.UserID != "" {
		filter = append(filter, bson.E{Key: "user_id", Value: f.UserID})
	}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(f.Status)})
	}
	total, err := r.c.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	if limit == 0 {
		return []*community.JoinRequest{}, total, nil
	}
	out, err := mongostore.FindAll(ctx, r.c, filter, pageOptions(oldestFirst("created_at"), skip, limit), joinRequestDoc.toDomain)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// DeleteAllInCommunity deletes a community's requests.
func (r *JoinRequestRepository) DeleteAllInCommunity(ctx context.Context, communityID string) error {
	_, err := r.c.DeleteMany(ctx, bson.D{{Key: "community_id", Value: communityID}})
	return mongostore.Translate(err)
}
