package governancehttp

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

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
	if !b.LengthOK(field, raw, minLen, maxLen) {
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
	return statusList(c, "Access requests retrieved successfully", requestStatus, ofDataset(c, h.svc.DatasetRequests), toRequestResponse)
}

func (h *Handlers) myRequests(c *fiber.Ctx) error {
	return statusList(c, "Access requests retrieved successfully", requestStatus, h.svc.MyRequests, toRequestResponse)
}

// approve reads the optional AccessRequestApprove {expires_at?, note?}.
func (h *Handlers) approve(c *fiber.Ctx) error {
	b, err := httpserver.OptionalJSONBody(c)
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
