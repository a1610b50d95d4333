package httpserver

import (
	"context"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Access says who may call a route.
type Access int

// Access levels.
const (
	// Public routes need no token. Keep this list short: a test fails on any
	// public route that is not on its allow-list.
	Public Access = iota
	// SignedIn routes need a valid token and nothing else (a user's own auth routes).
	SignedIn
	// ModuleGuarded routes need a role listed in the route's module.
	ModuleGuarded
)

// Route is one HTTP operation and the rule that guards it.
type Route struct {
	Method string
	Path   string // full Fiber path, e.g. /api/v1/users/:user_id
	Access Access
	Module string // for ModuleGuarded routes: users, user-roles, role-base-modules, communities, datasets, audit
	// SelfParam names a path parameter that, when it equals the caller's id,
	// waives the module check (self-service on one's own record).
	SelfParam string
	// NoStore marks answers that must never be cached (tokens, personal data).
	NoStore bool
	// MaxBody, when set, is the largest body the route takes: a request that
	// declares a longer one is answered at once with TooLarge (or
	// ErrBodyTooLarge), before any of its body is read. Unset, the server's
	// BodyLimit applies.
	MaxBody  int64
	TooLarge error
	Handler  fiber.Handler
}

// Authenticator turns a bearer token into a principal.
type Authenticator interface {
	Authenticate(ctx context.Context, accessToken string) (kernel.Principal, error)
}

// Authorizer completes a principal with its role names and the modules it may
// use (the admin role passes everywhere), from an in-memory snapshot.
type Authorizer interface {
	Authorize(ctx context.Context, p kernel.Principal) (kernel.Principal, error)
}

// DenialRecorder records a request the guard refused for want of its route's
// module (the audit trail's access.denied). ctx carries the request's meta,
// the caller included; route is "METHOD /path/template".
type DenialRecorder interface {
	RecordDenial(ctx context.Context, module, route string)
}

// ErrNotAuthenticated is a missing or malformed Authorization header.
var ErrNotAuthenticated = kernel.NewError(kernel.KindUnauthenticated, "not_authenticated", "Not authenticated")

// ErrModuleForbidden is a caller without a role of the route's module.
var ErrModuleForbidden = kernel.NewError(kernel.KindForbidden, "module_forbidden", "You do not have access to this module")

// bearer extracts the token of "Authorization: Bearer <token>".
func bearer(c *fiber.Ctx) (string, bool) {
	h := strings.TrimSpace(c.Get(fiber.HeaderAuthorization))
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != "" && len(tok) < 4096
}

// guard builds the handler chain that enforces a route's access rule. It also
// puts the request's kernel.RequestMeta (client address, user agent, request
// id and, once authenticated, the caller) in the user context, where use cases
// find it for their audit events.
func guard(r Route, authn Authenticator, authz Authorizer, denials DenialRecorder, trusted []netip.Prefix) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if declaredTooLarge(c) {
			if r.TooLarge != nil {
				return r.TooLarge
			}
			return ErrBodyTooLarge
		}
		if r.NoStore {
			c.Set(fiber.HeaderCacheControl, "no-store")
			c.Set(fiber.HeaderPragma, "no-cache")
		}
		meta := kernel.RequestMeta{IP: ClientIP(c, trusted), UserAgent: strings.Clone(c.Get(fiber.HeaderUserAgent)), RequestID: RequestID(c)}
		c.SetUserContext(kernel.WithRequestMeta(c.UserContext(), meta))
		if r.Access == Public {
			return r.Handler(c)
		}
		tok, ok := bearer(c)
		if !ok {
			return ErrNotAuthenticated
		}
		p, err := authn.Authenticate(c.UserContext(), tok)
		if err != nil {
			return err
		}
		p, err = authz.Authorize(c.UserContext(), p)
		if err != nil {
			return err
		}
		SetPrincipal(c, p)
		meta.ActorID = p.UserID
		c.SetUserContext(kernel.WithRequestMeta(c.UserContext(), meta))
		if r.Access == ModuleGuarded && !p.IsAdmin() && !contains(p.Modules, r.Module) {
			if r.SelfParam == "" || c.Params(r.SelfParam) != p.UserID {
				if denials != nil {
					denials.RecordDenial(c.UserContext(), r.Module, r.Method+" "+r.Path)
				}
				return ErrModuleForbidden
			}
		}
		return r.Handler(c)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
