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

// GrantRepository stores grants in "governance_grants"; the unique index on
// request_id makes one grant per request. revoked_at is null until the
// grant is revoked, so the status at a moment is a query on it and expires_at.
type GrantRepository struct{ c *mongo.Collection }

var _ governanceport.GrantRepository = (*GrantRepository)(nil)

// NewGrantRepository returns the repository on db.
func NewGrantRepository(db *mongo.Database) *GrantRepository {
	return &GrantRepository{c: db.Collection(grantsCollection)}
}

type grantDoc struct {
	ID            bson.ObjectID `bson:"_id"`
	DatasetID     string        `bson:"dataset_id"`
	DatasetTitle  string        `bson:"dataset_title"`
	CommunityID   string        `bson:"community_id"`
	CommunityName string        `bson:"community_name"`
	GranteeID     string        `bson:"grantee_id"`
	RequestID     string        `bson:"request_id"`
	Purpose       string        `bson:"purpose"`
	Organization  string        `bson:"organization"`
	TermsVersion  int           `bson:"terms_version"`
	GrantedBy     string        `bson:"granted_by"`
	GrantedAt     time.Time     `bson:"granted_at"`
	ExpiresAt     time.Time     `bson:"expires_at"`
	RevokedAt     *time.Time    `bson:"revoked_at"`
	RevokedBy     string        `bson:"revoked_by"`
	RevokeReason  string        `bson:"revoke_reason"`
	Version       int64         `bson:"version"`
}

func toGrantDoc(g *governance.Grant, oid bson.ObjectID) grantDoc {
	return grantDoc{
		ID: oid, DatasetID: g.DatasetID, DatasetTitle: g.DatasetTitle, CommunityID: g.CommunityID, CommunityName: g.CommunityName,
		GranteeID: g.GranteeID, RequestID: g.RequestID, Purpose: g.Purpose, Organization: g.Organization,
		TermsVersion: g.TermsVersion, GrantedBy: g.GrantedBy, GrantedAt: g.GrantedAt, ExpiresAt: g.ExpiresAt,
		RevokedAt: g.RevokedAt, RevokedBy: g.RevokedBy, RevokeReason: g.RevokeReason, Version: g.Revision,
	}
}

func (d grantDoc) toDomain() *governance.Grant {
	return &governance.Grant{
		ID: d.ID.Hex(), DatasetID: d.DatasetID, DatasetTitle: d.DatasetTitle, CommunityID: d.CommunityID,
		CommunityName: d.CommunityName, GranteeID: d.GranteeID, RequestID: d.RequestID, Purpose: d.Purpose,
		Organization: d.Organization, TermsVersion: d.TermsVersion, GrantedBy: d.GrantedBy, GrantedAt: utc(d.GrantedAt),
		ExpiresAt: utc(d.ExpiresAt), RevokedAt: utcPtr(d.RevokedAt), RevokedBy: d.RevokedBy, RevokeReason: d.RevokeReason,
		Revision: d.Version,
	}
}

// Create inserts a grant; a second grant of a request is governance.ErrGrantExists.
func (m *GrantRepository) Create(ctx context.Context, g *governance.Grant) error {
	oid, ok := mongostore.ObjectID(g.ID)
	if !ok {
		return badID("grant", g.ID)
	}
	g.Revision = 1
	return insert(ctx, m.c, oid, toGrantDoc(g, oid), governance.ErrGrantExists)
}

// Get returns a grant; a malformed id is not found.
func (m *GrantRepository) Get(ctx context.Context, id string) (*governance.Grant, error) {
	return mongostore.FindByID(ctx, m.c, id, governance.ErrGrantNotFound, grantDoc.toDomain)
}

// Update is a compare-and-set on the version, retried when another writer won.
func (m *GrantRepository) Update(ctx context.Context, id string, fn func(*governance.Grant) error) (*governance.Grant, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, governance.ErrGrantNotFound
	}
	return casUpdate(ctx, m.c, oid,
		func() (*governance.Grant, error) { return m.Get(ctx, id) },
		func(g *governance.Grant) int64 { return g.Revision },
		func(cur *governance.Grant) (*governance.Grant, any, error) {
			next := cur.Clone()
			if err := fn(next); err != nil {
				return nil, nil, err
			}
			next.ID, next.DatasetID, next.GranteeID, next.RequestID = cur.ID, cur.DatasetID, cur.GranteeID, cur.RequestID
			next.Revision = cur.Revision + 1
			return next, toGrantDoc(next, oid), nil
		})
}

// notRevoked matches grants without a revocation.
var notRevoked = bson.E{Key: "revoked_at", Value: nil}

