// Package communitymongo implements the community repositories on MongoDB (and
// on the embedded FerretDB store), using only the subset both support:
// single-document compare-and-set under the process's document locks, primary
// keys and unique indexes for uniqueness, no transactions.
package communitymongo

import (
	"context"
	"errors"
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
	// pendingCollection holds one claim per (community, user) with a pending
	// request, keyed "<community_id>:<user_id>": the primary key makes a
	// second pending request a conflict even when both arrive at once.
	pendingCollection = "join_request_pending"
)

// maxUpdateAttempts bounds optimistic-concurrency retries of one Update.
const maxUpdateAttempts = 64

// Indexes are the indexes this package needs.
func Indexes() []mongostore.Index {
	return []mongostore.Index{
		{Collection: communitiesCollection, Keys: bson.D{{Key: "name_key", Value: 1}}, Unique: true, Name: "name_key_unique"},
		{Collection: membershipsCollection, Keys: bson.D{{Key: "community_id", Value: 1}, {Key: "added_at", Value: 1}}, Name: "community_added"},
		{Collection: membershipsCollection, Keys: bson.D{{Key: "user_id", Value: 1}, {Key: "added_at", Value: 1}}, Name: "user_added"},
		{Collection: joinRequestsCollection, Keys: bson.D{{Key: "community_id", Value: 1}, {Key: "status", Value: 1}}, Name: "community_status"},
		{Collection: joinRequestsCollection, Keys: bson.D{{Key: "user_id", Value: 1}, {Key: "status", Value: 1}}, Name: "user_status"},
		{Collection: pendingCollection, Keys: bson.D{{Key: "community_id", Value: 1}}, Name: "community_id"},
	}
}

// CommunityRepository stores communities in "communities"; the unique index on
// the lower-cased name keeps names unique case-insensitively.
type CommunityRepository struct {
	c     *mongo.Collection
	locks *mongostore.DocLocks
}

var _ communityport.CommunityRepository = (*CommunityRepository)(nil)

// NewCommunityRepository returns the repository on db; locks is the process's lock table.
func NewCommunityRepository(db *mongo.Database, locks *mongostore.DocLocks) *CommunityRepository {
	return &CommunityRepository{c: db.Collection(communitiesCollection), locks: locks}
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
	admins := c.AdminIDs
	if admins == nil {
		admins = []string{}
	}
	d := communityDoc{
		ID: oid, Name: c.Name, NameKey: community.NameKey(c.Name), Description: c.Description, CreatedBy: c.CreatedBy,
		AdminIDs: admins, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version,
	}
	if c.LogoKey != "" {
		d.Logo = &logoDoc{Key: c.LogoKey, ContentType: c.LogoContentType, ETag: c.LogoETag}
	}
	return d
}

func (d communityDoc) toDomain() *community.Community {
	c := &community.Community{
		ID: d.ID.Hex(), Name: d.Name, Description: d.Description, CreatedBy: d.CreatedBy,
		AdminIDs: d.AdminIDs, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
	}
	if c.AdminIDs == nil {
		c.AdminIDs = []string{}
	}
	if d.Logo != nil {
		c.LogoKey, c.LogoContentType, c.LogoETag = d.Logo.Key, d.Logo.ContentType, d.Logo.ETag
	}
	return c
}

// Create inserts a community; a taken name is community.ErrNameTaken.
func (r *CommunityRepository) Create(ctx context.Context, c *community.Community) error {
	oid, ok := mongostore.ObjectID(c.ID)
	if !ok {
		return community.ErrCommunityNotFound
	}
	c.Version = 1
	_, err := r.c.InsertOne(ctx, toCommunityDoc(c, oid))
	if mongostore.IsDuplicateKey(err) {
		return community.ErrNameTaken
	}
	return mongostore.Translate(err)
}

// Get returns a community; a malformed id is not found.
func (r *CommunityRepository) Get(ctx context.Context, id string) (*community.Community, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, community.ErrCommunityNotFound
	}
	var d communityDoc
	if err := r.c.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		return nil, mongostore.NotFoundAs(err, community.ErrCommunityNotFound)
	}
	return d.toDomain(), nil
}

// GetMany reads each community by its primary key (the embedded store pushes
// down only _id equality) and keeps the order of ids.
func (r *CommunityRepository) GetMany(ctx context.Context, ids []string) ([]*community.Community, error) {
	out := make([]*community.Community, 0, len(ids))
	for _, id := range ids {
		c, err := r.Get(ctx, id)
		if errors.Is(err, community.ErrCommunityNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
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

// Update is a compare-and-set on the document's version, retried when another
// writer won. Each attempt holds the document's lock: on the embedded store a
// filtered replace is not atomic on its own.
func (r *CommunityRepository) Update(ctx context.Context, id string, fn func(*community.Community) error) (*community.Community, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, community.ErrCommunityNotFound
	}
	for attempt := range maxUpdateAttempts {
		next, done, err := r.tryUpdate(ctx, id, oid, fn)
		if done || err != nil {
			return next, err
		}
		if err := mongostore.Backoff(ctx, attempt); err != nil {
			return nil, err
		}
	}
	return nil, community.ErrStaleCommunity
}

func (r *CommunityRepository) tryUpdate(ctx context.Context, id string, oid bson.ObjectID, fn func(*community.Community) error) (*community.Community, bool, error) {
	defer r.locks.Lock(r.c, id)()
	cur, err := r.Get(ctx, id)
	if err != nil {
		return nil, false, err
	}
	next := cur.Clone()
	if err := fn(next); err != nil {
		return nil, false, err
	}
	next.ID, next.Version = id, cur.Version+1
	res, err := r.c.ReplaceOne(ctx, r.locks.VersionFilter(oid, "version", cur.Version), toCommunityDoc(next, oid))
	switch {
	case mongostore.IsDuplicateKey(err):
		return nil, false, community.ErrNameTaken
	case err != nil:
		return nil, false, mongostore.Translate(err)
	case res.MatchedCount == 0:
		return nil, false, nil
	}
	return next, true, nil
}

// Delete removes a community and returns it (under its lock, so that it is
// the last version a compare-and-set stored).
func (r *CommunityRepository) Delete(ctx context.Context, id string) (*community.Community, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, community.ErrCommunityNotFound
	}
	defer r.locks.Lock(r.c, id)()
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
