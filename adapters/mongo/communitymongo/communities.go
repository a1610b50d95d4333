// Package communitymongo implements the community repositories on MongoDB:
// unique indexes for names, memberships and pending requests, and one
// compare-and-set on a document's version for every read-modify-write
// (mongostore.CompareAndSet).
package communitymongo

import (
	"context"
	"regexp"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// Collections used by this package.
const (
	communitiesCollection  = "communities"
	membershipsCollection  = "community_memberships"
	joinRequestsCollection = "community_join_requests"
)

// Indexes are the indexes this package needs.
func Indexes() []mongostore.Index {
	return []mongostore.Index{
		{Collection: communitiesCollection, Keys: bson.D{{Key: "name_key", Value: 1}}, Unique: true, Name: "name_key_unique"},
		{Collection: membershipsCollection, Keys: bson.D{{Key: "community_id", Value: 1}, {Key: "added_at", Value: 1}}, Name: "community_added"},
		{Collection: membershipsCollection, Keys: bson.D{{Key: "user_id", Value: 1}, {Key: "added_at", Value: 1}}, Name: "user_added"},
		{Collection: joinRequestsCollection, Keys: bson.D{{Key: "community_id", Value: 1}, {Key: "status", Value: 1}}, Name: "community_status"},
		{Collection: joinRequestsCollection, Keys: bson.D{{Key: "user_id", Value: 1}, {Key: "status", Value: 1}}, Name: "user_status"},
		// A user has at most one pending request per community: pending_key is
		// set only while a request is pending (see joinRequestDoc).
		{Collection: joinRequestsCollection, Keys: bson.D{{Key: "pending_key", Value: 1}}, Unique: true, Sparse: true,
			Name: "one_pending_per_user"},
	}
}

// CommunityRepository stores communities in "communities"; the unique index on
// the lower-cased name keeps names unique case-insensitively.
type CommunityRepository struct {
	c *mongo.Collection
}

var _ communityport.CommunityRepository = (*CommunityRepository)(nil)

// NewCommunityRepository returns the repository on db.
func NewCommunityRepository(db *mongo.Database) *CommunityRepository {
	return &CommunityRepository{c: db.Collection(communitiesCollection)}
}

type logoDoc struct {
	Key         string `bson:"key"`
	ContentType string `bson:"content_type"`
	ETag        string `bson:"etag"`
}

type communityDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	Name        string        `bson:"name"`
	NameKey     string        `bson:"name_key"`
	Description string        `bson:"description"`
	CreatedBy   string        `bson:"created_by"`
	Logo        *logoDoc      `bson:"logo"`
	AdminIDs    []string      `bson:"admin_ids"`
	CreatedAt   time.Time     `bson:"created_at"`
	UpdatedAt   time.Time     `bson:"updated_at"`
	Version     int64         `bson:"version"`
}

func toCommunityDoc(c *community.Community, oid bson.ObjectID) communityDoc {
	s := c.Snapshot()
	admins := s.AdminIDs
	if admins == nil {
		admins = []string{}
	}
	d := communityDoc{
		ID: oid, Name: s.Name, NameKey: community.NameKey(s.Name), Description: s.Description, CreatedBy: s.CreatedBy,
		AdminIDs: admins, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Version: s.Revision,
	}
	if s.LogoKey != "" {
		d.Logo = &logoDoc{Key: s.LogoKey, ContentType: s.LogoContentType, ETag: s.LogoETag}
	}
	return d
}

func (d communityDoc) toDomain() *community.Community {
	c := community.Snapshot{
		ID: d.ID.Hex(), Name: d.Name, Description: d.Description, CreatedBy: d.CreatedBy,
		AdminIDs: d.AdminIDs, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Revision: d.Version,
	}
	if c.AdminIDs == nil {
		c.AdminIDs = []string{}
	}
	if d.Logo != nil {
		c.LogoKey, c.LogoContentType, c.LogoETag = d.Logo.Key, d.Logo.ContentType, d.Logo.ETag
	}
	return community.Restore(c)
}

