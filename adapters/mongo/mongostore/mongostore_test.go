package mongostore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/ferretdb"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestTranslate(t *testing.T) {
	t.Parallel()
	plain := errors.New("boom")
	tests := []struct {
		name string
		err  error
		kind kernel.Kind
		is   error
	}{
		{"no_documents_is_not_found", mongo.ErrNoDocuments, kernel.KindNotFound, kernel.ErrNotFound},
		{"wrapped_no_documents_is_not_found", fmt.Errorf("find: %w", mongo.ErrNoDocuments), kernel.KindNotFound, kernel.ErrNotFound},
		{"e11000_write_error_is_conflict", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000, Message: "E11000"}}}, kernel.KindConflict, kernel.ErrConflict},
		{"e11000_command_error_is_conflict", mongo.CommandError{Code: 11000, Message: "E11000"}, kernel.KindConflict, kernel.ErrConflict},
		{"internal_error_is_internal", mongo.CommandError{Code: 1, Name: "InternalError", Message: "constraint failed: UNIQUE constraint failed: index 'x' (2067)"}, kernel.KindInternal, nil},
		{"deadline_is_unavailable", fmt.Errorf("op: %w", context.DeadlineExceeded), kernel.KindUnavailable, kernel.ErrUnavailable},
		{"max_time_expired_is_unavailable", mongo.CommandError{Code: 50, Name: "MaxTimeMSExpired"}, kernel.KindUnavailable, kernel.ErrUnavailable},
		{"network_label_is_unavailable", mongo.CommandError{Labels: []string{"NetworkError"}}, kernel.KindUnavailable, kernel.ErrUnavailable},
		{"disconnected_client_is_unavailable", mongo.ErrClientDisconnected, kernel.KindUnavailable, kernel.ErrUnavailable},
		{"anything_else_is_unchanged", plain, kernel.KindInternal, plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := mongostore.Translate(tt.err)
			if k := kernel.KindOf(got); k != tt.kind {
				t.Errorf("KindOf(Translate(%v)) = %v, want %v", tt.err, k, tt.kind)
			}
			if tt.is != nil && !errors.Is(got, tt.is) {
				t.Errorf("Translate(%v) = %v, not %v", tt.err, got, tt.is)
			}
		})
	}
	if mongostore.Translate(nil) != nil {
		t.Error("Translate(nil) != nil")
	}
}

func TestTranslateOnTheStore(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	db := mongotest.Database(t)
	users := db.Collection("users")
	if err := mongostore.EnsureIndexes(ctx, db, []mongostore.Index{
		{Collection: "users", Keys: bson.D{{Key: "email", Value: 1}}, Unique: true},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := users.InsertMany(ctx, []any{
		bson.D{{Key: "_id", Value: "u1"}, {Key: "email", Value: "a@x"}},
		bson.D{{Key: "_id", Value: "u2"}, {Key: "email", Value: "b@x"}},
	}); err != nil {
		t.Fatal(err)
	}

	t.Run("duplicate_insert_is_conflict_and_keeps_the_cause", func(t *testing.T) {
		_, err := users.InsertOne(ctx, bson.D{{Key: "_id", Value: "u3"}, {Key: "email", Value: "a@x"}})
		got := mongostore.Translate(err)
		if !errors.Is(got, kernel.ErrConflict) {
			t.Fatalf("Translate(%v) = %v, want conflict", err, got)
		}
		var we mongo.WriteException
		if !errors.As(got, &we) {
			t.Errorf("cause lost: %v", got)
		}
	})
	t.Run("duplicate_id_is_conflict", func(t *testing.T) {
		_, err := users.InsertOne(ctx, bson.D{{Key: "_id", Value: "u1"}, {Key: "email", Value: "z@x"}})
		if got := mongostore.Translate(err); !errors.Is(got, kernel.ErrConflict) {
			t.Fatalf("Translate(%v) = %v, want conflict", err, got)
		}
	})
	t.Run("update_into_a_duplicate_is_conflict", func(t *testing.T) {
		mongotest.SkipOnFerretDB(t, mongotest.UpdateBreakingUniqueIndex)
		_, err := users.UpdateOne(ctx, bson.D{{Key: "_id", Value: "u2"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "email", Value: "a@x"}}}})
		if got := mongostore.Translate(err); !errors.Is(got, kernel.ErrConflict) {
			t.Fatalf("Translate(%v) = %v, want conflict", err, got)
		}
		if !mongostore.IsDuplicateKey(err) {
			t.Errorf("IsDuplicateKey(%v) = false", err)
		}
	})
	t.Run("find_one_miss_is_not_found", func(t *testing.T) {
		err := users.FindOne(ctx, bson.D{{Key: "_id", Value: "nobody"}}).Err()
		if got := mongostore.Translate(err); !errors.Is(got, kernel.ErrNotFound) {
			t.Fatalf("Translate(%v) = %v, want not found", err, got)
		}
	})
}

