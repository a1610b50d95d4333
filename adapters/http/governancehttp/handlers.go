// Package governancehttp is the HTTP face of data-use governance: terms,
// access requests and their decisions, grants, and the public register of
// data uses. Every route belongs to the datasets module but the register,
// which is public.
package governancehttp

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// RegisterPath is the public register of data uses.
const RegisterPath = "/api/v1/register/data-uses"

// Handlers serves the governance routes.
type Handlers struct {
	svc governanceport.Service
}

// New builds the handlers.
func New(svc governanceport.Service) *Handlers { return &Handlers{svc: svc} }

// Routes lists the governance routes.
func (h *Handlers) Routes() []httpserver.Route {
	r := func(method, path string, fn fiber.Handler) httpserver.Route {
		return httpserver.Route{Method: method, Path: "/api/v1" + path, Access: httpserver.ModuleGuarded,
			Module: access.ModuleDatasets, Handler: fn}
	}
	personal := func(rt httpserver.Route) httpserver.Route {
		rt.NoStore = true
		return rt
	}
	return []httpserver.Route{
		r(fiber.MethodPost, "/communities/:community_id/terms", h.publishTerms),
		r(fiber.MethodGet, "/communities/:community_id/terms", h.listTerms),
		r(fiber.MethodGet, "/communities/:community_id/terms/current", h.currentTerms),
		r(fiber.MethodPost, "/datasets/:dataset_id/access-requests", h.requestAccess),
		r(fiber.MethodGet, "/datasets/:dataset_id/access-requests", h.datasetRequests),
		r(fiber.MethodPost, "/datasets/:dataset_id/access-requests/:request_id/approve", h.approve),
		r(fiber.MethodPost, "/datasets/:dataset_id/access-requests/:request_id/reject", h.reject),
		r(fiber.MethodDelete, "/datasets/:dataset_id/access-requests/:request_id", h.withdraw),
		personal(r(fiber.MethodGet, "/access-requests", h.myRequests)),
		r(fiber.MethodGet, "/datasets/:dataset_id/grants", h.datasetGrants),
		personal(r(fiber.MethodGet, "/grants", h.myGrants)),
		r(fiber.MethodPost, "/grants/:grant_id/revoke", h.revoke),
		{Method: fiber.MethodGet, Path: RegisterPath, Access: httpserver.Public, Handler: h.register},
	}
}

// param copies a path parameter out of Fiber's reused buffers.
func param(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }

// page reads page (≥ 1, default 1) and limit (1–100, default 20).
func page(c *fiber.Ctx, probs *httpserver.Problems) governanceport.Page {
	return governanceport.Page{
		Page:  httpserver.QueryInt(c, probs, "page", 1, 1, 100_000),
		Limit: httpserver.QueryInt(c, probs, "limit", 20, 1, 100),
	}
}

// lister finds one page of a list filtered by status, for p.
type lister[S, T any] func(ctx context.Context, p kernel.Principal, status S, pg governanceport.Page) ([]T, int64, error)

// statusList answers one page of a list filtered by an optional status: the
// query's problems first, then what find returns, each item through to.
func statusList[S, T, R any](c *fiber.Ctx, msg string, readStatus func(*fiber.Ctx, *httpserver.Problems) S,
	find lister[S, T], to func(T) R) error {
	var probs httpserver.Problems
	pg := page(c, &probs)
	status := readStatus(c, &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	items, total, err := find(c.UserContext(), httpserver.Principal(c), status, pg)
	if err != nil {
		return err
	}
	return c.JSON(envelope(msg, httpserver.Responses(items, to), pg, total))
}

// ofDataset scopes a listing by dataset to the path's dataset_id.
func ofDataset[S, T any](c *fiber.Ctx,
	find func(ctx context.Context, p kernel.Principal, datasetID string, status S, pg governanceport.Page) ([]T, int64, error),
) lister[S, T] {
	datasetID := param(c, "dataset_id")
	return func(ctx context.Context, p kernel.Principal, status S, pg governanceport.Page) ([]T, int64, error) {
		return find(ctx, p, datasetID, status, pg)
	}
}

// requestStatus reads the optional status filter of request lists.
func requestStatus(c *fiber.Ctx, probs *httpserver.Problems) governance.RequestStatus {
	return statusQuery(c, probs, governance.ParseRequestStatus, "'pending', 'approved', 'rejected' or 'withdrawn'")
}

// grantStatus reads the optional status filter of grant lists.
func grantStatus(c *fiber.Ctx, probs *httpserver.Problems) governance.GrantStatus {
	return statusQuery(c, probs, governance.ParseGrantStatus, "'active', 'expired' or 'revoked'")
}

// statusQuery reads the optional query parameter status ("" when absent);
// a value parse does not know is an enum problem naming the expected ones.
func statusQuery[S any](c *fiber.Ctx, probs *httpserver.Problems, parse func(string) (S, bool), expected string) S {
	var none S
	raw := c.Query("status")
	if raw == "" {
		return none
	}
	s, ok := parse(raw)
	if !ok {
		probs.Add("enum", "Input should be "+expected, strings.Clone(raw), map[string]any{"expected": expected}, "query", "status")
	}
	return s
}
