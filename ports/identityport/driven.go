// Package identityport declares what the identity application needs (driven ports)
// and what it offers to drivers such as the HTTP adapter (driving ports).
package identityport

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// UserRepository stores users. Emails are unique (ErrEmailTaken on a duplicate).
type UserRepository interface {
	Create(ctx context.Context, u *identity.User) error
	Get(ctx context.Context, id string) (*identity.User, error)
	GetByEmail(ctx context.Context, email string) (*identity.User, error)
	// List returns users ordered by id, and the total count.
	List(ctx context.Context, skip, limit int) ([]*identity.User, int64, error)
	// Update loads the user, applies fn and stores the result atomically
	// (optimistic concurrency: fn may run more than once). An fn error aborts.
	Update(ctx context.Context, id string, fn func(u *identity.User) error) (*identity.User, error)
	Delete(ctx context.Context, id string) error
	// UpdateKeepingAdmin is Update for a change that may end the user's
	// administration (their admin role, adminRoleID, or their activity): when
	// it would leave no active holder of adminRoleID it fails with
	// identity.ErrLastAdmin and changes nothing. The check and the write are
	// one atomic step, so that two administrators removing each other at once
	// never both succeed, on every replica.
	UpdateKeepingAdmin(ctx context.Context, id, adminRoleID string, fn func(u *identity.User) error) (*identity.User, error)
	// DeleteKeepingAdmin is Delete, refused with identity.ErrLastAdmin as
	// UpdateKeepingAdmin refuses.
	DeleteKeepingAdmin(ctx context.Context, id, adminRoleID string) error
	// RemoveRoleFromAll takes roleID away from every user.
	RemoveRoleFromAll(ctx context.Context, roleID string) error
	// CountWithRole counts users holding roleID.
	CountWithRole(ctx context.Context, roleID string) (int64, error)
	// ListWithRole lists users holding roleID.
	ListWithRole(ctx context.Context, roleID string) ([]*identity.User, error)
}

// SessionRepository stores sessions.
type SessionRepository interface {
	Create(ctx context.Context, s *identity.Session) error
	Get(ctx context.Context, id string) (*identity.Session, error)
	// Update applies fn atomically, like UserRepository.Update.
	Update(ctx context.Context, id string, fn func(s *identity.Session) error) (*identity.Session, error)
	// RevokeAllForUser revokes every live session of userID except exceptID ("" for none)
	// and returns the ids it revoked.
	RevokeAllForUser(ctx context.Context, userID, exceptID string, at time.Time) ([]string, error)
	// ListForUser lists the sessions of userID that are not revoked, newest first.
	ListForUser(ctx context.Context, userID string) ([]*identity.Session, error)
}

// OneTimeTokenRepository stores hashed single-use tokens.
type OneTimeTokenRepository interface {
	Create(ctx context.Context, t *identity.OneTimeToken) error
	Get(ctx context.Context, id string) (*identity.OneTimeToken, error)
	// Consume marks the token used; it fails with identity.ErrInvalidOneTime when it was used already.
	Consume(ctx context.Context, id string, at time.Time) error
	// ConsumeAll marks every unused token of userID with purpose used, at once
	// (a password reset, a password or email change voids the outstanding
	// reset links).
	ConsumeAll(ctx context.Context, userID string, purpose identity.TokenPurpose, at time.Time) error
}

// PasswordHasher hashes and verifies passwords.
type PasswordHasher interface {
	Hash(ctx context.Context, password string) (string, error)
	// Verify reports whether password matches encoded, and whether encoded should be
	// replaced by a fresh Hash (legacy bcrypt, weaker parameters).
	Verify(ctx context.Context, password, encoded string) (ok, rehash bool, err error)
	// DummyVerify costs what a Verify costs, for logins of unknown emails.
	DummyVerify(ctx context.Context, password string)
}

// AccessClaims are what a verified access token says.
type AccessClaims struct {
	UserID    string
	SessionID string
	TokenID   string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// TokenIssuer signs and verifies access tokens.
type TokenIssuer interface {
	Issue(userID, sessionID string, now time.Time) (token string, expiresIn time.Duration, err error)
	// Verify checks signature, algorithm, key id, issuer, audience and times;
	// any failure is identity.ErrInvalidToken.
	Verify(token string, now time.Time) (AccessClaims, error)
}

// RoleInfo is what identity needs to know of a role.
type RoleInfo struct {
	ID             string
	Name           string
	SelfAssignable bool
}

// Departures settles what the other contexts hold for a user who is being
// deleted; it is served by the communities context.
type Departures interface {
	// CheckDeparture refuses, with a conflict, while the user is the only
	// administrator of a community: a community is never left without one.
	CheckDeparture(ctx context.Context, userID string) error
	// Depart removes the deleted user's memberships (and their place among a
	// community's administrators) and withdraws their pending join requests;
	// by deleted the user, for the audit trail.
	Depart(ctx context.Context, by kernel.Principal, userID string) error
}

// RoleDirectory resolves role references (ids or case-insensitive names); it is
// served by the access context.
type RoleDirectory interface {
	// Resolve maps each reference to a role; unknown references are returned in unknown.
	Resolve(ctx context.Context, refs []string) (roles []RoleInfo, unknown []string, err error)
	// ByIDs returns the roles with these ids, skipping unknown ones.
	ByIDs(ctx context.Context, ids []string) ([]RoleInfo, error)
	// AdminRoleID returns the id of the built-in admin role.
	AdminRoleID(ctx context.Context) (string, error)
	// DefaultRoleID returns the id of the built-in member role.
	DefaultRoleID(ctx context.Context) (string, error)
}
