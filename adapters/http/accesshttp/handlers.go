// Package accesshttp is the HTTP face of the access context: the seed's
// user-roles and role-base-modules tags and the access explanation.
package accesshttp

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

// Handlers serves the access routes.
type Handlers struct{ svc accessport.Service }

// New builds the handlers.
func New(svc accessport.Service) *Handlers { return &Handlers{svc: svc} }

// Routes lists the access routes with their modules.
func (h *Handlers) Routes() []httpserver.Route {
	roles := func(method, path string, fn fiber.Handler) httpserver.Route {
		return httpserver.Route{Method: method, Path: "/api/v1/user-roles" + path, Access: httpserver.ModuleGuarded,
			Module: access.ModuleUserRoles, Handler: fn}
	}
	modules := func(method, path string, fn fiber.Handler) httpserver.Route {
		return httpserver.Route{Method: method, Path: "/api/v1/role-base-modules" + path, Access: httpserver.ModuleGuarded,
			Module: access.ModuleRoleBaseModules, Handler: fn}
	}
	return []httpserver.Route{
		roles(fiber.MethodGet, "", h.listRoles),
		roles(fiber.MethodPost, "", h.createRole),
		roles(fiber.MethodGet, "/user/:user_id", h.rolesOfUser),
		roles(fiber.MethodGet, "/role/:role_id", h.holdersOf),
		roles(fiber.MethodPost, "/user/:user_id/role/:role_id", h.assign),
		roles(fiber.MethodDelete, "/user/:user_id/role/:role_id", h.unassign),
		roles(fiber.MethodPut, "/:user_role_id", h.updateRole),
		roles(fiber.MethodDelete, "/:user_role_id", h.deleteRole),
		modules(fiber.MethodPost, "", h.createModule),
		modules(fiber.MethodGet, "", h.listModules),
		modules(fiber.MethodGet, "/:module_id", h.getModule),
		modules(fiber.MethodPut, "/:module_id", h.updateModule),
		modules(fiber.MethodPut, "/:module_id/add-roles", h.addRoles),
		modules(fiber.MethodPut, "/:module_id/remove-roles", h.removeRoles),
		modules(fiber.MethodDelete, "/:module_id", h.deleteModule),
		{Method: fiber.MethodGet, Path: "/api/v1/access/check", Access: httpserver.SignedIn, Handler: h.check},
	}
}

func param(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }

type roleResponse struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	SelfAssignable bool   `json:"self_assignable"`
	CreatedAt      string `json:"created_at"`
	UpdatedAt      string `json:"updated_at"`
}

func toRoleResponse(r *access.Role) roleResponse {
	return roleResponse{ID: r.ID, Name: r.Name, SelfAssignable: r.SelfAssignable,
		CreatedAt: httpserver.FormatTime(r.CreatedAt), UpdatedAt: httpserver.FormatTime(r.UpdatedAt)}
}

func toRoleResponses(rs []*access.Role) []roleResponse {
	return httpserver.Responses(rs, toRoleResponse)
}

type holderResponse struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (h *Handlers) listRoles(c *fiber.Ctx) error {
	rs, err := h.svc.ListRoles(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(toRoleResponses(rs))
}

// roleBody reads UserRoleCreate: {name, self_assignable?}.
func roleBody(c *fiber.Ctx) (string, *bool, error) {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return "", nil, err
	}
	name, _ := b.String("name")
	self, _ := b.OptBool("self_assignable")
	return name, self, b.Problems.Err()
}

func (h *Handlers) createRole(c *fiber.Ctx) error {
	name, self, err := roleBody(c)
	if err != nil {
		return err
	}
	r, err := h.svc.CreateRole(c.UserContext(), name, self != nil && *self)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toRoleResponse(r))
}

func (h *Handlers) updateRole(c *fiber.Ctx) error {
	name, self, err := roleBody(c)
	if err != nil {
		return err
	}
	r, err := h.svc.UpdateRole(c.UserContext(), param(c, "user_role_id"), name, self)
	if err != nil {
		return err
	}
	return c.JSON(toRoleResponse(r))
}

func (h *Handlers) deleteRole(c *fiber.Ctx) error {
	if err := h.svc.DeleteRole(c.UserContext(), param(c, "user_role_id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handlers) rolesOfUser(c *fiber.Ctx) error {
	rs, err := h.svc.RolesOfUser(c.UserContext(), param(c, "user_id"))
	if err != nil {
		return err
	}
	return c.JSON(toRoleResponses(rs))
}

func (h *Handlers) holdersOf(c *fiber.Ctx) error {
	hs, err := h.svc.HoldersOf(c.UserContext(), param(c, "role_id"))
	if err != nil {
		return err
	}
	out := make([]holderResponse, 0, len(hs))
	for _, x := range hs {
		out = append(out, holderResponse{ID: x.ID, Name: x.Name})
	}
	return c.JSON(out)
}

func (h *Handlers) assign(c *fiber.Ctx) error {
	rs, err := h.svc.AssignRole(c.UserContext(), param(c, "user_id"), param(c, "role_id"))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toRoleResponses(rs))
}

func (h *Handlers) unassign(c *fiber.Ctx) error {
	if err := h.svc.UnassignRole(c.UserContext(), param(c, "user_id"), param(c, "role_id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type checkResponse struct {
	Allowed  bool     `json:"allowed"`
	Module   string   `json:"module"`
	ViaRoles []string `json:"via_roles"`
	Reason   string   `json:"reason"`
}

func (h *Handlers) check(c *fiber.Ctx) error {
	var probs httpserver.Problems
	module := strings.Clone(c.Query("module"))
	if module == "" {
		probs.Missing(nil, "query", "module")
	}
	if err := probs.Err(); err != nil {
		return err
	}
	d, err := h.svc.Check(c.UserContext(), httpserver.Principal(c), module, strings.Clone(c.Query("user_id")))
	if err != nil {
		return err
	}
	return c.JSON(checkResponse{Allowed: d.Allowed, Module: d.Module, ViaRoles: d.ViaRoles, Reason: d.Reason})
}
