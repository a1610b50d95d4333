package embedded_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/embedded"
)

// capability is one MongoDB feature the adapters may rely on. check returns nil
// when the feature behaves as on MongoDB.
type capability struct {
	name      string
	supported bool // what embedded.go documents
	check     func(ctx context.Context, c *mongo.Collection) error
}

// TestCapabilities pins what the FerretDB SQLite backend supports: a supported
// feature that breaks (say after an upgrade) fails the test; an unsupported one
// that starts working is only logged, so the comment in embedded.go can be updated.
func TestCapabilities(t *testing.T) {
	s := start(t, embedded.Options{Dir: t.TempDir()})
	db := connect(t, s.URI()).Database("caps")

	for i, c := range capabilities {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := c.check(ctx, db.Collection(fmt.Sprintf("c%02d", i)))
			switch {
			case c.supported && err != nil:
				t.Errorf("documented as supported, but: %v", err)
			case !c.supported && err == nil:
				t.Logf("documented as NOT supported, but it works now: update embedded.go")
			case !c.supported:
				t.Logf("not supported (as documented): %v", err)
			}
		})
	}
}

func d(kv ...any) bson.D {
	out := bson.D{}
	for i := 0; i < len(kv); i += 2 {
		out = append(out, bson.E{Key: kv[i].(string), Value: kv[i+1]})
	}
	return out
}

func byID(id any) bson.D { return d("_id", id) }

// get reads document id into a map.
func get(ctx context.Context, c *mongo.Collection, id any) (bson.M, error) {
	var m bson.M
	err := c.FindOne(ctx, byID(id)).Decode(&m)
	return m, err
}

func insert(ctx context.Context, c *mongo.Collection, docs ...any) error {
	_, err := c.InsertMany(ctx, docs)
	return err
}

// ids returns the _id values of the cursor's documents, in order (the
// client's Timeout bounds the reads).
func ids(cur *mongo.Cursor, err error) ([]any, error) {
	if err != nil {
		return nil, err
	}
	var docs []bson.M
	if err := cur.All(context.Background(), &docs); err != nil {
		return nil, err
	}
	out := []any{}
	for _, m := range docs {
		out = append(out, m["_id"])
	}
	return out, nil
}

func wantIDs(got []any, err error, want ...any) error {
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("got ids %v, want %v", got, want)
	}
	return nil
}

func dupCode(err error) error {
	if err == nil {
		return errors.New("duplicate accepted")
	}
	if !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("not a duplicate-key error: %w", err)
	}
	var we mongo.WriteException
	if errors.As(err, &we) && len(we.WriteErrors) > 0 && we.WriteErrors[0].Code != 11000 {
		return fmt.Errorf("code %d, want 11000", we.WriteErrors[0].Code)
	}
	return nil
}

// uniqueEmails creates a unique index on email and two documents, a@x (1) and b@x (2).
func uniqueEmails(ctx context.Context, c *mongo.Collection) error {
	if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("email", 1), Options: options.Index().SetUnique(true)}); err != nil {
		return err
	}
	return insert(ctx, c, d("_id", 1, "email", "a@x"), d("_id", 2, "email", "b@x"))
}

// updateIntoDuplicate returns the error of an update that gives document 2 the email of document 1.
func updateIntoDuplicate(ctx context.Context, c *mongo.Collection) error {
	if err := uniqueEmails(ctx, c); err != nil {
		return err
	}
	_, err := c.UpdateOne(ctx, byID(2), d("$set", d("email", "a@x")))
	if err == nil {
		return errors.New("update into a duplicate accepted")
	}
	return err
}

