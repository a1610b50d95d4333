package identitymongo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/accessmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/identityport/identityporttest"
)

// newDB returns a fresh database with every index the service creates at start.
func newDB(t *testing.T) *mongo.Database {
	t.Helper()
	db := mongotest.Database(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := mongostore.EnsureIndexes(ctx, db, append(identitymongo.Indexes(), accessmongo.Indexes()...)); err != nil {
		t.Fatalf("EnsureIndexes: %v", err)
	}
	return db
}

func TestUserRepository(t *testing.T) {
	mongotest.ForEachLockTable(t, func(t *testing.T, newLocks func() *mongostore.DocLocks) {
		identityporttest.TestUserRepository(t, func(t *testing.T) identityport.UserRepository {
			return identitymongo.NewUserRepository(newDB(t), newLocks())
		})
	})
}

func TestSessionRepository(t *testing.T) {
	mongotest.ForEachLockTable(t, func(t *testing.T, newLocks func() *mongostore.DocLocks) {
		identityporttest.TestSessionRepository(t, func(t *testing.T) identityport.SessionRepository {
			return identitymongo.NewSessionRepository(newDB(t), newLocks())
		})
	})
}

func TestOneTimeTokenRepository(t *testing.T) {
	identityporttest.TestOneTimeTokenRepository(t, func(t *testing.T) identityport.OneTimeTokenRepository {
		return identitymongo.NewOneTimeTokenRepository(newDB(t), mongostore.NewDocLocks())
	})
}

// Two replicas on one store: what one of them remembers about an address's
// owner never outlives a change made through the other.
func TestGetByEmailAcrossReplicas(t *testing.T) {
	db := newDB(t)
	a := identitymongo.NewUserRepository(db, mongostore.NewDocLocks())
	b := identitymongo.NewUserRepository(db, mongostore.NewDocLocks())
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Millisecond)
	ada := &identity.User{ID: kernel.NewID(now), Name: "Ada", Email: "ada@example.com", PasswordHash: "h", Active: true, CreatedAt: now, UpdatedAt: now}
	if err := a.Create(ctx, ada); err != nil {
		t.Fatal(err)
	}
	if u, err := a.GetByEmail(ctx, "ada@example.com"); err != nil || u.ID != ada.ID {
		t.Fatalf("replica a, first lookup: %v, %v", u, err)
	}
	if _, err := b.Update(ctx, ada.ID, func(u *identity.User) error { u.Email = "countess@example.com"; return nil }); err != nil {
		t.Fatal(err)
	}
	grace := &identity.User{ID: kernel.NewID(now.Add(time.Second)), Name: "Grace", Email: "ada@example.com", PasswordHash: "h", Active: true, CreatedAt: now, UpdatedAt: now}
	if err := b.Create(ctx, grace); err != nil {
		t.Fatal(err)
	}
	u, err := a.GetByEmail(ctx, "ada@example.com")
	if err != nil || u.ID != grace.ID {
		t.Fatalf("replica a after the address moved to another user: got %+v, %v; want %s", u, err, grace.ID)
	}
	if err := b.Delete(ctx, grace.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GetByEmail(ctx, "ada@example.com"); !errors.Is(err, identity.ErrUserNotFound) {
		t.Fatalf("replica a after the owner was deleted elsewhere: %v", err)
	}
}