// statusFilter is a status at now as a query.
func statusFilter(s governance.GrantStatus, now time.Time) bson.D {
	switch s {
	case governance.GrantActive:
		return bson.D{notRevoked, {Key: "expires_at", Value: bson.D{{Key: "$gt", Value: now}}}}
	case governance.GrantExpired:
		return bson.D{notRevoked, {Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}}
	case governance.GrantRevoked:
		return bson.D{{Key: "revoked_at", Value: bson.D{{Key: "$ne", Value: nil}}}}
	}
	return nil
}

// List returns a page of the grants that match, the newest first.
func (m *GrantRepository) List(ctx context.Context, f governanceport.GrantFilter, skip, limit int) ([]*governance.Grant, int64, error) {
	filter := bson.D{}
	if f.DatasetID != "" {
		filter = append(filter, bson.E{Key: "dataset_id", Value: f.DatasetID})
	}
	if f.GranteeID != "" {
		filter = append(filter, bson.E{Key: "grantee_id", Value: f.GranteeID})
	}
	if f.CommunityID != "" {
		filter = append(filter, bson.E{Key: "community_id", Value: f.CommunityID})
	}
	filter = append(filter, statusFilter(f.Status, f.Now)...)
	return list(ctx, m.c, filter, newestFirst("granted_at"), skip, limit, grantDoc.toDomain)
}

// FindActive returns the active grant of the pair that ends last.
func (m *GrantRepository) FindActive(ctx context.Context, datasetID, granteeID string, now time.Time) (*governance.Grant, error) {
	filter := append(bson.D{{Key: "dataset_id", Value: datasetID}, {Key: "grantee_id", Value: granteeID}},
		statusFilter(governance.GrantActive, now)...)
	var d grantDoc
	err := m.c.FindOne(ctx, filter, options.FindOne().SetSort(newestFirst("expires_at"))).Decode(&d)
	if err != nil {
		return nil, mongostore.NotFoundAs(err, governance.ErrGrantNotFound)
	}
	return d.toDomain(), nil
}

// Ending returns unrevoked grants ending in [from, to), the soonest first.
func (m *GrantRepository) Ending(ctx context.Context, from, to time.Time, limit int) ([]*governance.Grant, error) {
	filter := bson.D{notRevoked, {Key: "expires_at", Value: bson.D{{Key: "$gte", Value: from}, {Key: "$lt", Value: to}}}}
	sort := bson.D{{Key: "expires_at", Value: 1}, {Key: "_id", Value: 1}}
	return mongostore.FindAll(ctx, m.c, filter, pageOptions(sort, 0, limit), grantDoc.toDomain)
}

// NoticeClaimRepository stores claims in "governance_notice_claims", one
// document per (grant, notice) under its primary key.
type NoticeClaimRepository struct{ c *mongo.Collection }

var _ governanceport.NoticeClaimRepository = (*NoticeClaimRepository)(nil)

// NewNoticeClaimRepository returns the repository on db.
func NewNoticeClaimRepository(db *mongo.Database) *NoticeClaimRepository {
	return &NoticeClaimRepository{c: db.Collection(claimsCollection)}
}

type claimDoc struct {
	Key       string    `bson:"_id"`
	GrantID   string    `bson:"grant_id"`
	Notice    string    `bson:"notice"`
	ClaimedAt time.Time `bson:"claimed_at"`
}

func claimKey(grantID string, n governance.Notice) string { return grantID + "|" + string(n) }

// Claim inserts the claim; a duplicate key means it was taken.
func (m *NoticeClaimRepository) Claim(ctx context.Context, grantID string, n governance.Notice, at time.Time) (bool, error) {
	_, err := m.c.InsertOne(ctx, claimDoc{Key: claimKey(grantID, n), GrantID: grantID, Notice: string(n), ClaimedAt: at})
	if mongostore.IsDuplicateKey(err) {
		return false, nil
	}
	if err != nil {
		return false, mongostore.Translate(err)
	}
	return true, nil
}

// Release deletes the claim.
func (m *NoticeClaimRepository) Release(ctx context.Context, grantID string, n governance.Notice) error {
	_, err := m.c.DeleteOne(ctx, bson.D{{Key: "_id", Value: claimKey(grantID, n)}})
	return mongostore.Translate(err)
}

// Claimed reads which grants have the notice taken.
func (m *NoticeClaimRepository) Claimed(ctx context.Context, n governance.Notice, grantIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(grantIDs) == 0 {
		return out, nil
	}
	keys := make([]string, len(grantIDs))
	for i, id := range grantIDs {
		keys[i] = claimKey(id, n)
	}
	docs, err := mongostore.FindAll(ctx, m.c, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: keys}}}}, nil,
		func(d claimDoc) string { return d.GrantID })
	if err != nil {
		return nil, err
	}
	for _, id := range docs {
		out[id] = true
	}
	return out, nil
}