// Create inserts a community; a taken name is community.ErrNameTaken.
func (r *CommunityRepository) Create(ctx context.Context, c *community.Community) error {
	oid, err := mongostore.NewObjectID(c.ID())
	if err != nil {
		return err
	}
	c.BumpRevision()
	_, err = r.c.InsertOne(ctx, toCommunityDoc(c, oid))
	return mongostore.DuplicateAs(err, community.ErrNameTaken)
}

// Get returns a community; a malformed id is not found.
func (r *CommunityRepository) Get(ctx context.Context, id string) (*community.Community, error) {
	return mongostore.FindByID(ctx, r.c, id, community.ErrCommunityNotFound, communityDoc.toDomain)
}

// GetMany reads the communities in one query and keeps the order of ids.
func (r *CommunityRepository) GetMany(ctx context.Context, ids []string) ([]*community.Community, error) {
	oids := make([]bson.ObjectID, 0, len(ids))
	for _, id := range ids {
		if oid, ok := mongostore.ObjectID(id); ok {
			oids = append(oids, oid)
		}
	}
	if len(oids) == 0 {
		return []*community.Community{}, nil
	}
	found, err := mongostore.FindAll(ctx, r.c, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: oids}}}}, options.Find(), communityDoc.toDomain)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*community.Community, len(found))
	for _, c := range found {
		byID[c.ID()] = c
	}
	out := make([]*community.Community, 0, len(found))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// List returns a page of communities, oldest first, and the number that match.
func (r *CommunityRepository) List(ctx context.Context, f communityport.ListFilter, skip, limit int) ([]*community.Community, int64, error) {
	filter := bson.D{}
	if key := community.NameKey(f.NameContains); key != "" {
		filter = append(filter, bson.E{Key: "name_key", Value: bson.D{{Key: "$regex", Value: regexp.QuoteMeta(key)}}})
	}
	total, err := r.c.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	if limit == 0 {
		return []*community.Community{}, total, nil
	}
	out, err := mongostore.FindAll(ctx, r.c, filter, pageOptions(oldestFirst("created_at"), skip, limit), communityDoc.toDomain)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Update is a compare-and-set on the document's version, retried when
// another writer came first; a rename to a taken name is
// community.ErrNameTaken and changes nothing.
func (r *CommunityRepository) Update(ctx context.Context, id string, fn func(*community.Community) error) (*community.Community, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, community.ErrCommunityNotFound
	}
	return mongostore.CompareAndSet(ctx, community.ErrStaleCommunity, func() (*community.Community, bool, error) {
		cur, err := r.Get(ctx, id)
		if err != nil {
			return nil, false, err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return nil, false, err
		}
		next.BumpRevision()
		stored, err := mongostore.ReplaceIfVersion(ctx, r.c, oid, "version", cur.Revision(), toCommunityDoc(next, oid))
		if err != nil {
			return nil, false, mongostore.DuplicateAs(err, community.ErrNameTaken)
		}
		return next, stored, nil
	})
}

// Delete removes a community and returns it as it was last stored, in one
// atomic operation.
func (r *CommunityRepository) Delete(ctx context.Context, id string) (*community.Community, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, community.ErrCommunityNotFound
	}
	var d communityDoc
	if err := r.c.FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		return nil, mongostore.NotFoundAs(err, community.ErrCommunityNotFound)
	}
	return d.toDomain(), nil
}

// oldestFirst sorts by a time field, then by _id.
func oldestFirst(field string) bson.D {
	return bson.D{{Key: field, Value: 1}, {Key: "_id", Value: 1}}
}

// pageOptions sorts and pages a find (limit < 0: no limit).
func pageOptions(sort bson.D, skip, limit int) *options.FindOptionsBuilder {
	opts := options.Find().SetSort(sort).SetSkip(int64(max(skip, 0)))
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return opts
}
