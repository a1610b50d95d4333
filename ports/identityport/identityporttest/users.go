package identityporttest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/ports/porttestkit"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// newUser returns a user created at t with every required field set and the
// optional ones (LastLogin, LockedUntil) unset.
func newUser(t time.Time, email string) *identity.User {
	return identity.RestoreUser(identity.UserSnapshot{
		ID:           kernel.NewID(t),
		Name:         "Ada Lovelace",
		Email:        email,
		Active:       true,
		RoleIDs:      []string{kernel.NewID(t)},
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
		CreatedAt:    t,
		UpdatedAt:    t,
	})
}

// set changes u's state the way only a repository's RestoreUser can: the
// contract stores every field, also in combinations no use case makes.
func set(u *identity.User, change func(s *identity.UserSnapshot)) {
	s := u.Snapshot()
	change(&s)
	*u = *identity.RestoreUser(s)
}

// sameUser compares every field of two users.
func sameUser(t *testing.T, got, want *identity.User) {
	t.Helper()
	if got == nil {
		t.Fatal("got a nil user")
	}
	porttestkit.Eq(t, "ID", got.ID(), want.ID())
	porttestkit.Eq(t, "Name", got.Name(), want.Name())
	porttestkit.Eq(t, "Email", got.Email(), want.Email())
	porttestkit.Eq(t, "Active", got.Active(), want.Active())
	porttestkit.SameStrings(t, "RoleIDs", got.RoleIDs(), want.RoleIDs())
	porttestkit.Eq(t, "PasswordHash", got.PasswordHash(), want.PasswordHash())
	porttestkit.Eq(t, "Auth.EmailVerified", got.Auth().EmailVerified, want.Auth().EmailVerified)
	porttestkit.SameTimePtr(t, "Auth.LastLogin", got.Auth().LastLogin, want.Auth().LastLogin)
	porttestkit.Eq(t, "Auth.FailedLoginAttempts", got.Auth().FailedLoginAttempts, want.Auth().FailedLoginAttempts)
	porttestkit.SameTimePtr(t, "Auth.LockedUntil", got.Auth().LockedUntil, want.Auth().LockedUntil)
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt(), want.CreatedAt())
	porttestkit.SameTime(t, "UpdatedAt", got.UpdatedAt(), want.UpdatedAt())
	porttestkit.Eq(t, "Version", got.Revision(), want.Revision())
}

