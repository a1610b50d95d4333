package identity

import (
	"slices"
	"time"
)

// User is the identity aggregate: who someone is and how they authenticate.
type User struct {
	ID           string
	Name         string
	Email        string // lower-cased
	Active       bool   // the seed's "status"; false = disabled
	RoleIDs      []string
	PasswordHash string // PHC-encoded argon2id, or a legacy bcrypt hash
	Auth         AuthState
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Revision increases on every change; repositories use it for optimistic concurrency.
	Revision int64
}

// AuthState is the authentication bookkeeping of a user.
type AuthState struct {
	EmailVerified       bool
	LastLogin           *time.Time
	FailedLoginAttempts int
	LockedUntil         *time.Time
}

// LockoutPolicy says how many consecutive failures lock an account, and for how long.
type LockoutPolicy struct {
	Threshold int
	Duration  time.Duration
}

// LockedAt reports whether the account is locked at now, and until when.
func (u *User) LockedAt(now time.Time) (bool, time.Time) {
	if u.Auth.LockedUntil != nil && now.Before(*u.Auth.LockedUntil) {
		return true, *u.Auth.LockedUntil
	}
	return false, time.Time{}
}

// RecordFailedLogin counts a failed login; reaching the threshold locks the
// account. It reports whether this failure locked it.
func (u *User) RecordFailedLogin(now time.Time, p LockoutPolicy) (lockedNow bool) {
	if u.Auth.LockedUntil != nil && !now.Before(*u.Auth.LockedUntil) {
		// The previous lock has expired: counting starts again.
		u.Auth.LockedUntil = nil
		u.Auth.FailedLoginAttempts = 0
	}
	u.Auth.FailedLoginAttempts++
	if u.Auth.FailedLoginAttempts >= p.Threshold {
		until := now.Add(p.Duration)
		u.Auth.LockedUntil = &until
		return true
	}
	return false
}

// ReserveLoginAttempt counts an attempt as failed before its password is
// checked, in the same atomic step that finds the account unlocked: so that
// however many attempts arrive at once, at most the threshold of passwords
// is ever checked before the account locks, and an attempt that finds it
// locked is refused (a *LockedError) without a check. The reservation that
// reaches the threshold locks the account (lockedNow); a right password takes
// it all back (RecordSuccessfulLogin, ClearLockout).
func (u *User) ReserveLoginAttempt(now time.Time, p LockoutPolicy) (lockedNow bool, err error) {
	if locked, until := u.LockedAt(now); locked {
		return false, &LockedError{Until: until}
	}
	return u.RecordFailedLogin(now, p), nil
}

// RecordSuccessfulLogin stamps the login time and takes back the login's
// own reservation, reserved being the failure count that reservation left
// (ReserveLoginAttempt; 0 when none was made). When no attempt was reserved
// since, the count restarts from zero and any lock goes; when others were,
// their checks run alongside this one, so they keep counting, and a lock one
// of them set stays.
func (u *User) RecordSuccessfulLogin(now time.Time, reserved int) {
	if u.Auth.FailedLoginAttempts <= reserved {
		u.Auth.FailedLoginAttempts = 0
		u.Auth.LockedUntil = nil
	} else {
		u.Auth.FailedLoginAttempts--
	}
	u.Auth.LastLogin = &now
}

// ClearLockout lifts a lock (after a password reset).
func (u *User) ClearLockout() {
	u.Auth.FailedLoginAttempts = 0
	u.Auth.LockedUntil = nil
}

// HasRole reports whether the user holds the role id.
func (u *User) HasRole(roleID string) bool { return slices.Contains(u.RoleIDs, roleID) }

// AddRole gives the user roleID (nothing changes when it holds it already).
func (u *User) AddRole(roleID string, now time.Time) {
	if !u.HasRole(roleID) {
		u.RoleIDs = append(u.RoleIDs, roleID)
		u.UpdatedAt = now
	}
}

// RemoveRole takes roleID from the user.
func (u *User) RemoveRole(roleID string, now time.Time) {
	u.RoleIDs = slices.DeleteFunc(u.RoleIDs, func(id string) bool { return id == roleID })
	u.UpdatedAt = now
}

// Administers reports whether u is an active holder of the admin role
// adminRoleID: a disabled administrator cannot sign in, so does not count.
func (u *User) Administers(adminRoleID string) bool { return u.Active && u.HasRole(adminRoleID) }

// StopsAdministering reports whether the change from before to after takes
// administration away: after that, another active administrator must remain
// (ErrLastAdmin otherwise).
func StopsAdministering(before, after *User, adminRoleID string) bool {
	return before.Administers(adminRoleID) && (after == nil || !after.Administers(adminRoleID))
}
