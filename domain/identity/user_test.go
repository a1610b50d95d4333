package identity_test

import (
	"errors"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
)

var (
	t0     = time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	policy = identity.LockoutPolicy{Threshold: 5, Duration: 15 * time.Minute}
)

// failTimes records n failed logins one second apart from start and returns
// what each reported.
func failTimes(u *identity.User, start time.Time, n int) []bool {
	out := make([]bool, n)
	for i := range n {
		out[i] = u.RecordFailedLogin(start.Add(time.Duration(i)*time.Second), policy)
	}
	return out
}

func TestLockout(t *testing.T) {
	t.Parallel()
	fifth := t0.Add(4 * time.Second) // the time of the fifth failure
	until := fifth.Add(policy.Duration)

	t.Run("four_failures_do_not_lock", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		for i, locked := range failTimes(u, t0, 4) {
			if locked {
				t.Errorf("failure %d locked the account", i+1)
			}
		}
		if u.Auth().FailedLoginAttempts != 4 || u.Auth().LockedUntil != nil {
			t.Errorf("after 4 failures: attempts %d, locked until %v", u.Auth().FailedLoginAttempts, u.Auth().LockedUntil)
		}
		if locked, _ := u.LockedAt(t0.Add(4 * time.Second)); locked {
			t.Error("LockedAt reports a lock after 4 failures")
		}
	})

	t.Run("fifth_failure_locks_for_the_duration", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		got := failTimes(u, t0, 5)
		if !got[4] {
			t.Fatal("the fifth failure did not report locking")
		}
		if u.Auth().LockedUntil == nil || !u.Auth().LockedUntil.Equal(until) {
			t.Fatalf("LockedUntil = %v, want %v", u.Auth().LockedUntil, until)
		}
		if u.Auth().FailedLoginAttempts != 5 {
			t.Errorf("attempts = %d, want 5", u.Auth().FailedLoginAttempts)
		}
	})

	t.Run("locked_at_before_and_after_expiry", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		failTimes(u, t0, 5)
		cases := []struct {
			name   string
			at     time.Time
			locked bool
		}{
			{"at_the_locking_failure", fifth, true},
			{"halfway", fifth.Add(policy.Duration / 2), true},
			{"just_before_expiry", until.Add(-time.Nanosecond), true},
			{"at_expiry", until, false},
			{"after_expiry", until.Add(time.Hour), false},
		}
		for _, c := range cases {
			locked, gotUntil := u.LockedAt(c.at)
			if locked != c.locked {
				t.Errorf("%s: LockedAt = %t, want %t", c.name, locked, c.locked)
			}
			switch {
			case locked && !gotUntil.Equal(until):
				t.Errorf("%s: until = %v, want %v", c.name, gotUntil, until)
			case !locked && !gotUntil.IsZero():
				t.Errorf("%s: until = %v, want the zero time when not locked", c.name, gotUntil)
			}
		}
	})

	t.Run("expired_lock_restarts_the_count", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		failTimes(u, t0, 5)
		if u.RecordFailedLogin(until, policy) {
			t.Error("the first failure after expiry locked again")
		}
		if u.Auth().FailedLoginAttempts != 1 || u.Auth().LockedUntil != nil {
			t.Errorf("after expiry: attempts %d, locked until %v; want 1 and none", u.Auth().FailedLoginAttempts, u.Auth().LockedUntil)
		}
		// it takes a full threshold again to lock
		got := failTimes(u, until.Add(time.Second), 4)
		if !got[3] || got[2] {
			t.Errorf("failures after expiry reported %v, want the 5th in total to lock", got)
		}
		if locked, _ := u.LockedAt(until.Add(5 * time.Second)); !locked {
			t.Error("not locked again after another threshold of failures")
		}
	})

	t.Run("success_resets_the_count", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		failTimes(u, t0, 4)
		login := t0.Add(time.Minute)
		u.RecordSuccessfulLogin(login, u.Auth().FailedLoginAttempts)
		if u.Auth().FailedLoginAttempts != 0 || u.Auth().LockedUntil != nil {
			t.Errorf("after success: attempts %d, locked until %v", u.Auth().FailedLoginAttempts, u.Auth().LockedUntil)
		}
		if u.Auth().LastLogin == nil || !u.Auth().LastLogin.Equal(login) {
			t.Errorf("LastLogin = %v, want %v", u.Auth().LastLogin, login)
		}
		// the count starts over: four more failures do not lock
		for i, locked := range failTimes(u, login.Add(time.Second), 4) {
			if locked {
				t.Errorf("failure %d after a success locked the account", i+1)
			}
		}
	})

	t.Run("clear_lockout_lifts_an_active_lock", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		failTimes(u, t0, 5)
		u.ClearLockout()
		if locked, _ := u.LockedAt(fifth); locked || u.Auth().FailedLoginAttempts != 0 {
			t.Errorf("after ClearLockout: locked %t, attempts %d", locked, u.Auth().FailedLoginAttempts)
		}
		if u.Auth().LastLogin != nil {
			t.Error("ClearLockout set LastLogin")
		}
	})

	t.Run("threshold_of_one_locks_at_once", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		if !u.RecordFailedLogin(t0, identity.LockoutPolicy{Threshold: 1, Duration: time.Minute}) {
			t.Error("a threshold of 1 did not lock on the first failure")
		}
	})
}

