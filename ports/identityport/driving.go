package identityport

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// SignupInput is a validated sign-up request.
type SignupInput struct {
	Name     string
	Email    string
	Password string
	// RoleRefs are role ids or names, already split on commas.
	RoleRefs []string
}

// TokenPair is what login and refresh hand out.
type TokenPair struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
}

// LoginResult is a token pair and the signed-in user.
type LoginResult struct {
	TokenPair
	User UserView
}

// UserView is a user with its roles resolved, for responses.
type UserView struct {
	User  *identity.User
	Roles []RoleInfo
}

// UserUpdate is a partial update; nil fields stay unchanged.
type UserUpdate struct {
	Name     *string
	Email    *string
	Active   *bool
	RoleRefs *[]string
	// CurrentPassword proves a self-service email change (nil: not given).
	CurrentPassword *string
}

// AuthService is the authentication use cases.
type AuthService interface {
	Signup(ctx context.Context, in SignupInput) (UserView, error)
	Login(ctx context.Context, email, password string) (LoginResult, error)
	Refresh(ctx context.Context, refreshToken string) (TokenPair, error)
	Logout(ctx context.Context, p kernel.Principal) error
	LogoutAll(ctx context.Context, p kernel.Principal) error
	RequestPasswordReset(ctx context.Context, email string) error
	ResetPassword(ctx context.Context, token, newPassword string) error
	ChangePassword(ctx context.Context, p kernel.Principal, current, next string) error
	VerifyEmail(ctx context.Context, token string) error
	ResendVerification(ctx context.Context, p kernel.Principal) error
	Me(ctx context.Context, p kernel.Principal) (UserView, error)
	Sessions(ctx context.Context, p kernel.Principal) ([]*identity.Session, error)
	RevokeSession(ctx context.Context, p kernel.Principal, sessionID string) error
	// Authenticate turns a bearer token into a principal, or fails with an unauthenticated error.
	Authenticate(ctx context.Context, accessToken string) (kernel.Principal, error)
	// SessionPrincipal is the principal a bearer token of sessionID would
	// give now (for credentials bound to a session, such as download
	// links): an unknown or disabled user, or a session that ended, fails
	// with an unauthenticated error.
	SessionPrincipal(ctx context.Context, userID, sessionID string) (kernel.Principal, error)
}

// UserService is the user-management use cases (seed "users" tag).
type UserService interface {
	List(ctx context.Context, p kernel.Principal, skip, limit int) ([]UserView, int64, error)
	Get(ctx context.Context, p kernel.Principal, id string) (UserView, error)
	Update(ctx context.Context, p kernel.Principal, id string, in UserUpdate) (UserView, error)
	Delete(ctx context.Context, p kernel.Principal, id string) error
	// CreateAdmin creates a user holding the admin role (CLI and start-up bootstrap);
	// it reports created=false when the email exists already.
	CreateAdmin(ctx context.Context, name, email, password string) (created bool, err error)
}

// RoleHolder is a user as a role's holder list shows it.
type RoleHolder struct {
	ID   string
	Name string
}

// RoleAssignments is how the access context changes which roles a user
// holds: identity owns its users, so access asks it instead of editing the
// user through identity's repository. Each change is one atomic update;
// check sees the user's role ids inside it and may refuse.
type RoleAssignments interface {
	// RoleIDsOf returns a user's role ids (identity.ErrUserNotFound when unknown).
	RoleIDsOf(ctx context.Context, userID string) ([]string, error)
	AssignRole(ctx context.Context, userID, roleID string) ([]string, error)
	UnassignRole(ctx context.Context, userID, roleID string, check func(roleIDs []string) error) ([]string, error)
	// UnassignAdminRole is UnassignRole for the admin role: it fails with
	// identity.ErrLastAdmin and changes nothing when the user is its last
	// active holder.
	UnassignAdminRole(ctx context.Context, userID, adminRoleID string, check func(roleIDs []string) error) ([]string, error)
	HoldersOf(ctx context.Context, roleID string) ([]RoleHolder, error)
	// RemoveRoleEverywhere takes roleID from every user (the role is gone).
	RemoveRoleEverywhere(ctx context.Context, roleID string) error
}
