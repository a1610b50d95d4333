// Package identity holds users, sessions, one-time tokens and the rules about them:
// the password policy, the lockout and refresh-token rotation.
package identity

import (
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Sentinel errors of the identity context. Messages are safe to show.
var (
	ErrEmailTaken         = kernel.NewError(kernel.KindConflict, "email_taken", "Email already registered")
	ErrUserNotFound       = kernel.NewError(kernel.KindNotFound, "user_not_found", "User not found")
	ErrBadCredentials     = kernel.NewError(kernel.KindUnauthenticated, "invalid_credentials", "Incorrect email or password")
	ErrAccountLocked      = kernel.NewError(kernel.KindLocked, "account_locked", "Account locked after too many failed login attempts; try again later")
	ErrAccountDisabled    = kernel.NewError(kernel.KindForbidden, "account_disabled", "Account is disabled")
	ErrInvalidToken       = kernel.NewError(kernel.KindUnauthenticated, "invalid_token", "Could not validate credentials")
	ErrInvalidRefresh     = kernel.NewError(kernel.KindUnauthenticated, "invalid_refresh_token", "Invalid or expired refresh token")
	ErrRefreshReused      = kernel.NewError(kernel.KindUnauthenticated, "refresh_token_reused", "Refresh token already used; the session has been revoked")
	ErrInvalidOneTime     = kernel.NewError(kernel.KindInvalid, "invalid_or_expired_token", "Invalid or expired token")
	ErrSessionNotFound    = kernel.NewError(kernel.KindNotFound, "session_not_found", "Session not found")
	ErrRoleNotAllowed     = kernel.NewError(kernel.KindForbidden, "role_not_self_assignable", "Signup cannot assign this role")
	ErrUnknownRole        = kernel.NewError(kernel.KindInvalid, "unknown_role", "Value error, Unknown role").WithField("role")
	ErrWrongPassword      = kernel.NewError(kernel.KindInvalid, "invalid_password", "Current password is incorrect")
	ErrPasswordRequired   = kernel.NewError(kernel.KindInvalid, "current_password_required", "Field required").WithField("current_password").AsMissing()
	ErrForbiddenUserField = kernel.NewError(kernel.KindForbidden, "forbidden_user_field", "Changing status or role needs the users module")
	ErrNotAllowed         = kernel.NewError(kernel.KindForbidden, "not_allowed", "You are not allowed to do this")
	ErrStaleUser          = kernel.NewError(kernel.KindConflict, "concurrent_update", "The user was changed concurrently; try again")
	ErrStaleSession       = kernel.NewError(kernel.KindConflict, "concurrent_update", "The session was changed concurrently; try again")
	ErrAlreadyVerified    = kernel.NewError(kernel.KindConflict, "email_already_verified", "Email already verified")
	ErrLastAdmin          = kernel.NewError(kernel.KindConflict, "last_admin", "The last administrator cannot lose the admin role")
	// ErrInvalidName and ErrInvalidEmail are a name or address that ParseName
	// or ParseEmail refuse, past the HTTP layer (which reports them itself).
	ErrInvalidName  = kernel.NewError(kernel.KindInvalid, "invalid_name", "Value error, Invalid name").WithField("name")
	ErrInvalidEmail = kernel.NewError(kernel.KindInvalid, "invalid_email", "value is not a valid email address").WithField("email")
)

// LockedError is ErrAccountLocked with the time the lock ends (for Retry-After).
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string { return ErrAccountLocked.Message }

// Unwrap lets errors.Is(err, ErrAccountLocked) and kernel.KindOf see the sentinel.
func (e *LockedError) Unwrap() error { return ErrAccountLocked }

// ErrWeakPassword reports password-policy violations found past the HTTP layer.
var ErrWeakPassword = kernel.NewError(kernel.KindInvalid, "weak_password", "Password does not meet the policy").WithField("password")
