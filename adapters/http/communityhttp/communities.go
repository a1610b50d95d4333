package communityhttp

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// create reads CommunityCreate {name, description?}.
func (h *Handlers) create(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	name, ok := b.String("name")
	if ok {
		nameField(b, name)
	}
	desc, _ := optText(b, "description", community.DescriptionMaxLen)
	if err := b.Problems.Err(); err != nil {
		return err
	}
	in := communityport.CreateInput{Name: name}
	if desc != nil {
		in.Description = *desc
	}
	v, err := h.svc.Create(c.UserContext(), httpserver.Principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toCommunityResponse(v))
}

func (h *Handlers) list(c *fiber.Ctx) error {
	var probs httpserver.Problems
	pg := page(c, &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	f := communityport.ListFilter{NameContains: strings.Clone(c.Query("q"))}
	vs, total, err := h.svc.List(c.UserContext(), httpserver.Principal(c), f, pg)
	if err != nil {
		return err
	}
	return c.JSON(envelope("Communities retrieved successfully", toCommunityResponses(vs), pg, total))
}

func (h *Handlers) get(c *fiber.Ctx) error {
	v, err := h.svc.Get(c.UserContext(), httpserver.Principal(c), param(c, "community_id"))
	if err != nil {
		return err
	}
	return c.JSON(toCommunityResponse(v))
}

// update reads CommunityUpdate {name?, description?}; null leaves a field unchanged.
func (h *Handlers) update(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	var in communityport.UpdateInput
	if name, ok := b.OptString("name"); ok && name != nil {
		nameField(b, *name)
		in.Name = name
	}
	in.Description, _ = optText(b, "description", community.DescriptionMaxLen)
	if err := b.Problems.Err(); err != nil {
		return err
	}
	v, err := h.svc.Update(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(toCommunityResponse(v))
}

func (h *Handlers) delete(c *fiber.Ctx) error {
	if err := h.svc.Delete(c.UserContext(), httpserver.Principal(c), param(c, "community_id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handlers) userCommunities(c *fiber.Ctx) error {
	var probs httpserver.Problems
	pg := page(c, &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	vs, total, err := h.svc.UserCommunities(c.UserContext(), httpserver.Principal(c), param(c, "user_id"), pg)
	if err != nil {
		return err
	}
	return c.JSON(envelope("User communities retrieved successfully", toCommunityResponses(vs), pg, total))
}
