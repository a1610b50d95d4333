// Package datasetmongo implements the dataset repositories on MongoDB. A
// dataset and its versions are one document, so adding a version is one
// compare-and-set on the document's revision.
package datasetmongo

import (
	"context"
	"errors"
	"regexp"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

const datasetsCollection = "datasets"

// Indexes are the indexes this package needs.
func Indexes() []mongostore.Index {
	return []mongostore.Index{
		{Collection: datasetsCollection, Keys: bson.D{{Key: "community_id", Value: 1}}, Name: "community_id"},
		{Collection: datasetsCollection, Keys: newestFirst, Name: "created_at_id"},
		{Collection: uploadsCollection, Keys: bson.D{{Key: "expires_at", Value: 1}, {Key: "_id", Value: 1}}, Name: "expires_at_id"},
	}
}

// DatasetRepository stores datasets in "datasets".
type DatasetRepository struct {
	c *mongo.Collection
}

var _ datasetport.DatasetRepository = (*DatasetRepository)(nil)

// NewDatasetRepository returns the repository on db.
func NewDatasetRepository(db *mongo.Database) *DatasetRepository {
	return &DatasetRepository{c: db.Collection(datasetsCollection)}
}

type fileDoc struct {
	Filename    string `bson:"filename"`
	ContentType string `bson:"content_type"`
	Size        int64  `bson:"size"`
	SHA256      string `bson:"sha256"`
	BlobKey     string `bson:"blob_key"`
}

type versionDoc struct {
	Number    int       `bson:"number"`
	File      fileDoc   `bson:"file"`
	CreatedBy string    `bson:"created_by"`
	CreatedAt time.Time `bson:"created_at"`
}

type datasetDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	Title       string        `bson:"title"`
	Description string        `bson:"description"`
	CommunityID string        `bson:"community_id"`
	OwnerID     string        `bson:"owner_id"`
	Visibility  string        `bson:"visibility"`
	Tags        []string      `bson:"tags"`
	License     string        `bson:"license"`
	Version     int           `bson:"version"`
	Versions    []versionDoc  `bson:"versions"`
	CreatedAt   time.Time     `bson:"created_at"`
	UpdatedAt   time.Time     `bson:"updated_at"`
	Revision    int64         `bson:"revision"`
}

func toFileDoc(f dataset.File) fileDoc {
	return fileDoc{Filename: f.Filename, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, BlobKey: f.BlobKey}
}

func (f fileDoc) toDomain() dataset.File {
	return dataset.File{Filename: f.Filename, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, BlobKey: f.BlobKey}
}

func toDatasetDoc(d *dataset.Dataset, oid bson.ObjectID) datasetDoc {
	s := d.Snapshot()
	tags := s.Tags
	if tags == nil {
		tags = []string{}
	}
	versions := make([]versionDoc, 0, len(s.Versions))
	for _, v := range s.Versions {
		versions = append(versions, versionDoc{Number: v.Number, File: toFileDoc(v.File), CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt})
	}
	return datasetDoc{ID: oid, Title: s.Title, Description: s.Description, CommunityID: s.CommunityID, OwnerID: s.OwnerID,
		Visibility: string(s.Visibility), Tags: tags, License: s.License, Version: s.Version, Versions: versions,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Revision: s.Revision}
}

func (doc datasetDoc) toDomain() *dataset.Dataset {
	s := dataset.Snapshot{ID: doc.ID.Hex(), Title: doc.Title, Description: doc.Description, CommunityID: doc.CommunityID,
		OwnerID: doc.OwnerID, Visibility: dataset.Visibility(doc.Visibility), Tags: doc.Tags, License: doc.License,
		Version: doc.Version, CreatedAt: doc.CreatedAt.UTC(), UpdatedAt: doc.UpdatedAt.UTC(), Revision: doc.Revision}
	if s.Tags == nil {
		s.Tags = []string{}
	}
	for _, v := range doc.Versions {
		s.Versions = append(s.Versions, dataset.Version{DatasetID: s.ID, Number: v.Number, File: v.File.toDomain(),
			CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt.UTC()})
	}
	return dataset.Restore(s)
}

// Create stores a new dataset.
func (r *DatasetRepository) Create(ctx context.Context, d *dataset.Dataset) error {
	oid, err := mongostore.NewObjectID(d.ID())
	if err != nil {
		return err
	}
	d.BumpRevision()
	_, err = r.c.InsertOne(ctx, toDatasetDoc(d, oid))
	return mongostore.Translate(err)
}

