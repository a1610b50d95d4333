// Package datasetporttest holds the contract suite that every adapter of
// datasetport.DatasetRepository must pass: call TestDatasetRepository from the
// adapter's own tests with a constructor that returns a fresh, empty repository.
package datasetporttest

import (
	"errors"
	"fmt"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// base is the time fixtures start from, at the stored precision in UTC.
var base = kernel.Truncate(time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC))

// at returns base plus i seconds; kernel.NewID(at(i)) sorts in the order of i.
func at(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }

var errAbort = errors.New("datasetporttest: update function aborts")

// malformedIDs are identifiers no adapter can have stored.
var malformedIDs = []string{"nope", "zzzzzzzzzzzzzzzzzzzzzzzz", "", "FFFFFFFFFFFFFFFFFFFFFFFF"}

// Users and communities of the fixtures (opaque ids, as the port sees them).
const (
	alice = "a11ce0000000000000000001"
	bob   = "b0b000000000000000000002"
	c1    = "c10000000000000000000001"
	c2    = "c20000000000000000000002"
)

// file returns a distinct file for key.
func file(key string) dataset.File {
	return dataset.File{Filename: key + ".csv", ContentType: "text/csv; charset=utf-8", Size: int64(len(key)) * 1000,
		SHA256: fmt.Sprintf("%064x", len(key)) + key, BlobKey: "blob-" + key}
}

// newDataset returns a dataset created at t with one version.
func newDataset(t time.Time, owner, community string, vis dataset.Visibility, title string, tags ...string) *dataset.Dataset {
	d := dataset.Restore(dataset.Snapshot{ID: kernel.NewID(t), Title: title, CommunityID: community, OwnerID: owner,
		Visibility: vis, Tags: tags, CreatedAt: t})
	d.AddVersion(file(title), owner, t)
	return d
}

// rewrite changes d's state the way only a repository's Restore can: for the
// fields no use case changes (an id, an owner, a community).
func rewrite(d *dataset.Dataset, change func(*dataset.Snapshot)) {
	s := d.Snapshot()
	change(&s)
	*d = *dataset.Restore(s)
}

func ptr[T any](v T) *T { return &v }

