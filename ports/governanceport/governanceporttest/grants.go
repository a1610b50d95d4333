package governanceporttest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

func sameGrant(t *testing.T, got, want *governance.Grant) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil grant")
	}
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "DatasetID", got.DatasetID, want.DatasetID)
	porttestkit.Eq(t, "DatasetTitle", got.DatasetTitle, want.DatasetTitle)
	porttestkit.Eq(t, "CommunityID", got.CommunityID, want.CommunityID)
	porttestkit.Eq(t, "CommunityName", got.CommunityName, want.CommunityName)
	porttestkit.Eq(t, "GranteeID", got.GranteeID, want.GranteeID)
	porttestkit.Eq(t, "RequestID", got.RequestID, want.RequestID)
	porttestkit.Eq(t, "Purpose", got.Purpose, want.Purpose)
	porttestkit.Eq(t, "Organization", got.Organization, want.Organization)
	porttestkit.Eq(t, "TermsVersion", got.TermsVersion, want.TermsVersion)
	porttestkit.Eq(t, "GrantedBy", got.GrantedBy, want.GrantedBy)
	porttestkit.SameTime(t, "GrantedAt", got.GrantedAt, want.GrantedAt)
	porttestkit.SameTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	porttestkit.SameTimePtr(t, "RevokedAt", got.RevokedAt, want.RevokedAt)
	porttestkit.Eq(t, "RevokedBy", got.RevokedBy, want.RevokedBy)
	porttestkit.Eq(t, "RevokeReason", got.RevokeReason, want.RevokeReason)
	porttestkit.Eq(t, "Version", got.Revision, want.Revision)
}

func grantIDs(gs []*governance.Grant) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.ID
	}
	return out
}

