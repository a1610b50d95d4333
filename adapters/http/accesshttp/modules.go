package accesshttp

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

type moduleResponse struct {
	ID        string   `json:"id"`
	Name      string   `json:"module_name"`
	RoleIDs   []string `json:"user_roles"`
	CreatedAt string   `json:"created_at"`
	UpdatedAt string   `json:"updated_at"`
}

func toModuleResponse(m *access.Module) moduleResponse {
	roles := m.RoleIDs
	if roles == nil {
		roles = []string{}
	}
	return moduleResponse{ID: m.ID, Name: m.Name, RoleIDs: roles, CreatedAt: httpserver.FormatTime(m.CreatedAt), UpdatedAt: httpserver.FormatTime(m.UpdatedAt)}
}

type moduleEnvelope struct {
	Status  string         `json:"status"`
	Message string         `json:"message"`
	Data    moduleResponse `json:"data"`
}

func envelope(m *access.Module, msg string) moduleEnvelope {
	return moduleEnvelope{Status: "success", Message: msg, Data: toModuleResponse(m)}
}

// moduleName checks the seed's 2–100 characters.
func moduleName(b *httpserver.Body, raw string) {
	n := utf8.RuneCountInString(strings.TrimSpace(raw))
	var v *identity.Violation
	switch {
	case n < 2:
		x := identity.TooShort(2)
		v = &x
	case n > 100:
		x := identity.TooLong(100)
		v = &x
	}
	if v != nil {
		b.Problems.Add(v.Type, v.Msg, raw, v.Ctx, "body", "module_name")
	}
}

func (h *Handlers) createModule(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	name, ok := b.String("module_name")
	if ok {
		moduleName(b, name)
	}
	roles, _ := b.StringList("user_roles", false, 0)
	if err := b.Problems.Err(); err != nil {
		return err
	}
	m, err := h.svc.CreateModule(c.UserContext(), name, roles)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(envelope(m, "Role base module created successfully"))
}

func (h *Handlers) listModules(c *fiber.Ctx) error {
	var probs httpserver.Problems
	page := httpserver.QueryPage(c, &probs)
	limit := httpserver.QueryInt(c, &probs, "limit", 10, 1, 100)
	if err := probs.Err(); err != nil {
		return err
	}
	f := accessport.ModuleFilter{NameContains: strings.Clone(c.Query("module_name")), RoleID: strings.Clone(c.Query("user_role_id"))}
	ms, total, err := h.svc.ListModules(c.UserContext(), f, page, limit)
	if err != nil {
		return err
	}
	return c.JSON(httpserver.NewListEnvelope("Role base modules retrieved successfully", httpserver.Responses(ms, toModuleResponse), page, limit, total))
}

func (h *Handlers) getModule(c *fiber.Ctx) error {
	m, err := h.svc.GetModule(c.UserContext(), param(c, "module_id"))
	if err != nil {
		return err
	}
	return c.JSON(envelope(m, "Role base module retrieved successfully"))
}

func (h *Handlers) updateModule(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	var in accessport.ModuleUpdate
	if name, ok := b.OptString("module_name"); ok && name != nil {
		moduleName(b, *name)
		in.Name = name
	}
	if roles, ok := b.StringList("user_roles", false, 0); ok && roles != nil {
		in.RoleIDs = &roles
	}
	if err := b.Problems.Err(); err != nil {
		return err
	}
	m, err := h.svc.UpdateModule(c.UserContext(), param(c, "module_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(envelope(m, "Role base module updated successfully"))
}

func roleIDsBody(c *fiber.Ctx) ([]string, error) {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return nil, err
	}
	ids, _ := b.StringList("user_role_ids", true, 1)
	return ids, b.Problems.Err()
}

func (h *Handlers) addRoles(c *fiber.Ctx) error {
	ids, err := roleIDsBody(c)
	if err != nil {
		return err
	}
	m, err := h.svc.AddRolesToModule(c.UserContext(), param(c, "module_id"), ids)
	if err != nil {
		return err
	}
	return c.JSON(envelope(m, "User roles added to module successfully"))
}

func (h *Handlers) removeRoles(c *fiber.Ctx) error {
	ids, err := roleIDsBody(c)
	if err != nil {
		return err
	}
	m, err := h.svc.RemoveRolesFromModule(c.UserContext(), param(c, "module_id"), ids)
	if err != nil {
		return err
	}
	return c.JSON(envelope(m, "User roles removed from module successfully"))
}

func (h *Handlers) deleteModule(c *fiber.Ctx) error {
	if err := h.svc.DeleteModule(c.UserContext(), param(c, "module_id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
