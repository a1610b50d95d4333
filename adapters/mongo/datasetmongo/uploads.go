package datasetmongo

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

const uploadsCollection = "dataset_uploads"

// UploadRepository stores resumable uploads in "dataset_uploads", one
// document each; an update is a compare-and-set on the revision.
type UploadRepository struct{ c *mongo.Collection }

var _ datasetport.UploadRepository = (*UploadRepository)(nil)

// NewUploadRepository returns the repository on db.
func NewUploadRepository(db *mongo.Database) *UploadRepository {
	return &UploadRepository{c: db.Collection(uploadsCollection)}
}

type newDatasetDoc struct {
	Title       *string  `bson:"title"`
	Description string   `bson:"description"`
	CommunityID string   `bson:"community_id"`
	Visibility  *string  `bson:"visibility"`
	Tags        []string `bson:"tags"`
	License     string   `bson:"license"`
}

type uploadLockDoc struct {
	Holder       string    `bson:"holder"`
	Until        time.Time `bson:"until"`
	ReleaseAsked bool      `bson:"release_asked"`
}

type uploadResultDoc struct {
	DatasetID string `bson:"dataset_id"`
	Version   int    `bson:"version"`
}

type uploadDoc struct {
	ID           bson.ObjectID    `bson:"_id"`
	OwnerID      string           `bson:"owner_id"`
	DatasetID    string           `bson:"dataset_id"`
	New          newDatasetDoc    `bson:"new"`
	Filename     string           `bson:"filename"`
	DeclaredType string           `bson:"declared_type"`
	Metadata     string           `bson:"metadata"`
	Size         int64            `bson:"size"`
	Offset       int64            `bson:"offset"`
	StageKey     string           `bson:"stage_key"`
	Hash         []byte           `bson:"hash"`
	Head         []byte           `bson:"head"`
	CreatedAt    time.Time        `bson:"created_at"`
	ExpiresAt    time.Time        `bson:"expires_at"`
	Lock         uploadLockDoc    `bson:"lock"`
	Result       *uploadResultDoc `bson:"result"`
	Revision     int64            `bson:"revision"`
}

func toUploadDoc(u *dataset.Upload, oid bson.ObjectID) uploadDoc {
	d := uploadDoc{
		ID: oid, OwnerID: u.OwnerID, DatasetID: u.DatasetID,
		New: newDatasetDoc{Title: u.New.Title, Description: u.New.Description, CommunityID: u.New.CommunityID,
			Tags: u.New.Tags, License: u.New.License},
		Filename: u.Filename, DeclaredType: u.DeclaredType, Metadata: u.Metadata, Size: u.Size, Offset: u.Offset,
		StageKey: u.StageKey, Hash: u.Hash, Head: u.Head, CreatedAt: u.CreatedAt, ExpiresAt: u.ExpiresAt,
		Lock:     uploadLockDoc{Holder: u.Lock.Holder, Until: u.Lock.Until, ReleaseAsked: u.Lock.ReleaseAsked},
		Revision: u.Revision,
	}
	if u.New.Visibility != nil {
		v := string(*u.New.Visibility)
		d.New.Visibility = &v
	}
	if u.Result != nil {
		d.Result = &uploadResultDoc{DatasetID: u.Result.DatasetID, Version: u.Result.Version}
	}
	return d
}

func (d uploadDoc) toDomain() *dataset.Upload {
	u := &dataset.Upload{
		ID: d.ID.Hex(), OwnerID: d.OwnerID, DatasetID: d.DatasetID,
		New: dataset.NewDataset{Title: d.New.Title, Description: d.New.Description, CommunityID: d.New.CommunityID,
			Tags: d.New.Tags, License: d.New.License},
		Filename: d.Filename, DeclaredType: d.DeclaredType, Metadata: d.Metadata, Size: d.Size, Offset: d.Offset,
		StageKey: d.StageKey, Hash: d.Hash, Head: d.Head, CreatedAt: d.CreatedAt.UTC(), ExpiresAt: d.ExpiresAt.UTC(),
		Lock:     dataset.UploadLock{Holder: d.Lock.Holder, ReleaseAsked: d.Lock.ReleaseAsked},
		Revision: d.Revision,
	}
	if d.Lock.Holder != "" {
		u.Lock.Until = d.Lock.Until.UTC()
	}
	if d.New.Visibility != nil {
		v := dataset.Visibility(*d.New.Visibility)
		u.New.Visibility = &v
	}
	if d.Result != nil {
		u.Result = &dataset.UploadResult{DatasetID: d.Result.DatasetID, Version: d.Result.Version}
	}
	return u
}

// Create inserts an upload; a taken id is kernel.ErrConflict.
func (r *UploadRepository) Create(ctx context.Context, u *dataset.Upload) error {
	oid, ok := mongostore.ObjectID(u.ID)
	if !ok {
		return fmt.Errorf("datasetmongo: upload id %q is not an ObjectID", u.ID)
	}
	u.Revision = 1
	_, err := r.c.InsertOne(ctx, toUploadDoc(u, oid))
	if mongostore.IsDuplicateKey(err) {
		return kernel.Wrap(kernel.ErrConflict, err)
	}
	return mongostore.Translate(err)
}

// Get returns an upload; a malformed id is not found.
func (r *UploadRepository) Get(ctx context.Context, id string) (*dataset.Upload, error) {
	return mongostore.FindByID(ctx, r.c, id, dataset.ErrUploadNotFound, uploadDoc.toDomain)
}

// Update is a compare-and-set on the revision, retried when another writer
// won.
func (r *UploadRepository) Update(ctx context.Context, id string, fn func(*dataset.Upload) error) (*dataset.Upload, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, dataset.ErrUploadNotFound
	}
	return mongostore.CompareAndSet(ctx, kernel.ErrConflict, func() (*dataset.Upload, bool, error) {
		cur, err := r.Get(ctx, id)
		if err != nil {
			return nil, false, err
		}
		rev := cur.Revision
		if err := fn(cur); err != nil {
			return nil, false, err
		}
		cur.ID, cur.Revision = id, rev+1
		stored, err := mongostore.ReplaceIfVersion(ctx, r.c, oid, "revision", rev, toUploadDoc(cur, oid))
		if err != nil {
			return nil, false, mongostore.Translate(err)
		}
		return cur, stored, nil
	})
}

// Delete removes an upload.
func (r *UploadRepository) Delete(ctx context.Context, id string) error {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return dataset.ErrUploadNotFound
	}
	res, err := r.c.DeleteOne(ctx, bson.D{{Key: "_id", Value: oid}})
	if err != nil {
		return mongostore.Translate(err)
	}
	if res.DeletedCount == 0 {
		return dataset.ErrUploadNotFound
	}
	return nil
}

// Expired returns the uploads expired at now, the soonest first.
func (r *UploadRepository) Expired(ctx context.Context, now time.Time, limit int) ([]*dataset.Upload, error) {
	if limit <= 0 {
		return []*dataset.Upload{}, nil
	}
	opts := options.Find().SetSort(bson.D{{Key: "expires_at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit))
	return mongostore.FindAll(ctx, r.c, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}}, opts,
		func(d uploadDoc) *dataset.Upload { return d.toDomain() })
}
