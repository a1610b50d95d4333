package governancemongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// TermsRepository stores terms in "governance_terms"; the unique index on
// (community_id, version) publishes each version once.
type TermsRepository struct{ c *mongo.Collection }

var _ governanceport.TermsRepository = (*TermsRepository)(nil)

// NewTermsRepository returns the repository on db.
func NewTermsRepository(db *mongo.Database) *TermsRepository {
	return &TermsRepository{c: db.Collection(termsCollection)}
}

type termsDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	CommunityID string        `bson:"community_id"`
	Version     int           `bson:"version"`
	Title       string        `bson:"title"`
	Body        string        `bson:"body"`
	PublishedAt time.Time     `bson:"published_at"`
	PublishedBy string        `bson:"published_by"`
}

func toTermsDoc(t *governance.Terms, oid bson.ObjectID) termsDoc {
	return termsDoc{ID: oid, CommunityID: t.CommunityID, Version: t.Version, Title: t.Title, Body: t.Body,
		PublishedAt: t.PublishedAt, PublishedBy: t.PublishedBy}
}

func (d termsDoc) toDomain() *governance.Terms {
	return &governance.Terms{ID: d.ID.Hex(), CommunityID: d.CommunityID, Version: d.Version, Title: d.Title, Body: d.Body,
		PublishedAt: utc(d.PublishedAt), PublishedBy: d.PublishedBy}
}

// Create inserts terms; a version taken is governance.ErrTermsVersionTaken.
func (r *TermsRepository) Create(ctx context.Context, t *governance.Terms) error {
	oid, ok := mongostore.ObjectID(t.ID)
	if !ok {
		return badID("terms", t.ID)
	}
	return insert(ctx, r.c, oid, toTermsDoc(t, oid), governance.ErrTermsVersionTaken)
}

// Get returns terms by id.
func (r *TermsRepository) Get(ctx context.Context, id string) (*governance.Terms, error) {
	return mongostore.FindByID(ctx, r.c, id, governance.ErrTermsNotFound, termsDoc.toDomain)
}

// Current returns the community's highest version.
func (r *TermsRepository) Current(ctx context.Context, communityID string) (*governance.Terms, error) {
	var d termsDoc
	err := r.c.FindOne(ctx, bson.D{{Key: "community_id", Value: communityID}},
		options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&d)
	if err != nil {
		return nil, mongostore.NotFoundAs(err, governance.ErrTermsNotFound)
	}
	return d.toDomain(), nil
}

// List returns a page of a community's terms, the highest version first.
func (r *TermsRepository) List(ctx context.Context, communityID string, skip, limit int) ([]*governance.Terms, int64, error) {
	return list(ctx, r.c, bson.D{{Key: "community_id", Value: communityID}}, bson.D{{Key: "version", Value: -1}}, skip, limit, termsDoc.toDomain)
}

// ConsentRepository stores consent records in "governance_consents".
type ConsentRepository struct{ c *mongo.Collection }

var _ governanceport.ConsentRepository = (*ConsentRepository)(nil)

// NewConsentRepository returns the repository on db.
func NewConsentRepository(db *mongo.Database) *ConsentRepository {
	return &ConsentRepository{c: db.Collection(consentsCollection)}
}

type consentDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	UserID      string        `bson:"user_id"`
	CommunityID string        `bson:"community_id"`
	TermsID     string        `bson:"terms_id"`
	Version     int           `bson:"version"`
	RequestID   string        `bson:"request_id"`
	AcceptedAt  time.Time     `bson:"accepted_at"`
	IP          string        `bson:"ip"`
}

func toConsentDoc(c *governance.Consent, oid bson.ObjectID) consentDoc {
	return consentDoc{ID: oid, UserID: c.UserID, CommunityID: c.CommunityID, TermsID: c.TermsID,
		Version: c.Version, RequestID: c.RequestID, AcceptedAt: c.AcceptedAt, IP: c.IP}
}

func (d consentDoc) toDomain() *governance.Consent {
	return &governance.Consent{ID: d.ID.Hex(), UserID: d.UserID, CommunityID: d.CommunityID, TermsID: d.TermsID,
		Version: d.Version, RequestID: d.RequestID, AcceptedAt: utc(d.AcceptedAt), IP: d.IP}
}

// Create inserts a consent record.
func (r *ConsentRepository) Create(ctx context.Context, c *governance.Consent) error {
	oid, ok := mongostore.ObjectID(c.ID)
	if !ok {
		return badID("consent", c.ID)
	}
	_, err := r.c.InsertOne(ctx, toConsentDoc(c, oid))
	return mongostore.Translate(err)
}

// List returns a page of the consents that match, the newest first.
func (r *ConsentRepository) List(ctx context.Context, f governanceport.ConsentFilter, skip, limit int) ([]*governance.Consent, int64, error) {
	filter := bson.D{}
	if f.UserID != "" {
		filter = append(filter, bson.E{Key: "user_id", Value: f.UserID})
	}
	if f.CommunityID != "" {
		filter = append(filter, bson.E{Key: "community_id", Value: f.CommunityID})
	}
	return list(ctx, r.c, filter, newestFirst("accepted_at"), skip, limit, consentDoc.toDomain)
}