// TestGrantRepository runs the GrantRepository contract; newRepo must return an empty repository.
func TestGrantRepository(t *testing.T, newRepo func(t *testing.T) governanceport.GrantRepository, opts ...Option) {
	ds, grantee, decider, community := id(0), id(1), id(2), id(3)
	// newGrant is granted at moment i for days days.
	newGrant := func(i int, datasetID, granteeID string, days int) *governance.Grant {
		return &governance.Grant{
			ID: id(i), DatasetID: datasetID, DatasetTitle: label("Noise %d é✓", i), CommunityID: community,
			CommunityName: "Riverside", GranteeID: granteeID, RequestID: id(1000 + i),
			Purpose: label("Purpose %d:\nnoise near schools", i), Organization: label("Org %d", i), TermsVersion: i % 3,
			GrantedBy: decider, GrantedAt: at(i), ExpiresAt: at(i).Add(time.Duration(days) * day),
		}
	}
	create := func(t *testing.T, repo governanceport.GrantRepository, g *governance.Grant) {
		t.Helper()
		porttestkit.MustNil(t, repo.Create(t.Context(), g), "Create "+g.ID)
	}
	revoke := func(t *testing.T, repo governanceport.GrantRepository, g *governance.Grant, when time.Time) {
		t.Helper()
		_, err := repo.Update(t.Context(), g.ID, func(g *governance.Grant) error { return g.Revoke(decider, "done", when) })
		porttestkit.MustNil(t, err, "Revoke "+g.ID)
	}

	suite{
		{"create_then_get_round_trips_every_field", func(t *testing.T) {
			repo := newRepo(t)
			g := newGrant(3, ds, grantee, 30)
			create(t, repo, g)
			porttestkit.Eq(t, "Version after Create", g.Revision, int64(1))
			got, err := repo.Get(t.Context(), g.ID)
			porttestkit.MustNil(t, err, "Get")
			sameGrant(t, got, g)

			bare := newGrant(4, id(40), grantee, 1)
			bare.Organization, bare.TermsVersion = "", 0
			create(t, repo, bare)
			got, err = repo.Get(t.Context(), bare.ID)
			porttestkit.MustNil(t, err, "Get")
			sameGrant(t, got, bare)
		}},
		{"unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
			repo := newRepo(t)
			create(t, repo, newGrant(3, ds, grantee, 30))
			for _, x := range append([]string{id(9)}, malformedIDs...) {
				_, err := repo.Get(t.Context(), x)
				porttestkit.WantErr(t, err, governance.ErrGrantNotFound, "Get "+x)
				_, err = repo.Update(t.Context(), x, func(*governance.Grant) error { return nil })
				porttestkit.WantErr(t, err, governance.ErrGrantNotFound, "Update "+x)
			}
		}},
		{"one_grant_per_request", func(t *testing.T) {
			repo := newRepo(t)
			g := newGrant(3, ds, grantee, 30)
			create(t, repo, g)
			second := newGrant(4, ds, grantee, 10)
			second.RequestID = g.RequestID
			porttestkit.WantErr(t, repo.Create(t.Context(), second), governance.ErrGrantExists, "a second grant of the request")
			_, err := repo.Get(t.Context(), second.ID)
			porttestkit.WantErr(t, err, governance.ErrGrantNotFound, "the refused grant")
			sameID := newGrant(5, ds, grantee, 10)
			sameID.ID = g.ID
			porttestkit.WantKind(t, repo.Create(t.Context(), sameID), kernelConflict, "Create with a taken id")
			create(t, repo, newGrant(6, ds, grantee, 10)) // another request of the same grantee
		}},
		{"concurrent_creates_for_one_request_make_one_grant", func(t *testing.T) {
			repo := newRepo(t)
			request := id(50)
			errs := porttestkit.Concurrently(10, func(i int) error {
				g := newGrant(10+i, ds, grantee, 30)
				g.RequestID = request
				return repo.Create(t.Context(), g)
			})
			porttestkit.OneSucceeded(t, errs, governance.ErrGrantExists)
			_, total, err := repo.List(t.Context(), governanceport.GrantFilter{DatasetID: ds}, 0, -1)
			porttestkit.MustNil(t, err, "List")
			porttestkit.Eq(t, "grants", total, int64(1))
		}},
		{"updates_store_a_revocation_and_count_versions", func(t *testing.T) {
			repo := newRepo(t)
			g := newGrant(3, ds, grantee, 30)
			create(t, repo, g)
			got, err := repo.Update(t.Context(), g.ID, func(g *governance.Grant) error {
				return g.Revoke(grantee, "Consent withdrawn,\nthanks", at(10))
			})
			porttestkit.MustNil(t, err, "Revoke")
			want := g.Clone()
			porttestkit.MustNil(t, want.Revoke(grantee, "Consent withdrawn,\nthanks", at(10)), "Revoke the copy")
			want.Revision = 2
			sameGrant(t, got, want)
			stored, err := repo.Get(t.Context(), g.ID)
			porttestkit.MustNil(t, err, "Get")
			sameGrant(t, stored, want)
		}},
		{"concurrent_revocations_apply_once", func(t *testing.T) {
			for round := range 3 {
				repo := newRepo(t)
				g := newGrant(3, ds, grantee, 30)
				create(t, repo, g)
				revokers := []string{id(20), id(21), id(22), id(23)}
				errs := porttestkit.Concurrently(len(revokers), func(i int) error {
					_, err := repo.Update(t.Context(), g.ID, func(g *governance.Grant) error {
						return g.Revoke(revokers[i], label("reason %d", i), at(20+i))
					})
					return err
				})
				winner := porttestkit.OneSucceeded(t, errs, governance.ErrGrantNotActive)
				got, err := repo.Get(t.Context(), g.ID)
				porttestkit.MustNil(t, err, "Get")
				porttestkit.Eq(t, label("round %d: RevokedBy", round), got.RevokedBy, revokers[winner])
				porttestkit.Eq(t, label("round %d: RevokeReason", round), got.RevokeReason, label("reason %d", winner))
				porttestkit.Eq(t, label("round %d: Version", round), got.Revision, int64(2))
			}
		}},
		{"concurrent_updates_lose_no_write", func(t *testing.T) {
			repo := newRepo(t)
			g := newGrant(3, ds, grantee, 30)
			g.Organization = ""
			create(t, repo, g)
			const writers = 5
			errs := porttestkit.Concurrently(writers, func(i int) error {
				_, err := repo.Update(t.Context(), g.ID, func(g *governance.Grant) error {
					g.Organization += string(rune('a' + i))
					return nil
				})
				return err
			})
			for i, err := range errs {
				porttestkit.MustNil(t, err, label("writer %d", i))
			}
			got, err := repo.Get(t.Context(), g.ID)
			porttestkit.MustNil(t, err, "Get")
			porttestkit.Eq(t, "Version", got.Revision, int64(1+writers))
			for i := range writers {
				if !strings.ContainsRune(got.Organization, rune('a'+i)) {
					t.Errorf("Organization %q lost writer %d's letter", got.Organization, i)
				}
			}
		}},
		{"an_update_fn_error_aborts", func(t *testing.T) {
			repo := newRepo(t)
			g := newGrant(3, ds, grantee, 30)
			create(t, repo, g)
			_, err := repo.Update(t.Context(), g.ID, func(g *governance.Grant) error {
				_ = g.Revoke(decider, "x", at(4))
				return errAbort
			})
			if !errors.Is(err, errAbort) {
				t.Errorf("Update: got %v, want the fn's error", err)
			}
			got, err := repo.Get(t.Context(), g.ID)
			porttestkit.MustNil(t, err, "Get")
			sameGrant(t, got, g)
		}},
		{"an_update_keeps_the_identity", func(t *testing.T) {
			repo := newRepo(t)
			g := newGrant(3, ds, grantee, 30)
			create(t, repo, g)
			got, err := repo.Update(t.Context(), g.ID, func(x *governance.Grant) error {
				x.ID, x.DatasetID, x.GranteeID, x.RequestID = id(50), id(51), id(52), id(53)
				return nil
			})
			porttestkit.MustNil(t, err, "Update")
			porttestkit.Eq(t, "ID", got.ID, g.ID)
			porttestkit.Eq(t, "DatasetID", got.DatasetID, ds)
			porttestkit.Eq(t, "GranteeID", got.GranteeID, grantee)
			porttestkit.Eq(t, "RequestID", got.RequestID, g.RequestID)
			found, err := repo.FindActive(t.Context(), ds, grantee, at(4))
			porttestkit.MustNil(t, err, "FindActive")
			porttestkit.Eq(t, "found", found.ID, g.ID)
		}},
		{"list_filters_by_status_at_now_newest_first_and_pages", func(t *testing.T) {
			repo := newRepo(t)
			other, otherCommunity, someoneElse := id(60), id(61), id(62)
			// At now = at(100): a0 expired (ends at(100)), a1 active, a2 revoked, a3 active (another dataset).
			now := at(100)
			a0 := newGrant(10, ds, grantee, 0)
			a0.ExpiresAt = now
			a1 := newGrant(11, ds, grantee, 30)
			a2 := newGrant(12, ds, someoneElse, 30)
			a3 := newGrant(13, other, grantee, 30)
			a3.CommunityID = otherCommunity
			// Granted at the same moment as a3: the greater id first.
			tie := newGrant(14, ds, someoneElse, 30)
			tie.GrantedAt = a3.GrantedAt
			for _, g := range []*governance.Grant{a0, a1, a2, a3, tie} {
				create(t, repo, g)
			}
			revoke(t, repo, a2, at(50))
			rev := func(xs ...*governance.Grant) []*governance.Grant { return xs }
			cases := []struct {
				name string
				f    governanceport.GrantFilter
				want []*governance.Grant
			}{
				{"everything", governanceport.GrantFilter{}, rev(tie, a3, a2, a1, a0)},
				{"dataset", governanceport.GrantFilter{DatasetID: ds}, rev(tie, a2, a1, a0)},
				{"grantee", governanceport.GrantFilter{GranteeID: grantee}, rev(a3, a1, a0)},
				{"community", governanceport.GrantFilter{CommunityID: otherCommunity}, rev(a3)},
				{"active", governanceport.GrantFilter{Status: governance.GrantActive, Now: now}, rev(tie, a3, a1)},
				{"expired", governanceport.GrantFilter{Status: governance.GrantExpired, Now: now}, rev(a0)},
				{"expired_a_millisecond_earlier", governanceport.GrantFilter{Status: governance.GrantExpired, Now: now.Add(-time.Millisecond)}, nil},
				{"revoked", governanceport.GrantFilter{Status: governance.GrantRevoked, Now: now}, rev(a2)},
				{"revoked_stays_revoked_after_its_end", governanceport.GrantFilter{Status: governance.GrantRevoked, Now: now.Add(365 * day)}, rev(a2)},
				{"all_expired_a_year_later", governanceport.GrantFilter{Status: governance.GrantExpired, Now: now.Add(365 * day)}, rev(tie, a3, a1, a0)},
				{"grantee_active_in_the_dataset", governanceport.GrantFilter{DatasetID: ds, GranteeID: grantee, Status: governance.GrantActive, Now: now}, rev(a1)},
				{"nothing", governanceport.GrantFilter{DatasetID: id(99)}, nil},
			}
			for _, c := range cases {
				got, total, err := repo.List(t.Context(), c.f, 0, -1)
				porttestkit.MustNil(t, err, "List "+c.name)
				porttestkit.Eq(t, c.name+" total", total, int64(len(c.want)))
				porttestkit.SameStrings(t, c.name, grantIDs(got), grantIDs(c.want))
			}
			got, _, err := repo.List(t.Context(), governanceport.GrantFilter{Status: governance.GrantRevoked, Now: now}, 0, -1)
			porttestkit.MustNil(t, err, "List revoked")
			stored, err := repo.Get(t.Context(), a2.ID)
			porttestkit.MustNil(t, err, "Get")
			sameGrant(t, got[0], stored)

			page, total, err := repo.List(t.Context(), governanceport.GrantFilter{}, 1, 2)
			porttestkit.MustNil(t, err, "List page")
			porttestkit.Eq(t, "page total", total, int64(5))
			porttestkit.SameStrings(t, "page", grantIDs(page), grantIDs(rev(a3, a2)))
			none, total, err := repo.List(t.Context(), governanceport.GrantFilter{}, 0, 0)
			porttestkit.MustNil(t, err, "List with limit 0")
			porttestkit.Eq(t, "limit 0 total", total, int64(5))
			porttestkit.Eq(t, "limit 0 page", len(none), 0)
		}},
		{"find_active_sees_the_end_and_revocations_at_once", func(t *testing.T) {
			repo := newRepo(t)
			_, err := repo.FindActive(t.Context(), ds, grantee, at(5))
			porttestkit.WantErr(t, err, governance.ErrGrantNotFound, "FindActive without grants")
			g := newGrant(3, ds, grantee, 10)
			create(t, repo, g)
			create(t, repo, newGrant(4, id(70), id(71), 400)) // someone else's, elsewhere
			found, err := repo.FindActive(t.Context(), ds, grantee, at(5))
			porttestkit.MustNil(t, err, "FindActive")
			sameGrant(t, found, g)
			found, err = repo.FindActive(t.Context(), ds, grantee, g.ExpiresAt.Add(-time.Millisecond))
			porttestkit.MustNil(t, err, "FindActive a millisecond before the end")
			porttestkit.Eq(t, "found", found.ID, g.ID)
			for _, probe := range []struct {
				name             string
				dataset, grantee string
				now              time.Time
			}{
				{"at_the_end", ds, grantee, g.ExpiresAt},
				{"a_second_after_the_end", ds, grantee, g.ExpiresAt.Add(time.Second)},
				{"another_dataset", id(72), grantee, at(5)},
				{"another_grantee", ds, id(73), at(5)},
			} {
				_, err := repo.FindActive(t.Context(), probe.dataset, probe.grantee, probe.now)
				porttestkit.WantErr(t, err, governance.ErrGrantNotFound, "FindActive "+probe.name)
			}
			revoke(t, repo, g, at(6))
			_, err = repo.FindActive(t.Context(), ds, grantee, at(7))
			porttestkit.WantErr(t, err, governance.ErrGrantNotFound, "FindActive after the revocation")
		}},
		{"find_active_returns_the_grant_that_ends_last", func(t *testing.T) {
			repo := newRepo(t)
			short, long, revoked := newGrant(3, ds, grantee, 5), newGrant(4, ds, grantee, 50), newGrant(5, ds, grantee, 100)
			for _, g := range []*governance.Grant{short, long, revoked} {
				create(t, repo, g)
			}
			revoke(t, repo, revoked, at(6))
			found, err := repo.FindActive(t.Context(), ds, grantee, at(7))
			porttestkit.MustNil(t, err, "FindActive")
			porttestkit.Eq(t, "the grant that ends last", found.ID, long.ID)
		}},
		{"ending_lists_unrevoked_grants_in_a_window_soonest_first", func(t *testing.T) {
			repo := newRepo(t)
			now := at(0)
			in2, in5, in6, in9, in8Revoked := newGrant(10, ds, grantee, 0), newGrant(11, ds, id(80), 0), newGrant(12, id(81), grantee, 0),
				newGrant(13, ds, grantee, 0), newGrant(14, ds, grantee, 0)
			in2.ExpiresAt, in5.ExpiresAt, in6.ExpiresAt = now.Add(2*day), now.Add(5*day), now.Add(6*day)
			in9.ExpiresAt, in8Revoked.ExpiresAt = now.Add(9*day), now.Add(8*day)
			// Ending at the same moment as in5: the smaller id first.
			tie := newGrant(15, ds, id(82), 0)
			tie.ExpiresAt = in5.ExpiresAt
			for _, g := range []*governance.Grant{in2, in5, in6, in9, in8Revoked, tie} {
				create(t, repo, g)
			}
			revoke(t, repo, in8Revoked, now.Add(time.Hour))
			cases := []struct {
				name     string
				from, to time.Time
				limit    int
				want     []*governance.Grant
			}{
				{"the_next_week", now, now.Add(7 * day), 100, []*governance.Grant{in2, in5, tie, in6}},
				{"from_is_inclusive_to_exclusive", now.Add(5 * day), now.Add(6 * day), 100, []*governance.Grant{in5, tie}},
				{"limit", now, now.Add(30 * day), 2, []*governance.Grant{in2, in5}},
				{"no_limit", now, now.Add(30 * day), -1, []*governance.Grant{in2, in5, tie, in6, in9}},
				{"revoked_are_left_out", now.Add(8 * day), now.Add(9 * day), 100, nil},
				{"empty_window", now.Add(20 * day), now.Add(30 * day), 100, nil},
			}
			for _, c := range cases {
				got, err := repo.Ending(t.Context(), c.from, c.to, c.limit)
				porttestkit.MustNil(t, err, "Ending "+c.name)
				porttestkit.SameStrings(t, c.name, grantIDs(got), grantIDs(c.want))
			}
			got, err := repo.Ending(t.Context(), now, now.Add(3*day), 10)
			porttestkit.MustNil(t, err, "Ending")
			if len(got) == 1 {
				sameGrant(t, got[0], in2)
			}
		}},
	}.run(t, collect(opts))
}