// TestDatasetRepository runs the DatasetRepository contract; newRepo must return an empty repository.
func TestDatasetRepository(t *testing.T, newRepo func(t *testing.T) datasetport.DatasetRepository) {
	t.Run("create_then_get_round_trips_every_field_with_versions", func(t *testing.T) {
		repo := newRepo(t)
		d := newDataset(at(0), alice, c1, dataset.Community, "Traffic counts", "traffic", "2025")
		porttestkit.MustNil(t, d.ChangeMetadata(dataset.MetadataChange{Description: ptr("Hourly counts – été 2025"),
			License: ptr("CC-BY-4.0")}, at(0)), "ChangeMetadata")
		d.AddVersion(file("second"), bob, at(60))
		d.AddVersion(file("third"), alice, at(120))
		porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create")

		got, err := repo.Get(t.Context(), d.ID())
		porttestkit.MustNil(t, err, "Get")
		sameDataset(t, got, d)
	})

	t.Run("create_without_community_tags_or_optional_text", func(t *testing.T) {
		repo := newRepo(t)
		d := newDataset(at(0), alice, "", dataset.Private, "Bare")
		porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create")
		got, err := repo.Get(t.Context(), d.ID())
		porttestkit.MustNil(t, err, "Get")
		sameDataset(t, got, d)
	})

	t.Run("get_returns_a_copy", func(t *testing.T) {
		repo := newRepo(t)
		d := newDataset(at(0), alice, "", dataset.Public, "Original", "a")
		porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create")
		porttestkit.MustNil(t, d.ChangeMetadata(dataset.MetadataChange{Title: ptr("changed after create")}, at(1)), "ChangeMetadata")
		got, err := repo.Get(t.Context(), d.ID())
		porttestkit.MustNil(t, err, "Get")
		porttestkit.Eq(t, "Title", got.Title(), "Original")
		got.Tags()[0] = "mutated"
		got.Versions()[0].Number = 99
		again, err := repo.Get(t.Context(), d.ID())
		porttestkit.MustNil(t, err, "Get again")
		porttestkit.SameStrings(t, "Tags", again.Tags(), []string{"a"})
		porttestkit.Eq(t, "Versions[0].Number", again.Versions()[0].Number, 1)
	})

	t.Run("unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newDataset(at(0), alice, "", dataset.Public, "Kept")), "Create")
		for _, id := range append([]string{kernel.NewID(at(1))}, malformedIDs...) {
			_, err := repo.Get(t.Context(), id)
			porttestkit.WantErr(t, err, dataset.ErrNotFound, fmt.Sprintf("Get(%q)", id))
			called := false
			_, err = repo.Update(t.Context(), id, func(*dataset.Dataset) error { called = true; return nil })
			porttestkit.WantErr(t, err, dataset.ErrNotFound, fmt.Sprintf("Update(%q)", id))
			if called {
				t.Errorf("Update(%q) called fn for an unknown dataset", id)
			}
			_, err = repo.Delete(t.Context(), id)
			porttestkit.WantErr(t, err, dataset.ErrNotFound, fmt.Sprintf("Delete(%q)", id))
		}
	})

	t.Run("list", func(t *testing.T) { testList(t, newRepo(t), newRepo) })

	t.Run("list_is_newest_first_within_one_second", func(t *testing.T) {
		repo := newRepo(t)
		var want []string
		for i := range 8 {
			created := base.Add(time.Duration(i) * 100 * time.Millisecond)
			d := newDataset(created, alice, "", dataset.Public, fmt.Sprintf("d%d", i))
			rewrite(d, func(s *dataset.Snapshot) { s.ID = kernel.NewID(base) }) // one second: the ids alone do not order them
			porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create")
			want = append([]string{d.ID()}, want...)
		}
		got, total, err := repo.List(t.Context(), datasetport.Filter{Scope: datasetport.Scope{All: true}}, 0, 100)
		porttestkit.MustNil(t, err, "List")
		porttestkit.Eq(t, "total", total, int64(8))
		porttestkit.SameStrings(t, "ids, newest first", ids(got), want)
	})

	t.Run("update_applies_fn_and_returns_what_is_stored", func(t *testing.T) {
		repo := newRepo(t)
		d := newDataset(at(0), alice, c1, dataset.Community, "Before", "old")
		porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create")
		before, err := repo.Get(t.Context(), d.ID())
		porttestkit.MustNil(t, err, "Get")

		change := dataset.MetadataChange{Title: ptr("After"), Description: ptr("described"), License: ptr("ODbL"),
			Visibility: ptr(dataset.Public), Tags: ptr([]string{"new", "tags"})}
		got, err := repo.Update(t.Context(), d.ID(), func(x *dataset.Dataset) error {
			if err := x.ChangeMetadata(change, at(30)); err != nil {
				return err
			}
			x.AddVersion(file("v2"), bob, at(30))
			return nil
		})
		porttestkit.MustNil(t, err, "Update")
		want := d.Clone()
		porttestkit.MustNil(t, want.ChangeMetadata(change, at(30)), "ChangeMetadata")
		want.AddVersion(file("v2"), bob, at(30))
		sameDataset(t, got, want)
		if got.Revision() <= before.Revision() {
			t.Errorf("Revision: %d after the update, %d before", got.Revision(), before.Revision())
		}
		stored, err := repo.Get(t.Context(), d.ID())
		porttestkit.MustNil(t, err, "Get")
		sameDataset(t, stored, want)
		porttestkit.Eq(t, "stored Revision", stored.Revision(), got.Revision())
	})

	t.Run("update_fn_error_aborts_without_change", func(t *testing.T) {
		repo := newRepo(t)
		d := newDataset(at(0), alice, "", dataset.Private, "Untouched", "keep")
		porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create")
		_, err := repo.Update(t.Context(), d.ID(), func(x *dataset.Dataset) error {
			if err := x.ChangeMetadata(dataset.MetadataChange{Title: ptr("Changed"), Tags: ptr(append(x.Tags(), "more"))}, at(5)); err != nil {
				return err
			}
			x.AddVersion(file("lost"), alice, at(5))
			return errAbort
		})
		if !errors.Is(err, errAbort) {
			t.Fatalf("Update: got %v, want the fn's error", err)
		}
		got, err := repo.Get(t.Context(), d.ID())
		porttestkit.MustNil(t, err, "Get")
		sameDataset(t, got, d)
	})

	t.Run("concurrent_add_version_loses_and_duplicates_nothing", func(t *testing.T) {
		repo := newRepo(t)
		d := newDataset(at(0), alice, "", dataset.Private, "Busy")
		porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create")
		const n = 10
		numbers := make([]int, n)
		errs := porttestkit.Concurrently(n, func(i int) error {
			_, err := repo.Update(t.Context(), d.ID(), func(x *dataset.Dataset) error {
				numbers[i] = x.AddVersion(file(fmt.Sprintf("upload-%d", i)), alice, at(i+1)).Number
				return nil
			})
			return err
		})
		for i, err := range errs {
			porttestkit.MustNil(t, err, fmt.Sprintf("Update %d", i))
		}
		got, err := repo.Get(t.Context(), d.ID())
		porttestkit.MustNil(t, err, "Get")
		porttestkit.Eq(t, "Version", got.Version(), n+1)
		porttestkit.Eq(t, "number of versions", len(got.Versions()), n+1)
		keys := map[string]int{}
		for i, v := range got.Versions() {
			porttestkit.Eq(t, fmt.Sprintf("Versions[%d].Number", i), v.Number, i+1)
			keys[v.File.BlobKey]++
		}
		for i := range n {
			key := file(fmt.Sprintf("upload-%d", i)).BlobKey
			if keys[key] != 1 {
				t.Errorf("upload %d is stored %d times, want once", i, keys[key])
			}
			if v, ok := got.VersionNumbered(numbers[i]); !ok || v.File.BlobKey != key {
				t.Errorf("upload %d was told version %d, which holds %q", i, numbers[i], v.File.BlobKey)
			}
		}
		last := got.Versions()[len(got.Versions())-1]
		porttestkit.Eq(t, "current file", got.File().BlobKey, last.File.BlobKey)
	})

	t.Run("delete_removes_only_that_dataset", func(t *testing.T) {
		repo := newRepo(t)
		d := newDataset(at(0), alice, c1, dataset.Community, "Doomed")
		other := newDataset(at(1), alice, c1, dataset.Community, "Kept")
		porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create")
		porttestkit.MustNil(t, repo.Create(t.Context(), other), "Create other")
		_, err := repo.Update(t.Context(), d.ID(), func(x *dataset.Dataset) error {
			x.AddVersion(file("doomed-v2"), alice, at(2))
			return nil
		})
		porttestkit.MustNil(t, err, "Update")
		d.AddVersion(file("doomed-v2"), alice, at(2))
		deleted, err := repo.Delete(t.Context(), d.ID())
		porttestkit.MustNil(t, err, "Delete")
		sameDataset(t, deleted, d) // with every version: the caller deletes their blobs

		_, err = repo.Get(t.Context(), d.ID())
		porttestkit.WantErr(t, err, dataset.ErrNotFound, "Get after Delete")
		_, err = repo.Delete(t.Context(), d.ID())
		porttestkit.WantErr(t, err, dataset.ErrNotFound, "second Delete")
		_, err = repo.Update(t.Context(), d.ID(), func(*dataset.Dataset) error { return nil })
		porttestkit.WantErr(t, err, dataset.ErrNotFound, "Update after Delete")
		all, total, err := repo.List(t.Context(), datasetport.Filter{Scope: datasetport.Scope{All: true}}, 0, 100)
		porttestkit.MustNil(t, err, "List")
		porttestkit.Eq(t, "total", total, int64(1))
		porttestkit.SameStrings(t, "ids", ids(all), []string{other.ID()})
		n, err := repo.CountInCommunity(t.Context(), c1)
		porttestkit.MustNil(t, err, "CountInCommunity")
		porttestkit.Eq(t, "count in c1", n, int64(1))
	})

	t.Run("totals_follow_changes_and_deletions", func(t *testing.T) {
		repo := newRepo(t)
		pub := newDataset(at(0), alice, c1, dataset.Public, "Public")
		com := newDataset(at(1), bob, c1, dataset.Community, "Members only")
		own := newDataset(at(2), bob, "", dataset.Private, "Bob's")
		for _, d := range []*dataset.Dataset{pub, com, own} {
			porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create "+d.Title())
		}
		totals := func(what string, want ...int64) {
			t.Helper()
			for i, f := range []datasetport.Filter{
				{Scope: datasetport.Scope{All: true}},
				{Scope: datasetport.Scope{ViewerID: alice}},
				{Scope: datasetport.Scope{ViewerID: alice, Communities: []string{c1}}},
				{Scope: datasetport.Scope{ViewerID: bob, Communities: []string{c2}}},
				{OwnerID: bob, Scope: datasetport.Scope{ViewerID: alice, Communities: []string{c1}}},
				{CommunityID: c1, Scope: datasetport.Scope{ViewerID: bob}},
			} {
				_, total, err := repo.List(t.Context(), f, 0, 100)
				porttestkit.MustNil(t, err, "List")
				porttestkit.Eq(t, fmt.Sprintf("%s: total of filter %d", what, i), total, want[i])
			}
		}
		totals("created", 3, 1, 2, 3, 1, 2)
		_, err := repo.Update(t.Context(), com.ID(), func(d *dataset.Dataset) error {
			return d.ChangeMetadata(dataset.MetadataChange{Visibility: ptr(dataset.Public)}, at(3))
		})
		porttestkit.MustNil(t, err, "Update visibility")
		totals("made public", 3, 2, 2, 3, 1, 2)
		_, err = repo.Update(t.Context(), own.ID(), func(d *dataset.Dataset) error {
			rewrite(d, func(s *dataset.Snapshot) { s.CommunityID, s.Visibility, s.OwnerID = c1, dataset.Community, alice })
			return nil
		})
		porttestkit.MustNil(t, err, "Update owner and community")
		totals("moved", 3, 3, 3, 2, 1, 2)
		_, err = repo.Delete(t.Context(), pub.ID())
		porttestkit.MustNil(t, err, "Delete")
		totals("deleted", 2, 2, 2, 1, 1, 1)
	})

	t.Run("count_in_community", func(t *testing.T) {
		repo := newRepo(t)
		for i, c := range []string{c1, c1, c2, "", c1} {
			vis := dataset.Community
			if c == "" {
				vis = dataset.Private
			}
			porttestkit.MustNil(t, repo.Create(t.Context(), newDataset(at(i), alice, c, vis, fmt.Sprintf("d%d", i))), "Create")
		}
		for c, want := range map[string]int64{c1: 3, c2: 1, kernel.NewID(at(9)): 0, "not-an-id": 0} {
			n, err := repo.CountInCommunity(t.Context(), c)
			porttestkit.MustNil(t, err, "CountInCommunity "+c)
			porttestkit.Eq(t, "count in "+c, n, want)
		}
	})
}

