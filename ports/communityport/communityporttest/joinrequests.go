package communityporttest

import (
	"errors"
	"fmt"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
	"testing"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

func sameRequest(t *testing.T, got, want *community.JoinRequest) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil join request")
	}
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "CommunityID", got.CommunityID, want.CommunityID)
	porttestkit.Eq(t, "UserID", got.UserID, want.UserID)
	porttestkit.Eq(t, "Message", got.Message, want.Message)
	porttestkit.Eq(t, "Status", got.Status, want.Status)
	porttestkit.Eq(t, "Reason", got.Reason, want.Reason)
	porttestkit.Eq(t, "DecidedBy", got.DecidedBy, want.DecidedBy)
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	switch {
	case got.DecidedAt == nil && want.DecidedAt == nil:
	case got.DecidedAt == nil || want.DecidedAt == nil:
		t.Errorf("DecidedAt: got %v, want %v", got.DecidedAt, want.DecidedAt)
	default:
		porttestkit.SameTime(t, "DecidedAt", *got.DecidedAt, *want.DecidedAt)
	}
	porttestkit.Eq(t, "Version", got.Revision, want.Revision)
}

func requestIDs(rs []*community.JoinRequest) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// TestJoinRequestRepository runs the JoinRequestRepository contract; newRepo must return an empty repository.
func TestJoinRequestRepository(t *testing.T, newRepo func(t *testing.T) communityport.JoinRequestRepository) {
	cid, uid, admin := kernel.NewID(at(0)), kernel.NewID(at(1)), kernel.NewID(at(2))
	newRequest := func(i int, communityID, userID string) *community.JoinRequest {
		return community.NewJoinRequest(kernel.NewID(at(i)), communityID, userID, fmt.Sprintf("please %d", i), at(i))
	}

	t.Run("create_then_get_round_trips_and_decisions_are_stored", func(t *testing.T) {
		repo := newRepo(t)
		r := newRequest(3, cid, uid)
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
		if r.Revision < 1 {
			t.Errorf("Create left Version %d, want at least 1", r.Revision)
		}
		got, err := repo.Get(t.Context(), r.ID)
		porttestkit.MustNil(t, err, "Get")
		sameRequest(t, got, r)

		got, err = repo.Update(t.Context(), r.ID, func(r *community.JoinRequest) error { return r.Reject(admin, "full", at(4)) })
		porttestkit.MustNil(t, err, "Update")
		want := r.Clone()
		porttestkit.MustNil(t, want.Reject(admin, "full", at(4)), "Reject")
		want.Revision = r.Revision + 1
		sameRequest(t, got, want)
		stored, err := repo.Get(t.Context(), r.ID)
		porttestkit.MustNil(t, err, "Get after Update")
		sameRequest(t, stored, want)
	})

	t.Run("unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newRequest(3, cid, uid)), "Create")
		for _, id := range append([]string{kernel.NewID(at(9))}, malformedIDs...) {
			_, err := repo.Get(t.Context(), id)
			porttestkit.WantErr(t, err, community.ErrRequestNotFound, "Get "+id)
			_, err = repo.Update(t.Context(), id, func(*community.JoinRequest) error { return nil })
			porttestkit.WantErr(t, err, community.ErrRequestNotFound, "Update "+id)
		}
	})

	t.Run("one_pending_request_per_community_and_user", func(t *testing.T) {
		repo := newRepo(t)
		first := newRequest(3, cid, uid)
		porttestkit.MustNil(t, repo.Create(t.Context(), first), "Create")
		porttestkit.WantErr(t, repo.Create(t.Context(), newRequest(4, cid, uid)), community.ErrRequestPending, "second pending request")
		porttestkit.MustNil(t, repo.Create(t.Context(), newRequest(5, cid, admin)), "another user may ask")
		porttestkit.MustNil(t, repo.Create(t.Context(), newRequest(6, kernel.NewID(at(7)), uid)), "another community may be asked")

		// Once decided, the user may ask again.
		_, err := repo.Update(t.Context(), first.ID, func(r *community.JoinRequest) error { return r.Withdraw(at(8)) })
		porttestkit.MustNil(t, err, "Withdraw")
		porttestkit.MustNil(t, repo.Create(t.Context(), newRequest(9, cid, uid)), "a new request after the first was withdrawn")
		porttestkit.WantErr(t, repo.Create(t.Context(), newRequest(10, cid, uid)), community.ErrRequestPending, "and only one")
	})

	t.Run("concurrent_creates_make_one_pending_request", func(t *testing.T) {
		repo := newRepo(t)
		errs := porttestkit.Concurrently(10, func(i int) error { return repo.Create(t.Context(), newRequest(10+i, cid, uid)) })
		porttestkit.OneSucceeded(t, errs, community.ErrRequestPending)
		_, total, err := repo.List(t.Context(), communityport.JoinRequestFilter{CommunityID: cid}, 0, -1)
		porttestkit.MustNil(t, err, "List")
		porttestkit.Eq(t, "total", total, int64(1))
	})

	t.Run("concurrent_decisions_apply_once", func(t *testing.T) {
		for round := range 3 {
			repo := newRepo(t)
			r := newRequest(3, cid, uid)
			porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
			deciders := make([]string, 4)
			for i := range deciders {
				deciders[i] = kernel.NewID(at(20 + i))
			}
			errs := porttestkit.Concurrently(4, func(i int) error {
				_, err := repo.Update(t.Context(), r.ID, func(r *community.JoinRequest) error {
					if i%2 == 0 {
						return r.Approve(deciders[i], at(20+i))
					}
					return r.Reject(deciders[i], "", at(20+i))
				})
				return err
			})
			winner := porttestkit.OneSucceeded(t, errs, community.ErrRequestNotPending)
			got, err := repo.Get(t.Context(), r.ID)
			porttestkit.MustNil(t, err, "Get")
			porttestkit.Eq(t, fmt.Sprintf("round %d: DecidedBy", round), got.DecidedBy, deciders[winner])
			wantStatus := community.StatusApproved
			if winner%2 == 1 {
				wantStatus = community.StatusRejected
			}
			porttestkit.Eq(t, fmt.Sprintf("round %d: Status", round), got.Status, wantStatus)
			porttestkit.Eq(t, fmt.Sprintf("round %d: Version", round), got.Revision, r.Revision+1)
		}
	})

	t.Run("update_fn_error_aborts", func(t *testing.T) {
		repo := newRepo(t)
		r := newRequest(3, cid, uid)
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
		_, err := repo.Update(t.Context(), r.ID, func(r *community.JoinRequest) error {
			_ = r.Approve(admin, at(4))
			return errAbort
		})
		if !errors.Is(err, errAbort) {
			t.Errorf("Update: got %v, want the fn's error", err)
		}
		got, err := repo.Get(t.Context(), r.ID)
		porttestkit.MustNil(t, err, "Get")
		sameRequest(t, got, r)
		porttestkit.WantErr(t, repo.Create(t.Context(), newRequest(5, cid, uid)), community.ErrRequestPending, "still pending")
	})

	t.Run("list_filters_by_community_and_status_oldest_first", func(t *testing.T) {
		repo := newRepo(t)
		other := kernel.NewID(at(90))
		var rs []*community.JoinRequest
		for i := range 5 {
			r := newRequest(10+i, cid, kernel.NewID(at(30+i)))
			porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
			rs = append(rs, r)
		}
		porttestkit.MustNil(t, repo.Create(t.Context(), newRequest(20, other, uid)), "Create in another community")
		_, err := repo.Update(t.Context(), rs[1].ID, func(r *community.JoinRequest) error { return r.Approve(admin, at(40)) })
		porttestkit.MustNil(t, err, "Approve")
		_, err = repo.Update(t.Context(), rs[3].ID, func(r *community.JoinRequest) error { return r.Reject(admin, "", at(41)) })
		porttestkit.MustNil(t, err, "Reject")

		all, total, err := repo.List(t.Context(), communityport.JoinRequestFilter{CommunityID: cid}, 0, -1)
		porttestkit.MustNil(t, err, "List")
		porttestkit.Eq(t, "total", total, int64(5))
		porttestkit.SameStrings(t, "all", requestIDs(all), requestIDs(rs))

		pending, total, err := repo.List(t.Context(), communityport.JoinRequestFilter{CommunityID: cid, Status: community.StatusPending}, 0, -1)
		porttestkit.MustNil(t, err, "List pending")
		porttestkit.Eq(t, "pending total", total, int64(3))
		porttestkit.SameStrings(t, "pending", requestIDs(pending), []string{rs[0].ID, rs[2].ID, rs[4].ID})

		approved, _, err := repo.List(t.Context(), communityport.JoinRequestFilter{CommunityID: cid, Status: community.StatusApproved}, 0, -1)
		porttestkit.MustNil(t, err, "List approved")
		porttestkit.SameStrings(t, "approved", requestIDs(approved), []string{rs[1].ID})

		page, total, err := repo.List(t.Context(), communityport.JoinRequestFilter{CommunityID: cid}, 2, 2)
		porttestkit.MustNil(t, err, "List page")
		porttestkit.Eq(t, "page total", total, int64(5))
		porttestkit.SameStrings(t, "page", requestIDs(page), []string{rs[2].ID, rs[3].ID})
	})

	t.Run("list_by_requester_across_communities", func(t *testing.T) {
		repo := newRepo(t)
		other, someoneElse := kernel.NewID(at(90)), kernel.NewID(at(91))
		here := newRequest(5, cid, uid)
		there := newRequest(6, other, uid)
		for _, r := range []*community.JoinRequest{here, there, newRequest(7, cid, someoneElse)} {
			porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
		}
		_, err := repo.Update(t.Context(), here.ID, func(r *community.JoinRequest) error { return r.Withdraw(at(42)) })
		porttestkit.MustNil(t, err, "Withdraw")

		mine, total, err := repo.List(t.Context(), communityport.JoinRequestFilter{UserID: uid}, 0, -1)
		porttestkit.MustNil(t, err, "List by requester")
		porttestkit.Eq(t, "total", total, int64(2))
		porttestkit.SameStrings(t, "the requester's", requestIDs(mine), []string{here.ID, there.ID})

		pending, _, err := repo.List(t.Context(), communityport.JoinRequestFilter{UserID: uid, Status: community.StatusPending}, 0, -1)
		porttestkit.MustNil(t, err, "List the requester's pending")
		porttestkit.SameStrings(t, "the requester's pending", requestIDs(pending), []string{there.ID})

		inCommunity, _, err := repo.List(t.Context(), communityport.JoinRequestFilter{CommunityID: cid, UserID: uid}, 0, -1)
		porttestkit.MustNil(t, err, "List by community and requester")
		porttestkit.SameStrings(t, "in one community", requestIDs(inCommunity), []string{here.ID})
	})

	t.Run("delete_all_in_community_removes_requests_and_claims", func(t *testing.T) {
		repo := newRepo(t)
		other := kernel.NewID(at(90))
		r := newRequest(3, cid, uid)
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
		kept := newRequest(4, other, uid)
		porttestkit.MustNil(t, repo.Create(t.Context(), kept), "Create in another community")
		porttestkit.MustNil(t, repo.DeleteAllInCommunity(t.Context(), cid), "DeleteAllInCommunity")
		_, err := repo.Get(t.Context(), r.ID)
		porttestkit.WantErr(t, err, community.ErrRequestNotFound, "Get after DeleteAllInCommunity")
		porttestkit.MustNil(t, repo.Create(t.Context(), newRequest(5, cid, uid)), "the pair is free again")
		_, err = repo.Get(t.Context(), kept.ID)
		porttestkit.MustNil(t, err, "the other community's request stays")
		porttestkit.WantErr(t, repo.Create(t.Context(), newRequest(6, other, uid)), community.ErrRequestPending, "and its claim too")
	})
}
