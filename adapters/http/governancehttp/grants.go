package governancehttp

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

func (h *Handlers) datasetGrants(c *fiber.Ctx) error {
	return statusList(c, "Grants retrieved successfully", grantStatus, ofDataset(c, h.svc.DatasetGrants), toGrantResponse)
}

func (h *Handlers) myGrants(c *fiber.Ctx) error {
	return statusList(c, "Grants retrieved successfully", grantStatus, h.svc.MyGrants, toGrantResponse)
}

// revoke reads GrantRevoke {reason}.
func (h *Handlers) revoke(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	reason := textField(b, "reason", true, false, governance.ReasonMinLen, governance.ReasonMaxLen)
	if err := b.Problems.Err(); err != nil {
		return err
	}
	v, err := h.svc.Revoke(c.UserContext(), httpserver.Principal(c), param(c, "grant_id"), reason)
	if err != nil {
		return err
	}
	return c.JSON(toGrantResponse(v))
}

// register is the public register of data uses: no sign-in, no person.
func (h *Handlers) register(c *fiber.Ctx) error {
	var probs httpserver.Problems
	pg := page(c, &probs)
	f := governanceport.RegisterFilter{Status: grantStatus(c, &probs), CommunityID: strings.Clone(c.Query("community_id"))}
	if err := probs.Err(); err != nil {
		return err
	}
	entries, total, err := h.svc.Register(c.UserContext(), f, pg)
	if err != nil {
		return err
	}
	out := make([]registerEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, toRegisterEntry(e))
	}
	return c.JSON(envelope("Data uses retrieved successfully", out, pg, total))
}