func TestHasRole(t *testing.T) {
	t.Parallel()
	u := identity.RestoreUser(identity.UserSnapshot{RoleIDs: []string{"a", "b"}})
	cases := map[string]bool{"a": true, "b": true, "c": false, "": false}
	for role, want := range cases {
		if got := u.HasRole(role); got != want {
			t.Errorf("HasRole(%q) = %t, want %t", role, got, want)
		}
	}
	if (&identity.User{}).HasRole("a") {
		t.Error("a user without roles holds one")
	}
}

func TestOneTimeTokenUsable(t *testing.T) {
	t.Parallel()
	used := t0.Add(time.Minute)
	tok := identity.OneTimeToken{Purpose: identity.PurposePasswordReset, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	cases := []struct {
		name    string
		edit    func(*identity.OneTimeToken)
		at      time.Time
		purpose identity.TokenPurpose
		want    bool
	}{
		{"fresh", func(*identity.OneTimeToken) {}, t0.Add(time.Minute), identity.PurposePasswordReset, true},
		{"other_purpose", func(*identity.OneTimeToken) {}, t0.Add(time.Minute), identity.PurposeVerifyEmail, false},
		{"just_before_expiry", func(*identity.OneTimeToken) {}, t0.Add(time.Hour - time.Nanosecond), identity.PurposePasswordReset, true},
		{"at_expiry", func(*identity.OneTimeToken) {}, t0.Add(time.Hour), identity.PurposePasswordReset, false},
		{"used", func(x *identity.OneTimeToken) { x.UsedAt = &used }, t0.Add(2 * time.Minute), identity.PurposePasswordReset, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			x := tok
			c.edit(&x)
			if got := x.UsableAt(c.at, c.purpose); got != c.want {
				t.Errorf("UsableAt = %t, want %t", got, c.want)
			}
		})
	}
}

func TestReserveLoginAttempt(t *testing.T) {
	t.Parallel()

	t.Run("the_threshold_of_reservations_locks_and_the_next_is_refused_unchecked", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		for i := range policy.Threshold {
			lockedNow, err := u.ReserveLoginAttempt(t0, policy)
			if err != nil || lockedNow != (i == policy.Threshold-1) {
				t.Fatalf("reservation %d: locked now %t, %v", i+1, lockedNow, err)
			}
		}
		_, err := u.ReserveLoginAttempt(t0, policy)
		var locked *identity.LockedError
		if !errors.As(err, &locked) || !locked.Until.Equal(t0.Add(policy.Duration)) {
			t.Fatalf("reservation past the threshold: %v, want locked until %v", err, t0.Add(policy.Duration))
		}
		if u.Auth().FailedLoginAttempts != policy.Threshold {
			t.Errorf("a refused attempt was counted: %d", u.Auth().FailedLoginAttempts)
		}
	})

	t.Run("a_right_password_after_the_locking_reservation_takes_the_lock_back", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		for range policy.Threshold {
			if _, err := u.ReserveLoginAttempt(t0, policy); err != nil {
				t.Fatal(err)
			}
		}
		u.RecordSuccessfulLogin(t0, u.Auth().FailedLoginAttempts)
		if locked, _ := u.LockedAt(t0); locked || u.Auth().FailedLoginAttempts != 0 {
			t.Fatalf("after the right password: locked %t, attempts %d", locked, u.Auth().FailedLoginAttempts)
		}
	})

	t.Run("an_expired_lock_admits_again", func(t *testing.T) {
		t.Parallel()
		u := &identity.User{}
		failTimes(u, t0, policy.Threshold)
		after := t0.Add(time.Duration(policy.Threshold)*time.Second + policy.Duration)
		if lockedNow, err := u.ReserveLoginAttempt(after, policy); err != nil || lockedNow {
			t.Fatalf("after the lock expired: locked now %t, %v", lockedNow, err)
		}
		if u.Auth().FailedLoginAttempts != 1 {
			t.Errorf("attempts = %d, want the count started again", u.Auth().FailedLoginAttempts)
		}
	})
}