// Get returns a dataset; a malformed id is not found.
func (r *DatasetRepository) Get(ctx context.Context, id string) (*dataset.Dataset, error) {
	return mongostore.FindByID(ctx, r.c, id, dataset.ErrNotFound, datasetDoc.toDomain)
}

// filter turns a Filter into a query: the scope first (what the caller may see), then the filters.
func filter(f datasetport.Filter) bson.D {
	q := bson.D{}
	if !f.Scope.All {
		or := bson.A{
			// Restricted metadata is listed for everyone, like public datasets.
			bson.D{{Key: "visibility", Value: bson.D{{Key: "$in", Value: bson.A{string(dataset.Public), string(dataset.Restricted)}}}}},
			bson.D{{Key: "owner_id", Value: f.Scope.ViewerID}},
		}
		if len(f.Scope.Communities) > 0 {
			or = append(or, bson.D{
				{Key: "visibility", Value: string(dataset.Community)},
				{Key: "community_id", Value: bson.D{{Key: "$in", Value: f.Scope.Communities}}},
			})
		}
		q = append(q, bson.E{Key: "$or", Value: or})
	}
	if f.CommunityID != "" {
		q = append(q, bson.E{Key: "community_id", Value: f.CommunityID})
	}
	if f.OwnerID != "" {
		q = append(q, bson.E{Key: "owner_id", Value: f.OwnerID})
	}
	if f.Tag != "" {
		q = append(q, bson.E{Key: "tags", Value: f.Tag})
	}
	if f.Visibility != "" {
		q = append(q, bson.E{Key: "visibility", Value: string(f.Visibility)})
	}
	if f.Query != "" {
		re := bson.D{{Key: "$regex", Value: regexp.QuoteMeta(f.Query)}, {Key: "$options", Value: "i"}}
		text := bson.A{bson.D{{Key: "title", Value: re}}, bson.D{{Key: "description", Value: re}}}
		if f.Scope.All {
			q = append(q, bson.E{Key: "$or", Value: text})
		} else {
			q = bson.D{{Key: "$and", Value: bson.A{q, bson.D{{Key: "$or", Value: text}}}}}
		}
	}
	return q
}

// newestFirst orders by creation time, then _id: ids order by the second only.
var newestFirst = bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}

// List returns a page, newest first, and the total that match.
func (r *DatasetRepository) List(ctx context.Context, f datasetport.Filter, skip, limit int) ([]*dataset.Dataset, int64, error) {
	q := filter(f)
	total, err := r.c.CountDocuments(ctx, q)
	if err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	opts := options.Find().SetSort(newestFirst).SetSkip(int64(skip))
	if limit >= 0 {
		opts.SetLimit(int64(limit))
	}
	out, err := mongostore.FindAll(ctx, r.c, q, opts, datasetDoc.toDomain)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Update is a compare-and-set on the revision, retried with fresh state when
// another writer came first.
func (r *DatasetRepository) Update(ctx context.Context, id string, fn func(*dataset.Dataset) error) (*dataset.Dataset, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, dataset.ErrNotFound
	}
	return mongostore.CompareAndSet(ctx, dataset.ErrVersionConflict, func() (*dataset.Dataset, bool, error) {
		cur, err := r.Get(ctx, id)
		if err != nil {
			return nil, false, err
		}
		rev := cur.Revision()
		if err := fn(cur); err != nil {
			return nil, false, err
		}
		cur.BumpRevision()
		stored, err := mongostore.ReplaceIfVersion(ctx, r.c, oid, "revision", rev, toDatasetDoc(cur, oid))
		if err != nil {
			return nil, false, mongostore.Translate(err)
		}
		return cur, stored, nil
	})
}

// Delete removes a dataset record and returns it, in one step.
func (r *DatasetRepository) Delete(ctx context.Context, id string) (*dataset.Dataset, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, dataset.ErrNotFound
	}
	var doc datasetDoc
	if err := r.c.FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&doc); err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil, dataset.ErrNotFound
		}
		return nil, mongostore.Translate(err)
	}
	return doc.toDomain(), nil
}

// CountInCommunity counts a community's datasets.
func (r *DatasetRepository) CountInCommunity(ctx context.Context, communityID string) (int64, error) {
	n, err := r.c.CountDocuments(ctx, bson.D{{Key: "community_id", Value: communityID}})
	return n, mongostore.Translate(err)
}
