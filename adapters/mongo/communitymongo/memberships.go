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

// MembershipRepository stores memberships in "community_memberships", keyed
// "<community_id>:<user_id>": a second membership of the same user is a
// primary-key conflict, so it is refused even when both are added at once.
type MembershipRepository struct {
	c *mongo.Collection
}

var _ communityport.MembershipRepository = (*MembershipRepository)(nil)

// NewMembershipRepository returns the repository on db.
func NewMembershipRepository(db *mongo.Database) *MembershipRepository {
	return &MembershipRepository{c: db.Collection(membershipsCollection)}
}

type membershipDoc struct {
	Key         string    `bson:"_id"`
	CommunityID string    `bson:"community_id"`
	UserID      string    `bson:"user_id"`
	Role        string    `bson:"role"`
	AddedAt     time.Time `bson:"added_at"`
}

func toMembershipDoc(m *community.Membership) membershipDoc {
	return membershipDoc{
		Key: community.MembershipKey(m.CommunityID, m.UserID), CommunityID: m.CommunityID, UserID: m.UserID,
		Role: string(m.Role), AddedAt: m.AddedAt,
	}
}

func (d membershipDoc) toDomain() *community.Membership {
	return &community.Membership{CommunityID: d.CommunityID, UserID: d.UserID, Role: community.Role(d.Role), AddedAt: d.AddedAt.UTC()}
}

// Add inserts a membership; a duplicate is community.ErrAlreadyMember.
func (r *MembershipRepository) Add(ctx context.Context, m *community.Membership) error {
	_, err := r.c.InsertOne(ctx, toMembershipDoc(m))
	if mongostore.IsDuplicateKey(err) {
		return community.ErrAlreadyMember
	}
	return mongostore.Translate(err)
}

// Get reads a membership by its key.
func (r *MembershipRepository) Get(ctx context.Context, communityID, userID string) (*community.Membership, error) {
	var d membershipDoc
	err := r.c.FindOne(ctx, bson.D{{Key: "_id", Value: community.MembershipKey(communityID, userID)}}).Decode(&d)
	if err != nil {
		return nil, mongostore.NotFoundAs(err, community.ErrNotMember)
	}
	return d.toDomain(), nil
}

// Remove deletes a membership by its key.
func (r *MembershipRepository) Remove(ctx context.Context, communityID, userID string) error {
	res, err := r.c.DeleteOne(ctx, bson.D{{Key: "_id", Value: community.MembershipKey(communityID, userID)}})
	if err != nil {
		return mongostore.Translate(err)
	}
	if res.DeletedCount == 0 {
		return community.ErrNotMember
	}
	return nil
}

// ListByCommunity returns a page of a community's memberships, oldest first.
func (r *MembershipRepository) ListByCommunity(ctx context.Context, communityID string, skip, limit int) ([]*community.Membership, int64, error) {
	return r.list(ctx, bson.D{{Key: "community_id", Value: communityID}}, skip, limit)
}

// ListByUser returns a page of a user's memberships, oldest first.
func (r *MembershipRepository) ListByUser(ctx context.Context, userID string, skip, limit int) ([]*community.Membership, int64, error) {
	return r.list(ctx, bson.D{{Key: "user_id", Value: userID}}, skip, limit)
}

func (r *MembershipRepository) list(ctx context.Context, filter bson.D, skip, limit int) ([]*community.Membership, int64, error) {
	total, err := r.c.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	if limit == 0 {
		return []*community.Membership{}, total, nil
	}
	out, err := mongostore.FindAll(ctx, r.c, filter, pageOptions(oldestFirst("added_at"), skip, limit), membershipDoc.toDomain)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Count counts the members of several communities in one aggregation.
func (r *MembershipRepository) Count(ctx context.Context, communityIDs []string) (map[string]int64, error) {
	out := make(map[string]int64, len(communityIDs))
	if len(communityIDs) == 0 {
		return out, nil
	}
	cur, err := r.c.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "community_id", Value: bson.D{{Key: "$in", Value: communityIDs}}}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$community_id"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	})
	if err != nil {
		return nil, mongostore.Translate(err)
	}
	var rows []struct {
		ID string `bson:"_id"`
		N  int64  `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, mongostore.Translate(err)
	}
	for _, row := range rows {
		out[row.ID] = row.N
	}
	return out, nil
}

// RemoveAllInCommunity deletes a community's memberships.
func (r *MembershipRepository) RemoveAllInCommunity(ctx context.Context, communityID string) error {
	_, err := r.c.DeleteMany(ctx, bson.D{{Key: "community_id", Value: communityID}})
	return mongostore.Translate(err)
}
