package communityporttest

import (
	"errors"
	"fmt"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// newCommunity returns a community created at t by a fresh user.
func newCommunity(t time.Time, name string) *community.Community {
	c, err := community.New(kernel.NewID(t), name, "A place to share data", kernel.NewID(t), t)
	if err != nil {
		panic(err)
	}
	return c
}

// sameCommunity compares every field of two communities.
func sameCommunity(t *testing.T, got, want *community.Community) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil community")
	}
	porttestkit.Eq(t, "ID", got.ID(), want.ID())
	porttestkit.Eq(t, "Name", got.Name(), want.Name())
	porttestkit.Eq(t, "Description", got.Description(), want.Description())
	porttestkit.Eq(t, "CreatedBy", got.CreatedBy(), want.CreatedBy())
	porttestkit.Eq(t, "LogoKey", got.LogoKey(), want.LogoKey())
	porttestkit.Eq(t, "LogoContentType", got.LogoContentType(), want.LogoContentType())
	porttestkit.Eq(t, "LogoETag", got.LogoETag(), want.LogoETag())
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt(), want.CreatedAt())
	porttestkit.SameTime(t, "UpdatedAt", got.UpdatedAt(), want.UpdatedAt())
	porttestkit.SameStrings(t, "AdminIDs", got.AdminIDs(), want.AdminIDs())
	porttestkit.Eq(t, "Version", got.Revision(), want.Revision())
}

func communityIDs(cs []*community.Community) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID()
	}
	return out
}

