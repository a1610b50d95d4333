package identitymongo_test

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/embedded"
	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// BenchmarkSessionsOnTheEmbeddedStore reads and updates one session among
// 5,000 on the embedded store, before and after what the service does about
// FerretDB's lookups (embedded.Store.IndexPrimaryKeys, and the sole writer's
// compare-and-set by _id alone, mongostore.NewSoleWriterDocLocks).
//
//	go test -run '^$' -bench SessionsOnTheEmbeddedStore -benchtime 20x ./adapters/mongo/identitymongo/
func BenchmarkSessionsOnTheEmbeddedStore(b *testing.B) {
	ctx := context.Background()
	store, err := embedded.Start(ctx, embedded.Options{Dir: b.TempDir(), Logger: zerolog.Nop()})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = store.Stop(ctx) }()
	client, err := mongo.Connect(options.Client().ApplyURI(store.URI()))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = client.Disconnect(ctx) }()
	db := client.Database("bench")
	versioned := identitymongo.NewSessionRepository(db, mongostore.NewDocLocks())
	soleWriter := identitymongo.NewSessionRepository(db, mongostore.NewSoleWriterDocLocks())

	now := time.Now().UTC().Truncate(time.Millisecond)
	var id string
	for i := range 5000 {
		s := &identity.Session{ID: kernel.NewID(now.Add(time.Duration(i) * time.Millisecond)), UserID: kernel.NewID(now),
			RefreshHash: "h", CreatedAt: now, RotatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(time.Hour), AbsoluteExpiresAt: now.Add(time.Hour)}
		if err := versioned.Create(ctx, s); err != nil {
			b.Fatal(err)
		}
		id = s.ID
	}
	touch := func(s *identity.Session) error {
		s.LastUsedAt = time.Now().UTC().Truncate(time.Millisecond)
		return nil
	}
	get := func(b *testing.B) {
		for b.Loop() {
			if _, err := versioned.Get(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	}
	update := func(repo *identitymongo.SessionRepository) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				if _, err := repo.Update(ctx, id, touch); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("get/FerretDB_indexes_only", get)
	b.Run("update/version_in_the_filter/FerretDB_indexes_only", update(versioned))
	if _, err := store.IndexPrimaryKeys(ctx); err != nil {
		b.Fatal(err)
	}
	b.Run("get/IndexPrimaryKeys", get)
	b.Run("update/version_in_the_filter/IndexPrimaryKeys", update(versioned))
	b.Run("update/sole_writer/IndexPrimaryKeys", update(soleWriter))
}
