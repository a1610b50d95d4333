package identityhttp

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
)

// maxUsersPage bounds the seed's unbounded limit so one request cannot dump everything.
const maxUsersPage = 1000

func (h *Handlers) listUsers(c *fiber.Ctx) error {
	var probs httpserver.Problems
	skip := httpserver.QuerySkip(c, &probs)
	limit := httpserver.QueryInt(c, &probs, "limit", 100, 0, maxUsersPage)
	if err := probs.Err(); err != nil {
		return err
	}
	views, total, err := h.users.List(c.UserContext(), httpserver.Principal(c), skip, limit)
	if err != nil {
		return err
	}
	out := make([]userResponse, 0, len(views))
	for _, v := range views {
		out = append(out, toUserResponse(v))
	}
	c.Set("X-Total-Count", strconv.FormatInt(total, 10))
	return c.JSON(out)
}

func (h *Handlers) getUser(c *fiber.Ctx) error {
	v, err := h.users.Get(c.UserContext(), httpserver.Principal(c), strings.Clone(c.Params("user_id")))
	if err != nil {
		return err
	}
	return c.JSON(toUserResponse(v))
}

func (h *Handlers) updateUser(c *fiber.Ctx) error {
	in, err := userUpdateInput(c)
	if err != nil {
		return err
	}
	v, err := h.users.Update(c.UserContext(), httpserver.Principal(c), strings.Clone(c.Params("user_id")), in)
	if err != nil {
		return err
	}
	return c.JSON(toUserResponse(v))
}

func (h *Handlers) deleteUser(c *fiber.Ctx) error {
	if err := h.users.Delete(c.UserContext(), httpserver.Principal(c), strings.Clone(c.Params("user_id"))); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
