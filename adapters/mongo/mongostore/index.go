package mongostore

import (
	"context"
	"errors"
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
	// Name is the index's name; empty means the server's default
	// ("field_1_other_-1").
	Name string
}

// EnsureIndexes creates the indexes that do not exist yet. It is idempotent:
// safe on every start and from several replicas at once. An existing index
// with the same name but other keys or uniqueness is an error (drop it by
// hand), because the store would otherwise keep the old definition silently.
func EnsureIndexes(ctx context.Context, db *mongo.Database, indexes []Index) error {
	for _, ix := range indexes {
		if ix.Collection == "" || len(ix.Keys) == 0 {
			return fmt.Errorf("mongostore: index %q needs a collection and keys", ix.Name)
		}
	}
	// One createIndexes command per index: FerretDB v1.24 panics (and drops
	// the connection) when one command lists two or more existing indexes.
	for _, ix := range indexes {
		opts := options.Index()
		if ix.Unique {
			opts.SetUnique(true)
		}
		if ix.Name != "" {
			opts.SetName(ix.Name)
		}
		model := mongo.IndexModel{Keys: ix.Keys, Options: opts}
		if _, err := db.Collection(ix.Collection).Indexes().CreateOne(ctx, model); err != nil {
			return fmt.Errorf("mongostore: create index %s on %s: %w", describe(ix), ix.Collection, Translate(err))
		}
	}
	return verifyIndexes(ctx, db, indexes)
}

// describe names ix for error messages.
func describe(ix Index) string {
	if ix.Name != "" {
		return ix.Name
	}
	keys, _ := bson.MarshalExtJSON(ix.Keys, false, false)
	return string(keys)
}

// verifyIndexes checks that every index exists with the wanted keys and
// uniqueness. MongoDB reports a conflicting definition when creating, but
// FerretDB accepts it and keeps the old one.
func verifyIndexes(ctx context.Context, db *mongo.Database, indexes []Index) error {
	specs := map[string][]mongo.IndexSpecification{}
	var problems []error
	for _, ix := range indexes {
		got, ok := specs[ix.Collection]
		if !ok {
			var err error
			got, err = db.Collection(ix.Collection).Indexes().ListSpecifications(ctx)
			if err != nil {
				return fmt.Errorf("mongostore: list indexes of %s: %w", ix.Collection, Translate(err))
			}
			specs[ix.Collection] = got
		}
		if err := matchIndex(ix, got); err != nil {
			problems = append(problems, err)
		}
	}
	return errors.Join(problems...)
}

// matchIndex finds ix among specs (by name, or by keys when ix has no name)
// and compares its definition.
func matchIndex(ix Index, specs []mongo.IndexSpecification) error {
	wantKeys, err := bson.Marshal(ix.Keys)
	if err != nil {
		return fmt.Errorf("mongostore: index keys of %s: %w", ix.Collection, err)
	}
	for _, s := range specs {
		sameKeys := equalKeys(wantKeys, s.KeysDocument)
		if ix.Name != "" && s.Name != ix.Name || ix.Name == "" && !sameKeys {
			continue
		}
		unique := s.Unique != nil && *s.Unique
		if !sameKeys || unique != ix.Unique {
			return fmt.Errorf("mongostore: index %s on %s exists as keys %s unique=%t, want keys %s unique=%t: drop it to recreate",
				s.Name, ix.Collection, s.KeysDocument, unique, bson.Raw(wantKeys), ix.Unique)
		}
		return nil
	}
	return fmt.Errorf("mongostore: index %q on %s (keys %s) not found after creation", ix.Name, ix.Collection, bson.Raw(wantKeys))
}

// equalKeys compares two key documents by field order, names and direction
// (1 and 1.0 or int64(1) are equal).
func equalKeys(a, b bson.Raw) bool {
	ea, err := a.Elements()
	if err != nil {
		return false
	}
	eb, err := b.Elements()
	if err != nil || len(ea) != len(eb) {
		return false
	}
	for i := range ea {
		if ea[i].Key() != eb[i].Key() {
			return false
		}
		va, vb := ea[i].Value(), eb[i].Value()
		na, okA := va.AsFloat64OK()
		nb, okB := vb.AsFloat64OK()
		switch {
		case okA && okB:
			if na != nb {
				return false
			}
		case !va.Equal(vb):
			return false
		}
	}
	return true
}
