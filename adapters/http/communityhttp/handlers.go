// Package communityhttp is the HTTP face of the community context: the
// communities tag (communities, logos, members, join requests) and the seed's
// community operations under /users.
package communityhttp

import (
	"runtime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// Module is the role-base module that guards every community route.
const Module = "communities"

const (
	communitiesPrefix = "/api/v1/communities"
	usersPrefix       = "/api/v1/users"
)

// Handlers serves the community routes.
type Handlers struct {
	svc communityport.Service
	// decodeSlots bounds how many logos are decoded at once: a 4096×4096 image
	// takes tens of MiB while it is checked.
	decodeSlots chan struct{}
}

// New builds the handlers.
func New(svc communityport.Service) *Handlers {
	return &Handlers{svc: svc, decodeSlots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// Routes lists the community routes; the communities module guards them all.
func (h *Handlers) Routes() []httpserver.Route {
	route := func(method, path string, fn fiber.Handler) httpserver.Route {
		return httpserver.Route{Method: method, Path: path, Access: httpserver.ModuleGuarded, Module: Module, Handler: fn}
	}
	c := func(method, path string, fn fiber.Handler) httpserver.Route {
		return route(method, communitiesPrefix+path, fn)
	}
	userCommunities := route(fiber.MethodGet, usersPrefix+"/:user_id/communities", h.userCommunities)
	userCommunities.NoStore = true
	logo := c(fiber.MethodPut, "/:community_id/logo", h.putLogo)
	logo.MaxBody, logo.TooLarge = maxLogoBody, community.ErrLogoTooLarge
	return []httpserver.Route{
		c(fiber.MethodPost, "", h.create),
		c(fiber.MethodGet, "", h.list),
		c(fiber.MethodGet, "/:community_id", h.get),
		c(fiber.MethodPut, "/:community_id", h.update),
		c(fiber.MethodDelete, "/:community_id", h.delete),
		logo,
		c(fiber.MethodGet, "/:community_id/logo", h.getLogo),
		c(fiber.MethodGet, "/:community_id/members", h.listMembers),
		c(fiber.MethodPost, "/:community_id/members", h.addMember),
		c(fiber.MethodDelete, "/:community_id/members/:user_id", h.removeMember),
		c(fiber.MethodGet, "/:community_id/join-requests", h.listJoinRequests),
		c(fiber.MethodPost, "/:community_id/join-requests", h.requestToJoin),
		c(fiber.MethodPost, "/:community_id/join-requests/:request_id/approve", h.approve),
		c(fiber.MethodPost, "/:community_id/join-requests/:request_id/reject", h.reject),
		c(fiber.MethodDelete, "/:community_id/join-requests/:request_id", h.withdraw),
		route(fiber.MethodPost, usersPrefix+"/add-to-community/:community_id", h.addToCommunity),
		userCommunities,
	}
}

// param copies a path parameter out of Fiber's reused buffers.
func param(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }

// page reads page (≥ 1, default 1) and limit (1–100, default 20).
func page(c *fiber.Ctx, probs *httpserver.Problems) communityport.Page {
	return communityport.Page{
		Page:  httpserver.QueryPage(c, probs),
		Limit: httpserver.QueryInt(c, probs, "limit", 20, 1, 100),
	}
}