func TestEnsureIndexes(t *testing.T) {
	t.Parallel()
	indexes := []mongostore.Index{
		{Collection: "users", Keys: bson.D{{Key: "email", Value: 1}}, Unique: true, Name: "users_email_unique"},
		{Collection: "members", Keys: bson.D{{Key: "community", Value: 1}, {Key: "user", Value: 1}}, Unique: true},
		{Collection: "members", Keys: bson.D{{Key: "user", Value: 1}, {Key: "joined", Value: -1}}},
	}

	t.Run("twice_is_fine_and_indexes_work", func(t *testing.T) {
		t.Parallel()
		ctx := ctxT(t)
		db := mongotest.Database(t)
		for i := range 2 {
			if err := mongostore.EnsureIndexes(ctx, db, indexes); err != nil {
				t.Fatalf("run %d: %v", i+1, err)
			}
		}
		specs, err := db.Collection("members").Indexes().ListSpecifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(specs) != 3 { // _id_ and ours
			t.Errorf("members has %d indexes, want 3: %+v", len(specs), specs)
		}
		users := db.Collection("users")
		if _, err := users.InsertOne(ctx, bson.D{{Key: "email", Value: "a@x"}}); err != nil {
			t.Fatal(err)
		}
		_, err = users.InsertOne(ctx, bson.D{{Key: "email", Value: "a@x"}})
		if !errors.Is(mongostore.Translate(err), kernel.ErrConflict) {
			t.Errorf("duplicate email: %v", err)
		}
	})

	t.Run("replicas_at_once_are_fine", func(t *testing.T) {
		t.Parallel()
		ctx := ctxT(t)
		db := mongotest.Database(t)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { errs[i] = mongostore.EnsureIndexes(ctx, db, indexes) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("changed_definition_is_an_error", func(t *testing.T) {
		t.Parallel()
		mongotest.SkipOnFerretDB(t, mongotest.IndexOptionsChangeAccepted)
		ctx := ctxT(t)
		db := mongotest.Database(t)
		ix := mongostore.Index{Collection: "users", Keys: bson.D{{Key: "email", Value: 1}}, Name: "users_email"}
		if err := mongostore.EnsureIndexes(ctx, db, []mongostore.Index{ix}); err != nil {
			t.Fatal(err)
		}
		ix.Unique = true
		if err := mongostore.EnsureIndexes(ctx, db, []mongostore.Index{ix}); err == nil {
			t.Fatal("making an existing index unique was accepted silently")
		}
	})

	t.Run("sparse_unique_index_is_unique_among_the_documents_with_the_field", func(t *testing.T) {
		t.Parallel()
		ctx := ctxT(t)
		ix := mongostore.Index{Collection: "requests", Keys: bson.D{{Key: "pending_key", Value: 1}}, Unique: true, Sparse: true, Name: "one_pending"}
		db := mongotest.Indexed(t, ix)
		requests := db.Collection("requests")
		for _, doc := range []bson.D{{{Key: "status", Value: "approved"}}, {{Key: "status", Value: "approved"}}, {{Key: "pending_key", Value: "u"}}} {
			if _, err := requests.InsertOne(ctx, doc); err != nil {
				t.Fatalf("insert %v: %v", doc, err)
			}
		}
		_, err := requests.InsertOne(ctx, bson.D{{Key: "pending_key", Value: "u"}})
		if !mongostore.IsDuplicateKey(err) {
			t.Fatalf("a second pending request: %v, want a duplicate key", err)
		}
		if err := mongostore.EnsureIndexes(ctx, db, []mongostore.Index{ix}); err != nil {
			t.Fatalf("EnsureIndexes again: %v", err)
		}
	})

	t.Run("missing_collection_or_keys_is_an_error", func(t *testing.T) {
		t.Parallel()
		ctx := ctxT(t)
		db := mongotest.Database(t)
		for _, ix := range []mongostore.Index{{Keys: bson.D{{Key: "a", Value: 1}}}, {Collection: "c"}} {
			if err := mongostore.EnsureIndexes(ctx, db, []mongostore.Index{ix}); err == nil {
				t.Errorf("EnsureIndexes(%+v) accepted", ix)
			}
		}
	})
}

func TestConnect(t *testing.T) {
	t.Parallel()

	t.Run("dead_uri_is_unavailable_within_6s", func(t *testing.T) {
		t.Parallel()
		began := time.Now()
		c, err := mongostore.Connect(context.Background(), "mongodb://127.0.0.1:1", "app")
		elapsed := time.Since(began)
		if err == nil {
			_ = c.Close(context.Background())
			t.Fatal("Connect to a dead URI succeeded")
		}
		if k := kernel.KindOf(err); k != kernel.KindUnavailable {
			t.Errorf("KindOf(%v) = %v, want unavailable", err, k)
		}
		if elapsed > 6*time.Second {
			t.Errorf("took %v, want < 6s", elapsed)
		}
		if strings.Contains(err.Error(), "127.0.0.1:1") && strings.Contains(err.Error(), "@") {
			t.Errorf("error may leak credentials: %v", err)
		}
	})

	t.Run("malformed_uri_is_not_unavailable", func(t *testing.T) {
		t.Parallel()
		_, err := mongostore.Connect(context.Background(), "postgres://x", "app")
		if err == nil || kernel.KindOf(err) == kernel.KindUnavailable {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("ping_and_close", func(t *testing.T) {
		t.Parallel()
		ctx := ctxT(t)
		c, err := mongostore.Connect(ctx, mongotest.URI(t), "app")
		if err != nil {
			t.Fatal(err)
		}
		if c.DB().Name() != "app" {
			t.Errorf("DB().Name() = %q", c.DB().Name())
		}
		if err := c.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
		if err := c.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := c.Close(ctx); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if k := kernel.KindOf(c.Ping(ctx)); k != kernel.KindUnavailable {
			t.Errorf("Ping after Close: kind %v, want unavailable", k)
		}
	})

	t.Run("store_that_goes_away_is_unavailable_within_5s", func(t *testing.T) {
		t.Parallel()
		ctx := ctxT(t)
		s, err := ferretdb.Start(ctx, ferretdb.Options{Dir: t.TempDir(), Listen: ferretdb.ListenTCP, Logger: zerolog.Nop()})
		if err != nil {
			t.Fatal(err)
		}
		c, err := mongostore.Connect(ctx, s.URI(), "app")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close(context.Background()) })
		coll := c.DB().Collection("things")
		if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: 1}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Stop(ctx); err != nil {
			t.Fatal(err)
		}

		for _, op := range []struct {
			name string
			run  func(context.Context) error
		}{
			{"find_one", func(ctx context.Context) error { return coll.FindOne(ctx, bson.D{{Key: "_id", Value: 1}}).Err() }},
			{"insert", func(ctx context.Context) error { _, err := coll.InsertOne(ctx, bson.D{}); return err }},
			{"find_one_and_update", func(ctx context.Context) error {
				return coll.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: 1}}, bson.D{{Key: "$set", Value: bson.D{{Key: "a", Value: 1}}}},
					options.FindOneAndUpdate().SetReturnDocument(options.After)).Err()
			}},
		} {
			t.Run(op.name, func(t *testing.T) {
				t.Parallel()
				began := time.Now()
				err := mongostore.Translate(op.run(context.Background())) // no deadline: the client's own timeouts must apply
				elapsed := time.Since(began)
				if k := kernel.KindOf(err); k != kernel.KindUnavailable {
					t.Errorf("KindOf(%v) = %v, want unavailable", err, k)
				}
				if elapsed > 5*time.Second {
					t.Errorf("took %v, want < 5s", elapsed)
				}
			})
		}
	})
}

func TestObjectID(t *testing.T) {
	t.Parallel()
	oid := bson.NewObjectID()
	got, ok := mongostore.ObjectID(mongostore.Hex(oid))
	if !ok || got != oid {
		t.Errorf("round trip: %v %v", got, ok)
	}
	for _, bad := range []string{"", "nope", "123", strings.ToUpper(oid.Hex()), oid.Hex() + "0", " " + oid.Hex()[1:]} {
		if _, ok := mongostore.ObjectID(bad); ok {
			t.Errorf("ObjectID(%q) accepted", bad)
		}
	}
}
