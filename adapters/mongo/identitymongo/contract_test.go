package identitymongo_test

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/accessmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
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
	identityporttest.TestUserRepository(t, func(t *testing.T) identityport.UserRepository {
		return identitymongo.NewUserRepository(newDB(t), mongostore.NewDocLocks())
	})
}

func TestSessionRepository(t *testing.T) {
	identityporttest.TestSessionRepository(t, func(t *testing.T) identityport.SessionRepository {
		return identitymongo.NewSessionRepository(newDB(t), mongostore.NewDocLocks())
	})
}

func TestOneTimeTokenRepository(t *testing.T) {
	identityporttest.TestOneTimeTokenRepository(t, func(t *testing.T) identityport.OneTimeTokenRepository {
		return identitymongo.NewOneTimeTokenRepository(newDB(t), mongostore.NewDocLocks())
	})
}
