package identity

import (
	"slices"
	"time"
)

// User is the identity aggregate: who someone is and how they authenticate.
// The fields are unexported so that only NewUser and the methods change them:
// a name or address that fails ParseName or ParseEmail, an address change that
// keeps the old address's verification, or a lockout counted outside its
// rules, cannot be set by a use case, an adapter or the wiring.
type User struct {
	id           string
	name         string
	email        string // lower-cased
	active       bool   // the seed's "status"; false = disabled
	roleIDs      []string
	passwordHash string // PHC-encoded argon2id, or a legacy bcrypt hash
	auth         AuthState
	createdAt    time.Time
	updatedAt    time.Time
	revision     int64
}

// NewUser returns an active user id, made at at, holding roleIDs and signing
// in with passwordHash; the name and address are checked (ParseName,
// ParseEmail: ErrInvalidName, ErrInvalidEmail) and the address is not
// verified yet.
func NewUser(id, name, email, passwordHash string, roleIDs []string, at time.Time) (*User, error) {
	name, err := checkName(name)
	if err != nil {
		return nil, err
	}
	email, err = checkEmail(email)
	if err != nil {
		return nil, err
	}
	return &User{
		id: id, name: name, email: email, active: true, roleIDs: slices.Clone(roleIDs), passwordHash: passwordHash,
		createdAt: at, updatedAt: at,
	}, nil
}

func checkName(raw string) (string, error) {
	name, vs := ParseName(raw)
	if len(vs) > 0 {
		return "", ErrInvalidName.WithMessage(vs[0].Msg)
	}
	return name, nil
}

func checkEmail(raw string) (string, error) {
	email, vs := ParseEmail(raw)
	if len(vs) > 0 {
		return "", ErrInvalidEmail.WithMessage(vs[0].Msg)
	}
	return email, nil
}

// UserSnapshot is a user's state as plain values. It is for repositories
// only: they store what User.Snapshot returns and rebuild a stored user with
// RestoreUser, which runs none of NewUser's rules (the state passed them when
// it was made).
type UserSnapshot struct {
	ID           string
	Name         string
	Email        string
	Active       bool
	RoleIDs      []string
	PasswordHash string
	Auth         AuthState
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Revision     int64
}

// RestoreUser rebuilds a stored user from its snapshot (for repositories only).
func RestoreUser(s UserSnapshot) *User {
	return &User{
		id: s.ID, name: s.Name, email: s.Email, active: s.Active, roleIDs: slices.Clone(s.RoleIDs),
		passwordHash: s.PasswordHash, auth: s.Auth.clone(), createdAt: s.CreatedAt, updatedAt: s.UpdatedAt,
		revision: s.Revision,
	}
}

// Snapshot returns the user's state for a repository to store.
func (u *User) Snapshot() UserSnapshot {
	return UserSnapshot{
		ID: u.id, Name: u.name, Email: u.email, Active: u.active, RoleIDs: slices.Clone(u.roleIDs),
		PasswordHash: u.passwordHash, Auth: u.auth.clone(), CreatedAt: u.createdAt, UpdatedAt: u.updatedAt,
		Revision: u.revision,
	}
}

// Clone returns a deep copy (repositories hand out copies, never their own state).
func (u *User) Clone() *User {
	c := *u
	c.roleIDs = slices.Clone(u.roleIDs)
	c.auth = u.auth.clone()
	return &c
}

// ID is the user's id.
func (u *User) ID() string { return u.id }

// Name is the user's display name.
func (u *User) Name() string { return u.name }

// Email is the user's address, lower-cased.
func (u *User) Email() string { return u.email }

// Active reports whether the account is enabled (the seed's "status").
func (u *User) Active() bool { return u.active }

// RoleIDs are the roles the user holds (a copy).
func (u *User) RoleIDs() []string { return slices.Clone(u.roleIDs) }

// PasswordHash is the PHC-encoded argon2id hash, or a legacy bcrypt one.
func (u *User) PasswordHash() string { return u.passwordHash }

// Auth is the user's authentication bookkeeping (a copy).
func (u *User) Auth() AuthState { return u.auth.clone() }

// CreatedAt is when the user was created.
func (u *User) CreatedAt() time.Time { return u.createdAt }

// UpdatedAt is when the user's account last changed.
func (u *User) UpdatedAt() time.Time { return u.updatedAt }

// Revision increases on every stored change; repositories use it for
// optimistic concurrency.
func (u *User) Revision() int64 { return u.revision }

// BumpRevision counts one more stored change: repositories call it once on
// every write (the first makes revision 1).
func (u *User) BumpRevision() { u.revision++ }

// AccountChange is a partial change of a user's account; nil fields stay as
// they are.
type AccountChange struct {
	Name    *string
	Email   *string
	Active  *bool
	RoleIDs *[]string
}