// A right password takes back its own reservation only: attempts reserved
// while it was checked keep counting, and a lock one of them set stays.
func TestASuccessKeepsTheAttemptsReservedAlongsideIt(t *testing.T) {
	p := identity.LockoutPolicy{Threshold: 3, Duration: time.Minute}
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	u := &identity.User{}
	if _, err := u.ReserveLoginAttempt(now, p); err != nil { // the right one
		t.Fatal(err)
	}
	reserved := u.Auth().FailedLoginAttempts
	for range 2 { // two wrong ones alongside it, the second locks
		if _, err := u.ReserveLoginAttempt(now, p); err != nil {
			t.Fatal(err)
		}
	}
	u.RecordSuccessfulLogin(now, reserved)
	if u.Auth().FailedLoginAttempts != 2 || u.Auth().LockedUntil == nil {
		t.Fatalf("after the success: %d failures, locked until %v; want 2 and the lock kept", u.Auth().FailedLoginAttempts, u.Auth().LockedUntil)
	}
	v := &identity.User{}
	_, _ = v.ReserveLoginAttempt(now, p)
	v.RecordSuccessfulLogin(now, v.Auth().FailedLoginAttempts)
	if v.Auth().FailedLoginAttempts != 0 || v.Auth().LockedUntil != nil {
		t.Fatalf("a success with nothing reserved since: %+v", v.Auth())
	}
}

