package identityhttp

import (
	"strings"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

type roleRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type authInfoResponse struct {
	IsActive            bool    `json:"is_active"`
	EmailVerified       bool    `json:"email_verified"`
	LastLogin           *string `json:"last_login"`
	FailedLoginAttempts int     `json:"failed_login_attempts"`
	LockedUntil         *string `json:"locked_until"`
}

// userResponse is the users tag's UserResponse; authUserResponse adds auth.
type userResponse struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Status    bool      `json:"status"`
	Role      string    `json:"role"`
	Roles     []roleRef `json:"roles"`
	CreatedAt string    `json:"created_at"`
	UpdatedAt string    `json:"updated_at"`
}

type authUserResponse struct {
	userResponse
	Auth authInfoResponse `json:"auth"`
}

func toUserResponse(v identityport.UserView) userResponse {
	u := v.User
	roles := make([]roleRef, 0, len(v.Roles))
	for _, r := range v.Roles {
		roles = append(roles, roleRef{ID: r.ID, Name: r.Name})
	}
	return userResponse{
		ID: u.ID(), Name: u.Name(), Email: u.Email(), Status: u.Active(),
		Role: strings.Join(u.RoleIDs(), ","), Roles: roles,
		CreatedAt: httpserver.FormatTime(u.CreatedAt()), UpdatedAt: httpserver.FormatTime(u.UpdatedAt()),
	}
}

func toAuthUserResponse(v identityport.UserView) authUserResponse {
	u, auth := v.User, v.User.Auth()
	return authUserResponse{
		userResponse: toUserResponse(v),
		Auth: authInfoResponse{
			IsActive: u.Active(), EmailVerified: auth.EmailVerified, LastLogin: httpserver.FormatOptionalTime(auth.LastLogin),
			FailedLoginAttempts: auth.FailedLoginAttempts, LockedUntil: httpserver.FormatOptionalTime(auth.LockedUntil),
		},
	}
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

func toTokenResponse(p identityport.TokenPair) tokenResponse {
	return tokenResponse{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken, TokenType: "bearer",
		ExpiresIn: int(p.ExpiresIn / time.Second)}
}

type loginResponse struct {
	tokenResponse
	User authUserResponse `json:"user"`
}

type messageResponse struct {
	Message string `json:"message"`
}

type sessionResponse struct {
	ID         string `json:"id"`
	CreatedAt  string `json:"created_at"`
	LastUsedAt string `json:"last_used_at"`
	ExpiresAt  string `json:"expires_at"`
	IP         string `json:"ip"`
	UserAgent  string `json:"user_agent"`
	Current    bool   `json:"current"`
}

func toSessionResponse(s *identity.Session, currentID string) sessionResponse {
	return sessionResponse{ID: s.ID, CreatedAt: httpserver.FormatTime(s.CreatedAt), LastUsedAt: httpserver.FormatTime(s.LastUsedAt),
		ExpiresAt: httpserver.FormatTime(s.ExpiresAt), IP: s.IP, UserAgent: s.UserAgent, Current: s.ID == currentID}
}
