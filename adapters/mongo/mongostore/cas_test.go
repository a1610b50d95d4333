package mongostore_test

import (
	"context"
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

var errStale = kernel.NewError(kernel.KindConflict, "concurrent_update", "changed concurrently")

func TestCompareAndSet(t *testing.T) {
	t.Parallel()

	t.Run("lost_attempts_are_retried_until_one_stores", func(t *testing.T) {
		t.Parallel()
		attempts := 0
		got, err := mongostore.CompareAndSet(t.Context(), errStale, func() (int, bool, error) {
			attempts++
			return attempts, attempts == 3, nil
		})
		if err != nil || got != 3 || attempts != 3 {
			t.Fatalf("got %d, %v after %d attempts; want 3, nil after 3", got, err, attempts)
		}
	})

	t.Run("an_error_ends_the_loop", func(t *testing.T) {
		t.Parallel()
		boom := errors.New("boom")
		attempts := 0
		_, err := mongostore.CompareAndSet(t.Context(), errStale, func() (int, bool, error) {
			attempts++
			return 0, false, boom
		})
		if !errors.Is(err, boom) || attempts != 1 {
			t.Fatalf("got %v after %d attempts; want boom after 1", err, attempts)
		}
	})

	t.Run("always_losing_is_stale", func(t *testing.T) {
		t.Parallel()
		attempts := 0
		_, err := mongostore.CompareAndSet(t.Context(), errStale, func() (int, bool, error) {
			attempts++
			return attempts, false, nil
		})
		if !errors.Is(err, errStale) || attempts < 2 {
			t.Fatalf("got %v after %d attempts; want the stale sentinel after several", err, attempts)
		}
	})

	t.Run("a_cancelled_context_stops_the_retries", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		attempts := 0
		_, err := mongostore.CompareAndSet(ctx, errStale, func() (int, bool, error) {
			attempts++
			cancel()
			return 0, false, nil
		})
		if !errors.Is(err, context.Canceled) || attempts != 1 {
			t.Fatalf("got %v after %d attempts; want context.Canceled after 1", err, attempts)
		}
	})
}

func TestReplaceIfVersion(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := mongotest.Database(t).Collection("things")
	if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: 1}, {Key: "v", Value: int64(3)}, {Key: "x", Value: "a"}}); err != nil {
		t.Fatal(err)
	}
	replace := func(version int64, x string) bool {
		t.Helper()
		ok, err := mongostore.ReplaceIfVersion(ctx, c, 1, "v", version, bson.D{{Key: "v", Value: version + 1}, {Key: "x", Value: x}})
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if replace(2, "stale") {
		t.Error("a replace from an older version was stored")
	}
	if !replace(3, "b") {
		t.Error("a replace from the current version was not stored")
	}
	if replace(3, "again") {
		t.Error("a second replace from the same version was stored")
	}
	var got struct {
		V int64  `bson:"v"`
		X string `bson:"x"`
	}
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: 1}}).Decode(&got); err != nil || got.V != 4 || got.X != "b" {
		t.Fatalf("stored %+v, %v; want v 4, x b", got, err)
	}
	if _, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	if replace(4, "gone") {
		t.Error("a replace of a deleted document was stored")
	}
	if n, _ := c.CountDocuments(ctx, bson.D{}); n != 0 {
		t.Errorf("a replace of a deleted document left %d documents", n)
	}
}

// A collection with a unique key besides _id tells which one a duplicate
// broke: another key is the context's own sentinel, the _id a conflict.
func TestDuplicateAs(t *testing.T) {
	t.Parallel()
	mongotest.SkipOnFerretDB(t, mongotest.DuplicateKeyWithoutPattern)
	ctx := ctxT(t)
	db := mongotest.Indexed(t, mongostore.Index{Collection: "users", Keys: bson.D{{Key: "email", Value: 1}}, Unique: true, Name: "email_unique"})
	users := db.Collection("users")
	if _, err := users.InsertOne(ctx, bson.D{{Key: "_id", Value: "u1"}, {Key: "email", Value: "a@x"}}); err != nil {
		t.Fatal(err)
	}
	errTaken := kernel.NewError(kernel.KindConflict, "email_taken", "taken")

	_, err := users.InsertOne(ctx, bson.D{{Key: "_id", Value: "u2"}, {Key: "email", Value: "a@x"}})
	if got := mongostore.DuplicateAs(err, errTaken); !errors.Is(got, errTaken) {
		t.Errorf("a duplicate email: %v, want the taken sentinel", got)
	}
	_, err = users.InsertOne(ctx, bson.D{{Key: "_id", Value: "u1"}, {Key: "email", Value: "b@x"}})
	if got := mongostore.DuplicateAs(err, errTaken); errors.Is(got, errTaken) || !errors.Is(got, kernel.ErrConflict) {
		t.Errorf("a duplicate _id: %v, want a plain conflict", got)
	}
	if _, err := users.InsertOne(ctx, bson.D{{Key: "_id", Value: "u3"}, {Key: "email", Value: "c@x"}}); err != nil {
		t.Fatal(err)
	}
	err = users.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: "u3"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "email", Value: "a@x"}}}}).Err()
	if got := mongostore.DuplicateAs(err, errTaken); !errors.Is(got, errTaken) {
		t.Errorf("findAndModify into a duplicate email: %v, want the taken sentinel", got)
	}
	if got := mongostore.DuplicateAs(errors.New("boom"), errTaken); errors.Is(got, errTaken) {
		t.Errorf("another error became the taken sentinel")
	}
}

func TestNewObjectIDOfAMalformedIDIsAnInternalError(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", "nope", "ZZZZZZZZZZZZZZZZZZZZZZZZ"} {
		if _, err := mongostore.NewObjectID(id); err == nil || kernel.KindOf(err) != kernel.KindInternal {
			t.Errorf("NewObjectID(%q) = %v, want an internal error", id, err)
		}
	}
	oid := bson.NewObjectID()
	if got, err := mongostore.NewObjectID(oid.Hex()); err != nil || got != oid {
		t.Errorf("NewObjectID(%s) = %v, %v", oid.Hex(), got, err)
	}
}