// TestUserRepository runs the UserRepository contract; newRepo must return an empty repository.
func TestUserRepository(t *testing.T, newRepo func(t *testing.T) identityport.UserRepository) {
	t.Run("create_then_get_round_trips_every_field", func(t *testing.T) {
		cases := map[string]func(u *identity.User){
			"optional_fields_unset": func(u *identity.User) {},
			"optional_fields_set": func(u *identity.User) {
				set(u, func(s *identity.UserSnapshot) {
					s.Active = false
					s.RoleIDs = []string{kernel.NewID(at(1)), kernel.NewID(at(2))}
					s.Auth = identity.AuthState{EmailVerified: true, LastLogin: ptr(at(3)), FailedLoginAttempts: 3, LockedUntil: ptr(at(4))}
					s.UpdatedAt = at(5)
				})
			},
			"no_roles": func(u *identity.User) { set(u, func(s *identity.UserSnapshot) { s.RoleIDs = nil }) },
		}
		for name, edit := range cases {
			t.Run(name, func(t *testing.T) {
				repo := newRepo(t)
				u := newUser(at(0), "ada@example.com")
				edit(u)
				porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
				if u.Revision() < 1 {
					t.Errorf("Create left Version %d, want at least 1", u.Revision())
				}

				got, err := repo.Get(t.Context(), u.ID())
				porttestkit.MustNil(t, err, "Get")
				sameUser(t, got, u)

				got, err = repo.GetByEmail(t.Context(), u.Email())
				porttestkit.MustNil(t, err, "GetByEmail")
				sameUser(t, got, u)
			})
		}
	})

	t.Run("stored_user_does_not_alias_the_callers", func(t *testing.T) {
		repo := newRepo(t)
		u := newUser(at(0), "ada@example.com")
		set(u, func(s *identity.UserSnapshot) { s.Auth.LastLogin, s.Auth.LockedUntil = ptr(at(1)), ptr(at(2)) })
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		want := u.Clone()

		// The accessors hand out copies; the methods change the user in place.
		u.RoleIDs()[0] = "changed"
		*u.Auth().LastLogin = at(100)
		*u.Auth().LockedUntil = at(100)
		u.RemoveRole(u.RoleIDs()[0], at(100))
		u.RecordSuccessfulLogin(at(100), 0)
		got, err := repo.Get(t.Context(), u.ID())
		porttestkit.MustNil(t, err, "Get")
		sameUser(t, got, want)

		got.RoleIDs()[0] = "changed"
		*got.Auth().LastLogin = at(100)
		*got.Auth().LockedUntil = at(100)
		got.RemoveRole(got.RoleIDs()[0], at(100))
		got.RecordSuccessfulLogin(at(100), 0)
		again, err := repo.Get(t.Context(), u.ID())
		porttestkit.MustNil(t, err, "Get again")
		sameUser(t, again, want)
	})

	t.Run("unknown_id_is_not_found", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newUser(at(0), "ada@example.com")), "Create")
		_, err := repo.Get(t.Context(), kernel.NewID(at(1)))
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "Get")
	})

	t.Run("malformed_id_is_not_found", func(t *testing.T) {
		repo := newRepo(t)
		for _, id := range malformedIDs {
			_, err := repo.Get(t.Context(), id)
			porttestkit.WantErr(t, err, identity.ErrUserNotFound, fmt.Sprintf("Get(%q)", id))
			_, err = repo.Update(t.Context(), id, func(*identity.User) error { return nil })
			porttestkit.WantErr(t, err, identity.ErrUserNotFound, fmt.Sprintf("Update(%q)", id))
			porttestkit.WantErr(t, repo.Delete(t.Context(), id), identity.ErrUserNotFound, fmt.Sprintf("Delete(%q)", id))
		}
	})

	t.Run("unknown_email_is_not_found", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newUser(at(0), "ada@example.com")), "Create")
		_, err := repo.GetByEmail(t.Context(), "grace@example.com")
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "GetByEmail")
	})

	t.Run("get_by_email_finds_the_owner", func(t *testing.T) {
		repo := newRepo(t)
		ada, grace := newUser(at(0), "ada@example.com"), newUser(at(1), "grace@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), ada), "Create ada")
		porttestkit.MustNil(t, repo.Create(t.Context(), grace), "Create grace")
		got, err := repo.GetByEmail(t.Context(), "grace@example.com")
		porttestkit.MustNil(t, err, "GetByEmail")
		porttestkit.Eq(t, "ID", got.ID(), grace.ID())
	})

	t.Run("duplicate_email_is_conflict", func(t *testing.T) {
		repo := newRepo(t)
		first := newUser(at(0), "ada@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), first), "Create first")
		second := newUser(at(1), "ada@example.com")
		set(second, func(s *identity.UserSnapshot) { s.Name = "Impostor" })
		porttestkit.WantErr(t, repo.Create(t.Context(), second), identity.ErrEmailTaken, "Create second")

		got, err := repo.GetByEmail(t.Context(), "ada@example.com")
		porttestkit.MustNil(t, err, "GetByEmail")
		sameUser(t, got, first)
		_, err = repo.Get(t.Context(), second.ID())
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "Get second")
		_, total, err := repo.List(t.Context(), 0, 100)
		porttestkit.MustNil(t, err, "List")
		porttestkit.Eq(t, "total", total, 1)
	})

	t.Run("duplicate_id_is_conflict_and_leaves_the_email_free", func(t *testing.T) {
		repo := newRepo(t)
		first := newUser(at(0), "ada@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), first), "Create first")
		clash := newUser(at(0), "grace@example.com")
		set(clash, func(s *identity.UserSnapshot) { s.ID = first.ID() })
		porttestkit.WantKind(t, repo.Create(t.Context(), clash), kernel.KindConflict, "Create with a taken id")

		got, err := repo.Get(t.Context(), first.ID())
		porttestkit.MustNil(t, err, "Get")
		sameUser(t, got, first)
		_, err = repo.GetByEmail(t.Context(), "grace@example.com")
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "GetByEmail of the rejected user")
		porttestkit.MustNil(t, repo.Create(t.Context(), newUser(at(1), "grace@example.com")), "Create with the rejected email")
	})

	t.Run("list_is_ordered_by_id_with_skip_limit_and_total", func(t *testing.T) {
		repo := newRepo(t)
		var want []string
		for _, i := range []int{3, 0, 4, 1, 2} { // created out of order
			u := newUser(at(i), fmt.Sprintf("user%d@example.com", i))
			porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
			want = append(want, u.ID())
		}
		slices.Sort(want)

		cases := []struct {
			name        string
			skip, limit int
			want        []string
		}{
			{"everything", 0, 100, want},
			{"first_page", 0, 2, want[:2]},
			{"middle_page", 1, 2, want[1:3]},
			{"last_partial_page", 4, 2, want[4:]},
			{"past_the_end", 10, 2, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, total, err := repo.List(t.Context(), c.skip, c.limit)
				porttestkit.MustNil(t, err, "List")
				porttestkit.SameStrings(t, "ids", userIDs(got), c.want)
				porttestkit.Eq(t, "total", total, 5)
			})
		}
	})

	t.Run("list_of_empty_repository_is_empty", func(t *testing.T) {
		got, total, err := newRepo(t).List(t.Context(), 0, 10)
		porttestkit.MustNil(t, err, "List")
		porttestkit.Eq(t, "len", len(got), 0)
		porttestkit.Eq(t, "total", total, 0)
	})

	t.Run("update_applies_fn_and_bumps_version", func(t *testing.T) {
		repo := newRepo(t)
		u := newUser(at(0), "ada@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		role := kernel.NewID(at(1))

		got, err := repo.Update(t.Context(), u.ID(), func(x *identity.User) error {
			change := identity.AccountChange{Name: ptr("Augusta Ada King"), Active: ptr(false), RoleIDs: ptr(append(x.RoleIDs(), role))}
			if _, err := x.ChangeAccount(change, at(2)); err != nil {
				return err
			}
			x.ChangePassword("new-hash", at(2))
			x.RecordSuccessfulLogin(at(2), x.Auth().FailedLoginAttempts)
			return x.VerifyEmail(x.Email(), at(2))
		})
		porttestkit.MustNil(t, err, "Update")
		want := u.Clone()
		set(want, func(s *identity.UserSnapshot) {
			s.Name, s.Active, s.PasswordHash, s.UpdatedAt = "Augusta Ada King", false, "new-hash", at(2)
			s.RoleIDs = append(slices.Clone(u.RoleIDs()), role)
			s.Auth = identity.AuthState{EmailVerified: true, LastLogin: ptr(at(2))}
			s.Revision = u.Revision() + 1
		})
		sameUser(t, got, want)

		stored, err := repo.Get(t.Context(), u.ID())
		porttestkit.MustNil(t, err, "Get")
		sameUser(t, stored, want)

		got, err = repo.Update(t.Context(), u.ID(), func(x *identity.User) error {
			set(x, func(s *identity.UserSnapshot) { s.Auth.LastLogin = nil })
			return nil
		})
		porttestkit.MustNil(t, err, "second Update")
		porttestkit.Eq(t, "Version after two updates", got.Revision(), u.Revision()+2)
		porttestkit.SameTimePtr(t, "LastLogin cleared", got.Auth().LastLogin, nil)
	})

	t.Run("update_fn_error_aborts_without_change", func(t *testing.T) {
		repo := newRepo(t)
		u := newUser(at(0), "ada@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		_, err := repo.Update(t.Context(), u.ID(), func(x *identity.User) error {
			set(x, func(s *identity.UserSnapshot) { s.Name, s.Email, s.RoleIDs = "Changed", "changed@example.com", nil })
			return errAbort
		})
		if !errors.Is(err, errAbort) {
			t.Fatalf("Update: got %v, want the fn's error", err)
		}
		got, err := repo.Get(t.Context(), u.ID())
		porttestkit.MustNil(t, err, "Get")
		sameUser(t, got, u)
		_, err = repo.GetByEmail(t.Context(), "changed@example.com")
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "GetByEmail of the aborted email")
	})

	t.Run("update_unknown_is_not_found", func(t *testing.T) {
		repo := newRepo(t)
		called := false
		_, err := repo.Update(t.Context(), kernel.NewID(at(0)), func(*identity.User) error { called = true; return nil })
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "Update")
		if called {
			t.Error("fn was called for an unknown user")
		}
	})

	t.Run("update_changing_email_moves_the_email", func(t *testing.T) {
		repo := newRepo(t)
		u := newUser(at(0), "ada@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		_, err := repo.Update(t.Context(), u.ID(), func(x *identity.User) error {
			set(x, func(s *identity.UserSnapshot) { s.Email = "countess@example.com" })
			return nil
		})
		porttestkit.MustNil(t, err, "Update")

		_, err = repo.GetByEmail(t.Context(), "ada@example.com")
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "GetByEmail old")
		got, err := repo.GetByEmail(t.Context(), "countess@example.com")
		porttestkit.MustNil(t, err, "GetByEmail new")
		porttestkit.Eq(t, "ID", got.ID(), u.ID())
		porttestkit.Eq(t, "Email", got.Email(), "countess@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), newUser(at(1), "ada@example.com")), "Create with the old email")
	})

	t.Run("get_by_email_follows_the_address_after_it_moves", func(t *testing.T) {
		repo := newRepo(t)
		ada := newUser(at(0), "ada@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), ada), "Create ada")
		got, err := repo.GetByEmail(t.Context(), "ada@example.com")
		porttestkit.MustNil(t, err, "GetByEmail before the move")
		porttestkit.Eq(t, "ID", got.ID(), ada.ID())

		_, err = repo.Update(t.Context(), ada.ID(), func(x *identity.User) error {
			set(x, func(s *identity.UserSnapshot) { s.Email = "countess@example.com" })
			return nil
		})
		porttestkit.MustNil(t, err, "Update")
		_, err = repo.GetByEmail(t.Context(), "ada@example.com")
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "GetByEmail of the address left behind")

		other := newUser(at(1), "ada@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), other), "Create with the freed address")
		got, err = repo.GetByEmail(t.Context(), "ada@example.com")
		porttestkit.MustNil(t, err, "GetByEmail of the new owner")
		porttestkit.Eq(t, "ID of the new owner", got.ID(), other.ID())

		porttestkit.MustNil(t, repo.Delete(t.Context(), other.ID()), "Delete")
		_, err = repo.GetByEmail(t.Context(), "ada@example.com")
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "GetByEmail after the owner was deleted")
	})

	t.Run("update_to_taken_email_is_conflict_and_changes_nothing", func(t *testing.T) {
		repo := newRepo(t)
		ada, grace := newUser(at(0), "ada@example.com"), newUser(at(1), "grace@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), ada), "Create ada")
		porttestkit.MustNil(t, repo.Create(t.Context(), grace), "Create grace")
		_, err := repo.Update(t.Context(), grace.ID(), func(x *identity.User) error {
			set(x, func(s *identity.UserSnapshot) { s.Email, s.Name = "ada@example.com", "Changed" })
			return nil
		})
		porttestkit.WantErr(t, err, identity.ErrEmailTaken, "Update")

		for _, want := range []*identity.User{ada, grace} {
			got, err := repo.GetByEmail(t.Context(), want.Email())
			porttestkit.MustNil(t, err, "GetByEmail "+want.Email())
			sameUser(t, got, want)
		}
	})

	t.Run("concurrent_updates_lose_nothing", func(t *testing.T) {
		repo := newRepo(t)
		u := newUser(at(0), "ada@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		const n = 50
		errs := porttestkit.Concurrently(n, func(int) error {
			_, err := repo.Update(t.Context(), u.ID(), func(x *identity.User) error {
				set(x, func(s *identity.UserSnapshot) { s.Auth.FailedLoginAttempts++ })
				return nil
			})
			return err
		})
		for i, err := range errs {
			if err != nil {
				t.Errorf("Update %d: %v", i, err)
			}
		}
		got, err := repo.Get(t.Context(), u.ID())
		porttestkit.MustNil(t, err, "Get")
		porttestkit.Eq(t, "FailedLoginAttempts", got.Auth().FailedLoginAttempts, n)
		porttestkit.Eq(t, "Version", got.Revision(), u.Revision()+n)
	})

	t.Run("concurrent_creates_with_one_email_admit_one", func(t *testing.T) {
		repo := newRepo(t)
		const n = 20
		users := make([]*identity.User, n)
		for i := range users {
			users[i] = newUser(at(i), "ada@example.com")
		}
		errs := porttestkit.Concurrently(n, func(i int) error { return repo.Create(t.Context(), users[i]) })
		winner := porttestkit.OneSucceeded(t, errs, identity.ErrEmailTaken)

		got, err := repo.GetByEmail(t.Context(), "ada@example.com")
		porttestkit.MustNil(t, err, "GetByEmail")
		porttestkit.Eq(t, "owner", got.ID(), users[winner].ID())
		all, total, err := repo.List(t.Context(), 0, 100)
		porttestkit.MustNil(t, err, "List")
		porttestkit.Eq(t, "total", total, 1)
		porttestkit.SameStrings(t, "ids", userIDs(all), []string{users[winner].ID()})
	})

	t.Run("delete_removes_the_user_and_frees_the_email", func(t *testing.T) {
		repo := newRepo(t)
		u, other := newUser(at(0), "ada@example.com"), newUser(at(1), "grace@example.com")
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		porttestkit.MustNil(t, repo.Create(t.Context(), other), "Create other")
		porttestkit.MustNil(t, repo.Delete(t.Context(), u.ID()), "Delete")

		_, err := repo.Get(t.Context(), u.ID())
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "Get after Delete")
		_, err = repo.GetByEmail(t.Context(), u.Email())
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "GetByEmail after Delete")
		porttestkit.WantErr(t, repo.Delete(t.Context(), u.ID()), identity.ErrUserNotFound, "second Delete")
		got, err := repo.Get(t.Context(), other.ID())
		porttestkit.MustNil(t, err, "Get other")
		sameUser(t, got, other)

		again := newUser(at(2), u.Email())
		porttestkit.MustNil(t, repo.Create(t.Context(), again), "Create with the freed email")
		got, err = repo.GetByEmail(t.Context(), u.Email())
		porttestkit.MustNil(t, err, "GetByEmail of the new owner")
		porttestkit.Eq(t, "ID", got.ID(), again.ID())
	})

	t.Run("keeping_admin_refuses_to_end_the_last_administration", func(t *testing.T) {
		repo := newRepo(t)
		admin := kernel.NewID(at(100))
		ada, disabled, member := newUser(at(0), "ada@example.com"), newUser(at(1), "off@example.com"), newUser(at(2), "member@example.com")
		set(ada, func(s *identity.UserSnapshot) { s.RoleIDs = []string{admin} })
		set(disabled, func(s *identity.UserSnapshot) { s.RoleIDs, s.Active = []string{admin}, false }) // cannot sign in: does not count
		for _, u := range []*identity.User{ada, disabled, member} {
			porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create "+u.Email())
		}
		for name, change := range map[string]func(*identity.User) error{
			"disable":         func(u *identity.User) error { set(u, func(s *identity.UserSnapshot) { s.Active = false }); return nil },
			"take_admin_role": func(u *identity.User) error { set(u, func(s *identity.UserSnapshot) { s.RoleIDs = nil }); return nil },
		} {
			_, err := repo.UpdateKeepingAdmin(t.Context(), ada.ID(), admin, change)
			porttestkit.WantErr(t, err, identity.ErrLastAdmin, name)
		}
		porttestkit.WantErr(t, repo.DeleteKeepingAdmin(t.Context(), ada.ID(), admin), identity.ErrLastAdmin, "DeleteKeepingAdmin")
		got, err := repo.Get(t.Context(), ada.ID())
		porttestkit.MustNil(t, err, "Get")
		sameUser(t, got, ada)

		renamed, err := repo.UpdateKeepingAdmin(t.Context(), ada.ID(), admin, func(u *identity.User) error { set(u, func(s *identity.UserSnapshot) { s.Name = "Ada L." }); return nil })
		porttestkit.MustNil(t, err, "a change that keeps the administration")
		porttestkit.Eq(t, "Name", renamed.Name(), "Ada L.")
		_, err = repo.UpdateKeepingAdmin(t.Context(), disabled.ID(), admin, func(u *identity.User) error { set(u, func(s *identity.UserSnapshot) { s.RoleIDs = nil }); return nil })
		porttestkit.MustNil(t, err, "taking the role from a disabled holder")
		porttestkit.MustNil(t, repo.DeleteKeepingAdmin(t.Context(), member.ID(), admin), "deleting a member")
		if _, err = repo.UpdateKeepingAdmin(t.Context(), ada.ID(), admin, func(*identity.User) error { return errAbort }); !errors.Is(err, errAbort) {
			t.Errorf("UpdateKeepingAdmin: got %v, want the fn's error", err)
		}
		_, err = repo.UpdateKeepingAdmin(t.Context(), kernel.NewID(at(3)), admin, func(*identity.User) error { return nil })
		porttestkit.WantErr(t, err, identity.ErrUserNotFound, "unknown user")
		porttestkit.WantErr(t, repo.DeleteKeepingAdmin(t.Context(), kernel.NewID(at(3)), admin), identity.ErrUserNotFound, "delete unknown user")
	})

	t.Run("keeping_admin_lets_one_of_two_administrators_go", func(t *testing.T) {
		repo := newRepo(t)
		admin := kernel.NewID(at(100))
		ada, grace := newUser(at(0), "ada@example.com"), newUser(at(1), "grace@example.com")
		set(ada, func(s *identity.UserSnapshot) { s.RoleIDs = []string{admin} })
		set(grace, func(s *identity.UserSnapshot) { s.RoleIDs = []string{admin} })
		porttestkit.MustNil(t, repo.Create(t.Context(), ada), "Create ada")
		porttestkit.MustNil(t, repo.Create(t.Context(), grace), "Create grace")

		porttestkit.MustNil(t, repo.DeleteKeepingAdmin(t.Context(), ada.ID(), admin), "deleting one of two")
		_, err := repo.UpdateKeepingAdmin(t.Context(), grace.ID(), admin, func(u *identity.User) error { set(u, func(s *identity.UserSnapshot) { s.Active = false }); return nil })
		porttestkit.WantErr(t, err, identity.ErrLastAdmin, "then disabling the other")
	})

	// Two administrators removing each other at once: whatever the mix of
	// disabling, demoting and deleting, exactly one of them succeeds.
	t.Run("administrators_removing_each_other_at_once_leave_one", func(t *testing.T) {
		repo := newRepo(t)
		removals := []func(ctx context.Context, id, admin string) error{
			func(ctx context.Context, id, admin string) error {
				_, err := repo.UpdateKeepingAdmin(ctx, id, admin, func(u *identity.User) error { set(u, func(s *identity.UserSnapshot) { s.Active = false }); return nil })
				return err
			},
			func(ctx context.Context, id, admin string) error {
				_, err := repo.UpdateKeepingAdmin(ctx, id, admin, func(u *identity.User) error {
					set(u, func(s *identity.UserSnapshot) {
						s.RoleIDs = slices.DeleteFunc(u.RoleIDs(), func(r string) bool { return r == admin })
					})
					return nil
				})
				return err
			},
			func(ctx context.Context, id, admin string) error { return repo.DeleteKeepingAdmin(ctx, id, admin) },
		}
		const rounds = 30
		for round := range rounds {
			admin := kernel.NewID(at(1000 + round)) // a role of its own per round
			pair := []*identity.User{newUser(at(2*round), fmt.Sprintf("a%d@example.com", round)), newUser(at(2*round+1), fmt.Sprintf("b%d@example.com", round))}
			for _, u := range pair {
				set(u, func(s *identity.UserSnapshot) { s.RoleIDs = []string{admin} })
				porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
			}
			errs := porttestkit.Concurrently(2, func(i int) error {
				return removals[(round+i)%len(removals)](t.Context(), pair[1-i].ID(), admin)
			})
			porttestkit.OneSucceeded(t, errs, identity.ErrLastAdmin)
			left, err := repo.ListWithRole(t.Context(), admin)
			porttestkit.MustNil(t, err, "ListWithRole")
			administering := 0
			for _, u := range left {
				if u.Administers(admin) {
					administering++
				}
			}
			porttestkit.Eq(t, fmt.Sprintf("round %d: active administrators left", round), administering, 1)
		}
	})

	t.Run("remove_role_from_all_removes_only_that_role", func(t *testing.T) {
		repo := newRepo(t)
		gone, kept := kernel.NewID(at(100)), kernel.NewID(at(101))
		holders := map[string][]string{ // email → roles before
			"both@example.com":      {kept, gone},
			"gone-only@example.com": {gone},
			"kept-only@example.com": {kept},
			"none@example.com":      nil,
		}
		users := map[string]*identity.User{}
		i := 0
		for email, roles := range holders {
			u := newUser(at(i), email)
			set(u, func(s *identity.UserSnapshot) { s.RoleIDs = roles })
			porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create "+email)
			users[email] = u
			i++
		}
		porttestkit.MustNil(t, repo.RemoveRoleFromAll(t.Context(), gone), "RemoveRoleFromAll")

		wantRoles := map[string][]string{
			"both@example.com":      {kept},
			"gone-only@example.com": nil,
			"kept-only@example.com": {kept},
			"none@example.com":      nil,
		}
		for email, want := range wantRoles {
			got, err := repo.Get(t.Context(), users[email].ID())
			porttestkit.MustNil(t, err, "Get "+email)
			porttestkit.SameStrings(t, email+" RoleIDs", got.RoleIDs(), want)
			porttestkit.Eq(t, email+" Name", got.Name(), users[email].Name())
		}
		n, err := repo.CountWithRole(t.Context(), gone)
		porttestkit.MustNil(t, err, "CountWithRole")
		porttestkit.Eq(t, "holders of the removed role", n, 0)

		// the users stay updatable (their versions stay consistent)
		got, err := repo.Update(t.Context(), users["both@example.com"].ID(), func(x *identity.User) error {
			set(x, func(s *identity.UserSnapshot) { s.Name = "Still updatable" })
			return nil
		})
		porttestkit.MustNil(t, err, "Update after RemoveRoleFromAll")
		porttestkit.SameStrings(t, "RoleIDs after Update", got.RoleIDs(), []string{kept})
	})

	t.Run("count_and_list_with_role", func(t *testing.T) {
		repo := newRepo(t)
		role, other := kernel.NewID(at(100)), kernel.NewID(at(101))
		var want []string
		for i, roles := range [][]string{{role}, {other}, {other, role}, nil, {role}} {
			u := newUser(at(10-i), fmt.Sprintf("user%d@example.com", i)) // ids in reverse creation order
			set(u, func(s *identity.UserSnapshot) { s.RoleIDs = roles })
			porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
			if slices.Contains(roles, role) {
				want = append(want, u.ID())
			}
		}
		slices.Sort(want)

		n, err := repo.CountWithRole(t.Context(), role)
		porttestkit.MustNil(t, err, "CountWithRole")
		porttestkit.Eq(t, "CountWithRole", n, int64(len(want)))
		got, err := repo.ListWithRole(t.Context(), role)
		porttestkit.MustNil(t, err, "ListWithRole")
		porttestkit.SameStrings(t, "ListWithRole ids", userIDs(got), want)
		for _, u := range got {
			if !u.HasRole(role) {
				t.Errorf("listed user %s does not hold the role", u.ID())
			}
		}

		unknown := kernel.NewID(at(102))
		n, err = repo.CountWithRole(t.Context(), unknown)
		porttestkit.MustNil(t, err, "CountWithRole unknown")
		porttestkit.Eq(t, "CountWithRole unknown", n, 0)
		got, err = repo.ListWithRole(t.Context(), unknown)
		porttestkit.MustNil(t, err, "ListWithRole unknown")
		porttestkit.Eq(t, "ListWithRole unknown", len(got), 0)
	})
}
