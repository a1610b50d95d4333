package communityhttp

import (
	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// requestToJoin reads the optional CommunityJoinRequestInput {message?, user_id?, community_id?}.
func (h *Handlers) requestToJoin(c *fiber.Ctx) error {
	id := param(c, "community_id")
	b, err := httpserver.OptionalJSONBody(c)
	if err != nil {
		return err
	}
	var in communityport.JoinInput
	if b != nil {
		if msg, _ := optText(b, "message", community.MessageMaxLen); msg != nil {
			in.Message = *msg
		}
		if uid, ok := b.OptString("user_id"); ok && uid != nil {
			in.UserID = *uid
		}
		matchingCommunityID(b, id)
		if err := b.Problems.Err(); err != nil {
			return err
		}
	}
	r, err := h.svc.RequestToJoin(c.UserContext(), httpserver.Principal(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toJoinRequestResponse(r))
}

func (h *Handlers) listJoinRequests(c *fiber.Ctx) error {
	var probs httpserver.Problems
	pg := page(c, &probs)
	var status community.RequestStatus
	if raw := c.Query("status"); raw != "" {
		s, ok := community.ParseRequestStatus(raw)
		if !ok {
			probs.Add("enum", "Input should be 'pending', 'approved', 'rejected' or 'withdrawn'", raw,
				map[string]any{"expected": "'pending', 'approved', 'rejected' or 'withdrawn'"}, "query", "status")
		}
		status = s
	}
	if err := probs.Err(); err != nil {
		return err
	}
	rs, total, err := h.svc.ListJoinRequests(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), status, pg)
	if err != nil {
		return err
	}
	return c.JSON(envelope("Join requests retrieved successfully", httpserver.Responses(rs, toJoinRequestResponse), pg, total))
}

func (h *Handlers) approve(c *fiber.Ctx) error {
	r, err := h.svc.Approve(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), param(c, "request_id"))
	if err != nil {
		return err
	}
	return c.JSON(toJoinRequestResponse(r))
}

// reject reads the optional CommunityJoinRequestReject {reason?}.
func (h *Handlers) reject(c *fiber.Ctx) error {
	b, err := httpserver.OptionalJSONBody(c)
	if err != nil {
		return err
	}
	reason := ""
	if b != nil {
		if r, _ := optText(b, "reason", community.ReasonMaxLen); r != nil {
			reason = *r
		}
		if err := b.Problems.Err(); err != nil {
			return err
		}
	}
	r, err := h.svc.Reject(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), param(c, "request_id"), reason)
	if err != nil {
		return err
	}
	return c.JSON(toJoinRequestResponse(r))
}

func (h *Handlers) withdraw(c *fiber.Ctx) error {
	if err := h.svc.Withdraw(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), param(c, "request_id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
