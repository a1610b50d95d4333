package governancehttp

import (
	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// publishTerms reads TermsCreate {title, body}.
func (h *Handlers) publishTerms(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	in := governanceport.TermsInput{
		Title: textField(b, "title", true, true, governance.TitleMinLen, governance.TitleMaxLen),
		Body:  textField(b, "body", true, false, governance.BodyMinLen, governance.BodyMaxLen),
	}
	if err := b.Problems.Err(); err != nil {
		return err
	}
	t, err := h.svc.PublishTerms(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toTermsResponse(t))
}

func (h *Handlers) listTerms(c *fiber.Ctx) error {
	var probs httpserver.Problems
	pg := page(c, &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	ts, total, err := h.svc.ListTerms(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), pg)
	if err != nil {
		return err
	}
	return c.JSON(envelope("Terms retrieved successfully", httpserver.Responses(ts, toTermsResponse), pg, total))
}

func (h *Handlers) currentTerms(c *fiber.Ctx) error {
	t, err := h.svc.CurrentTerms(c.UserContext(), httpserver.Principal(c), param(c, "community_id"))
	if err != nil {
		return err
	}
	return c.JSON(toTermsResponse(t))
}