// ChangeAccount applies c at at and reports whether it disabled the account.
// The name and address are checked (ErrInvalidName, ErrInvalidEmail: nothing
// changes); a new address is not verified yet.
func (u *User) ChangeAccount(c AccountChange, at time.Time) (disabled bool, err error) {
	name, email := u.name, u.email
	if c.Name != nil {
		if name, err = checkName(*c.Name); err != nil {
			return false, err
		}
	}
	if c.Email != nil {
		if email, err = checkEmail(*c.Email); err != nil {
			return false, err
		}
	}
	if email != u.email {
		u.auth.EmailVerified = false
	}
	u.name, u.email = name, email
	if c.Active != nil {
		disabled = u.active && !*c.Active
		u.active = *c.Active
	}
	if c.RoleIDs != nil {
		u.roleIDs = slices.Clone(*c.RoleIDs)
	}
	u.updatedAt = at
	return disabled, nil
}

// VerifyEmail marks address verified: a verification proves the address it
// was mailed to, so one for another address than the user's is refused
// (ErrInvalidOneTime).
func (u *User) VerifyEmail(address string, at time.Time) error {
	if address != u.email {
		return ErrInvalidOneTime
	}
	u.auth.EmailVerified, u.updatedAt = true, at
	return nil
}

// ChangePassword makes hash the user's password and lifts any lock: the new
// password was chosen by someone who proved they may (a reset link, the
// current password).
func (u *User) ChangePassword(hash string, at time.Time) {
	u.passwordHash, u.updatedAt = hash, at
	u.ClearLockout()
}

// RehashPassword replaces the hash of the same password by another (a
// stronger one, after a login that checked it); the account itself does not
// change.
func (u *User) RehashPassword(hash string) { u.passwordHash = hash }

// AuthState is the authentication bookkeeping of a user.
type AuthState struct {
	EmailVerified       bool
	LastLogin           *time.Time
	FailedLoginAttempts int
	LockedUntil         *time.Time
}

// clone copies the times a's pointers share.
func (a AuthState) clone() AuthState {
	a.LastLogin, a.LockedUntil = copyTime(a.LastLogin), copyTime(a.LockedUntil)
	return a
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// LockoutPolicy says how many consecutive failures lock an account, and for how long.
type LockoutPolicy struct {
	Threshold int
	Duration  time.Duration
}

// LockedAt reports whether the account is locked at now, and until when.
func (u *User) LockedAt(now time.Time) (bool, time.Time) {
	if u.auth.LockedUntil != nil && now.Before(*u.auth.LockedUntil) {
		return true, *u.auth.LockedUntil
	}
	return false, time.Time{}
}

// RecordFailedLogin counts a failed login; reaching the threshold locks the
// account. It reports whether this failure locked it.
func (u *User) RecordFailedLogin(now time.Time, p LockoutPolicy) (lockedNow bool) {
	if u.auth.LockedUntil != nil && !now.Before(*u.auth.LockedUntil) {
		// The previous lock has expired: counting starts again.
		u.auth.LockedUntil = nil
		u.auth.FailedLoginAttempts = 0
	}
	u.auth.FailedLoginAttempts++
	if u.auth.FailedLoginAttempts >= p.Threshold {
		until := now.Add(p.Duration)
		u.auth.LockedUntil = &until
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
	if u.auth.FailedLoginAttempts <= reserved {
		u.auth.FailedLoginAttempts = 0
		u.auth.LockedUntil = nil
	} else {
		u.auth.FailedLoginAttempts--
	}
	u.auth.LastLogin = &now
}

// ClearLockout lifts a lock (after a password reset).
func (u *User) ClearLockout() {
	u.auth.FailedLoginAttempts = 0
	u.auth.LockedUntil = nil
}

// HasRole reports whether the user holds the role id.
func (u *User) HasRole(roleID string) bool { return slices.Contains(u.roleIDs, roleID) }

// AddRole gives the user roleID (nothing changes when it holds it already).
func (u *User) AddRole(roleID string, now time.Time) {
	if !u.HasRole(roleID) {
		u.roleIDs = append(u.roleIDs, roleID)
		u.updatedAt = now
	}
}

// RemoveRole takes roleID from the user.
func (u *User) RemoveRole(roleID string, now time.Time) {
	u.roleIDs = slices.DeleteFunc(u.roleIDs, func(id string) bool { return id == roleID })
	u.updatedAt = now
}

// Administers reports whether u is an active holder of the admin role
// adminRoleID: a disabled administrator cannot sign in, so does not count.
func (u *User) Administers(adminRoleID string) bool { return u.active && u.HasRole(adminRoleID) }

// StopsAdministering reports whether the change from before to after takes
// administration away: after that, another active administrator must remain
// (ErrLastAdmin otherwise).
func StopsAdministering(before, after *User, adminRoleID string) bool {
	return before.Administers(adminRoleID) && (after == nil || !after.Administers(adminRoleID))
}
