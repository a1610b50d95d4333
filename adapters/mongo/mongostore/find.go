package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// FindAll runs a find, decodes every document into D and converts each with
// toDomain; errors are translated.
func FindAll[D, T any](ctx context.Context, c *mongo.Collection, filter any, opts *options.FindOptionsBuilder, toDomain func(D) T) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, Translate(err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, Translate(err)
	}
	out := make([]T, 0, len(docs))
	for _, d := range docs {
		out = append(out, toDomain(d))
	}
	return out, nil
}

// FindByID returns the document stored under id, converted with toDomain. A
// malformed id names no document, so it is notFound like a missing one (a
// context's own sentinel); other errors are translated.
func FindByID[D, T any](ctx context.Context, c *mongo.Collection, id string, notFound error, toDomain func(D) T) (T, error) {
	var zero T
	oid, ok := ObjectID(id)
	if !ok {
		return zero, notFound
	}
	var d D
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		return zero, NotFoundAs(err, notFound)
	}
	return toDomain(d), nil
}
