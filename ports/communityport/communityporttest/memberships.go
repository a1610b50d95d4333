package communityporttest

import (
	"fmt"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
	"testing"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

func membership(communityID, userID string, role community.Role, i int) *community.Membership {
	return &community.Membership{CommunityID: communityID, UserID: userID, Role: role, AddedAt: at(i)}
}

func sameMembership(t *testing.T, got, want *community.Membership) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil membership")
	}
	porttestkit.Eq(t, "CommunityID", got.CommunityID, want.CommunityID)
	porttestkit.Eq(t, "UserID", got.UserID, want.UserID)
	porttestkit.Eq(t, "Role", got.Role, want.Role)
	porttestkit.SameTime(t, "AddedAt", got.AddedAt, want.AddedAt)
}

func memberUserIDs(ms []*community.Membership) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.UserID
	}
	return out
}

func memberCommunityIDs(ms []*community.Membership) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.CommunityID
	}
	return out
}

// TestMembershipRepository runs the MembershipRepository contract; newRepo must return an empty repository.
func TestMembershipRepository(t *testing.T, newRepo func(t *testing.T) communityport.MembershipRepository) {
	cid, uid := kernel.NewID(at(0)), kernel.NewID(at(1))

	t.Run("add_then_get_round_trips", func(t *testing.T) {
		repo := newRepo(t)
		for _, role := range []community.Role{community.RoleAdmin, community.RoleMember} {
			m := membership(cid, kernel.NewID(at(2)), role, 3)
			porttestkit.MustNil(t, repo.Add(t.Context(), m), "Add")
			got, err := repo.Get(t.Context(), m.CommunityID, m.UserID)
			porttestkit.MustNil(t, err, "Get")
			sameMembership(t, got, m)
		}
	})

	t.Run("unknown_membership_is_not_member", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Add(t.Context(), membership(cid, uid, community.RoleMember, 0)), "Add")
		for _, pair := range [][2]string{{cid, kernel.NewID(at(9))}, {kernel.NewID(at(9)), uid}, {"nope", ""}, {"", ""}} {
			_, err := repo.Get(t.Context(), pair[0], pair[1])
			porttestkit.WantErr(t, err, community.ErrNotMember, "Get "+pair[0]+":"+pair[1])
			porttestkit.WantErr(t, repo.Remove(t.Context(), pair[0], pair[1]), community.ErrNotMember, "Remove "+pair[0]+":"+pair[1])
		}
	})

	t.Run("a_second_membership_is_already_member", func(t *testing.T) {
		repo := newRepo(t)
		m := membership(cid, uid, community.RoleMember, 0)
		porttestkit.MustNil(t, repo.Add(t.Context(), m), "Add")
		err := repo.Add(t.Context(), membership(cid, uid, community.RoleAdmin, 1))
		porttestkit.WantErr(t, err, community.ErrAlreadyMember, "second Add")
		got, err := repo.Get(t.Context(), cid, uid)
		porttestkit.MustNil(t, err, "Get")
		sameMembership(t, got, m)
	})

	t.Run("concurrent_adds_of_one_pair_make_one_membership", func(t *testing.T) {
		repo := newRepo(t)
		errs := porttestkit.Concurrently(10, func(i int) error { return repo.Add(t.Context(), membership(cid, uid, community.RoleMember, i)) })
		porttestkit.OneSucceeded(t, errs, community.ErrAlreadyMember)
		counts, err := repo.Count(t.Context(), []string{cid})
		porttestkit.MustNil(t, err, "Count")
		porttestkit.Eq(t, "count", counts[cid], int64(1))
	})

	t.Run("concurrent_adds_of_twenty_users_count_twenty", func(t *testing.T) {
		repo := newRepo(t)
		const n = 20
		errs := porttestkit.Concurrently(n, func(i int) error {
			return repo.Add(t.Context(), membership(cid, kernel.NewID(at(100+i)), community.RoleMember, i))
		})
		for i, err := range errs {
			porttestkit.MustNil(t, err, fmt.Sprintf("Add %d", i))
		}
		counts, err := repo.Count(t.Context(), []string{cid})
		porttestkit.MustNil(t, err, "Count")
		porttestkit.Eq(t, "count", counts[cid], int64(n))
		_, total, err := repo.ListByCommunity(t.Context(), cid, 0, -1)
		porttestkit.MustNil(t, err, "ListByCommunity")
		porttestkit.Eq(t, "total", total, int64(n))
	})

	t.Run("remove_deletes_one_membership", func(t *testing.T) {
		repo := newRepo(t)
		other := kernel.NewID(at(5))
		porttestkit.MustNil(t, repo.Add(t.Context(), membership(cid, uid, community.RoleMember, 0)), "Add")
		porttestkit.MustNil(t, repo.Add(t.Context(), membership(cid, other, community.RoleMember, 1)), "Add other")
		porttestkit.MustNil(t, repo.Remove(t.Context(), cid, uid), "Remove")
		_, err := repo.Get(t.Context(), cid, uid)
		porttestkit.WantErr(t, err, community.ErrNotMember, "Get after Remove")
		porttestkit.WantErr(t, repo.Remove(t.Context(), cid, uid), community.ErrNotMember, "Remove twice")
		_, err = repo.Get(t.Context(), cid, other)
		porttestkit.MustNil(t, err, "the other membership stays")
		porttestkit.MustNil(t, repo.Add(t.Context(), membership(cid, uid, community.RoleMember, 2)), "Add again after Remove")
	})

	t.Run("lists_page_oldest_first_by_community_and_by_user", func(t *testing.T) {
		repo := newRepo(t)
		c2 := kernel.NewID(at(50))
		users := make([]string, 5)
		for i := range users {
			users[i] = kernel.NewID(at(10 + i))
			// Added in the reverse order of the ids, to tell time order from id order.
			porttestkit.MustNil(t, repo.Add(t.Context(), membership(cid, users[i], community.RoleMember, 20-i)), "Add")
		}
		porttestkit.MustNil(t, repo.Add(t.Context(), membership(c2, users[0], community.RoleAdmin, 1)), "Add to c2")

		all, total, err := repo.ListByCommunity(t.Context(), cid, 0, -1)
		porttestkit.MustNil(t, err, "ListByCommunity")
		porttestkit.Eq(t, "total", total, int64(5))
		porttestkit.SameStrings(t, "users oldest first", memberUserIDs(all), []string{users[4], users[3], users[2], users[1], users[0]})

		page, total, err := repo.ListByCommunity(t.Context(), cid, 1, 2)
		porttestkit.MustNil(t, err, "ListByCommunity page")
		porttestkit.Eq(t, "page total", total, int64(5))
		porttestkit.SameStrings(t, "page users", memberUserIDs(page), []string{users[3], users[2]})

		mine, total, err := repo.ListByUser(t.Context(), users[0], 0, -1)
		porttestkit.MustNil(t, err, "ListByUser")
		porttestkit.Eq(t, "user total", total, int64(2))
		porttestkit.SameStrings(t, "user communities oldest first", memberCommunityIDs(mine), []string{c2, cid})

		none, total, err := repo.ListByUser(t.Context(), kernel.NewID(at(99)), 0, 10)
		porttestkit.MustNil(t, err, "ListByUser of a stranger")
		porttestkit.Eq(t, "stranger total", total, int64(0))
		porttestkit.Eq(t, "stranger len", len(none), 0)
	})

	t.Run("count_counts_each_community", func(t *testing.T) {
		repo := newRepo(t)
		c2, c3 := kernel.NewID(at(50)), kernel.NewID(at(51))
		for i := range 3 {
			porttestkit.MustNil(t, repo.Add(t.Context(), membership(cid, kernel.NewID(at(10+i)), community.RoleMember, i)), "Add cid")
		}
		porttestkit.MustNil(t, repo.Add(t.Context(), membership(c2, uid, community.RoleMember, 0)), "Add c2")
		counts, err := repo.Count(t.Context(), []string{cid, c2, c3})
		porttestkit.MustNil(t, err, "Count")
		porttestkit.Eq(t, "cid", counts[cid], int64(3))
		porttestkit.Eq(t, "c2", counts[c2], int64(1))
		porttestkit.Eq(t, "c3", counts[c3], int64(0))
		empty, err := repo.Count(t.Context(), nil)
		porttestkit.MustNil(t, err, "Count(nil)")
		porttestkit.Eq(t, "Count(nil) len", len(empty), 0)
	})

	t.Run("remove_all_in_community_leaves_the_others", func(t *testing.T) {
		repo := newRepo(t)
		c2 := kernel.NewID(at(50))
		for i := range 3 {
			porttestkit.MustNil(t, repo.Add(t.Context(), membership(cid, kernel.NewID(at(10+i)), community.RoleMember, i)), "Add cid")
		}
		porttestkit.MustNil(t, repo.Add(t.Context(), membership(c2, uid, community.RoleAdmin, 0)), "Add c2")
		porttestkit.MustNil(t, repo.RemoveAllInCommunity(t.Context(), cid), "RemoveAllInCommunity")
		counts, err := repo.Count(t.Context(), []string{cid, c2})
		porttestkit.MustNil(t, err, "Count")
		porttestkit.Eq(t, "cid", counts[cid], int64(0))
		porttestkit.Eq(t, "c2", counts[c2], int64(1))
		porttestkit.MustNil(t, repo.RemoveAllInCommunity(t.Context(), cid), "RemoveAllInCommunity again")
	})
}
