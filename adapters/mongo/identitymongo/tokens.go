package identitymongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

const tokensCollection = "one_time_tokens"

// OneTimeTokenRepository stores hashed one-time tokens in "one_time_tokens".
type OneTimeTokenRepository struct {
	c *mongo.Collection
}

var _ identityport.OneTimeTokenRepository = (*OneTimeTokenRepository)(nil)

// NewOneTimeTokenRepository returns the repository on db.
func NewOneTimeTokenRepository(db *mongo.Database) *OneTimeTokenRepository {
	return &OneTimeTokenRepository{c: db.Collection(tokensCollection)}
}

type tokenDoc struct {
	ID        bson.ObjectID `bson:"_id"`
	UserID    string        `bson:"user_id"`
	Purpose   string        `bson:"purpose"`
	Hash      string        `bson:"hash"`
	CreatedAt time.Time     `bson:"created_at"`
	ExpiresAt time.Time     `bson:"expires_at"`
	UsedAt    *time.Time    `bson:"used_at"`
}

// Create stores a token.
func (r *OneTimeTokenRepository) Create(ctx context.Context, t *identity.OneTimeToken) error {
	oid, err := mongostore.NewObjectID(t.ID)
	if err != nil {
		return err
	}
	_, err = r.c.InsertOne(ctx, toTokenDoc(t, oid))
	return mongostore.Translate(err)
}

// Get returns a token.
func (r *OneTimeTokenRepository) Get(ctx context.Context, id string) (*identity.OneTimeToken, error) {
	return mongostore.FindByID(ctx, r.c, id, kernel.ErrNotFound, tokenDoc.toDomain)
}

func toTokenDoc(t *identity.OneTimeToken, oid bson.ObjectID) tokenDoc {
	return tokenDoc{ID: oid, UserID: t.UserID, Purpose: string(t.Purpose), Hash: t.Hash, CreatedAt: t.CreatedAt,
		ExpiresAt: t.ExpiresAt, UsedAt: t.UsedAt}
}

func (d tokenDoc) toDomain() *identity.OneTimeToken {
	t := &identity.OneTimeToken{ID: d.ID.Hex(), UserID: d.UserID, Purpose: identity.TokenPurpose(d.Purpose), Hash: d.Hash,
		CreatedAt: d.CreatedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC()}
	if d.UsedAt != nil {
		u := d.UsedAt.UTC()
		t.UsedAt = &u
	}
	return t
}

// Consume marks the token used with an update conditional on its being
// unused, so that of concurrent consumptions exactly one succeeds.
func (r *OneTimeTokenRepository) Consume(ctx context.Context, id string, at time.Time) error {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return identity.ErrInvalidOneTime
	}
	res, err := r.c.UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}, {Key: "used_at", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "used_at", Value: at}}}})
	if err != nil {
		return mongostore.Translate(err)
	}
	if res.MatchedCount == 0 {
		return identity.ErrInvalidOneTime
	}
	return nil
}

// ConsumeAll marks every unused token of userID with purpose used, in one update.
func (r *OneTimeTokenRepository) ConsumeAll(ctx context.Context, userID string, purpose identity.TokenPurpose, at time.Time) error {
	_, err := r.c.UpdateMany(ctx, bson.D{{Key: "user_id", Value: userID}, {Key: "purpose", Value: string(purpose)}, {Key: "used_at", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "used_at", Value: at}}}})
	return mongostore.Translate(err)
}
