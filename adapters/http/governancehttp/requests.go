package governancehttp

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// optionalJSONBody reads a JSON object body that may be left out entirely
// (nil): a request that declares no content.
func optionalJSONBody(c *fiber.Ctx) (*httpserver.Body, error) {
	if c.Request().Header.ContentLength() == 0 {
		return nil, nil
	}
	return httpserver.JSONBody(c)
}

// lengthOK records pydantic's string_too_short / string_too_long for raw
// (counted in characters after trimming) at body.<field>.
func lengthOK(b *httpserver.Body, field, raw string, minLen, maxLen int) bool {
	n := utf8.RuneCountInString(strings.TrimSpace(raw))
	switch {
	case n < minLen:
		noun := "characters"
		if minLen == 1 {
			noun = "character"
		}
		b.Problems.Add("string_too_short", fmt.Sprintf("String should have at least %d %s", minLen, noun), raw,
			map[string]any{"min_length": minLen}, "body", field)
		return false
	case n > maxLen:
		b.Problems.Add("string_too_long", fmt.Sprintf("String should have at most %d characters", maxLen), raw,
			map[string]any{"max_length": maxLen}, "body", field)
		return false
	}
	return true
}

// textField reads a string field: required or optional ("" when absent),
// within its length and, for one-line fields, on one line.
func textField(b *httpserver.Body, field string, required, oneLine bool, minLen, maxLen int) string {
	var raw string
	if required {
		s, ok := b.String(field)
		if !ok {
			return ""
		}
		raw = s
	} else {
		s, ok := b.OptString(field)
		if !ok || s == nil {
			return ""
		}
		raw = *s
	}
	if !lengthOK(b, field, raw, minLen, maxLen) {
		return raw
	}
	switch {
	case oneLine && !governance.IsOneLine(raw):
		b.Problems.Add("value_error", "Value error, "+field+" must be one line without control characters or bidirectional overrides", raw,
			map[string]any{"error": map[string]any{}}, "body", field)
	case !oneLine && !governance.IsText(raw):
		b.Problems.Add("value_error", "Value error, "+field+" must not contain control characters other than line breaks and tabs, nor bidirectional overrides", raw,
			map[string]any{"error": map[string]any{}}, "body", field)
	}
	return raw
}

// timeField reads an RFC 3339 date-time; required or optional (nil when absent).
func timeField(b *httpserver.Body, field string, required bool) *time.Time {
	var raw string
	if required {
		s, ok := b.String(field)
		if !ok {
			return nil
		}
		raw = s
	} else {
		s, ok := b.OptString(field)
		if !ok || s == nil {
			return nil
		}
		raw = *s
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(raw))
	if err != nil {
		b.Problems.Add("datetime_parsing", "Input should be a valid datetime (RFC 3339, with a time zone)", raw, nil, "body", field)
		return nil
	}
	return &t
}

// requestAccess reads AccessRequestCreate {purpose, organization?, requested_until, accepted_terms_version?}.
func (h *Handlers) requestAccess(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	in := governance.RequestInput{
		Purpose:      textField(b, "purpose", true, false, governance.PurposeMinLen, governance.PurposeMaxLen),
		Organization: textField(b, "organization", false, true, 0, governance.OrganizationMaxLen),
	}
	if t := timeField(b, "requested_until", true); t != nil {
		in.RequestedUntil = *t
	}
	if v, _ := b.OptInt("accepted_terms_version", 1); v != nil {
		in.TermsVersion = *v
	}
	if err := b.Problems.Err(); err != nil {
		return err
	}
	r, err := h.svc.RequestAccess(c.UserContext(), httpserver.Principal(c), param(c, "dataset_id"), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toRequestResponse(r))
}

func (h *Handlers) datasetRequests(c *fiber.Ctx) error {
	var probs httpserver.Problems
	pg := page(c, &probs)
	status := requestStatus(c, &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	rs, total, err := h.svc.DatasetRequests(c.UserContext(), httpserver.Principal(c), param(c, "dataset_id"), status, pg)
	if err != nil {
		return err
	}
	return c.JSON(envelope("Access requests retrieved successfully", toRequestResponses(rs), pg, total))
}

func (h *Handlers) myRequests(c *fiber.Ctx) error {
	var probs httpserver.Problems
	pg := page(c, &probs)
	status := requestStatus(c, &probs)
	if err := probs.Err(); err != nil {
		return err
	}
	rs, total, err := h.svc.MyRequests(c.UserContext(), httpserver.Principal(c), status, pg)
	if err != nil {
		return err
	}
	return c.JSON(envelope("Access requests retrieved successfully", toRequestResponses(rs), pg, total))
}

// approve reads the optional AccessRequestApprove {expires_at?, note?}.
func (h *Handlers) approve(c *fiber.Ctx) error {
	b, err := optionalJSONBody(c)
	if err != nil {
		return err
	}
	var in governanceport.ApproveInput
	if b != nil {
		in.ExpiresAt = timeField(b, "expires_at", false)
		in.Note = textField(b, "note", false, false, 0, governance.NoteMaxLen)
		if err := b.Problems.Err(); err != nil {
			return err
		}
	}
	r, err := h.svc.Approve(c.UserContext(), httpserver.Principal(c), param(c, "dataset_id"), param(c, "request_id"), in)
	if err != nil {
		return err
	}
	return c.JSON(toRequestResponse(r))
}

// reject reads AccessRequestReject {reason}.
func (h *Handlers) reject(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	reason := textField(b, "reason", true, false, governance.ReasonMinLen, governance.ReasonMaxLen)
	if err := b.Problems.Err(); err != nil {
		return err
	}
	r, err := h.svc.Reject(c.UserContext(), httpserver.Principal(c), param(c, "dataset_id"), param(c, "request_id"), reason)
	if err != nil {
		return err
	}
	return c.JSON(toRequestResponse(r))
}

func (h *Handlers) withdraw(c *fiber.Ctx) error {
	if err := h.svc.Withdraw(c.UserContext(), httpserver.Principal(c), param(c, "dataset_id"), param(c, "request_id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