// testList runs the List cases on one fixture.
func testList(t *testing.T, repo datasetport.DatasetRepository, newRepo func(t *testing.T) datasetport.DatasetRepository) {
	// Created oldest first; every case expects newest first.
	fixtures := []*dataset.Dataset{
		newDataset(at(0), alice, "", dataset.Public, "Traffic counts", "traffic", "2025"),
		newDataset(at(1), bob, c1, dataset.Community, "Budget (2025)", "budget"),
		newDataset(at(2), bob, "", dataset.Private, "Secret TRAFFIC study"),
		newDataset(at(3), bob, c2, dataset.Community, "Parks", "green"),
		newDataset(at(4), alice, c1, dataset.Private, "Notes"),
		newDataset(at(5), bob, c2, dataset.Public, "Air quality", "air", "2025"),
		newDataset(at(6), bob, c1, dataset.Private, "Bob's drafts"),
	}
	for i, description := range map[int]string{1: "City traffic spending", 3: "Trees planted per street"} {
		change := dataset.MetadataChange{Description: ptr(description)}
		porttestkit.MustNil(t, fixtures[i].ChangeMetadata(change, fixtures[i].UpdatedAt()), "ChangeMetadata")
	}
	for _, d := range fixtures {
		porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create "+d.Title())
	}
	const (
		traffic = iota
		budget
		secret
		parks
		notes
		air
		drafts
	)
	all := datasetport.Scope{All: true}
	aliceInC1 := datasetport.Scope{ViewerID: alice, Communities: []string{c1}}
	aliceAlone := datasetport.Scope{ViewerID: alice}
	bobEverywhere := datasetport.Scope{ViewerID: bob, Communities: []string{c1, c2}}
	stranger := datasetport.Scope{ViewerID: "5e0000000000000000000009", Communities: []string{c2}}

	cases := []struct {
		name   string
		filter datasetport.Filter
		want   []int // fixture indexes, newest first
	}{
		{"scope_all_sees_everything", datasetport.Filter{Scope: all}, []int{drafts, air, notes, parks, secret, budget, traffic}},
		{"scope_public_own_and_member_communities", datasetport.Filter{Scope: aliceInC1}, []int{air, notes, budget, traffic}},
		{"scope_without_communities_is_public_and_own", datasetport.Filter{Scope: aliceAlone}, []int{air, notes, traffic}},
		{"scope_of_an_owner_in_every_community", datasetport.Filter{Scope: bobEverywhere}, []int{drafts, air, parks, secret, budget, traffic}},
		{"private_datasets_of_others_stay_hidden_from_members", datasetport.Filter{Scope: stranger}, []int{air, parks, traffic}},
		{"empty_scope_is_public_only", datasetport.Filter{}, []int{air, traffic}},
		{"q_matches_title_or_description_ignoring_case", datasetport.Filter{Query: "TrAfFiC", Scope: all}, []int{secret, budget, traffic}},
		{"q_within_the_scope", datasetport.Filter{Query: "traffic", Scope: aliceInC1}, []int{budget, traffic}},
		{"q_is_literal_text_not_a_pattern", datasetport.Filter{Query: "(2025", Scope: all}, []int{budget}},
		{"q_with_pattern_characters_matches_nothing_else", datasetport.Filter{Query: ".*", Scope: all}, nil},
		{"q_matching_nothing", datasetport.Filter{Query: "zebra", Scope: aliceInC1}, nil},
		{"community_id", datasetport.Filter{CommunityID: c1, Scope: all}, []int{drafts, notes, budget}},
		{"community_id_within_the_scope", datasetport.Filter{CommunityID: c1, Scope: aliceInC1}, []int{notes, budget}},
		{"community_id_of_a_community_not_joined", datasetport.Filter{CommunityID: c2, Scope: aliceInC1}, []int{air}},
		{"owner_id", datasetport.Filter{OwnerID: alice, Scope: all}, []int{notes, traffic}},
		{"owner_id_within_the_scope", datasetport.Filter{OwnerID: bob, Scope: aliceInC1}, []int{air, budget}},
		{"tag", datasetport.Filter{Tag: "2025", Scope: all}, []int{air, traffic}},
		{"tag_matches_whole_tags_only", datasetport.Filter{Tag: "202", Scope: all}, nil},
		{"visibility", datasetport.Filter{Visibility: dataset.Private, Scope: all}, []int{drafts, notes, secret}},
		{"visibility_within_the_scope", datasetport.Filter{Visibility: dataset.Private, Scope: aliceInC1}, []int{notes}},
		{"visibility_community_within_the_scope", datasetport.Filter{Visibility: dataset.Community, Scope: aliceInC1}, []int{budget}},
		{"filters_combine", datasetport.Filter{Query: "a", OwnerID: bob, Tag: "2025", Visibility: dataset.Public, CommunityID: c2, Scope: all}, []int{air}},
		{"filters_combine_with_q_and_scope", datasetport.Filter{Query: "s", Visibility: dataset.Community, Scope: bobEverywhere}, []int{parks, budget}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, total, err := repo.List(t.Context(), tc.filter, 0, 100)
			porttestkit.MustNil(t, err, "List")
			want := make([]string, 0, len(tc.want))
			for _, i := range tc.want {
				want = append(want, fixtures[i].ID())
			}
			porttestkit.SameStrings(t, "ids", ids(got), want)
			porttestkit.Eq(t, "total", total, int64(len(want)))
		})
	}

	t.Run("listed_datasets_carry_every_field", func(t *testing.T) {
		got, _, err := repo.List(t.Context(), datasetport.Filter{Scope: all}, 0, 100)
		porttestkit.MustNil(t, err, "List")
		for _, d := range got {
			for _, f := range fixtures {
				if f.ID() == d.ID() {
					sameDataset(t, d, f)
				}
			}
		}
	})

	t.Run("restricted_datasets_are_listed_in_every_scope", func(t *testing.T) {
		// A repository of its own: the fixture above stays as it is.
		repo := newRepo(t)
		public := newDataset(at(0), bob, c1, dataset.Public, "Open")
		restricted := newDataset(at(1), bob, c1, dataset.Restricted, "Health records", "health")
		community := newDataset(at(2), bob, c1, dataset.Community, "Members only")
		private := newDataset(at(3), bob, c1, dataset.Private, "Mine")
		for _, d := range []*dataset.Dataset{public, restricted, community, private} {
			porttestkit.MustNil(t, repo.Create(t.Context(), d), "Create "+d.Title())
		}
		for _, c := range []struct {
			name   string
			filter datasetport.Filter
			want   []*dataset.Dataset
		}{
			{"a_stranger", datasetport.Filter{Scope: datasetport.Scope{ViewerID: alice}}, []*dataset.Dataset{restricted, public}},
			{"a_member", datasetport.Filter{Scope: datasetport.Scope{ViewerID: alice, Communities: []string{c1}}}, []*dataset.Dataset{community, restricted, public}},
			{"the_owner", datasetport.Filter{Scope: datasetport.Scope{ViewerID: bob}}, []*dataset.Dataset{private, community, restricted, public}},
			{"by_visibility", datasetport.Filter{Visibility: dataset.Restricted, Scope: datasetport.Scope{ViewerID: alice}}, []*dataset.Dataset{restricted}},
			{"searched", datasetport.Filter{Query: "HEALTH", Scope: datasetport.Scope{ViewerID: alice}}, []*dataset.Dataset{restricted}},
			{"by_tag", datasetport.Filter{Tag: "health", Scope: datasetport.Scope{ViewerID: alice}}, []*dataset.Dataset{restricted}},
		} {
			got, total, err := repo.List(t.Context(), c.filter, 0, 100)
			porttestkit.MustNil(t, err, "List "+c.name)
			porttestkit.SameStrings(t, c.name, ids(got), ids(c.want))
			porttestkit.Eq(t, c.name+" total", total, int64(len(c.want)))
		}
	})

	t.Run("skip_and_limit_page_the_result_and_total_counts_all", func(t *testing.T) {
		order := []int{drafts, air, notes, parks, secret, budget, traffic}
		for _, pg := range []struct{ skip, limit int }{{0, 3}, {3, 3}, {6, 3}, {2, 1}, {7, 3}, {100, 10}, {0, 7}} {
			got, total, err := repo.List(t.Context(), datasetport.Filter{Scope: all}, pg.skip, pg.limit)
			porttestkit.MustNil(t, err, "List")
			var want []string
			for _, i := range order[min(pg.skip, len(order)):min(pg.skip+pg.limit, len(order))] {
				want = append(want, fixtures[i].ID())
			}
			porttestkit.SameStrings(t, fmt.Sprintf("skip %d limit %d", pg.skip, pg.limit), ids(got), want)
			porttestkit.Eq(t, fmt.Sprintf("total at skip %d limit %d", pg.skip, pg.limit), total, int64(len(order)))
		}
		got, total, err := repo.List(t.Context(), datasetport.Filter{Scope: aliceInC1}, 1, 2)
		porttestkit.MustNil(t, err, "List in scope")
		porttestkit.SameStrings(t, "scoped page", ids(got), []string{fixtures[notes].ID(), fixtures[budget].ID()})
		porttestkit.Eq(t, "scoped total", total, int64(4))
	})
}

