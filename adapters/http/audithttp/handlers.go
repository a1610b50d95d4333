// Package audithttp serves the audit trail (module audit).
package audithttp

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// Handlers serves the audit routes.
type Handlers struct{ svc auditport.Service }

// New builds the handlers.
func New(svc auditport.Service) *Handlers { return &Handlers{svc: svc} }

// Routes lists the audit routes.
func (h *Handlers) Routes() []httpserver.Route {
	return []httpserver.Route{
		{Method: fiber.MethodGet, Path: "/api/v1/audit-events", Access: httpserver.ModuleGuarded, Module: access.ModuleAudit, NoStore: true, Handler: h.list},
		{Method: fiber.MethodGet, Path: "/api/v1/audit-events/verify", Access: httpserver.ModuleGuarded, Module: access.ModuleAudit, NoStore: true, Handler: h.verify},
	}
}

// EventResponse is one audit event as the API shows it.
type EventResponse struct {
	ID         string            `json:"id"`
	Seq        int64             `json:"seq"`
	At         string            `json:"at"`
	ActorID    *string           `json:"actor_id"`
	Action     string            `json:"action"`
	TargetType *string           `json:"target_type"`
	TargetID   *string           `json:"target_id"`
	IP         string            `json:"ip"`
	UserAgent  string            `json:"user_agent"`
	RequestID  string            `json:"request_id"`
	Outcome    string            `json:"outcome"`
	Details    map[string]string `json:"details,omitempty"`
	PrevHash   string            `json:"prev_hash"`
	Hash       string            `json:"hash"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ToEventResponse renders an event (also used by the CLI export).
func ToEventResponse(e *audit.Event) EventResponse {
	return EventResponse{ID: e.ID, Seq: e.Seq, At: httpserver.FormatTime(e.At), ActorID: optional(e.ActorID), Action: e.Action,
		TargetType: optional(e.TargetType), TargetID: optional(e.TargetID), IP: e.IP, UserAgent: e.UserAgent,
		RequestID: e.RequestID, Outcome: e.Outcome, Details: e.Details, PrevHash: e.PrevHash, Hash: e.Hash}
}

func timeQuery(c *fiber.Ctx, p *httpserver.Problems, name string) time.Time {
	raw := strings.Clone(c.Query(name))
	if raw == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		p.Add("datetime_from_date_parsing", "Input should be a valid datetime", raw, nil, "query", name)
	}
	return t
}

func (h *Handlers) list(c *fiber.Ctx) error {
	var probs httpserver.Problems
	page := httpserver.QueryPage(c, &probs)
	limit := httpserver.QueryInt(c, &probs, "limit", 20, 1, 100)
	f := auditport.Filter{
		ActorID: strings.Clone(c.Query("actor_id")), Action: strings.Clone(c.Query("action")),
		TargetType: strings.Clone(c.Query("target_type")), TargetID: strings.Clone(c.Query("target_id")),
		Since: timeQuery(c, &probs, "since"), Until: timeQuery(c, &probs, "until"),
	}
	if err := probs.Err(); err != nil {
		return err
	}
	evs, total, err := h.svc.List(c.UserContext(), f, page, limit)
	if err != nil {
		return err
	}
	return c.JSON(httpserver.NewListEnvelope("Audit events retrieved successfully", httpserver.Responses(evs, ToEventResponse), page, limit, total))
}

// BrokenResponse names the first broken link. ID and At are null when the
// event is missing and its identity unknown (a removed tail).
type BrokenResponse struct {
	Seq    int64   `json:"seq"`
	ID     *string `json:"id"`
	At     *string `json:"at"`
	Reason string  `json:"reason"`
}

// LastResponse is the last event checked: recorded outside the store, its
// sequence number and hash prove at the next verification that nothing was
// removed from the end.
type LastResponse struct {
	Seq  int64  `json:"seq"`
	ID   string `json:"id"`
	Hash string `json:"hash"`
}

type verifyResponse struct {
	Valid       bool            `json:"valid"`
	Checked     int64           `json:"checked"`
	FirstBroken *BrokenResponse `json:"first_broken"`
	Last        *LastResponse   `json:"last"`
}

// ToBrokenResponse renders a break (also used by the CLI).
func ToBrokenResponse(b *audit.Break) *BrokenResponse {
	if b == nil {
		return nil
	}
	out := &BrokenResponse{Seq: b.Seq, ID: optional(b.ID), Reason: b.Reason}
	if !b.At.IsZero() {
		at := httpserver.FormatTime(b.At)
		out.At = &at
	}
	return out
}

func (h *Handlers) verify(c *fiber.Ctx) error {
	res, err := h.svc.Verify(c.UserContext(), nil)
	if err != nil {
		return err
	}
	out := verifyResponse{Valid: res.FirstBroken == nil, Checked: res.Checked, FirstBroken: ToBrokenResponse(res.FirstBroken)}
	if l := res.Last; l != nil {
		out.Last = &LastResponse{Seq: l.Seq, ID: l.ID, Hash: l.Hash}
	}
	return c.JSON(out)
}
