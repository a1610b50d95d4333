package accessporttest

// The ModuleRepository contract. Helpers here carry a "mod" prefix so that they
// stay clear of the role suite's helpers in the same package.

import (
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// modBase is the time module fixtures start from, at the stored precision in UTC.
var modBase = kernel.Truncate(time.Date(2025, 4, 1, 10, 11, 12, 345_000_000, time.UTC))

// modAt returns modBase plus i seconds; kernel.NewID(modAt(i)) sorts in the order of i.
func modAt(i int) time.Time { return modBase.Add(time.Duration(i) * time.Second) }

// modMalformedIDs are identifiers no adapter can have stored.
var modMalformedIDs = []string{"nope", "zzzzzzzzzzzzzzzzzzzzzzzz", "", "not-an-id-at-all-but-long-enough"}

func modNew(i int, name string, roleIDs ...string) *access.Module {
	t := modAt(i)
	return &access.Module{ID: kernel.NewID(t), Name: name, RoleIDs: roleIDs, CreatedAt: t, UpdatedAt: t}
}

// modRoleID returns a role id as the application would make one.
func modRoleID(i int) string { return kernel.NewID(modAt(1000 + i)) }

// TestModuleRepository runs the ModuleRepository contract; newRepo must return an
// empty repository.
func TestModuleRepository(t *testing.T, newRepo func(t *testing.T) accessport.ModuleRepository) {
	t.Run("create_then_get_round_trips_every_field", func(t *testing.T) {
		repo := newRepo(t)
		r1, r2 := modRoleID(1), modRoleID(2)
		m := modNew(0, "Reports", r1, r2)
		m.UpdatedAt = modAt(5)
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		got, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		modSame(t, got, m)
	})

	t.Run("create_without_roles_reads_back_an_empty_list", func(t *testing.T) {
		repo := newRepo(t)
		m := modNew(0, "empty")
		m.RoleIDs = nil
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		got, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		if len(got.RoleIDs) != 0 {
			t.Errorf("RoleIDs = %q, want none", got.RoleIDs)
		}
	})

	t.Run("create_keeps_the_role_order", func(t *testing.T) {
		repo := newRepo(t)
		ids := []string{modRoleID(3), modRoleID(1), modRoleID(2)}
		m := modNew(0, "ordered", ids...)
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		got, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		porttestkit.SameStrings(t, "RoleIDs", got.RoleIDs, ids)
	})

	t.Run("name_is_unique_ignoring_case_on_create", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), modNew(0, "Reports")), "Create")
		for i, name := range []string{"Reports", "reports", "REPORTS", "rEpOrTs"} {
			err := repo.Create(t.Context(), modNew(i+1, name))
			porttestkit.WantErr(t, err, access.ErrModuleExists, "Create "+name)
		}
		_, total, err := repo.List(t.Context(), accessport.ModuleFilter{}, 0, -1)
		porttestkit.MustNil(t, err, "List")
		if total != 1 {
			t.Errorf("total = %d after refused duplicates, want 1", total)
		}
	})

	t.Run("stored_module_is_not_changed_through_the_caller_values", func(t *testing.T) {
		repo := newRepo(t)
		r1, r2 := modRoleID(1), modRoleID(2)
		m := modNew(0, "isolated", r1)
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		m.Name = "changed"
		m.RoleIDs[0] = r2
		got, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		got.RoleIDs[0] = r2
		got.Name = "changed again"
		again, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get again")
		if again.Name != "isolated" || !slices.Equal(again.RoleIDs, []string{r1}) {
			t.Errorf("stored module changed through a returned or given value: %q %q", again.Name, again.RoleIDs)
		}
	})

	t.Run("ensure_by_name_creates_once_and_then_returns_the_stored_module", func(t *testing.T) {
		repo := newRepo(t)
		r1 := modRoleID(1)
		first := modNew(0, "users", r1)
		got, err := repo.EnsureByName(t.Context(), first)
		porttestkit.MustNil(t, err, "EnsureByName (create)")
		modSame(t, got, first)
		second := modNew(1, "USERS")
		got, err = repo.EnsureByName(t.Context(), second)
		porttestkit.MustNil(t, err, "EnsureByName (exists)")
		modSame(t, got, first)
		_, total, err := repo.List(t.Context(), accessport.ModuleFilter{}, 0, -1)
		porttestkit.MustNil(t, err, "List")
		if total != 1 {
			t.Errorf("total = %d, want 1", total)
		}
	})

	t.Run("ensure_by_name_at_once_from_many_callers_creates_one", func(t *testing.T) {
		repo := newRepo(t)
		const n = 8
		ids := make([]string, n)
		errs := porttestkit.Concurrently(n, func(i int) error {
			got, err := repo.EnsureByName(t.Context(), modNew(i, "audit"))
			if err == nil {
				ids[i] = got.ID
			}
			return err
		})
		for i, err := range errs {
			porttestkit.MustNil(t, err, fmt.Sprintf("EnsureByName #%d", i))
		}
		for i := range ids {
			if ids[i] != ids[0] {
				t.Errorf("EnsureByName #%d returned %s, #0 returned %s", i, ids[i], ids[0])
			}
		}
		all, total, err := repo.List(t.Context(), accessport.ModuleFilter{}, 0, -1)
		porttestkit.MustNil(t, err, "List")
		if total != 1 || len(all) != 1 {
			t.Errorf("%d modules (total %d) after concurrent EnsureByName, want 1", len(all), total)
		}
	})

	t.Run("unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
		repo := newRepo(t)
		r1 := modRoleID(1)
		existing := modNew(0, "existing", r1)
		porttestkit.MustNil(t, repo.Create(t.Context(), existing), "Create")
		ids := append([]string{kernel.NewID(modAt(9)), "ffffffffffffffffffffffff"}, modMalformedIDs...)
		for _, id := range ids {
			q := fmt.Sprintf("%q", id)
			_, err := repo.Get(t.Context(), id)
			porttestkit.WantErr(t, err, access.ErrModuleNotFound, "Get "+q)
			_, err = repo.Rename(t.Context(), id, "fresh", modAt(10))
			porttestkit.WantErr(t, err, access.ErrModuleNotFound, "Rename "+q)
			_, err = repo.SetRoles(t.Context(), id, []string{r1}, modAt(10))
			porttestkit.WantErr(t, err, access.ErrModuleNotFound, "SetRoles "+q)
			_, err = repo.AddRoles(t.Context(), id, []string{r1}, modAt(10))
			porttestkit.WantErr(t, err, access.ErrModuleNotFound, "AddRoles "+q)
			_, err = repo.RemoveRoles(t.Context(), id, []string{r1}, modAt(10))
			porttestkit.WantErr(t, err, access.ErrModuleNotFound, "RemoveRoles "+q)
			porttestkit.WantErr(t, repo.Delete(t.Context(), id), access.ErrModuleNotFound, "Delete "+q)
		}
		got, err := repo.Get(t.Context(), existing.ID)
		porttestkit.MustNil(t, err, "Get existing")
		modSame(t, got, existing)
	})

	t.Run("list_orders_by_id_and_counts_every_match", func(t *testing.T) {
		repo := newRepo(t)
		var want []string
		// Created out of order: the listing follows the ids, not the insertions.
		for _, i := range []int{3, 0, 4, 1, 2} {
			m := modNew(i, fmt.Sprintf("module-%d", i))
			porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
			want = append(want, m.ID)
		}
		sort.Strings(want)
		got, total, err := repo.List(t.Context(), accessport.ModuleFilter{}, 0, -1)
		porttestkit.MustNil(t, err, "List")
		if total != 5 {
			t.Errorf("total = %d, want 5", total)
		}
		porttestkit.SameStrings(t, "ids", modIDs(got), want)
	})

	t.Run("list_pages_with_skip_and_limit", func(t *testing.T) {
		repo := newRepo(t)
		var want []string
		for i := range 12 {
			m := modNew(i, fmt.Sprintf("page-%02d", i))
			porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
			want = append(want, m.ID)
		}
		for _, tc := range []struct{ skip, limit, from, to int }{
			{0, 5, 0, 5},
			{5, 5, 5, 10},
			{10, 5, 10, 12},
			{12, 5, 12, 12},
			{40, 5, 12, 12},
			{3, -1, 3, 12},
			{0, 100, 0, 12},
			{0, 0, 0, 0},
		} {
			what := fmt.Sprintf("List(skip %d, limit %d)", tc.skip, tc.limit)
			got, total, err := repo.List(t.Context(), accessport.ModuleFilter{}, tc.skip, tc.limit)
			if tc.limit == 0 && err != nil {
				continue // a zero limit is never asked for; refusing it is fine
			}
			porttestkit.MustNil(t, err, what)
			if total != 12 {
				t.Errorf("%s: total = %d, want 12", what, total)
			}
			if tc.limit == 0 {
				continue // MongoDB reads limit 0 as "no limit"; only the total matters
			}
			if got == nil {
				t.Errorf("%s: nil page, want an empty list", what)
			}
			porttestkit.SameStrings(t, what, modIDs(got), want[tc.from:tc.to])
		}
	})

	t.Run("list_filters_by_name_substring_ignoring_case", func(t *testing.T) {
		repo := newRepo(t)
		names := []string{"Reports", "monthly-REPORTS", "users", "audit", "rep", "a.b", "axb"}
		byName := map[string]string{}
		for i, n := range names {
			m := modNew(i, n)
			porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
			byName[n] = m.ID
		}
		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"report", []string{"Reports", "monthly-REPORTS"}},
			{"REPORT", []string{"Reports", "monthly-REPORTS"}},
			{"rep", []string{"Reports", "monthly-REPORTS", "rep"}},
			{"S", []string{"Reports", "monthly-REPORTS", "users"}},
			{"a.b", []string{"a.b"}}, // a literal dot, not a pattern
			{"(", nil},
			{"nothing", nil},
		} {
			var want []string
			for _, n := range tc.want {
				want = append(want, byName[n])
			}
			sort.Strings(want)
			got, total, err := repo.List(t.Context(), accessport.ModuleFilter{NameContains: tc.q}, 0, -1)
			porttestkit.MustNil(t, err, "List "+tc.q)
			if total != int64(len(want)) {
				t.Errorf("NameContains %q: total = %d, want %d", tc.q, total, len(want))
			}
			porttestkit.SameStrings(t, "NameContains "+tc.q, modIDs(got), want)
		}
	})

	t.Run("list_filters_by_role_and_combines_filters", func(t *testing.T) {
		repo := newRepo(t)
		r1, r2, r3 := modRoleID(1), modRoleID(2), modRoleID(3)
		a := modNew(0, "alpha", r1)
		b := modNew(1, "beta", r1, r2)
		c := modNew(2, "gamma", r2)
		d := modNew(3, "alphabet")
		for _, m := range []*access.Module{a, b, c, d} {
			porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		}
		for _, tc := range []struct {
			name string
			f    accessport.ModuleFilter
			want []*access.Module
		}{
			{"role_1", accessport.ModuleFilter{RoleID: r1}, []*access.Module{a, b}},
			{"role_2", accessport.ModuleFilter{RoleID: r2}, []*access.Module{b, c}},
			{"role_nobody_has", accessport.ModuleFilter{RoleID: r3}, nil},
			{"role_1_and_name", accessport.ModuleFilter{RoleID: r1, NameContains: "ALPHA"}, []*access.Module{a}},
			{"name_only", accessport.ModuleFilter{NameContains: "alpha"}, []*access.Module{a, d}},
		} {
			got, total, err := repo.List(t.Context(), tc.f, 0, -1)
			porttestkit.MustNil(t, err, tc.name)
			want := modIDs(tc.want)
			sort.Strings(want)
			if total != int64(len(want)) {
				t.Errorf("%s: total = %d, want %d", tc.name, total, len(want))
			}
			porttestkit.SameStrings(t, tc.name, modIDs(got), want)
		}
		// A page of a filtered listing still counts every match.
		got, total, err := repo.List(t.Context(), accessport.ModuleFilter{RoleID: r1}, 1, 1)
		porttestkit.MustNil(t, err, "List page")
		if total != 2 || len(got) != 1 || got[0].ID != b.ID {
			t.Errorf("filtered page: %d items (%v), total %d; want [beta], total 2", len(got), modIDs(got), total)
		}
	})

	t.Run("rename_changes_the_name_and_updated_at", func(t *testing.T) {
		repo := newRepo(t)
		r1 := modRoleID(1)
		m := modNew(0, "old", r1)
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		got, err := repo.Rename(t.Context(), m.ID, "New Name", modAt(7))
		porttestkit.MustNil(t, err, "Rename")
		want := *m
		want.Name, want.UpdatedAt = "New Name", modAt(7)
		modSame(t, got, &want)
		stored, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		modSame(t, stored, &want)
		// The old name is free again, the new one is taken.
		porttestkit.MustNil(t, repo.Create(t.Context(), modNew(1, "OLD")), "Create with the old name")
		porttestkit.WantErr(t, repo.Create(t.Context(), modNew(2, "new name")), access.ErrModuleExists, "Create with the new name")
	})

	t.Run("rename_to_own_name_in_another_case_is_allowed", func(t *testing.T) {
		repo := newRepo(t)
		m := modNew(0, "reports")
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		got, err := repo.Rename(t.Context(), m.ID, "Reports", modAt(3))
		porttestkit.MustNil(t, err, "Rename")
		porttestkit.Eq(t, "Name", got.Name, "Reports")
	})

	t.Run("rename_to_a_taken_name_ignoring_case_is_refused", func(t *testing.T) {
		repo := newRepo(t)
		a := modNew(0, "Reports")
		b := modNew(1, "other")
		porttestkit.MustNil(t, repo.Create(t.Context(), a), "Create a")
		porttestkit.MustNil(t, repo.Create(t.Context(), b), "Create b")
		for _, name := range []string{"Reports", "reports", "REPORTS"} {
			_, err := repo.Rename(t.Context(), b.ID, name, modAt(5))
			porttestkit.WantErr(t, err, access.ErrModuleExists, "Rename to "+name)
		}
		got, err := repo.Get(t.Context(), b.ID)
		porttestkit.MustNil(t, err, "Get")
		modSame(t, got, b)
	})

	t.Run("set_roles_replaces_the_list", func(t *testing.T) {
		repo := newRepo(t)
		r1, r2, r3 := modRoleID(1), modRoleID(2), modRoleID(3)
		m := modNew(0, "set", r1, r2)
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		got, err := repo.SetRoles(t.Context(), m.ID, []string{r3, r1}, modAt(4))
		porttestkit.MustNil(t, err, "SetRoles")
		porttestkit.SameStrings(t, "RoleIDs", got.RoleIDs, []string{r3, r1})
		porttestkit.SameTime(t, "UpdatedAt", got.UpdatedAt, modAt(4))
		porttestkit.SameTime(t, "CreatedAt", got.CreatedAt, m.CreatedAt)
		porttestkit.Eq(t, "Name", got.Name, "set")
		got, err = repo.SetRoles(t.Context(), m.ID, []string{}, modAt(5))
		porttestkit.MustNil(t, err, "SetRoles empty")
		if len(got.RoleIDs) != 0 {
			t.Errorf("RoleIDs = %q after SetRoles([]), want none", got.RoleIDs)
		}
		got, err = repo.SetRoles(t.Context(), m.ID, nil, modAt(6))
		porttestkit.MustNil(t, err, "SetRoles nil")
		if len(got.RoleIDs) != 0 {
			t.Errorf("RoleIDs = %q after SetRoles(nil), want none", got.RoleIDs)
		}
		stored, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		if len(stored.RoleIDs) != 0 {
			t.Errorf("stored RoleIDs = %q, want none", stored.RoleIDs)
		}
		porttestkit.SameTime(t, "stored UpdatedAt", stored.UpdatedAt, modAt(6))
	})

	t.Run("add_roles_keeps_each_once_and_the_order", func(t *testing.T) {
		repo := newRepo(t)
		r1, r2, r3 := modRoleID(1), modRoleID(2), modRoleID(3)
		m := modNew(0, "add", r1)
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		got, err := repo.AddRoles(t.Context(), m.ID, []string{r2, r1, r3}, modAt(8))
		porttestkit.MustNil(t, err, "AddRoles")
		porttestkit.SameStrings(t, "RoleIDs", got.RoleIDs, []string{r1, r2, r3})
		porttestkit.SameTime(t, "UpdatedAt", got.UpdatedAt, modAt(8))
		got, err = repo.AddRoles(t.Context(), m.ID, []string{r3, r2}, modAt(9))
		porttestkit.MustNil(t, err, "AddRoles again")
		porttestkit.SameStrings(t, "RoleIDs again", got.RoleIDs, []string{r1, r2, r3})
		stored, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		porttestkit.SameStrings(t, "stored RoleIDs", stored.RoleIDs, []string{r1, r2, r3})
	})

	t.Run("concurrent_add_roles_all_land", func(t *testing.T) {
		repo := newRepo(t)
		m := modNew(0, "busy")
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		const n = 10
		var want []string
		for i := range n {
			want = append(want, modRoleID(i))
		}
		errs := porttestkit.Concurrently(n, func(i int) error {
			_, err := repo.AddRoles(t.Context(), m.ID, []string{want[i]}, modAt(1+i))
			return err
		})
		for i, err := range errs {
			porttestkit.MustNil(t, err, fmt.Sprintf("AddRoles #%d", i))
		}
		got, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		have := slices.Clone(got.RoleIDs)
		sort.Strings(have)
		sort.Strings(want)
		porttestkit.SameStrings(t, "RoleIDs after 10 concurrent AddRoles", have, want)
	})

	t.Run("concurrent_add_and_remove_of_different_roles_do_not_lose_each_other", func(t *testing.T) {
		repo := newRepo(t)
		var initial, added []string
		for i := range 5 {
			initial = append(initial, modRoleID(i))
			added = append(added, modRoleID(10+i))
		}
		m := modNew(0, "mixed", initial...)
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		// Even calls add a role, odd ones remove another, all at once.
		errs := porttestkit.Concurrently(10, func(i int) error {
			var err error
			if i%2 == 0 {
				_, err = repo.AddRoles(t.Context(), m.ID, []string{added[i/2]}, modAt(1))
			} else {
				_, err = repo.RemoveRoles(t.Context(), m.ID, []string{initial[i/2]}, modAt(1))
			}
			return err
		})
		for i, err := range errs {
			porttestkit.MustNil(t, err, fmt.Sprintf("change #%d", i))
		}
		got, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		have := slices.Clone(got.RoleIDs)
		sort.Strings(have)
		want := slices.Clone(added)
		sort.Strings(want)
		porttestkit.SameStrings(t, "RoleIDs", have, want)
	})

	t.Run("remove_roles_unlists_only_those_given", func(t *testing.T) {
		repo := newRepo(t)
		r1, r2, r3, r4 := modRoleID(1), modRoleID(2), modRoleID(3), modRoleID(4)
		m := modNew(0, "remove", r1, r2, r3)
		porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		got, err := repo.RemoveRoles(t.Context(), m.ID, []string{r2, r4}, modAt(6))
		porttestkit.MustNil(t, err, "RemoveRoles")
		porttestkit.SameStrings(t, "RoleIDs", got.RoleIDs, []string{r1, r3})
		porttestkit.SameTime(t, "UpdatedAt", got.UpdatedAt, modAt(6))
		got, err = repo.RemoveRoles(t.Context(), m.ID, []string{r4}, modAt(7))
		porttestkit.MustNil(t, err, "RemoveRoles of an unlisted role")
		porttestkit.SameStrings(t, "RoleIDs unchanged", got.RoleIDs, []string{r1, r3})
		got, err = repo.RemoveRoles(t.Context(), m.ID, []string{r1, r3}, modAt(8))
		porttestkit.MustNil(t, err, "RemoveRoles of the rest")
		if len(got.RoleIDs) != 0 {
			t.Errorf("RoleIDs = %q, want none", got.RoleIDs)
		}
		stored, err := repo.Get(t.Context(), m.ID)
		porttestkit.MustNil(t, err, "Get")
		if len(stored.RoleIDs) != 0 {
			t.Errorf("stored RoleIDs = %q, want none", stored.RoleIDs)
		}
	})

	t.Run("remove_role_from_all_unlists_it_everywhere_and_nothing_else", func(t *testing.T) {
		repo := newRepo(t)
		gone, kept := modRoleID(1), modRoleID(2)
		a := modNew(0, "a", gone, kept)
		b := modNew(1, "b", gone)
		c := modNew(2, "c", kept)
		d := modNew(3, "d")
		for _, m := range []*access.Module{a, b, c, d} {
			porttestkit.MustNil(t, repo.Create(t.Context(), m), "Create")
		}
		porttestkit.MustNil(t, repo.RemoveRoleFromAll(t.Context(), gone), "RemoveRoleFromAll")
		want := map[string][]string{a.ID: {kept}, b.ID: nil, c.ID: {kept}, d.ID: nil}
		for id, roles := range want {
			got, err := repo.Get(t.Context(), id)
			porttestkit.MustNil(t, err, "Get")
			porttestkit.SameStrings(t, "RoleIDs of "+got.Name, got.RoleIDs, roles)
		}
		listed, total, err := repo.List(t.Context(), accessport.ModuleFilter{RoleID: gone}, 0, -1)
		porttestkit.MustNil(t, err, "List by the removed role")
		if total != 0 || len(listed) != 0 {
			t.Errorf("modules still listing the removed role: %v (total %d)", modIDs(listed), total)
		}
		porttestkit.MustNil(t, repo.RemoveRoleFromAll(t.Context(), modRoleID(9)), "RemoveRoleFromAll of a role no module lists")
	})

	t.Run("delete_removes_the_module_and_frees_its_name", func(t *testing.T) {
		repo := newRepo(t)
		a := modNew(0, "doomed")
		b := modNew(1, "kept")
		porttestkit.MustNil(t, repo.Create(t.Context(), a), "Create a")
		porttestkit.MustNil(t, repo.Create(t.Context(), b), "Create b")
		porttestkit.MustNil(t, repo.Delete(t.Context(), a.ID), "Delete")
		_, err := repo.Get(t.Context(), a.ID)
		porttestkit.WantErr(t, err, access.ErrModuleNotFound, "Get after Delete")
		porttestkit.WantErr(t, repo.Delete(t.Context(), a.ID), access.ErrModuleNotFound, "Delete again")
		all, total, err := repo.List(t.Context(), accessport.ModuleFilter{}, 0, -1)
		porttestkit.MustNil(t, err, "List")
		if total != 1 || len(all) != 1 || all[0].ID != b.ID {
			t.Errorf("after Delete: %v (total %d), want only %s", modIDs(all), total, b.ID)
		}
		porttestkit.MustNil(t, repo.Create(t.Context(), modNew(2, "DOOMED")), "Create with the freed name")
	})
}

// modSame compares every field of two modules.
func modSame(t *testing.T, got, want *access.Module) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil module")
	}
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "Name", got.Name, want.Name)
	porttestkit.SameStrings(t, "RoleIDs", got.RoleIDs, want.RoleIDs)
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	porttestkit.SameTime(t, "UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

func modIDs(ms []*access.Module) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}