// sameDataset compares every field of two datasets (Revision aside: it is the adapter's).
func sameDataset(t *testing.T, got, want *dataset.Dataset) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil dataset")
	}
	porttestkit.Eq(t, "ID", got.ID(), want.ID())
	porttestkit.Eq(t, "Title", got.Title(), want.Title())
	porttestkit.Eq(t, "Description", got.Description(), want.Description())
	porttestkit.Eq(t, "CommunityID", got.CommunityID(), want.CommunityID())
	porttestkit.Eq(t, "OwnerID", got.OwnerID(), want.OwnerID())
	porttestkit.Eq(t, "Visibility", got.Visibility(), want.Visibility())
	porttestkit.SameStrings(t, "Tags", got.Tags(), want.Tags())
	porttestkit.Eq(t, "License", got.License(), want.License())
	porttestkit.Eq(t, "File", got.File(), want.File())
	porttestkit.Eq(t, "Version", got.Version(), want.Version())
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt(), want.CreatedAt())
	porttestkit.SameTime(t, "UpdatedAt", got.UpdatedAt(), want.UpdatedAt())
	if len(got.Versions()) != len(want.Versions()) {
		t.Errorf("Versions: got %d, want %d", len(got.Versions()), len(want.Versions()))
		return
	}
	for i, v := range got.Versions() {
		w := want.Versions()[i]
		porttestkit.Eq(t, fmt.Sprintf("Versions[%d].DatasetID", i), v.DatasetID, want.ID())
		porttestkit.Eq(t, fmt.Sprintf("Versions[%d].Number", i), v.Number, w.Number)
		porttestkit.Eq(t, fmt.Sprintf("Versions[%d].File", i), v.File, w.File)
		porttestkit.Eq(t, fmt.Sprintf("Versions[%d].CreatedBy", i), v.CreatedBy, w.CreatedBy)
		porttestkit.SameTime(t, fmt.Sprintf("Versions[%d].CreatedAt", i), v.CreatedAt, w.CreatedAt)
	}
}

func ids(ds []*dataset.Dataset) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID()
	}
	return out
}
