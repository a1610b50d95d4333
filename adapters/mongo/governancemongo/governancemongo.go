// Package governancemongo implements the governance repositories on MongoDB
// with its own semantics: single-document compare-and-set on a version field
// (the filter {_id, version} of an update is atomic), primary keys and unique
// indexes for every uniqueness rule, no transactions.
package governancemongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Collections used by this package.
const (
	termsCollection    = "governance_terms"
	consentsCollection = "governance_consents"
	requestsCollection = "governance_access_requests"
	grantsCollection   = "governance_grants"
	// claimsCollection holds one document per claimed (grant, notice), keyed
	// "<grant_id>|<notice>": the primary key makes a second claim fail.
	claimsCollection = "governance_notice_claims"
)

// Indexes are the indexes this package needs.
func Indexes() []mongostore.Index {
	return []mongostore.Index{
		{Collection: termsCollection, Keys: bson.D{{Key: "community_id", Value: 1}, {Key: "version", Value: -1}}, Unique: true, Name: "community_version_unique"},
		{Collection: consentsCollection, Keys: bson.D{{Key: "user_id", Value: 1}, {Key: "accepted_at", Value: -1}}, Name: "user_accepted"},
		{Collection: consentsCollection, Keys: bson.D{{Key: "community_id", Value: 1}, {Key: "accepted_at", Value: -1}}, Name: "community_accepted"},
		// pending_key is "<dataset>|<requester>" while a request is pending and
		// absent afterwards: one pending request per pair.
		{Collection: requestsCollection, Keys: bson.D{{Key: "pending_key", Value: 1}}, Unique: true, Sparse: true, Name: "one_pending_per_requester"},
		{Collection: requestsCollection, Keys: bson.D{{Key: "dataset_id", Value: 1}, {Key: "created_at", Value: -1}}, Name: "dataset_created"},
		{Collection: requestsCollection, Keys: bson.D{{Key: "requester_id", Value: 1}, {Key: "created_at", Value: -1}}, Name: "requester_created"},
		{Collection: grantsCollection, Keys: bson.D{{Key: "request_id", Value: 1}}, Unique: true, Name: "request_unique"},
		{Collection: grantsCollection, Keys: bson.D{{Key: "dataset_id", Value: 1}, {Key: "grantee_id", Value: 1}, {Key: "expires_at", Value: -1}}, Name: "dataset_grantee_expires"},
		{Collection: grantsCollection, Keys: bson.D{{Key: "grantee_id", Value: 1}, {Key: "granted_at", Value: -1}}, Name: "grantee_granted"},
		{Collection: grantsCollection, Keys: bson.D{{Key: "granted_at", Value: -1}}, Name: "granted"},
		{Collection: grantsCollection, Keys: bson.D{{Key: "expires_at", Value: 1}}, Name: "expires"},
		{Collection: claimsCollection, Keys: bson.D{{Key: "notice", Value: 1}, {Key: "grant_id", Value: 1}}, Name: "notice_grant"},
	}
}

// newestFirst sorts by a moment, then by _id, the greater first.
func newestFirst(field string) bson.D {
	return bson.D{{Key: field, Value: -1}, {Key: "_id", Value: -1}}
}

// pageOptions sorts and pages a find (limit < 0: no limit).
func pageOptions(sort bson.D, skip, limit int) *options.FindOptionsBuilder {
	opts := options.Find().SetSort(sort).SetSkip(int64(max(skip, 0)))
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return opts
}

// list counts the documents that match and returns a page of them (limit 0:
// only the count).
func list[D, T any](ctx context.Context, c *mongo.Collection, filter bson.D, sort bson.D, skip, limit int, toDomain func(D) T) ([]T, int64, error) {
	total, err := c.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	if limit == 0 {
		return []T{}, total, nil
	}
	out, err := mongostore.FindAll(ctx, c, filter, pageOptions(sort, skip, limit), toDomain)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// insert inserts doc under oid; a duplicate key in another unique index is
// taken, the context's own sentinel, and a taken _id a plain conflict.
func insert(ctx context.Context, c *mongo.Collection, oid bson.ObjectID, doc any, taken error) error {
	_, err := c.InsertOne(ctx, doc)
	if !mongostore.IsDuplicateKey(err) {
		return mongostore.Translate(err)
	}
	idTaken, xerr := exists(ctx, c, oid)
	switch {
	case xerr != nil:
		return xerr
	case idTaken:
		return kernel.Wrap(kernel.ErrConflict, err)
	default:
		return taken
	}
}

// exists reports whether a document with this _id is stored: after a
// duplicate-key error, it tells a taken id from another unique key.
func exists(ctx context.Context, c *mongo.Collection, id any) (bool, error) {
	n, err := c.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}}, options.Count().SetLimit(1))
	if err != nil {
		return false, mongostore.Translate(err)
	}
	return n > 0, nil
}

// utc returns t in UTC (the driver decodes BSON dates in local time).
func utc(t time.Time) time.Time { return t.UTC() }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// casUpdate is mongostore.UpdateIfVersion on the "version" field for the
// documents here: load reads the state, which carries the version stored as
// its revision.
func casUpdate[T any](ctx context.Context, c *mongo.Collection, oid bson.ObjectID,
	load func() (T, error), revision func(T) int64, apply func(cur T) (next T, doc any, err error),
) (T, error) {
	return mongostore.UpdateIfVersion(ctx, c, oid, "version", governance.ErrStale,
		func() (T, int64, error) {
			cur, err := load()
			if err != nil {
				return cur, 0, err
			}
			return cur, revision(cur), nil
		}, apply)
}

// badID is an identifier the domain made that is no ObjectID: a bug, not input.
func badID(what, id string) error {
	return fmt.Errorf("governancemongo: %s id %q is not an ObjectID", what, id)
}
