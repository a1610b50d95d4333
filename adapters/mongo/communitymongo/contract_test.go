package communitymongo_test

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/communitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/communityport/communityporttest"
)

// newDB returns a fresh database with the indexes the service creates at start.
func newDB(t *testing.T) *mongo.Database {
	t.Helper()
	db := mongotest.Database(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := mongostore.EnsureIndexes(ctx, db, communitymongo.Indexes()); err != nil {
		t.Fatalf("EnsureIndexes: %v", err)
	}
	return db
}

func TestCommunityRepository(t *testing.T) {
	mongotest.ForEachLockTable(t, func(t *testing.T, newLocks func() *mongostore.DocLocks) {
		communityporttest.TestCommunityRepository(t, func(t *testing.T) communityport.CommunityRepository {
			return communitymongo.NewCommunityRepository(newDB(t), newLocks())
		})
	})
}

func TestMembershipRepository(t *testing.T) {
	communityporttest.TestMembershipRepository(t, func(t *testing.T) communityport.MembershipRepository {
		return communitymongo.NewMembershipRepository(newDB(t))
	})
}

func TestJoinRequestRepository(t *testing.T) {
	mongotest.ForEachLockTable(t, func(t *testing.T, newLocks func() *mongostore.DocLocks) {
		communityporttest.TestJoinRequestRepository(t, func(t *testing.T) communityport.JoinRequestRepository {
			return communitymongo.NewJoinRequestRepository(newDB(t), newLocks())
		})
	})
}
