package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Section is a storeport.Section over one collection whose documents decode
// into D: every record of one kind, for export and import.
type Section[D any] struct {
	c        *mongo.Collection
	kind     storeport.Kind
	toDomain func(D) any
	toDoc    func(v any) (any, error)
}

// NewSection describes the records of kind kept in c: toDomain reads a
// document, toDoc writes a record as it is.
func NewSection[D any](c *mongo.Collection, kind storeport.Kind, toDomain func(D) any, toDoc func(v any) (any, error)) *Section[D] {
	return &Section[D]{c: c, kind: kind, toDomain: toDomain, toDoc: toDoc}
}

// Kind is the kind of the records.
func (s *Section[D]) Kind() storeport.Kind { return s.kind }

// Count is the number of records.
func (s *Section[D]) Count(ctx context.Context) (int64, error) {
	n, err := s.c.CountDocuments(ctx, bson.D{})
	return n, Translate(err)
}

// Each calls fn for every record, in _id order.
func (s *Section[D]) Each(ctx context.Context, fn func(v any) error) error {
	cur, err := s.c.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(1000))
	if err != nil {
		return Translate(err)
	}
	defer func() { _ = cur.Close(context.WithoutCancel(ctx)) }()
	for cur.Next(ctx) {
		var d D
		if err := cur.Decode(&d); err != nil {
			return Translate(err)
		}
		if err := fn(s.toDomain(d)); err != nil {
			return err
		}
	}
	return Translate(cur.Err())
}

// Insert writes records as they are, in one ordered InsertMany.
func (s *Section[D]) Insert(ctx context.Context, vs []any) error {
	docs := make([]any, 0, len(vs))
	for _, v := range vs {
		d, err := s.toDoc(v)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return nil
	}
	_, err := s.c.InsertMany(ctx, docs)
	return Translate(err)
}

// Record adapts the conversion of one record type to a Section's of any.
func Record[T any](toDoc func(T) (any, error)) func(v any) (any, error) {
	return func(v any) (any, error) {
		t, ok := v.(T)
		if !ok {
			var want T
			return nil, fmt.Errorf("mongostore: a %T record where a %T was expected", v, want)
		}
		return toDoc(t)
	}
}

// WithID converts a record whose document needs its id as an ObjectID.
func WithID[T any, D any](id func(T) string, toDoc func(T, bson.ObjectID) D) func(v any) (any, error) {
	return Record(func(t T) (any, error) {
		oid, err := NewObjectID(id(t))
		if err != nil {
			return nil, err
		}
		return toDoc(t, oid), nil
	})
}

// Dump is the whole store as sections. An export of a running service reads
// each collection as of its own moment: MongoDB's snapshot reads last at most
// its snapshot history window (5 minutes by default), shorter than an export
// of a large trust.
type Dump struct{ sections []storeport.Section }

var _ storeport.Store = (*Dump)(nil)

// NewDump gathers the sections of every context.
func NewDump(sections ...[]storeport.Section) *Dump {
	var all []storeport.Section
	for _, s := range sections {
		all = append(all, s...)
	}
	return &Dump{sections: storeport.InKindOrder(all)}
}

// Sections are the store's sections in the order of storeport.Kinds.
func (d *Dump) Sections() []storeport.Section { return d.sections }

// View runs fn.
func (d *Dump) View(ctx context.Context, fn func(ctx context.Context) error) error { return fn(ctx) }
