package governanceporttest

import (
	"testing"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// TestNoticeClaimRepository runs the NoticeClaimRepository contract. newStore
// must return a fresh, empty store as a function that opens one more
// repository on it, the way another instance of the service would (for the
// memory adapter that is the same repository; for a database, another
// connection to the same database).
func TestNoticeClaimRepository(t *testing.T, newStore func(t *testing.T) (open func() governanceport.NoticeClaimRepository), opts ...Option) {
	reminder, expiry := governance.NoticeExpiryReminder, governance.NoticeExpiryRecorded
	claim := func(t *testing.T, repo governanceport.NoticeClaimRepository, grantID string, n governance.Notice) bool {
		t.Helper()
		ok, err := repo.Claim(t.Context(), grantID, n, at(1))
		porttestkit.MustNil(t, err, "Claim")
		return ok
	}

	suite{
		{"a_notice_is_claimed_once", func(t *testing.T) {
			repo := newStore(t)()
			g, other := id(1), id(2)
			porttestkit.Eq(t, "first claim", claim(t, repo, g, reminder), true)
			porttestkit.Eq(t, "second claim", claim(t, repo, g, reminder), false)
			porttestkit.Eq(t, "the other notice of the grant", claim(t, repo, g, expiry), true)
			porttestkit.Eq(t, "the notice of another grant", claim(t, repo, other, reminder), true)
			porttestkit.Eq(t, "the other notice again", claim(t, repo, g, expiry), false)
		}},
		{"one_of_concurrent_claims_by_several_instances_wins", func(t *testing.T) {
			for round := range 3 {
				open := newStore(t)
				instances := []governanceport.NoticeClaimRepository{open(), open(), open()}
				g := id(10 + round)
				type result struct {
					ok  bool
					err error
				}
				results := porttestkit.AtOnce(12, func(i int) result {
					ok, err := instances[i%len(instances)].Claim(t.Context(), g, reminder, at(i))
					return result{ok, err}
				})
				won := 0
				for i, r := range results {
					porttestkit.MustNil(t, r.err, label("claim %d", i))
					if r.ok {
						won++
					}
				}
				porttestkit.Eq(t, label("round %d: claims that won", round), won, 1)
				claimed, err := instances[1].Claimed(t.Context(), reminder, []string{g})
				porttestkit.MustNil(t, err, "Claimed")
				porttestkit.Eq(t, "claimed", claimed[g], true)
			}
		}},
		{"a_released_claim_may_be_taken_again", func(t *testing.T) {
			open := newStore(t)
			repo, other := open(), open()
			g := id(1)
			porttestkit.Eq(t, "claim", claim(t, repo, g, reminder), true)
			porttestkit.Eq(t, "claim of the other notice", claim(t, repo, g, expiry), true)
			porttestkit.MustNil(t, repo.Release(t.Context(), g, reminder), "Release")
			porttestkit.Eq(t, "claim after the release, by another instance", claim(t, other, g, reminder), true)
			porttestkit.Eq(t, "and only once", claim(t, repo, g, reminder), false)
			porttestkit.Eq(t, "the other notice stayed claimed", claim(t, repo, g, expiry), false)
			porttestkit.MustNil(t, repo.Release(t.Context(), id(2), reminder), "Release of a claim that does not exist")
		}},
		{"claimed_says_which_grants_are_taken", func(t *testing.T) {
			repo := newStore(t)()
			a, b, c := id(1), id(2), id(3)
			claim(t, repo, a, reminder)
			claim(t, repo, c, reminder)
			claim(t, repo, b, expiry)
			got, err := repo.Claimed(t.Context(), reminder, []string{a, b, c, id(4)})
			porttestkit.MustNil(t, err, "Claimed")
			porttestkit.Eq(t, "a", got[a], true)
			porttestkit.Eq(t, "b (the other notice only)", got[b], false)
			porttestkit.Eq(t, "c", got[c], true)
			porttestkit.Eq(t, "entries", len(got), 2)
			none, err := repo.Claimed(t.Context(), expiry, nil)
			porttestkit.MustNil(t, err, "Claimed of no grants")
			porttestkit.Eq(t, "entries for no grants", len(none), 0)
		}},
	}.run(t, collect(opts))
}
