package governanceporttest

import (
	"errors"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

func sameRequest(t *testing.T, got, want *governance.AccessRequest) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil access request")
	}
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "DatasetID", got.DatasetID, want.DatasetID)
	porttestkit.Eq(t, "RequesterID", got.RequesterID, want.RequesterID)
	porttestkit.Eq(t, "Purpose", got.Purpose, want.Purpose)
	porttestkit.Eq(t, "Organization", got.Organization, want.Organization)
	porttestkit.SameTime(t, "RequestedUntil", got.RequestedUntil, want.RequestedUntil)
	porttestkit.Eq(t, "TermsVersion", got.TermsVersion, want.TermsVersion)
	porttestkit.Eq(t, "Status", got.Status, want.Status)
	porttestkit.Eq(t, "DecidedBy", got.DecidedBy, want.DecidedBy)
	porttestkit.SameTimePtr(t, "DecidedAt", got.DecidedAt, want.DecidedAt)
	porttestkit.Eq(t, "Reason", got.Reason, want.Reason)
	porttestkit.Eq(t, "Note", got.Note, want.Note)
	porttestkit.Eq(t, "GrantID", got.GrantID, want.GrantID)
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	porttestkit.Eq(t, "Version", got.Revision, want.Revision)
}

func requestIDs(rs []*governance.AccessRequest) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// TestAccessRequestRepository runs the AccessRequestRepository contract; newRepo must return an empty repository.
func TestAccessRequestRepository(t *testing.T, newRepo func(t *testing.T) governanceport.AccessRequestRepository, opts ...Option) {
	ds, requester, decider := id(0), id(1), id(2)
	newRequest := func(i int, datasetID, requesterID string) *governance.AccessRequest {
		return &governance.AccessRequest{
			ID: id(i), DatasetID: datasetID, RequesterID: requesterID,
			Purpose: label("Purpose %d: noise near schools,\nsecond line é✓", i), Organization: label("Org %d", i),
			RequestedUntil: at(i).Add(30 * day), TermsVersion: i % 4, Status: governance.RequestPending, CreatedAt: at(i),
		}
	}
	create := func(t *testing.T, repo governanceport.AccessRequestRepository, r *governance.AccessRequest) {
		t.Helper()
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create "+r.ID)
	}
	decide := func(t *testing.T, repo governanceport.AccessRequestRepository, id string, fn func(r *governance.AccessRequest) error) {
		t.Helper()
		_, err := repo.Update(t.Context(), id, fn)
		porttestkit.MustNil(t, err, "Update "+id)
	}
	withdraw := func(r *governance.AccessRequest) error { return r.Withdraw(at(90)) }

	suite{
		{"create_then_get_round_trips_every_field", func(t *testing.T) {
			repo := newRepo(t)
			r := newRequest(3, ds, requester)
			r.Organization, r.TermsVersion = "", 0
			create(t, repo, r)
			porttestkit.Eq(t, "Version after Create", r.Revision, int64(1))
			got, err := repo.Get(t.Context(), r.ID)
			porttestkit.MustNil(t, err, "Get")
			sameRequest(t, got, r)

			full := newRequest(4, id(40), requester)
			create(t, repo, full)
			got, err = repo.Get(t.Context(), full.ID)
			porttestkit.MustNil(t, err, "Get")
			sameRequest(t, got, full)
		}},
		{"updates_store_decisions_and_count_versions", func(t *testing.T) {
			repo := newRepo(t)
			approved, rejected := newRequest(3, ds, requester), newRequest(4, id(41), requester)
			create(t, repo, approved)
			create(t, repo, rejected)
			grantID := id(5)
			got, err := repo.Update(t.Context(), approved.ID, func(r *governance.AccessRequest) error {
				return r.Approve(decider, grantID, "Welcome aboard", at(6))
			})
			porttestkit.MustNil(t, err, "Approve")
			want := approved.Clone()
			porttestkit.MustNil(t, want.Approve(decider, grantID, "Welcome aboard", at(6)), "Approve the copy")
			want.Revision = 2
			sameRequest(t, got, want)
			stored, err := repo.Get(t.Context(), approved.ID)
			porttestkit.MustNil(t, err, "Get after Approve")
			sameRequest(t, stored, want)

			decide(t, repo, rejected.ID, func(r *governance.AccessRequest) error { return r.Reject(decider, "Out of scope,\nsorry", at(7)) })
			stored, err = repo.Get(t.Context(), rejected.ID)
			porttestkit.MustNil(t, err, "Get after Reject")
			want = rejected.Clone()
			porttestkit.MustNil(t, want.Reject(decider, "Out of scope,\nsorry", at(7)), "Reject the copy")
			want.Revision = 2
			sameRequest(t, stored, want)
		}},
		{"unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
			repo := newRepo(t)
			create(t, repo, newRequest(3, ds, requester))
			for _, x := range append([]string{id(9)}, malformedIDs...) {
				_, err := repo.Get(t.Context(), x)
				porttestkit.WantErr(t, err, governance.ErrRequestNotFound, "Get "+x)
				_, err = repo.Update(t.Context(), x, func(*governance.AccessRequest) error { return nil })
				porttestkit.WantErr(t, err, governance.ErrRequestNotFound, "Update "+x)
			}
		}},
		{"a_taken_id_is_a_conflict", func(t *testing.T) {
			repo := newRepo(t)
			r := newRequest(3, ds, requester)
			create(t, repo, r)
			again := newRequest(4, id(42), id(43))
			again.ID = r.ID
			porttestkit.WantKind(t, repo.Create(t.Context(), again), kernelConflict, "Create with a taken id")
		}},
		{"one_pending_request_per_requester_and_dataset", func(t *testing.T) {
			repo := newRepo(t)
			first := newRequest(3, ds, requester)
			create(t, repo, first)
			porttestkit.WantErr(t, repo.Create(t.Context(), newRequest(4, ds, requester)), governance.ErrRequestPending, "a second pending request")
			create(t, repo, newRequest(5, ds, decider))       // another requester may ask
			create(t, repo, newRequest(6, id(44), requester)) // for another dataset too
			for i, leave := range []func(r *governance.AccessRequest) error{
				withdraw,
				func(r *governance.AccessRequest) error { return r.Reject(decider, "no", at(91)) },
				func(r *governance.AccessRequest) error { return r.Approve(decider, id(92), "", at(92)) },
			} {
				decide(t, repo, first.ID, leave)
				// Once it has left pending, the requester may ask again, once.
				first = newRequest(10+2*i, ds, requester)
				create(t, repo, first)
				porttestkit.WantErr(t, repo.Create(t.Context(), newRequest(11+2*i, ds, requester)), governance.ErrRequestPending, "and only once")
			}
			_, total, err := repo.List(t.Context(), governanceport.RequestFilter{DatasetID: ds, RequesterID: requester}, 0, -1)
			porttestkit.MustNil(t, err, "List")
			porttestkit.Eq(t, "the requester's requests for the dataset", total, int64(4))
		}},
		{"a_decided_request_takes_no_pending_place", func(t *testing.T) {
			repo := newRepo(t)
			create(t, repo, newRequest(3, ds, requester))
			// Stored as decided already (a copy between stores): it may sit beside the pending one.
			old := newRequest(4, ds, requester)
			porttestkit.MustNil(t, old.Withdraw(at(5)), "Withdraw")
			create(t, repo, old)
			got, err := repo.Get(t.Context(), old.ID)
			porttestkit.MustNil(t, err, "Get")
			porttestkit.Eq(t, "Status", got.Status, governance.RequestWithdrawn)
		}},
		{"concurrent_creates_make_one_pending_request", func(t *testing.T) {
			repo := newRepo(t)
			errs := porttestkit.Concurrently(10, func(i int) error { return repo.Create(t.Context(), newRequest(10+i, ds, requester)) })
			porttestkit.OneSucceeded(t, errs, governance.ErrRequestPending)
			_, total, err := repo.List(t.Context(), governanceport.RequestFilter{DatasetID: ds}, 0, -1)
			porttestkit.MustNil(t, err, "List")
			porttestkit.Eq(t, "total", total, int64(1))
		}},
		{"concurrent_decisions_apply_once", func(t *testing.T) {
			for round := range 3 {
				repo := newRepo(t)
				r := newRequest(3, ds, requester)
				create(t, repo, r)
				deciders := []string{id(20), id(21), id(22), id(23)}
				grants := []string{id(30), id(31), id(32), id(33)}
				errs := porttestkit.Concurrently(len(deciders), func(i int) error {
					_, err := repo.Update(t.Context(), r.ID, func(r *governance.AccessRequest) error {
						if i%2 == 0 {
							return r.Approve(deciders[i], grants[i], "", at(20+i))
						}
						return r.Reject(deciders[i], "no", at(20+i))
					})
					return err
				})
				winner := porttestkit.OneSucceeded(t, errs, governance.ErrRequestNotPending)
				got, err := repo.Get(t.Context(), r.ID)
				porttestkit.MustNil(t, err, "Get")
				porttestkit.Eq(t, label("round %d: DecidedBy", round), got.DecidedBy, deciders[winner])
				wantStatus, wantGrant := governance.RequestApproved, grants[winner]
				if winner%2 == 1 {
					wantStatus, wantGrant = governance.RequestRejected, ""
				}
				porttestkit.Eq(t, label("round %d: Status", round), got.Status, wantStatus)
				porttestkit.Eq(t, label("round %d: GrantID", round), got.GrantID, wantGrant)
				porttestkit.Eq(t, label("round %d: Version", round), got.Revision, int64(2))
				// The decided request freed the pair.
				create(t, repo, newRequest(40, ds, requester))
			}
		}},
		{"concurrent_updates_lose_no_write", func(t *testing.T) {
			repo := newRepo(t)
			r := newRequest(3, ds, requester)
			r.Note = ""
			create(t, repo, r)
			const writers = 5
			errs := porttestkit.Concurrently(writers, func(i int) error {
				_, err := repo.Update(t.Context(), r.ID, func(r *governance.AccessRequest) error {
					r.Note += string(rune('a' + i))
					return nil
				})
				return err
			})
			for i, err := range errs {
				porttestkit.MustNil(t, err, label("writer %d", i))
			}
			got, err := repo.Get(t.Context(), r.ID)
			porttestkit.MustNil(t, err, "Get")
			porttestkit.Eq(t, "Version", got.Revision, int64(1+writers))
			porttestkit.Eq(t, "letters in Note", len(got.Note), writers)
			for i := range writers {
				if !strings.ContainsRune(got.Note, rune('a'+i)) {
					t.Errorf("Note %q lost writer %d's letter", got.Note, i)
				}
			}
		}},
		{"an_update_fn_error_aborts", func(t *testing.T) {
			repo := newRepo(t)
			r := newRequest(3, ds, requester)
			create(t, repo, r)
			_, err := repo.Update(t.Context(), r.ID, func(r *governance.AccessRequest) error {
				_ = r.Approve(decider, id(4), "", at(4))
				return errAbort
			})
			if !errors.Is(err, errAbort) {
				t.Errorf("Update: got %v, want the fn's error", err)
			}
			got, err := repo.Get(t.Context(), r.ID)
			porttestkit.MustNil(t, err, "Get")
			sameRequest(t, got, r)
			porttestkit.WantErr(t, repo.Create(t.Context(), newRequest(5, ds, requester)), governance.ErrRequestPending, "still pending")
		}},
		{"an_update_keeps_the_identity", func(t *testing.T) {
			repo := newRepo(t)
			r := newRequest(3, ds, requester)
			create(t, repo, r)
			got, err := repo.Update(t.Context(), r.ID, func(x *governance.AccessRequest) error {
				x.ID, x.DatasetID, x.RequesterID = id(50), id(51), id(52)
				return x.Withdraw(at(4))
			})
			porttestkit.MustNil(t, err, "Update")
			porttestkit.Eq(t, "ID", got.ID, r.ID)
			porttestkit.Eq(t, "DatasetID", got.DatasetID, ds)
			porttestkit.Eq(t, "RequesterID", got.RequesterID, requester)
			stored, err := repo.Get(t.Context(), r.ID)
			porttestkit.MustNil(t, err, "Get")
			porttestkit.Eq(t, "stored DatasetID", stored.DatasetID, ds)
			_, err = repo.Get(t.Context(), id(50))
			porttestkit.WantErr(t, err, governance.ErrRequestNotFound, "no request under the new id")
		}},
		{"list_filters_newest_first_and_pages", func(t *testing.T) {
			repo := newRepo(t)
			other := id(60)
			requesters := []string{id(30), id(31), id(32), id(33), id(34)}
			var rs []*governance.AccessRequest // for ds, oldest first
			for i := range 5 {
				r := newRequest(10+i, ds, requesters[i])
				create(t, repo, r)
				rs = append(rs, r)
			}
			mine := newRequest(20, other, requesters[0]) // the first requester, another dataset
			create(t, repo, mine)
			// A request at the same moment as rs[4] sorts by id, the greater first.
			tie := newRequest(21, ds, id(40))
			tie.CreatedAt = rs[4].CreatedAt
			create(t, repo, tie)
			decide(t, repo, rs[1].ID, func(r *governance.AccessRequest) error { return r.Approve(decider, id(70), "", at(70)) })
			decide(t, repo, rs[3].ID, func(r *governance.AccessRequest) error { return r.Reject(decider, "no", at(71)) })
			decide(t, repo, rs[0].ID, withdraw)

			rev := func(xs ...*governance.AccessRequest) []*governance.AccessRequest { return xs }
			cases := []struct {
				name string
				f    governanceport.RequestFilter
				want []*governance.AccessRequest
			}{
				{"dataset", governanceport.RequestFilter{DatasetID: ds}, rev(tie, rs[4], rs[3], rs[2], rs[1], rs[0])},
				{"pending", governanceport.RequestFilter{DatasetID: ds, Status: governance.RequestPending}, rev(tie, rs[4], rs[2])},
				{"approved", governanceport.RequestFilter{DatasetID: ds, Status: governance.RequestApproved}, rev(rs[1])},
				{"rejected", governanceport.RequestFilter{Status: governance.RequestRejected}, rev(rs[3])},
				{"withdrawn", governanceport.RequestFilter{Status: governance.RequestWithdrawn}, rev(rs[0])},
				{"requester_across_datasets", governanceport.RequestFilter{RequesterID: requesters[0]}, rev(mine, rs[0])},
				{"requester_and_status", governanceport.RequestFilter{RequesterID: requesters[0], Status: governance.RequestPending}, rev(mine)},
				{"requester_and_dataset", governanceport.RequestFilter{RequesterID: requesters[0], DatasetID: other}, rev(mine)},
				{"everything", governanceport.RequestFilter{}, rev(mine, tie, rs[4], rs[3], rs[2], rs[1], rs[0])},
				{"nothing", governanceport.RequestFilter{DatasetID: id(99)}, nil},
			}
			for _, c := range cases {
				got, total, err := repo.List(t.Context(), c.f, 0, -1)
				porttestkit.MustNil(t, err, "List "+c.name)
				porttestkit.Eq(t, c.name+" total", total, int64(len(c.want)))
				porttestkit.SameStrings(t, c.name, requestIDs(got), requestIDs(c.want))
			}
			got, _, err := repo.List(t.Context(), governanceport.RequestFilter{Status: governance.RequestApproved}, 0, -1)
			porttestkit.MustNil(t, err, "List approved")
			stored, err := repo.Get(t.Context(), rs[1].ID)
			porttestkit.MustNil(t, err, "Get")
			sameRequest(t, got[0], stored)

			page, total, err := repo.List(t.Context(), governanceport.RequestFilter{DatasetID: ds}, 2, 3)
			porttestkit.MustNil(t, err, "List page")
			porttestkit.Eq(t, "page total", total, int64(6))
			porttestkit.SameStrings(t, "page", requestIDs(page), requestIDs(rev(rs[3], rs[2], rs[1])))
			none, total, err := repo.List(t.Context(), governanceport.RequestFilter{DatasetID: ds}, 0, 0)
			porttestkit.MustNil(t, err, "List with limit 0")
			porttestkit.Eq(t, "limit 0 total", total, int64(6))
			porttestkit.Eq(t, "limit 0 page", len(none), 0)
			past, total, err := repo.List(t.Context(), governanceport.RequestFilter{DatasetID: ds}, 10, 5)
			porttestkit.MustNil(t, err, "List past the end")
			porttestkit.Eq(t, "past the end total", total, int64(6))
			porttestkit.Eq(t, "past the end page", len(past), 0)
		}},
	}.run(t, collect(opts))
}
