package accessmongo

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
)

// ensureByName returns the stored item that find finds by name, or inserts
// item with create. When a concurrent insert wins (create fails with exists,
// from the unique index), it returns the winner's, found again.
func ensureByName[T any](item *T, find func() (*T, error), create func() error, notFound, exists error) (*T, error) {
	if existing, err := find(); err == nil {
		return existing, nil
	} else if !errors.Is(err, notFound) {
		return nil, err
	}
	if err := create(); errors.Is(err, exists) {
		return find()
	} else if err != nil {
		return nil, err
	}
	c := *item
	return &c, nil
}

// deleteByID removes the document with id from c; a malformed id, or none
// removed, is notFound.
func deleteByID(ctx context.Context, c *mongo.Collection, id string, notFound error) error {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return notFound
	}
	res, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: oid}})
	if err != nil {
		return mongostore.Translate(err)
	}
	if res.DeletedCount == 0 {
		return notFound
	}
	return nil
}