// TestCommunityRepository runs the CommunityRepository contract; newRepo must return an empty repository.
func TestCommunityRepository(t *testing.T, newRepo func(t *testing.T) communityport.CommunityRepository) {
	t.Run("create_then_get_round_trips_every_field", func(t *testing.T) {
		cases := map[string]func(c *community.Community){
			"plain": func(*community.Community) {},
			"with_logo_and_admins": func(c *community.Community) {
				c.SetLogo("blob-key-1", community.LogoWebP, strings.Repeat("ab", 32), at(1))
				c.AddAdmin(kernel.NewID(at(2)), at(2))
				c.AddAdmin(kernel.NewID(at(3)), at(3))
			},
			"no_description": func(c *community.Community) { c.Describe("", at(0)) },
		}
		for name, edit := range cases {
			t.Run(name, func(t *testing.T) {
				repo := newRepo(t)
				c := newCommunity(at(0), "Riverside Gardens")
				edit(c)
				porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
				if c.Revision() < 1 {
					t.Errorf("Create left Version %d, want at least 1", c.Revision())
				}
				got, err := repo.Get(t.Context(), c.ID())
				porttestkit.MustNil(t, err, "Get")
				sameCommunity(t, got, c)
			})
		}
	})

	t.Run("stored_community_does_not_alias_the_callers", func(t *testing.T) {
		repo := newRepo(t)
		c := newCommunity(at(0), "Riverside")
		porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
		want := c.Clone()
		c.AdminIDs()[0] = "changed"
		c.Describe("changed", at(1))
		c.AddAdmin(kernel.NewID(at(1)), at(1))
		got, err := repo.Get(t.Context(), c.ID())
		porttestkit.MustNil(t, err, "Get")
		sameCommunity(t, got, want)
		got.AdminIDs()[0] = "changed"
		got.Describe("changed", at(2))
		got.AddAdmin(kernel.NewID(at(2)), at(2))
		again, err := repo.Get(t.Context(), c.ID())
		porttestkit.MustNil(t, err, "Get again")
		sameCommunity(t, again, want)
	})

	t.Run("unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newCommunity(at(0), "Riverside")), "Create")
		for _, id := range append([]string{kernel.NewID(at(1))}, malformedIDs...) {
			_, err := repo.Get(t.Context(), id)
			porttestkit.WantErr(t, err, community.ErrCommunityNotFound, "Get "+id)
			_, err = repo.Update(t.Context(), id, func(*community.Community) error { return nil })
			porttestkit.WantErr(t, err, community.ErrCommunityNotFound, "Update "+id)
			_, err = repo.Delete(t.Context(), id)
			porttestkit.WantErr(t, err, community.ErrCommunityNotFound, "Delete "+id)
		}
	})

	t.Run("names_are_unique_case_insensitively", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newCommunity(at(0), "Riverside Gardens")), "Create")
		for i, name := range []string{"Riverside Gardens", "riverside gardens", "RIVERSIDE GARDENS", "  Riverside Gardens "} {
			err := repo.Create(t.Context(), newCommunity(at(i+1), name))
			porttestkit.WantErr(t, err, community.ErrNameTaken, "Create "+name)
		}
		porttestkit.MustNil(t, repo.Create(t.Context(), newCommunity(at(9), "Riverside Garden")), "Create a different name")
	})

	t.Run("concurrent_creates_of_one_name_make_one_community", func(t *testing.T) {
		repo := newRepo(t)
		errs := porttestkit.Concurrently(8, func(i int) error {
			return repo.Create(t.Context(), newCommunity(at(i), []string{"Hillside", "hillside", "HILLSIDE", "HillSide"}[i%4]))
		})
		porttestkit.OneSucceeded(t, errs, community.ErrNameTaken)
		_, total, err := repo.List(t.Context(), communityport.ListFilter{}, 0, -1)
		porttestkit.MustNil(t, err, "List")
		porttestkit.Eq(t, "total", total, int64(1))
	})

	t.Run("rename_into_a_taken_name_is_a_conflict_and_changes_nothing", func(t *testing.T) {
		repo := newRepo(t)
		a, b := newCommunity(at(0), "Alpha"), newCommunity(at(1), "Beta")
		porttestkit.MustNil(t, repo.Create(t.Context(), a), "Create a")
		porttestkit.MustNil(t, repo.Create(t.Context(), b), "Create b")
		_, err := repo.Update(t.Context(), b.ID(), func(c *community.Community) error { return c.Rename("ALPHA", at(2)) })
		porttestkit.WantErr(t, err, community.ErrNameTaken, "rename into a taken name")
		got, err := repo.Get(t.Context(), b.ID())
		porttestkit.MustNil(t, err, "Get")
		sameCommunity(t, got, b)

		// A change of case of its own name is fine, and renaming frees the old name.
		renamed, err := repo.Update(t.Context(), b.ID(), func(c *community.Community) error { return c.Rename("BETA", at(3)) })
		porttestkit.MustNil(t, err, "rename to its own name in capitals")
		porttestkit.Eq(t, "Name", renamed.Name(), "BETA")
		_, err = repo.Update(t.Context(), b.ID(), func(c *community.Community) error { return c.Rename("Gamma", at(4)) })
		porttestkit.MustNil(t, err, "rename to a free name")
		porttestkit.MustNil(t, repo.Create(t.Context(), newCommunity(at(5), "beta")), "the old name is free again")
	})

	t.Run("update_stores_fn_result_and_increments_the_version", func(t *testing.T) {
		repo := newRepo(t)
		c := newCommunity(at(0), "Riverside")
		porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
		admin := kernel.NewID(at(1))
		got, err := repo.Update(t.Context(), c.ID(), func(c *community.Community) error {
			c.Describe("New words", at(1))
			c.AddAdmin(admin, at(1))
			c.SetLogo("k", community.LogoPNG, "etag", at(1))
			return nil
		})
		porttestkit.MustNil(t, err, "Update")
		want := c.Clone()
		want.Describe("New words", at(1))
		want.AddAdmin(admin, at(1))
		want.SetLogo("k", community.LogoPNG, "etag", at(1))
		want.BumpRevision()
		sameCommunity(t, got, want)
		stored, err := repo.Get(t.Context(), c.ID())
		porttestkit.MustNil(t, err, "Get")
		sameCommunity(t, stored, want)
	})

	t.Run("update_fn_error_aborts", func(t *testing.T) {
		repo := newRepo(t)
		c := newCommunity(at(0), "Riverside")
		porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
		_, err := repo.Update(t.Context(), c.ID(), func(c *community.Community) error {
			c.Describe("lost", at(1))
			return errAbort
		})
		if !errors.Is(err, errAbort) {
			t.Errorf("Update: got %v, want the fn's error", err)
		}
		got, err := repo.Get(t.Context(), c.ID())
		porttestkit.MustNil(t, err, "Get")
		sameCommunity(t, got, c)
		_, err = repo.Update(t.Context(), c.ID(), func(c *community.Community) error { return c.RemoveAdmin(c.AdminIDs()[0], at(2)) })
		porttestkit.WantErr(t, err, community.ErrLastAdmin, "removing the last admin")
	})

	t.Run("concurrent_updates_lose_nothing", func(t *testing.T) {
		repo := newRepo(t)
		c := newCommunity(at(0), "Riverside")
		porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
		const n = 20
		admins := make([]string, n)
		for i := range admins {
			admins[i] = kernel.NewID(at(i + 1))
		}
		errs := porttestkit.Concurrently(n, func(i int) error {
			_, err := repo.Update(t.Context(), c.ID(), func(c *community.Community) error {
				c.AddAdmin(admins[i], at(i+1))
				return nil
			})
			return err
		})
		for i, err := range errs {
			porttestkit.MustNil(t, err, fmt.Sprintf("Update %d", i))
		}
		got, err := repo.Get(t.Context(), c.ID())
		porttestkit.MustNil(t, err, "Get")
		porttestkit.SameSet(t, "AdminIDs", got.AdminIDs(), append([]string{c.AdminIDs()[0]}, admins...))
		porttestkit.Eq(t, "Version", got.Revision(), c.Revision()+n)
	})

	t.Run("two_admins_leaving_at_once_leave_one", func(t *testing.T) {
		for round := range 5 {
			repo := newRepo(t)
			c := newCommunity(at(0), "Riverside")
			second := kernel.NewID(at(1))
			c.AddAdmin(second, at(1))
			porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
			leaving := []string{c.AdminIDs()[0], second}
			errs := porttestkit.Concurrently(2, func(i int) error {
				_, err := repo.Update(t.Context(), c.ID(), func(c *community.Community) error { return c.RemoveAdmin(leaving[i], at(2)) })
				return err
			})
			winner := porttestkit.OneSucceeded(t, errs, community.ErrLastAdmin)
			got, err := repo.Get(t.Context(), c.ID())
			porttestkit.MustNil(t, err, "Get")
			porttestkit.SameStrings(t, fmt.Sprintf("round %d: AdminIDs", round), got.AdminIDs(), []string{leaving[1-winner]})
		}
	})

	t.Run("list_pages_oldest_first_and_filters_by_name", func(t *testing.T) {
		repo := newRepo(t)
		names := []string{"North Park", "South Park", "Harbour", "park.Side", "Parkway (old)"}
		var cs []*community.Community
		for i, name := range names {
			c := newCommunity(at(i), name)
			porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create "+name)
			cs = append(cs, c)
		}
		all, total, err := repo.List(t.Context(), communityport.ListFilter{}, 0, -1)
		porttestkit.MustNil(t, err, "List")
		porttestkit.Eq(t, "total", total, int64(len(names)))
		porttestkit.SameStrings(t, "ids", communityIDs(all), communityIDs(cs))

		page, total, err := repo.List(t.Context(), communityport.ListFilter{}, 1, 2)
		porttestkit.MustNil(t, err, "List page")
		porttestkit.Eq(t, "total", total, int64(len(names)))
		porttestkit.SameStrings(t, "page ids", communityIDs(page), communityIDs(cs[1:3]))

		park, total, err := repo.List(t.Context(), communityport.ListFilter{NameContains: "PARK"}, 0, -1)
		porttestkit.MustNil(t, err, "List PARK")
		porttestkit.Eq(t, "PARK total", total, int64(4))
		porttestkit.SameStrings(t, "PARK ids", communityIDs(park), []string{cs[0].ID(), cs[1].ID(), cs[3].ID(), cs[4].ID()})

		for needle, want := range map[string][]string{
			"k.s":   {cs[3].ID()}, // the dot is literal
			"(old)": {cs[4].ID()},
			".*":    nil,
		} {
			got, total, err := repo.List(t.Context(), communityport.ListFilter{NameContains: needle}, 0, -1)
			porttestkit.MustNil(t, err, "List "+needle)
			porttestkit.Eq(t, needle+" total", total, int64(len(want)))
			porttestkit.SameStrings(t, needle+" ids", communityIDs(got), want)
		}

		past, total, err := repo.List(t.Context(), communityport.ListFilter{}, 10, 5)
		porttestkit.MustNil(t, err, "List past the end")
		porttestkit.Eq(t, "past total", total, int64(len(names)))
		porttestkit.Eq(t, "past len", len(past), 0)
	})

	t.Run("get_many_keeps_order_and_skips_unknown", func(t *testing.T) {
		repo := newRepo(t)
		a, b := newCommunity(at(0), "Alpha"), newCommunity(at(1), "Beta")
		porttestkit.MustNil(t, repo.Create(t.Context(), a), "Create a")
		porttestkit.MustNil(t, repo.Create(t.Context(), b), "Create b")
		got, err := repo.GetMany(t.Context(), []string{b.ID(), kernel.NewID(at(5)), "nope", a.ID()})
		porttestkit.MustNil(t, err, "GetMany")
		porttestkit.SameStrings(t, "ids", communityIDs(got), []string{b.ID(), a.ID()})
		none, err := repo.GetMany(t.Context(), nil)
		porttestkit.MustNil(t, err, "GetMany(nil)")
		porttestkit.Eq(t, "len", len(none), 0)
	})

	t.Run("delete_removes_returns_the_last_version_and_frees_the_name", func(t *testing.T) {
		repo := newRepo(t)
		c := newCommunity(at(0), "Riverside")
		porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
		updated, err := repo.Update(t.Context(), c.ID(), func(c *community.Community) error {
			c.SetLogo("last-logo", community.LogoJPEG, "etag", at(1))
			return nil
		})
		porttestkit.MustNil(t, err, "Update")
		deleted, err := repo.Delete(t.Context(), c.ID())
		porttestkit.MustNil(t, err, "Delete")
		sameCommunity(t, deleted, updated)
		_, err = repo.Get(t.Context(), c.ID())
		porttestkit.WantErr(t, err, community.ErrCommunityNotFound, "Get after Delete")
		_, err = repo.Delete(t.Context(), c.ID())
		porttestkit.WantErr(t, err, community.ErrCommunityNotFound, "Delete twice")
		porttestkit.MustNil(t, repo.Create(t.Context(), newCommunity(at(1), "RIVERSIDE")), "the name is free again")
	})
}