var capabilities = []capability{
	{"unique_index_rejects_duplicate_with_11000", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("email", 1), Options: options.Index().SetUnique(true)}); err != nil {
			return err
		}
		if _, err := c.InsertOne(ctx, d("_id", 1, "email", "a@x")); err != nil {
			return err
		}
		_, err := c.InsertOne(ctx, d("_id", 2, "email", "a@x"))
		return dupCode(err)
	}},
	{"unique_violation_on_update_is_internal_error_naming_the_constraint", true, func(ctx context.Context, c *mongo.Collection) error {
		// mongostore.Translate relies on this shape (code 1 + SQLite's message).
		err := updateIntoDuplicate(ctx, c)
		var se mongo.ServerError
		if !errors.As(err, &se) || !se.HasErrorCodeWithMessage(1, "UNIQUE constraint failed") {
			return fmt.Errorf("got %w, want InternalError (1) with UNIQUE constraint failed", err)
		}
		return nil
	}},
	{"unique_violation_on_update_is_11000", false, func(ctx context.Context, c *mongo.Collection) error {
		return dupCode(updateIntoDuplicate(ctx, c))
	}},
	{"unique_violation_on_find_one_and_update_is_11000", false, func(ctx context.Context, c *mongo.Collection) error {
		if err := uniqueEmails(ctx, c); err != nil {
			return err
		}
		return dupCode(c.FindOneAndUpdate(ctx, byID(2), d("$set", d("email", "a@x"))).Err())
	}},
	{"upsert_insert_that_violates_unique_index_is_11000", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := uniqueEmails(ctx, c); err != nil {
			return err
		}
		_, err := c.UpdateOne(ctx, byID(3), d("$set", d("email", "a@x")), options.UpdateOne().SetUpsert(true))
		return dupCode(err)
	}},
	{"unique_index_build_fails_on_existing_duplicates", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c, d("_id", 1, "email", "a@x"), d("_id", 2, "email", "a@x")); err != nil {
			return err
		}
		_, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("email", 1), Options: options.Index().SetUnique(true)})
		if err == nil {
			return errors.New("unique index built over duplicates")
		}
		return nil
	}},
	{"unique_index_treats_missing_field_as_null", false, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("email", 1), Options: options.Index().SetUnique(true)}); err != nil {
			return err
		}
		if _, err := c.InsertOne(ctx, byID(1)); err != nil {
			return err
		}
		_, err := c.InsertOne(ctx, byID(2))
		return dupCode(err)
	}},
	{"index_options_conflict_is_reported", false, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("k", 1), Options: options.Index().SetName("k_1")}); err != nil {
			return err
		}
		_, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("k", 1), Options: options.Index().SetName("k_1").SetUnique(true)})
		if err == nil {
			return errors.New("changing an index's options was silently accepted")
		}
		return nil
	}},
	{"compound_unique_index", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("community", 1, "user", 1), Options: options.Index().SetUnique(true)}); err != nil {
			return err
		}
		if err := insert(ctx, c, d("_id", 1, "community", "c1", "user", "u1"), d("_id", 2, "community", "c1", "user", "u2"), d("_id", 3, "community", "c2", "user", "u1")); err != nil {
			return err
		}
		_, err := c.InsertOne(ctx, d("_id", 4, "community", "c1", "user", "u1"))
		return dupCode(err)
	}},
	{"duplicate_id_is_11000", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, byID("x")); err != nil {
			return err
		}
		_, err := c.InsertOne(ctx, byID("x"))
		return dupCode(err)
	}},
	{"create_index_twice_is_idempotent", true, func(ctx context.Context, c *mongo.Collection) error {
		m := mongo.IndexModel{Keys: d("k", 1), Options: options.Index().SetUnique(true).SetName("k_unique")}
		if _, err := c.Indexes().CreateOne(ctx, m); err != nil {
			return err
		}
		_, err := c.Indexes().CreateOne(ctx, m)
		return err
	}},
	{"create_many_existing_indexes_again", false, func(ctx context.Context, c *mongo.Collection) error {
		models := []mongo.IndexModel{{Keys: d("a", 1)}, {Keys: d("b", 1)}}
		if _, err := c.Indexes().CreateMany(ctx, models); err != nil {
			return err
		}
		_, err := c.Indexes().CreateMany(ctx, models) // panics in FerretDB, the connection is dropped
		return err
	}},
	{"find_one_and_update_returns_document_after", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "n", 1)); err != nil {
			return err
		}
		var m bson.M
		err := c.FindOneAndUpdate(ctx, byID(1), d("$inc", d("n", 1)),
			options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&m)
		if err != nil {
			return err
		}
		if fmt.Sprint(m["n"]) != "2" {
			return fmt.Errorf("returned n=%v, want 2", m["n"])
		}
		return nil
	}},
	{"find_one_and_update_miss_is_no_documents", true, func(ctx context.Context, c *mongo.Collection) error {
		err := c.FindOneAndUpdate(ctx, byID(404), d("$set", d("n", 1))).Err()
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return fmt.Errorf("got %w, want ErrNoDocuments", err)
		}
		return nil
	}},
	{"update_one_filter_on_non_id_field_with_inc", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c, d("_id", 1, "email", "a@x", "n", 1), d("_id", 2, "email", "b@x", "n", 1)); err != nil {
			return err
		}
		res, err := c.UpdateOne(ctx, d("email", "b@x"), d("$inc", d("n", 5)))
		if err != nil {
			return err
		}
		if res.MatchedCount != 1 || res.ModifiedCount != 1 {
			return fmt.Errorf("matched %d modified %d", res.MatchedCount, res.ModifiedCount)
		}
		m, err := get(ctx, c, 2)
		if err != nil {
			return err
		}
		if fmt.Sprint(m["n"]) != "6" {
			return fmt.Errorf("n=%v, want 6", m["n"])
		}
		return nil
	}},
	{"optimistic_update_on_id_and_version", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "v", int64(3))); err != nil {
			return err
		}
		res, err := c.UpdateOne(ctx, d("_id", 1, "v", int64(2)), d("$set", d("x", 1), "$inc", d("v", int64(1))))
		if err != nil {
			return err
		}
		if res.MatchedCount != 0 {
			return errors.New("stale version matched")
		}
		res, err = c.UpdateOne(ctx, d("_id", 1, "v", int64(3)), d("$set", d("x", 1), "$inc", d("v", int64(1))))
		if err != nil {
			return err
		}
		if res.MatchedCount != 1 {
			return errors.New("current version did not match")
		}
		return nil
	}},
	{"pull_all", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "tags", bson.A{"a", "b", "c", "a"})); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$pullAll", d("tags", bson.A{"a", "c"}))); err != nil {
			return err
		}
		m, err := get(ctx, c, 1)
		if err != nil {
			return err
		}
		if fmt.Sprint(m["tags"]) != "[b]" {
			return fmt.Errorf("tags=%v, want [b]", m["tags"])
		}
		return nil
	}},
	{"pull_with_equality", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "tags", bson.A{"a", "b", "a"})); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$pull", d("tags", "a"))); err != nil {
			return err
		}
		m, err := get(ctx, c, 1)
		if err != nil {
			return err
		}
		if fmt.Sprint(m["tags"]) != "[b]" {
			return fmt.Errorf("tags=%v, want [b]", m["tags"])
		}
		return nil
	}},
	{"pull_with_condition", false, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "nums", bson.A{1, 5, 9}, "items", bson.A{d("k", "a", "v", 1), d("k", "b", "v", 2)})); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$pull", d("nums", d("$gte", 5), "items", d("k", "a")))); err != nil {
			return err
		}
		m, err := get(ctx, c, 1)
		if err != nil {
			return err
		}
		if n, k := len(m["nums"].(bson.A)), len(m["items"].(bson.A)); n != 1 || k != 1 {
			return fmt.Errorf("%d nums and %d items left, want 1 and 1 (accepted, condition ignored)", n, k)
		}
		return nil
	}},
	{"add_to_set_and_each", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "tags", bson.A{"a"})); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$addToSet", d("tags", "b"))); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$addToSet", d("tags", "b"))); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$addToSet", d("tags", d("$each", bson.A{"a", "c"})))); err != nil {
			return err
		}
		m, err := get(ctx, c, 1)
		if err != nil {
			return err
		}
		if fmt.Sprint(m["tags"]) != "[a b c]" {
			return fmt.Errorf("tags=%v, want [a b c]", m["tags"])
		}
		return nil
	}},
	{"add_to_set_creates_missing_array", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, byID(1)); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$addToSet", d("tags", "b"))); err != nil {
			return err
		}
		m, err := get(ctx, c, 1)
		if err != nil {
			return err
		}
		if fmt.Sprint(m["tags"]) != "[b]" {
			return fmt.Errorf("tags=%v, want [b]", m["tags"])
		}
		return nil
	}},
	{"push_and_unset", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "tags", bson.A{"a"}, "tmp", 1)); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$push", d("tags", "a"), "$unset", d("tmp", ""))); err != nil {
			return err
		}
		m, err := get(ctx, c, 1)
		if err != nil {
			return err
		}
		if _, ok := m["tmp"]; ok || fmt.Sprint(m["tags"]) != "[a a]" {
			return fmt.Errorf("got %v", m)
		}
		return nil
	}},
	{"set_on_insert_with_upsert", true, func(ctx context.Context, c *mongo.Collection) error {
		upd := func(v int) (*mongo.UpdateResult, error) {
			return c.UpdateOne(ctx, byID("k"), d("$setOnInsert", d("created", v), "$set", d("seen", v)),
				options.UpdateOne().SetUpsert(true))
		}
		res, err := upd(1)
		if err != nil {
			return err
		}
		if res.UpsertedCount != 1 {
			return fmt.Errorf("first upsert: upserted %d", res.UpsertedCount)
		}
		if _, err := upd(2); err != nil {
			return err
		}
		m, err := get(ctx, c, "k")
		if err != nil {
			return err
		}
		if fmt.Sprint(m["created"]) != "1" || fmt.Sprint(m["seen"]) != "2" {
			return fmt.Errorf("got %v, want created=1 seen=2", m)
		}
		return nil
	}},
	{"upsert_with_non_id_filter_copies_equality_fields", true, func(ctx context.Context, c *mongo.Collection) error {
		_, err := c.UpdateOne(ctx, d("email", "a@x"), d("$setOnInsert", d("n", 1)), options.UpdateOne().SetUpsert(true))
		if err != nil {
			return err
		}
		var m bson.M
		if err := c.FindOne(ctx, d("email", "a@x")).Decode(&m); err != nil {
			return err
		}
		if fmt.Sprint(m["n"]) != "1" {
			return fmt.Errorf("got %v", m)
		}
		return nil
	}},
	{"count_documents_with_filter", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c, d("_id", 1, "s", "a"), d("_id", 2, "s", "b"), d("_id", 3, "s", "a")); err != nil {
			return err
		}
		n, err := c.CountDocuments(ctx, d("s", "a"))
		if err != nil {
			return err
		}
		all, err := c.CountDocuments(ctx, bson.D{})
		if err != nil {
			return err
		}
		if n != 2 || all != 3 {
			return fmt.Errorf("counted %d and %d, want 2 and 3", n, all)
		}
		return nil
	}},
	{"sort_skip_limit", true, func(ctx context.Context, c *mongo.Collection) error {
		for i := 1; i <= 6; i++ {
			if _, err := c.InsertOne(ctx, d("_id", i, "at", time.Date(2024, 1, 7-i, 0, 0, 0, 0, time.UTC), "g", i%2)); err != nil {
				return err
			}
		}
		// newest first: ids 1,2,3,4,5,6; page 2 of size 2 → 3,4
		got, err := ids(c.Find(ctx, bson.D{}, options.Find().SetSort(d("at", -1)).SetSkip(2).SetLimit(2)))
		if err := wantIDs(got, err, int32(3), int32(4)); err != nil {
			return err
		}
		// compound sort with a filter: g=0 are 2,4,6; by at ascending → 6,4,2; skip 1 → 4,2
		got, err = ids(c.Find(ctx, d("g", 0), options.Find().SetSort(d("at", 1, "_id", 1)).SetSkip(1).SetLimit(5)))
		return wantIDs(got, err, int32(4), int32(2))
	}},
	{"filters_in_or_ne_exists_dotted_array", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c,
			d("_id", 1, "s", "a", "tags", bson.A{"x", "y"}, "p", d("city", "Oslo")),
			d("_id", 2, "s", "b", "tags", bson.A{"y"}, "p", d("city", "Rome"), "del", true),
			d("_id", 3, "s", "c", "tags", bson.A{}, "p", d("city", "Oslo")),
		); err != nil {
			return err
		}
		sorted := options.Find().SetSort(d("_id", 1))
		checks := []struct {
			f    bson.D
			want []any
		}{
			{d("s", d("$in", bson.A{"a", "c"})), []any{int32(1), int32(3)}},
			{d("$or", bson.A{d("s", "a"), d("s", "b")}), []any{int32(1), int32(2)}},
			{d("s", d("$ne", "a")), []any{int32(2), int32(3)}},
			{d("del", d("$exists", false)), []any{int32(1), int32(3)}},
			{d("p.city", "Oslo"), []any{int32(1), int32(3)}},
			{d("tags", "x"), []any{int32(1)}},
			{d("tags", d("$all", bson.A{"x", "y"})), []any{int32(1)}},
			{d("_id", d("$gt", 1)), []any{int32(2), int32(3)}},
		}
		for _, ch := range checks {
			got, err := ids(c.Find(ctx, ch.f, sorted))
			if err := wantIDs(got, err, ch.want...); err != nil {
				return fmt.Errorf("filter %v: %w", ch.f, err)
			}
		}
		return nil
	}},
	{"dotted_path_into_array_of_documents", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c,
			d("_id", 1, "nums", bson.A{1, 6}, "m", bson.A{d("u", "a", "r", "admin")}),
			d("_id", 2, "nums", bson.A{1, 9}, "m", bson.A{d("u", "b", "r", "member"), d("u", "c", "r", "admin")}),
		); err != nil {
			return err
		}
		sorted := options.Find().SetSort(d("_id", 1))
		got, err := ids(c.Find(ctx, d("m.u", "c"), sorted))
		if err := wantIDs(got, err, int32(2)); err != nil {
			return fmt.Errorf("m.u: %w", err)
		}
		got, err = ids(c.Find(ctx, d("m.r", "admin"), sorted))
		if err := wantIDs(got, err, int32(1), int32(2)); err != nil {
			return fmt.Errorf("m.r: %w", err)
		}
		got, err = ids(c.Find(ctx, d("nums", d("$size", 2)), sorted))
		return wantIDs(got, err, int32(1), int32(2))
	}},
	{"elem_match_on_scalars_applies_all_conditions_to_one_element", false, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c, d("_id", 1, "nums", bson.A{1, 6}), d("_id", 2, "nums", bson.A{1, 9})); err != nil {
			return err
		}
		got, err := ids(c.Find(ctx, d("nums", d("$elemMatch", d("$gte", 5, "$lt", 8))), options.Find().SetSort(d("_id", 1))))
		return wantIDs(got, err, int32(1))
	}},
	{"elem_match_on_array_of_documents", false, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c,
			d("_id", 1, "m", bson.A{d("u", "a", "r", "admin")}),
			d("_id", 2, "m", bson.A{d("u", "a", "r", "member"), d("u", "b", "r", "admin")}),
		); err != nil {
			return err
		}
		got, err := ids(c.Find(ctx, d("m", d("$elemMatch", d("u", "a", "r", "admin")))))
		if err := wantIDs(got, err, int32(1)); err != nil {
			return fmt.Errorf("two fields: %w", err)
		}
		got, err = ids(c.Find(ctx, d("m", d("$elemMatch", d("u", "b")))))
		return wantIDs(got, err, int32(2))
	}},
	{"equality_with_a_whole_array_element_document", false, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "m", bson.A{d("u", "a", "r", "admin")})); err != nil {
			return err
		}
		got, err := ids(c.Find(ctx, d("m", d("u", "a", "r", "admin"))))
		return wantIDs(got, err, int32(1))
	}},
	{"positional_update_operators", false, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "m", bson.A{d("u", "a", "r", "member")})); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, d("_id", 1, "m.u", "a"), d("$set", d("m.$.r", "admin"))); err != nil {
			return fmt.Errorf("$: %w", err)
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$set", d("m.$[x].r", "admin")),
			options.UpdateOne().SetArrayFilters([]any{d("x.u", "a")})); err != nil {
			return fmt.Errorf("arrayFilters: %w", err)
		}
		return nil
	}},
	{"push_each_slice", false, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "nums", bson.A{1, 2, 3})); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$push", d("nums", d("$each", bson.A{4, 5}, "$slice", -3)))); err != nil {
			return err
		}
		m, err := get(ctx, c, 1)
		if err != nil {
			return err
		}
		if n := len(m["nums"].(bson.A)); n != 3 {
			return fmt.Errorf("%d elements, want 3 (accepted, $slice ignored)", n)
		}
		return nil
	}},
	{"pipeline_update", false, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "n", 1)); err != nil {
			return err
		}
		_, err := c.UpdateOne(ctx, byID(1), bson.A{d("$set", d("m", "$n"))})
		return err
	}},
	{"field_order_kept_by_updates", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "a", 1, "b", 2, "c", 3)); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$set", d("b", 20))); err != nil {
			return err
		}
		var got bson.D
		if err := c.FindOne(ctx, byID(1)).Decode(&got); err != nil {
			return err
		}
		keys := []string{}
		for _, e := range got {
			keys = append(keys, e.Key)
		}
		if fmt.Sprint(keys) != "[_id a b c]" {
			return fmt.Errorf("keys %v after $set", keys)
		}
		return nil
	}},
	{"scalar_update_operators", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "n", 2, "lo", 5, "nums", bson.A{1, 2, 3})); err != nil {
			return err
		}
		if _, err := c.UpdateOne(ctx, byID(1), d("$max", d("n", 5), "$min", d("lo", 3), "$mul", d("m", 2),
			"$rename", d("n", "nn"), "$currentDate", d("at", true), "$pop", d("nums", 1), "$set", d("p.q", 1))); err != nil {
			return err
		}
		var got struct {
			NN   int       `bson:"nn"`
			Lo   int       `bson:"lo"`
			M    int       `bson:"m"`
			At   time.Time `bson:"at"`
			Nums []int     `bson:"nums"`
			P    struct {
				Q int `bson:"q"`
			} `bson:"p"`
		}
		if err := c.FindOne(ctx, byID(1)).Decode(&got); err != nil {
			return err
		}
		if got.NN != 5 || got.Lo != 3 || got.M != 0 || got.At.IsZero() || fmt.Sprint(got.Nums) != "[1 2]" || got.P.Q != 1 {
			return fmt.Errorf("got %+v", got)
		}
		return nil
	}},
	{"projection", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "a", 1, "b", 2)); err != nil {
			return err
		}
		var m bson.M
		if err := c.FindOne(ctx, byID(1), options.FindOne().SetProjection(d("a", 1))).Decode(&m); err != nil {
			return err
		}
		if _, ok := m["b"]; ok || m["a"] == nil {
			return fmt.Errorf("inclusion: %v", m)
		}
		m = nil
		if err := c.FindOne(ctx, byID(1), options.FindOne().SetProjection(d("a", 0))).Decode(&m); err != nil {
			return err
		}
		if _, ok := m["a"]; ok || m["b"] == nil {
			return fmt.Errorf("exclusion: %v", m)
		}
		return nil
	}},
	{"regex_case_insensitive", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c, d("_id", 1, "name", "Harbour Data"), d("_id", 2, "name", "Other")); err != nil {
			return err
		}
		got, err := ids(c.Find(ctx, d("name", bson.Regex{Pattern: "harb", Options: "i"})))
		return wantIDs(got, err, int32(1))
	}},
	{"update_many_and_delete_many", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c, d("_id", 1, "s", "a"), d("_id", 2, "s", "a"), d("_id", 3, "s", "b")); err != nil {
			return err
		}
		u, err := c.UpdateMany(ctx, d("s", "a"), d("$set", d("s", "z")))
		if err != nil {
			return err
		}
		del, err := c.DeleteMany(ctx, d("s", "z"))
		if err != nil {
			return err
		}
		if u.ModifiedCount != 2 || del.DeletedCount != 2 {
			return fmt.Errorf("modified %d deleted %d", u.ModifiedCount, del.DeletedCount)
		}
		return nil
	}},
	{"find_one_and_delete", true, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "s", "a")); err != nil {
			return err
		}
		var m bson.M
		if err := c.FindOneAndDelete(ctx, d("s", "a")).Decode(&m); err != nil {
			return err
		}
		n, err := c.CountDocuments(ctx, bson.D{})
		if err != nil {
			return err
		}
		if n != 0 {
			return fmt.Errorf("%d left", n)
		}
		return nil
	}},
	{"aggregate_match_group_sort", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c, d("_id", 1, "s", "a"), d("_id", 2, "s", "a"), d("_id", 3, "s", "b")); err != nil {
			return err
		}
		cur, err := c.Aggregate(ctx, mongo.Pipeline{
			d("$match", d("s", d("$in", bson.A{"a", "b"}))),
			d("$group", d("_id", "$s", "n", d("$sum", 1))),
			d("$sort", d("_id", 1)),
		})
		if err != nil {
			return err
		}
		var out []struct {
			ID string `bson:"_id"`
			N  int    `bson:"n"`
		}
		if err := cur.All(ctx, &out); err != nil {
			return err
		}
		if fmt.Sprint(out) != "[{a 2} {b 1}]" {
			return fmt.Errorf("got %v", out)
		}
		return nil
	}},
	{"estimated_document_count", true, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c, byID(1), byID(2)); err != nil {
			return err
		}
		n, err := c.EstimatedDocumentCount(ctx)
		if err != nil {
			return err
		}
		if n != 2 {
			return fmt.Errorf("estimated %d", n)
		}
		return nil
	}},
	// The driver adds maxTimeMS to every command when the client has a Timeout
	// (mongostore.Connect sets one); FerretDB's distinct rejects that field.
	{"distinct_on_a_client_with_timeout", false, func(ctx context.Context, c *mongo.Collection) error {
		if err := insert(ctx, c, d("_id", 1, "s", "a"), d("_id", 2, "s", "a"), d("_id", 3, "s", "b")); err != nil {
			return err
		}
		var vals []string
		if err := c.Distinct(ctx, "s", bson.D{}).Decode(&vals); err != nil {
			return err
		}
		if fmt.Sprint(vals) != "[a b]" {
			return fmt.Errorf("got %v", vals)
		}
		return nil
	}},
	{"insert_many_duplicate_is_duplicate_key", true, func(ctx context.Context, c *mongo.Collection) error {
		_, err := c.InsertMany(ctx, []any{byID(1), byID(1)})
		return dupCode(err)
	}},
	{"date_and_int64_round_trip", true, func(ctx context.Context, c *mongo.Collection) error {
		at := time.Date(2024, 5, 6, 7, 8, 9, 123_000_000, time.UTC)
		if _, err := c.InsertOne(ctx, d("_id", 1, "at", at, "big", int64(1)<<53+1)); err != nil {
			return err
		}
		var got struct {
			At  time.Time `bson:"at"`
			Big int64     `bson:"big"`
		}
		if err := c.FindOne(ctx, byID(1)).Decode(&got); err != nil {
			return err
		}
		if !got.At.Equal(at) || got.Big != int64(1)<<53+1 {
			return fmt.Errorf("got %v %d", got.At, got.Big)
		}
		return nil
	}},
	{"object_id_keys", true, func(ctx context.Context, c *mongo.Collection) error {
		res, err := c.InsertOne(ctx, d("s", "a"))
		if err != nil {
			return err
		}
		oid, ok := res.InsertedID.(bson.ObjectID)
		if !ok {
			return fmt.Errorf("InsertedID is %T", res.InsertedID)
		}
		_, err = get(ctx, c, oid)
		return err
	}},
	{"bulk_write_ordered", true, func(ctx context.Context, c *mongo.Collection) error {
		_, err := c.BulkWrite(ctx, []mongo.WriteModel{
			mongo.NewInsertOneModel().SetDocument(byID(1)),
			mongo.NewUpdateOneModel().SetFilter(byID(1)).SetUpdate(d("$set", d("n", 1))),
			mongo.NewDeleteOneModel().SetFilter(byID(2)),
		})
		return err
	}},
	{"partial_unique_index", false, func(ctx context.Context, c *mongo.Collection) error {
		_, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("email", 1), Options: options.Index().
			SetUnique(true).SetPartialFilterExpression(d("deleted", false))})
		if err != nil {
			return err
		}
		if err := insert(ctx, c, d("_id", 1, "email", "a", "deleted", true), d("_id", 2, "email", "a", "deleted", false)); err != nil {
			return err
		}
		_, err = c.InsertOne(ctx, d("_id", 3, "email", "a", "deleted", false))
		return dupCode(err)
	}},
	{"ttl_index_expires_documents", false, func(ctx context.Context, c *mongo.Collection) error {
		_, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("at", 1), Options: options.Index().SetExpireAfterSeconds(1)})
		if err != nil {
			return err
		}
		if _, err := c.InsertOne(ctx, d("_id", 1, "at", time.Now().Add(-time.Hour))); err != nil {
			return err
		}
		deadline := time.Now().Add(3 * time.Second)
		for time.Now().Before(deadline) {
			if n, err := c.CountDocuments(ctx, bson.D{}); err == nil && n == 0 {
				return nil
			}
			time.Sleep(200 * time.Millisecond)
		}
		return errors.New("expired document not removed within 3s")
	}},
	{"transactions", false, func(ctx context.Context, c *mongo.Collection) error {
		sess, err := c.Database().Client().StartSession()
		if err != nil {
			return err
		}
		defer sess.EndSession(ctx)
		_, err = sess.WithTransaction(ctx, func(ctx context.Context) (any, error) {
			return c.InsertOne(ctx, byID(1))
		})
		return err
	}},
	{"lookup", false, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "ref", 1)); err != nil {
			return err
		}
		cur, err := c.Aggregate(ctx, mongo.Pipeline{d("$lookup", d("from", c.Name(), "localField", "ref", "foreignField", "_id", "as", "j"))})
		if err != nil {
			return err
		}
		return cur.Close(ctx)
	}},
	{"collation_case_insensitive", false, func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, d("_id", 1, "name", "Ada")); err != nil {
			return err
		}
		n, err := c.CountDocuments(ctx, d("name", "ada"), options.Count().SetCollation(&options.Collation{Locale: "en", Strength: 2}))
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("counted %d", n)
		}
		return nil
	}},
	{"text_index", false, func(ctx context.Context, c *mongo.Collection) error {
		_, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("body", "text")})
		if err != nil {
			return err
		}
		if _, err := c.InsertOne(ctx, d("_id", 1, "body", "open data trust")); err != nil {
			return err
		}
		got, err := ids(c.Find(ctx, d("$text", d("$search", "trust"))))
		return wantIDs(got, err, int32(1))
	}},
}
