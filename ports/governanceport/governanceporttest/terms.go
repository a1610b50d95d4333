package governanceporttest

import (
	"testing"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

func sameTerms(t *testing.T, got, want *governance.Terms) {
	t.Helper()
	if got == nil {
		t.Fatal("got nil terms")
	}
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "CommunityID", got.CommunityID, want.CommunityID)
	porttestkit.Eq(t, "Version", got.Version, want.Version)
	porttestkit.Eq(t, "Title", got.Title, want.Title)
	porttestkit.Eq(t, "Body", got.Body, want.Body)
	porttestkit.Eq(t, "PublishedBy", got.PublishedBy, want.PublishedBy)
	porttestkit.SameTime(t, "PublishedAt", got.PublishedAt, want.PublishedAt)
}

func termsIDs(ts []*governance.Terms) []string {
	out := make([]string, len(ts))
	for i, x := range ts {
		out[i] = x.ID
	}
	return out
}

// TestTermsRepository runs the TermsRepository contract; newRepo must return an empty repository.
func TestTermsRepository(t *testing.T, newRepo func(t *testing.T) governanceport.TermsRepository, opts ...Option) {
	community, other, admin := id(0), id(1), id(2)
	newTerms := func(i int, communityID string, version int) *governance.Terms {
		return &governance.Terms{ID: id(i), CommunityID: communityID, Version: version, Title: label("Terms v%d", version),
			Body: label("# Data use\n\nVersion %d: é✓ *markdown*\n", version), PublishedAt: at(i), PublishedBy: admin}
	}

	suite{
		{"create_then_get_round_trips", func(t *testing.T) {
			repo := newRepo(t)
			x := newTerms(3, community, 1)
			porttestkit.MustNil(t, repo.Create(t.Context(), x), "Create")
			got, err := repo.Get(t.Context(), x.ID)
			porttestkit.MustNil(t, err, "Get")
			sameTerms(t, got, x)
		}},
		{"unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
			repo := newRepo(t)
			porttestkit.MustNil(t, repo.Create(t.Context(), newTerms(3, community, 1)), "Create")
			for _, x := range append([]string{id(9)}, malformedIDs...) {
				_, err := repo.Get(t.Context(), x)
				porttestkit.WantErr(t, err, governance.ErrTermsNotFound, "Get "+x)
			}
		}},
		{"a_version_is_published_once_per_community", func(t *testing.T) {
			repo := newRepo(t)
			porttestkit.MustNil(t, repo.Create(t.Context(), newTerms(3, community, 1)), "Create v1")
			porttestkit.WantErr(t, repo.Create(t.Context(), newTerms(4, community, 1)), governance.ErrTermsVersionTaken, "a second v1")
			porttestkit.MustNil(t, repo.Create(t.Context(), newTerms(5, other, 1)), "v1 of another community")
			porttestkit.MustNil(t, repo.Create(t.Context(), newTerms(6, community, 2)), "v2")
			_, total, err := repo.List(t.Context(), community, 0, -1)
			porttestkit.MustNil(t, err, "List")
			porttestkit.Eq(t, "total", total, int64(2))
		}},
		{"a_taken_id_is_a_conflict", func(t *testing.T) {
			repo := newRepo(t)
			x := newTerms(3, community, 1)
			porttestkit.MustNil(t, repo.Create(t.Context(), x), "Create")
			again := newTerms(4, other, 1)
			again.ID = x.ID
			porttestkit.WantKind(t, repo.Create(t.Context(), again), kernelConflict, "Create with a taken id")
		}},
		{"concurrent_publications_of_one_version_store_one", func(t *testing.T) {
			repo := newRepo(t)
			errs := porttestkit.Concurrently(8, func(i int) error { return repo.Create(t.Context(), newTerms(10+i, community, 1)) })
			porttestkit.OneSucceeded(t, errs, governance.ErrTermsVersionTaken)
			_, total, err := repo.List(t.Context(), community, 0, -1)
			porttestkit.MustNil(t, err, "List")
			porttestkit.Eq(t, "total", total, int64(1))
		}},
		{"current_is_the_highest_version", func(t *testing.T) {
			repo := newRepo(t)
			_, err := repo.Current(t.Context(), community)
			porttestkit.WantErr(t, err, governance.ErrTermsNotFound, "Current of a community without terms")
			v1, v3, v2 := newTerms(3, community, 1), newTerms(4, community, 3), newTerms(5, community, 2)
			for _, x := range []*governance.Terms{v1, v3, v2, newTerms(6, other, 7)} {
				porttestkit.MustNil(t, repo.Create(t.Context(), x), "Create")
			}
			got, err := repo.Current(t.Context(), community)
			porttestkit.MustNil(t, err, "Current")
			sameTerms(t, got, v3)
			got, err = repo.Current(t.Context(), other)
			porttestkit.MustNil(t, err, "Current of the other community")
			porttestkit.Eq(t, "other's current version", got.Version, 7)
			_, err = repo.Current(t.Context(), id(50))
			porttestkit.WantErr(t, err, governance.ErrTermsNotFound, "Current of an unknown community")
		}},
		{"list_is_the_newest_version_first_and_pages", func(t *testing.T) {
			repo := newRepo(t)
			var all []*governance.Terms
			for v := 1; v <= 5; v++ {
				x := newTerms(10+v, community, v)
				porttestkit.MustNil(t, repo.Create(t.Context(), x), "Create")
				all = append([]*governance.Terms{x}, all...)
			}
			porttestkit.MustNil(t, repo.Create(t.Context(), newTerms(30, other, 1)), "Create in another community")
			got, total, err := repo.List(t.Context(), community, 0, -1)
			porttestkit.MustNil(t, err, "List")
			porttestkit.Eq(t, "total", total, int64(5))
			porttestkit.SameStrings(t, "all, newest first", termsIDs(got), termsIDs(all))
			sameTerms(t, got[0], all[0])
			page, total, err := repo.List(t.Context(), community, 1, 2)
			porttestkit.MustNil(t, err, "List page")
			porttestkit.Eq(t, "page total", total, int64(5))
			porttestkit.SameStrings(t, "page", termsIDs(page), termsIDs(all[1:3]))
			empty, total, err := repo.List(t.Context(), id(60), 0, 10)
			porttestkit.MustNil(t, err, "List of an unknown community")
			porttestkit.Eq(t, "unknown community total", total, int64(0))
			porttestkit.Eq(t, "unknown community page", len(empty), 0)
		}},
	}.run(t, collect(opts))
}
