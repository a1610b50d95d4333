// Package identityhttp is the HTTP face of the identity context: the seed's
// authentication and users tags, sessions and the JWKS.
package identityhttp

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// KeySource publishes the token verification keys.
type KeySource interface {
	JWKS() []byte
}

// Handlers serves the identity routes.
type Handlers struct {
	auth  identityport.AuthService
	users identityport.UserService
	keys  KeySource
}

// New builds the handlers.
func New(auth identityport.AuthService, users identityport.UserService, keys KeySource) *Handlers {
	return &Handlers{auth: auth, users: users, keys: keys}
}

const (
	authPrefix  = "/api/v1/auth"
	usersPrefix = "/api/v1/users"
)

// Routes lists the identity routes with their access rules.
func (h *Handlers) Routes() []httpserver.Route {
	pub := func(method, path string, fn fiber.Handler) httpserver.Route {
		return httpserver.Route{Method: method, Path: authPrefix + path, Access: httpserver.Public, NoStore: true, Handler: fn}
	}
	signedIn := func(method, path string, fn fiber.Handler) httpserver.Route {
		return httpserver.Route{Method: method, Path: authPrefix + path, Access: httpserver.SignedIn, NoStore: true, Handler: fn}
	}
	users := func(method, path string, self bool, fn fiber.Handler) httpserver.Route {
		r := httpserver.Route{Method: method, Path: usersPrefix + path, Access: httpserver.ModuleGuarded,
			Module: "users", NoStore: true, Handler: fn}
		if self {
			r.SelfParam = "user_id"
		}
		return r
	}
	return []httpserver.Route{
		pub(fiber.MethodPost, "/signup", h.signup),
		pub(fiber.MethodPost, "/login", h.login),
		pub(fiber.MethodPost, "/refresh", h.refresh),
		pub(fiber.MethodPost, "/password-reset-request", h.passwordResetRequest),
		pub(fiber.MethodPost, "/password-reset", h.passwordReset),
		pub(fiber.MethodPost, "/verify-email", h.verifyEmail),
		signedIn(fiber.MethodPost, "/logout", h.logout),
		signedIn(fiber.MethodPost, "/logout-all", h.logoutAll),
		signedIn(fiber.MethodGet, "/me", h.me),
		signedIn(fiber.MethodPost, "/resend-verification", h.resendVerification),
		signedIn(fiber.MethodPost, "/change-password", h.changePassword),
		signedIn(fiber.MethodGet, "/sessions", h.sessions),
		signedIn(fiber.MethodDelete, "/sessions/:session_id", h.revokeSession),
		users(fiber.MethodGet, "", false, h.listUsers),
		users(fiber.MethodGet, "/:user_id", true, h.getUser),
		users(fiber.MethodPut, "/:user_id", true, h.updateUser),
		users(fiber.MethodDelete, "/:user_id", true, h.deleteUser),
		{Method: fiber.MethodGet, Path: "/.well-known/jwks.json", Access: httpserver.Public, Handler: h.jwks},
	}
}

func (h *Handlers) signup(c *fiber.Ctx) error {
	in, err := signupInput(c)
	if err != nil {
		return err
	}
	v, err := h.auth.Signup(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toAuthUserResponse(v))
}

func (h *Handlers) login(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	email := emailField(b, "email")
	password := loginPasswordField(b, "password")
	if err := b.Problems.Err(); err != nil {
		return err
	}
	res, err := h.auth.Login(c.UserContext(), email, password)
	if err != nil {
		return err
	}
	return c.JSON(loginResponse{tokenResponse: toTokenResponse(res.TokenPair), User: toAuthUserResponse(res.User)})
}

func (h *Handlers) refresh(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	tok, _ := b.String("refresh_token")
	if err := b.Problems.Err(); err != nil {
		return err
	}
	pair, err := h.auth.Refresh(c.UserContext(), tok)
	if err != nil {
		return err
	}
	return c.JSON(toTokenResponse(pair))
}

func (h *Handlers) logout(c *fiber.Ctx) error {
	if err := h.auth.Logout(c.UserContext(), httpserver.Principal(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handlers) logoutAll(c *fiber.Ctx) error {
	if err := h.auth.LogoutAll(c.UserContext(), httpserver.Principal(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// resetRequestedMessage is the same answer for known and unknown emails.
const resetRequestedMessage = "If the email is registered, a password reset link has been sent"

func (h *Handlers) passwordResetRequest(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	email := emailField(b, "email")
	if err := b.Problems.Err(); err != nil {
		return err
	}
	if err := h.auth.RequestPasswordReset(c.UserContext(), email); err != nil {
		return err
	}
	return c.JSON(messageResponse{Message: resetRequestedMessage})
}

func (h *Handlers) passwordReset(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	tok, _ := b.String("token")
	pw := passwordField(b, "new_password")
	if err := b.Problems.Err(); err != nil {
		return err
	}
	if err := h.auth.ResetPassword(c.UserContext(), tok, pw); err != nil {
		return err
	}
	return c.JSON(messageResponse{Message: "Password has been reset successfully"})
}

func (h *Handlers) verifyEmail(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	tok, _ := b.String("token")
	if err := b.Problems.Err(); err != nil {
		return err
	}
	if err := h.auth.VerifyEmail(c.UserContext(), tok); err != nil {
		return err
	}
	return c.JSON(messageResponse{Message: "Email verified"})
}

func (h *Handlers) resendVerification(c *fiber.Ctx) error {
	if err := h.auth.ResendVerification(c.UserContext(), httpserver.Principal(c)); err != nil {
		return err
	}
	return c.JSON(messageResponse{Message: "Verification email sent"})
}

func (h *Handlers) changePassword(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	current, _ := b.String("current_password")
	next := passwordField(b, "new_password")
	if err := b.Problems.Err(); err != nil {
		return err
	}
	if err := h.auth.ChangePassword(c.UserContext(), httpserver.Principal(c), current, next); err != nil {
		return err
	}
	return c.JSON(messageResponse{Message: "Password changed; other sessions have been signed out"})
}

func (h *Handlers) me(c *fiber.Ctx) error {
	v, err := h.auth.Me(c.UserContext(), httpserver.Principal(c))
	if err != nil {
		return err
	}
	return c.JSON(toAuthUserResponse(v))
}

func (h *Handlers) sessions(c *fiber.Ctx) error {
	var probs httpserver.Problems
	page := httpserver.QueryPage(c, &probs)
	limit := httpserver.QueryInt(c, &probs, "limit", 20, 1, 100)
	if err := probs.Err(); err != nil {
		return err
	}
	p := httpserver.Principal(c)
	all, err := h.auth.Sessions(c.UserContext(), p)
	if err != nil {
		return err
	}
	total := int64(len(all))
	start := min(kernel.PageOffset(page, limit), len(all))
	end := min(start+limit, len(all))
	data := httpserver.Responses(all[start:end], func(s *identity.Session) sessionResponse { return toSessionResponse(s, p.SessionID) })
	return c.JSON(httpserver.NewListEnvelope("Sessions retrieved successfully", data, page, limit, total))
}

func (h *Handlers) revokeSession(c *fiber.Ctx) error {
	if err := h.auth.RevokeSession(c.UserContext(), httpserver.Principal(c), strings.Clone(c.Params("session_id"))); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handlers) jwks(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/json")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(h.keys.JWKS())
}
