// Package accessporttest holds the contract suite that every adapter of
// accessport.RoleRepository must pass: call TestRoleRepository from the
// adapter's own tests with a constructor that returns a fresh, empty repository.
package accessporttest

import (
	"errors"
	"fmt"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
	"slices"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

// base is the time fixtures start from, at the stored precision in UTC.
var base = kernel.Truncate(time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC))

// at returns base plus i seconds; kernel.NewID(at(i)) sorts in the order of i.
func at(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }

var errAbort = errors.New("accessporttest: update function aborts")

// malformedIDs are identifiers no adapter can have stored.
var malformedIDs = []string{"nope", "zzzzzzzzzzzzzzzzzzzzzzzz", ""}

func newRole(t time.Time, name string) *access.Role {
	return &access.Role{ID: kernel.NewID(t), Name: name, CreatedAt: t, UpdatedAt: t}
}

// TestRoleRepository runs the RoleRepository contract; newRepo must return an empty repository.
func TestRoleRepository(t *testing.T, newRepo func(t *testing.T) accessport.RoleRepository) {
	t.Run("create_then_get_round_trips_every_field", func(t *testing.T) {
		repo := newRepo(t)
		r := newRole(at(0), "Editor")
		r.SelfAssignable = true
		r.UpdatedAt = at(1)
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")

		got, err := repo.Get(t.Context(), r.ID)
		porttestkit.MustNil(t, err, "Get")
		sameRole(t, got, r)
		got, err = repo.GetByName(t.Context(), "Editor")
		porttestkit.MustNil(t, err, "GetByName")
		sameRole(t, got, r)
	})

	t.Run("get_by_name_ignores_case", func(t *testing.T) {
		repo := newRepo(t)
		r := newRole(at(0), "Editor")
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
		for _, name := range []string{"editor", "EDITOR", "eDiToR"} {
			got, err := repo.GetByName(t.Context(), name)
			porttestkit.MustNil(t, err, "GetByName "+name)
			sameRole(t, got, r)
		}
		_, err := repo.GetByName(t.Context(), "viewer")
		porttestkit.WantErr(t, err, access.ErrRoleNotFound, "GetByName of an unknown name")
	})

	t.Run("list_is_ordered_by_id", func(t *testing.T) {
		repo := newRepo(t)
		if got, err := repo.List(t.Context()); err != nil || len(got) != 0 {
			t.Fatalf("List of an empty repository: got %d roles, %v", len(got), err)
		}
		var want []string
		created := map[string]*access.Role{}
		for _, i := range []int{2, 0, 3, 1} { // created out of order
			r := newRole(at(i), fmt.Sprintf("role-%d", i))
			porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
			want = append(want, r.ID)
			created[r.ID] = r
		}
		slices.Sort(want)
		got, err := repo.List(t.Context())
		porttestkit.MustNil(t, err, "List")
		porttestkit.SameStrings(t, "ids", roleIDs(got), want)
		for _, r := range got {
			if c, ok := created[r.ID]; ok {
				sameRole(t, r, c)
			}
		}
	})

	t.Run("names_are_unique_ignoring_case", func(t *testing.T) {
		for _, dup := range []string{"Editor", "editor", "EDITOR", " editor "} {
			t.Run(dup, func(t *testing.T) {
				repo := newRepo(t)
				first := newRole(at(0), "Editor")
				porttestkit.MustNil(t, repo.Create(t.Context(), first), "Create")
				second := newRole(at(1), dup)
				porttestkit.WantErr(t, repo.Create(t.Context(), second), access.ErrRoleExists, "Create "+dup)

				_, err := repo.Get(t.Context(), second.ID)
				porttestkit.WantErr(t, err, access.ErrRoleNotFound, "Get of the rejected role")
				all, err := repo.List(t.Context())
				porttestkit.MustNil(t, err, "List")
				porttestkit.SameStrings(t, "ids", roleIDs(all), []string{first.ID})
			})
		}
	})

	t.Run("ensure_by_name_is_idempotent", func(t *testing.T) {
		repo := newRepo(t)
		first := newRole(at(0), "auditor")
		got, err := repo.EnsureByName(t.Context(), first)
		porttestkit.MustNil(t, err, "first EnsureByName")
		sameRole(t, got, first)

		again := newRole(at(1), "Auditor")
		again.SelfAssignable = true
		got, err = repo.EnsureByName(t.Context(), again)
		porttestkit.MustNil(t, err, "second EnsureByName")
		sameRole(t, got, first)

		all, err := repo.List(t.Context())
		porttestkit.MustNil(t, err, "List")
		porttestkit.SameStrings(t, "ids", roleIDs(all), []string{first.ID})
	})

	t.Run("concurrent_ensure_by_name_creates_one_role", func(t *testing.T) {
		repo := newRepo(t)
		const n = 10
		roles := make([]*access.Role, n)
		candidates := make([]string, n)
		for i := range roles {
			roles[i] = newRole(at(i), "auditor")
			candidates[i] = roles[i].ID
		}
		got := make([]*access.Role, n)
		errs := porttestkit.Concurrently(n, func(i int) error {
			var err error
			got[i], err = repo.EnsureByName(t.Context(), roles[i])
			return err
		})

		for i := range n {
			porttestkit.MustNil(t, errs[i], fmt.Sprintf("EnsureByName %d", i))
		}
		id := got[0].ID
		if !slices.Contains(candidates, id) {
			t.Errorf("EnsureByName returned id %s, which no caller offered", id)
		}
		for i, r := range got {
			porttestkit.Eq(t, fmt.Sprintf("id returned to caller %d", i), r.ID, id)
		}
		all, err := repo.List(t.Context())
		porttestkit.MustNil(t, err, "List")
		porttestkit.SameStrings(t, "ids", roleIDs(all), []string{id})
		stored, err := repo.GetByName(t.Context(), "auditor")
		porttestkit.MustNil(t, err, "GetByName")
		porttestkit.Eq(t, "stored id", stored.ID, id)
	})

	t.Run("update_applies_fn", func(t *testing.T) {
		repo := newRepo(t)
		r := newRole(at(0), "Editor")
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
		got, err := repo.Update(t.Context(), r.ID, func(x *access.Role) error {
			x.Name = "Publisher"
			x.SelfAssignable = true
			x.UpdatedAt = at(10)
			return nil
		})
		porttestkit.MustNil(t, err, "Update")
		want := *r
		want.Name, want.SelfAssignable, want.UpdatedAt = "Publisher", true, at(10)
		sameRole(t, got, &want)

		stored, err := repo.Get(t.Context(), r.ID)
		porttestkit.MustNil(t, err, "Get")
		sameRole(t, stored, &want)
		_, err = repo.GetByName(t.Context(), "Editor")
		porttestkit.WantErr(t, err, access.ErrRoleNotFound, "GetByName of the old name")
		porttestkit.MustNil(t, repo.Create(t.Context(), newRole(at(1), "editor")), "Create with the old name")
	})

	t.Run("update_may_change_the_case_of_its_own_name", func(t *testing.T) {
		repo := newRepo(t)
		r := newRole(at(0), "Editor")
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
		got, err := repo.Update(t.Context(), r.ID, func(x *access.Role) error { x.Name = "EDITOR"; return nil })
		porttestkit.MustNil(t, err, "Update")
		porttestkit.Eq(t, "Name", got.Name, "EDITOR")
	})

	t.Run("update_fn_error_aborts_without_change", func(t *testing.T) {
		repo := newRepo(t)
		r := newRole(at(0), "Editor")
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
		_, err := repo.Update(t.Context(), r.ID, func(x *access.Role) error {
			x.Name = "Changed"
			x.SelfAssignable = true
			return errAbort
		})
		if !errors.Is(err, errAbort) {
			t.Fatalf("Update: got %v, want the fn's error", err)
		}
		got, err := repo.Get(t.Context(), r.ID)
		porttestkit.MustNil(t, err, "Get")
		sameRole(t, got, r)
	})

	t.Run("update_rename_to_taken_name_is_conflict", func(t *testing.T) {
		repo := newRepo(t)
		editor, viewer := newRole(at(0), "Editor"), newRole(at(1), "Viewer")
		porttestkit.MustNil(t, repo.Create(t.Context(), editor), "Create editor")
		porttestkit.MustNil(t, repo.Create(t.Context(), viewer), "Create viewer")
		_, err := repo.Update(t.Context(), viewer.ID, func(x *access.Role) error {
			x.Name = "editor"
			x.SelfAssignable = true
			return nil
		})
		porttestkit.WantErr(t, err, access.ErrRoleExists, "Update")

		for _, want := range []*access.Role{editor, viewer} {
			got, err := repo.Get(t.Context(), want.ID)
			porttestkit.MustNil(t, err, "Get "+want.Name)
			sameRole(t, got, want)
		}
	})

	t.Run("delete_removes_the_role_and_frees_the_name", func(t *testing.T) {
		repo := newRepo(t)
		r, other := newRole(at(0), "Editor"), newRole(at(1), "Viewer")
		porttestkit.MustNil(t, repo.Create(t.Context(), r), "Create")
		porttestkit.MustNil(t, repo.Create(t.Context(), other), "Create other")
		porttestkit.MustNil(t, repo.Delete(t.Context(), r.ID), "Delete")

		_, err := repo.Get(t.Context(), r.ID)
		porttestkit.WantErr(t, err, access.ErrRoleNotFound, "Get after Delete")
		_, err = repo.GetByName(t.Context(), "Editor")
		porttestkit.WantErr(t, err, access.ErrRoleNotFound, "GetByName after Delete")
		porttestkit.WantErr(t, repo.Delete(t.Context(), r.ID), access.ErrRoleNotFound, "second Delete")
		all, err := repo.List(t.Context())
		porttestkit.MustNil(t, err, "List")
		porttestkit.SameStrings(t, "ids", roleIDs(all), []string{other.ID})
		porttestkit.MustNil(t, repo.Create(t.Context(), newRole(at(2), "editor")), "Create with the freed name")
	})

	t.Run("unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newRole(at(0), "Editor")), "Create")
		for _, id := range append([]string{kernel.NewID(at(1))}, malformedIDs...) {
			_, err := repo.Get(t.Context(), id)
			porttestkit.WantErr(t, err, access.ErrRoleNotFound, fmt.Sprintf("Get(%q)", id))
			called := false
			_, err = repo.Update(t.Context(), id, func(*access.Role) error { called = true; return nil })
			porttestkit.WantErr(t, err, access.ErrRoleNotFound, fmt.Sprintf("Update(%q)", id))
			if called {
				t.Errorf("Update(%q) called fn for an unknown role", id)
			}
			porttestkit.WantErr(t, repo.Delete(t.Context(), id), access.ErrRoleNotFound, fmt.Sprintf("Delete(%q)", id))
		}
	})
}

// sameRole compares every field of two roles.
func sameRole(t *testing.T, got, want *access.Role) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil role")
	}
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "Name", got.Name, want.Name)
	porttestkit.Eq(t, "SelfAssignable", got.SelfAssignable, want.SelfAssignable)
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	porttestkit.SameTime(t, "UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

func roleIDs(rs []*access.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}
