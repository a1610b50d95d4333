package communitymongo

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// staleClaimAge is how old a claim without its request must be before it is
// taken as left over by a crash (and not a request being filed right now).
const staleClaimAge = 30 * time.Second

// JoinRequestRepository stores requests in "community_join_requests" and the
// pending claim of each (community, user) in "join_request_pending": a claim
// is inserted before its request and deleted when the request leaves pending.
type JoinRequestRepository struct {
	c      *mongo.Collection
	claims *mongo.Collection
	locks  *mongostore.DocLocks
}

var _ communityport.JoinRequestRepository = (*JoinRequestRepository)(nil)

// NewJoinRequestRepository returns the repository on db; locks is the process's lock table.
func NewJoinRequestRepository(db *mongo.Database, locks *mongostore.DocLocks) *JoinRequestRepository {
	return &JoinRequestRepository{c: db.Collection(joinRequestsCollection), claims: db.Collection(pendingCollection), locks: locks}
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
	Version     int64         `bson:"version"`
}

type pendingClaimDoc struct {
	Key         string    `bson:"_id"`
	RequestID   string    `bson:"request_id"`
	CommunityID string    `bson:"community_id"`
	ClaimedAt   time.Time `bson:"claimed_at"`
}

func toJoinRequestDoc(r *community.JoinRequest, oid bson.ObjectID) joinRequestDoc {
	return joinRequestDoc{
		ID: oid, CommunityID: r.CommunityID, UserID: r.UserID, Message: r.Message, Status: string(r.Status),
		Reason: r.Reason, DecidedBy: r.DecidedBy, CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt, Version: r.Version,
	}
}

func (d joinRequestDoc) toDomain() *community.JoinRequest {
	r := &community.JoinRequest{
		ID: d.ID.Hex(), CommunityID: d.CommunityID, UserID: d.UserID, Message: d.Message,
		Status: community.RequestStatus(d.Status), Reason: d.Reason, DecidedBy: d.DecidedBy,
		CreatedAt: d.CreatedAt.UTC(), Version: d.Version,
	}
	if d.DecidedAt != nil {
		t := d.DecidedAt.UTC()
		r.DecidedAt = &t
	}
	return r
}

// Create claims the (community, user) pair for a pending request, then inserts
// the request; a pair already claimed is community.ErrRequestPending.
func (r *JoinRequestRepository) Create(ctx context.Context, jr *community.JoinRequest) error {
	oid, ok := mongostore.ObjectID(jr.ID)
	if !ok {
		return community.ErrRequestNotFound
	}
	pending := jr.Status == community.StatusPending
	if pending {
		if err := r.claim(ctx, jr); err != nil {
			return err
		}
	}
	jr.Version = 1
	if _, err := r.c.InsertOne(ctx, toJoinRequestDoc(jr, oid)); err != nil {
		if pending {
			r.release(context.WithoutCancel(ctx), jr.CommunityID, jr.UserID, jr.ID)
		}
		return mongostore.Translate(err)
	}
	return nil
}

// claim inserts the pending claim; a claim left behind (its request decided, or
// never stored by a crashed create) is taken over.
func (r *JoinRequestRepository) claim(ctx context.Context, jr *community.JoinRequest) error {
	key := community.MembershipKey(jr.CommunityID, jr.UserID)
	claim := pendingClaimDoc{Key: key, RequestID: jr.ID, CommunityID: jr.CommunityID, ClaimedAt: time.Now().UTC()}
	_, err := r.claims.InsertOne(ctx, claim)
	if err == nil {
		return nil
	}
	if !mongostore.IsDuplicateKey(err) {
		return mongostore.Translate(err)
	}
	var existing pendingClaimDoc
	if err := r.claims.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&existing); err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return community.ErrRequestPending // released in between; the client may retry
		}
		return mongostore.Translate(err)
	}
	holder, err := r.Get(ctx, existing.RequestID)
	switch {
	case err == nil && holder.Status == community.StatusPending:
		return community.ErrRequestPending
	case errors.Is(err, community.ErrRequestNotFound) && time.Since(existing.ClaimedAt) < staleClaimAge:
		return community.ErrRequestPending // its request is being stored right now
	case err != nil && !errors.Is(err, community.ErrRequestNotFound):
		return err
	}
	defer r.locks.Lock(r.claims, key)()
	res, err := r.claims.ReplaceOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "request_id", Value: existing.RequestID}}, claim)
	if err != nil {
		return mongostore.Translate(err)
	}
	if res.MatchedCount == 0 {
		return community.ErrRequestPending
	}
	return nil
}

// release deletes the claim of a pair if requestID still holds it; a failure
// only leaves a stale claim, which the next Create takes over.
func (r *JoinRequestRepository) release(ctx context.Context, communityID, userID, requestID string) {
	key := community.MembershipKey(communityID, userID)
	defer r.locks.Lock(r.claims, key)()
	_, _ = r.claims.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "request_id", Value: requestID}})
}

// Get returns a request; a malformed id is not found.
func (r *JoinRequestRepository) Get(ctx context.Context, id string) (*community.JoinRequest, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, community.ErrRequestNotFound
	}
	var d joinRequestDoc
	if err := r.c.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		return nil, mongostore.NotFoundAs(err, community.ErrRequestNotFound)
	}
	return d.toDomain(), nil
}

// Update is a compare-and-set on the request's version under its lock, retried
// when another writer won; a request that leaves pending releases its claim.
func (r *JoinRequestRepository) Update(ctx context.Context, id string, fn func(*community.JoinRequest) error) (*community.JoinRequest, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, community.ErrRequestNotFound
	}
	for attempt := range maxUpdateAttempts {
		cur, next, done, err := r.tryUpdate(ctx, id, oid, fn)
		if err != nil {
			return nil, err
		}
		if done {
			if cur.Status == community.StatusPending && next.Status != community.StatusPending {
				r.release(context.WithoutCancel(ctx), next.CommunityID, next.UserID, id)
			}
			return next, nil
		}
		if err := mongostore.Backoff(ctx, attempt); err != nil {
			return nil, err
		}
	}
	return nil, community.ErrStaleRequest
}

func (r *JoinRequestRepository) tryUpdate(ctx context.Context, id string, oid bson.ObjectID, fn func(*community.JoinRequest) error) (cur, next *community.JoinRequest, done bool, err error) {
	defer r.locks.Lock(r.c, id)()
	cur, err = r.Get(ctx, id)
	if err != nil {
		return nil, nil, false, err
	}
	next = cur.Clone()
	if err := fn(next); err != nil {
		return nil, nil, false, err
	}
	next.ID, next.CommunityID, next.UserID, next.Version = id, cur.CommunityID, cur.UserID, cur.Version+1
	res, err := r.c.ReplaceOne(ctx, r.locks.VersionFilter(oid, "version", cur.Version), toJoinRequestDoc(next, oid))
	if err != nil {
		return nil, nil, false, mongostore.Translate(err)
	}
	return cur, next, res.MatchedCount == 1, nil
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

// DeleteAllInCommunity deletes a community's requests and their claims.
func (r *JoinRequestRepository) DeleteAllInCommunity(ctx context.Context, communityID string) error {
	if _, err := r.c.DeleteMany(ctx, bson.D{{Key: "community_id", Value: communityID}}); err != nil {
		return mongostore.Translate(err)
	}
	_, err := r.claims.DeleteMany(ctx, bson.D{{Key: "community_id", Value: communityID}})
	return mongostore.Translate(err)
}