func TestNewUser(t *testing.T) {
	t.Parallel()
	t.Run("checks_and_normalises_name_and_address", func(t *testing.T) {
		t.Parallel()
		u, err := identity.NewUser("u1", "  Ada Lovelace ", " Ada@Example.ORG ", "hash", []string{"r1"}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID() != "u1" || u.Name() != "Ada Lovelace" || u.Email() != "ada@example.org" || !u.Active() ||
			u.PasswordHash() != "hash" || !u.HasRole("r1") || u.Auth().EmailVerified || !u.CreatedAt().Equal(t0) || !u.UpdatedAt().Equal(t0) {
			t.Errorf("user %+v", u.Snapshot())
		}
	})
	for name, tc := range map[string]struct {
		name, email string
		want        error
	}{
		"short_name":           {"A", "ada@example.org", identity.ErrInvalidName},
		"name_with_a_newline":  {"Ada\nLovelace", "ada@example.org", identity.ErrInvalidName},
		"address_without_at":   {"Ada", "ada.example.org", identity.ErrInvalidEmail},
		"address_without_host": {"Ada", "ada@", identity.ErrInvalidEmail},
	} {
		t.Run(name+"_is_refused", func(t *testing.T) {
			t.Parallel()
			u, err := identity.NewUser("u1", tc.name, tc.email, "hash", nil, t0)
			if !errors.Is(err, tc.want) || u != nil {
				t.Errorf("NewUser(%q, %q) = %v, %v; want %v", tc.name, tc.email, u, err, tc.want)
			}
		})
	}
}

func TestChangeAccount(t *testing.T) {
	t.Parallel()
	later := t0.Add(time.Hour)
	verified := func() *identity.User {
		return identity.RestoreUser(identity.UserSnapshot{ID: "u1", Name: "Ada", Email: "ada@example.org", Active: true,
			RoleIDs: []string{"r1"}, Auth: identity.AuthState{EmailVerified: true}, CreatedAt: t0, UpdatedAt: t0})
	}
	str := func(s string) *string { return &s }
	boolean := func(b bool) *bool { return &b }

	t.Run("a_new_address_is_not_verified_and_disabling_is_reported", func(t *testing.T) {
		t.Parallel()
		u := verified()
		roles := []string{"r2"}
		disabled, err := u.ChangeAccount(identity.AccountChange{Name: str(" Ada L. "), Email: str("Countess@Example.org"),
			Active: boolean(false), RoleIDs: &roles}, later)
		if err != nil || !disabled {
			t.Fatalf("ChangeAccount = %v, %v; want disabled", disabled, err)
		}
		if u.Name() != "Ada L." || u.Email() != "countess@example.org" || u.Auth().EmailVerified || u.Active() ||
			u.HasRole("r1") || !u.HasRole("r2") || !u.UpdatedAt().Equal(later) {
			t.Errorf("user %+v", u.Snapshot())
		}
		roles[0] = "changed"
		if !u.HasRole("r2") {
			t.Error("the user shares its roles with the change")
		}
	})
	t.Run("the_same_address_stays_verified_and_an_inactive_user_is_not_disabled_again", func(t *testing.T) {
		t.Parallel()
		u := verified()
		if disabled, err := u.ChangeAccount(identity.AccountChange{Email: str("ADA@example.org"), Active: boolean(false)}, later); err != nil || !disabled {
			t.Fatalf("first ChangeAccount = %v, %v", disabled, err)
		}
		if !u.Auth().EmailVerified {
			t.Error("the same address lost its verification")
		}
		if disabled, err := u.ChangeAccount(identity.AccountChange{Active: boolean(false)}, later); err != nil || disabled {
			t.Errorf("second ChangeAccount = %v, %v; want not disabled again", disabled, err)
		}
	})
	for name, c := range map[string]identity.AccountChange{
		"a_blank_name":        {Name: str("  "), Active: boolean(false)},
		"a_malformed_address": {Email: str("not-an-address"), Active: boolean(false)},
	} {
		t.Run(name+"_is_refused_and_nothing_changes", func(t *testing.T) {
			t.Parallel()
			u := verified()
			if _, err := u.ChangeAccount(c, later); err == nil || !errors.Is(err, identity.ErrInvalidName) && !errors.Is(err, identity.ErrInvalidEmail) {
				t.Fatalf("ChangeAccount = %v, want a refusal", err)
			}
			if u.Name() != "Ada" || u.Email() != "ada@example.org" || !u.Active() || !u.UpdatedAt().Equal(t0) {
				t.Errorf("user changed: %+v", u.Snapshot())
			}
		})
	}
}

func TestVerifyEmail(t *testing.T) {
	t.Parallel()
	u, _ := identity.NewUser("u1", "Ada", "ada@example.org", "hash", nil, t0)
	if err := u.VerifyEmail("old@example.org", t0.Add(time.Minute)); !errors.Is(err, identity.ErrInvalidOneTime) || u.Auth().EmailVerified {
		t.Errorf("VerifyEmail(another address) = %v, verified %v", err, u.Auth().EmailVerified)
	}
	if err := u.VerifyEmail("ada@example.org", t0.Add(time.Minute)); err != nil || !u.Auth().EmailVerified || !u.UpdatedAt().Equal(t0.Add(time.Minute)) {
		t.Errorf("VerifyEmail(its address) = %v, %+v", err, u.Snapshot())
	}
}

func TestChangePasswordLiftsTheLock(t *testing.T) {
	t.Parallel()
	u, _ := identity.NewUser("u1", "Ada", "ada@example.org", "old", nil, t0)
	failTimes(u, t0, policy.Threshold)
	if locked, _ := u.LockedAt(t0.Add(time.Minute)); !locked {
		t.Fatal("the failures did not lock the account")
	}
	u.ChangePassword("new", t0.Add(time.Minute))
	if locked, _ := u.LockedAt(t0.Add(time.Minute)); locked || u.Auth().FailedLoginAttempts != 0 || u.PasswordHash() != "new" ||
		!u.UpdatedAt().Equal(t0.Add(time.Minute)) {
		t.Errorf("after ChangePassword: %+v", u.Snapshot())
	}
	u.RehashPassword("stronger")
	if u.PasswordHash() != "stronger" || !u.UpdatedAt().Equal(t0.Add(time.Minute)) {
		t.Errorf("after RehashPassword: %+v", u.Snapshot())
	}
}

func TestUserSnapshotsAndClonesShareNothing(t *testing.T) {
	t.Parallel()
	last, until := t0, t0.Add(time.Hour)
	s := identity.UserSnapshot{ID: "u1", RoleIDs: []string{"r1"}, Auth: identity.AuthState{LastLogin: &last, LockedUntil: &until}, Revision: 3}
	u := identity.RestoreUser(s)
	s.RoleIDs[0], last, until = "changed", t0.Add(24*time.Hour), t0.Add(24*time.Hour)
	c := u.Clone()
	c.RemoveRole("r1", t0)
	got := u.Snapshot()
	*got.Auth.LastLogin = t0.Add(48 * time.Hour)
	*u.Auth().LockedUntil = t0.Add(48 * time.Hour)
	if !u.HasRole("r1") || !u.Auth().LastLogin.Equal(t0) || !u.Auth().LockedUntil.Equal(t0.Add(time.Hour)) {
		t.Errorf("the user changed with a snapshot, a clone or an accessor's copy: %+v", u.Snapshot())
	}
	u.BumpRevision()
	if u.Revision() != 4 {
		t.Errorf("revision %d after a bump, want 4", u.Revision())
	}
}
