package communitymongo_test

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/communitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/communityport/communityporttest"
)

// newDB returns a fresh database with the indexes the service creates at start.
func newDB(t *testing.T) *mongo.Database {
	t.Helper()
	return mongotest.Indexed(t, communitymongo.Indexes()...)
}

func TestCommunityRepository(t *testing.T) {
	unfaithful := mongotest.Unfaithful{
		"rename_into_a_taken_name_is_a_conflict_and_changes_nothing": mongotest.UpdateBreakingUniqueIndex,
		"concurrent_updates_lose_nothing":                            mongotest.TwoStepUpdates,
		"two_admins_leaving_at_once_leave_one":                       mongotest.TwoStepUpdates,
	}
	communityporttest.TestCommunityRepository(t, func(t *testing.T) communityport.CommunityRepository {
		unfaithful.Skip(t)
		return communitymongo.NewCommunityRepository(newDB(t))
	})
}

func TestMembershipRepository(t *testing.T) {
	communityporttest.TestMembershipRepository(t, func(t *testing.T) communityport.MembershipRepository {
		return communitymongo.NewMembershipRepository(newDB(t))
	})
}

func TestJoinRequestRepository(t *testing.T) {
	unfaithful := mongotest.Unfaithful{
		"concurrent_decisions_apply_once": mongotest.TwoStepUpdates,
	}
	communityporttest.TestJoinRequestRepository(t, func(t *testing.T) communityport.JoinRequestRepository {
		unfaithful.Skip(t)
		return communitymongo.NewJoinRequestRepository(newDB(t))
	})
}

// The application makes every identifier: one this store cannot hold is a
// bug (an internal error), not a client's "not found".
func TestCreateWithAMalformedIDIsAnInternalError(t *testing.T) {
	db := newDB(t)
	ctx := t.Context()
	now := time.Now().UTC()
	for _, id := range []string{"", "nope"} {
		err := communitymongo.NewCommunityRepository(db).Create(ctx, community.Restore(community.Snapshot{ID: id, Name: "c" + id, CreatedAt: now}))
		if kernel.KindOf(err) != kernel.KindInternal {
			t.Errorf("create a community with id %q: %v, want an internal error", id, err)
		}
		err = communitymongo.NewJoinRequestRepository(db).Create(ctx, &community.JoinRequest{ID: id, CommunityID: kernel.NewID(now),
			UserID: kernel.NewID(now), Status: community.StatusPending, CreatedAt: now})
		if kernel.KindOf(err) != kernel.KindInternal {
			t.Errorf("create a join request with id %q: %v, want an internal error", id, err)
		}
	}
}
