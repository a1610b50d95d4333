package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Index describes an index a repository needs.
type Index struct {
	// Collection is the collection's name.
	Collection string
	// Keys lists the indexed fields in order, each with 1 (ascending) or -1.
	Keys bson.D
	// Unique rejects a second document with the same key values.
	Unique bool
	// Sparse indexes only the documents that have the field: with Unique,
	// a value held only while a condition lasts (a pending request's key) is
	// unique among the documents in that condition.
	Sparse bool
	// Name is the index's name; empty means the server's default
	// ("field_1_other_-1").
	Name string
}

// EnsureIndexes creates the indexes that do not exist yet. It is idempotent:
// safe on every start and from several replicas at once. An index that
// exists under the same name (or on the same keys) with another definition
// is an error, which MongoDB reports (drop the old index by hand).
func EnsureIndexes(ctx context.Context, db *mongo.Database, indexes []Index) error {
	for _, ix := range indexes {
		if ix.Collection == "" || len(ix.Keys) == 0 {
			return fmt.Errorf("mongostore: index %q needs a collection and keys", ix.Name)
		}
	}
	for _, ix := range indexes {
		opts := options.Index()
		if ix.Unique {
			opts.SetUnique(true)
		}
		if ix.Sparse {
			opts.SetSparse(true)
		}
		if ix.Name != "" {
			opts.SetName(ix.Name)
		}
		model := mongo.IndexModel{Keys: ix.Keys, Options: opts}
		if _, err := db.Collection(ix.Collection).Indexes().CreateOne(ctx, model); err != nil {
			return fmt.Errorf("mongostore: create index %s on %s: %w", describe(ix), ix.Collection, Translate(err))
		}
	}
	return nil
}

// describe names ix for error messages.
func describe(ix Index) string {
	if ix.Name != "" {
		return ix.Name
	}
	keys, _ := bson.MarshalExtJSON(ix.Keys, false, false)
	return string(keys)
}
