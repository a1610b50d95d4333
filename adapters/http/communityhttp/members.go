package communityhttp

import (
	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/community"
)

// memberBody reads {user_id, role?, community_id?} (community_id, when given, must be the path's).
func memberBody(c *fiber.Ctx, communityID string) (string, community.Role, error) {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return "", "", err
	}
	userID := userIDField(b)
	role := roleField(b)
	matchingCommunityID(b, communityID)
	return userID, role, b.Problems.Err()
}

func (h *Handlers) addMember(c *fiber.Ctx) error {
	id := param(c, "community_id")
	userID, role, err := memberBody(c, id)
	if err != nil {
		return err
	}
	v, err := h.svc.AddMember(c.UserContext(), httpserver.Principal(c), id, userID, role)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toMemberResponse(v))
}

// addToCommunity is the seed's POST /users/add-to-community/{community_id}:
// the body's user_id counts, and the answer is AddUserToCommunityResponse.
func (h *Handlers) addToCommunity(c *fiber.Ctx) error {
	id := param(c, "community_id")
	userID, role, err := memberBody(c, id)
	if err != nil {
		return err
	}
	v, err := h.svc.AddMember(c.UserContext(), httpserver.Principal(c), id, userID, role)
	if err != nil {
		return err
	}
	m := v.Membership
	return c.JSON(addedResponse{UserID: m.UserID, CommunityID: m.CommunityID, AddedAt: httpserver.FormatTime(m.AddedAt)})
}

func (h *Handlers) listMembers(c *fiber.Ctx) error {
	var probs httpserver.Problems
	pg := page(c, &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	vs, total, err := h.svc.ListMembers(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), pg)
	if err != nil {
		return err
	}
	return c.JSON(envelope("Members retrieved successfully", httpserver.Responses(vs, toMemberResponse), pg, total))
}

func (h *Handlers) removeMember(c *fiber.Ctx) error {
	if err := h.svc.RemoveMember(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), param(c, "user_id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
