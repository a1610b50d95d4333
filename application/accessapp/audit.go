package accessapp

import (
	"context"
	"strconv"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Audit events of the access context: every change to roles, role-base
// modules and role assignments records one event, by the caller the HTTP
// guard put in ctx (kernel.RequestMetaFrom). Refusals here are conflicts or
// unknown ids, which change nothing and record nothing; module access itself
// is refused by the guard before a use case runs, which records each refusal
// through RecordDenial.
//
// The change has been made when the event is written, so a failed append is
// reported through the ErrorReporter and the request still succeeds (issue 6:
// the trail must never fail a user's request; only a login's event is
// mandatory). Append gives up after 5 s.

// record appends an event on a target with details (pairs of key and value).
func (s *Service) record(ctx context.Context, action, targetType, targetID string, details ...string) {
	if s.deps.Audit == nil {
		return
	}
	e := audit.NewEvent(kernel.RequestMetaFrom(ctx), action, targetType, targetID)
	if len(details) > 0 {
		e.Details = make(map[string]string, len(details)/2)
		for i := 0; i+1 < len(details); i += 2 {
			e.Details[details[i]] = details[i+1]
		}
	}
	s.append(ctx, e)
}

// append writes e to the trail; a failure is reported, not returned.
func (s *Service) append(ctx context.Context, e audit.Event) {
	if _, err := s.deps.Audit.Append(ctx, e); err != nil && s.deps.Reporter != nil {
		s.deps.Reporter.Report(ctx, "audit "+e.Action, err)
	}
}

// RecordDenial records a request the HTTP guard refused because the caller
// holds no role of module (access.denied, outcome denied): who tried what is
// part of the trail, not only what was done. The module is the target when it
// exists (by id, as in the module's own events) and is named in the details.
func (s *Service) RecordDenial(ctx context.Context, module, route string) {
	if s.deps.Audit == nil {
		return
	}
	targetID := ""
	if snap, err := s.current(ctx); err == nil {
		if m := snap.modulesByKey[access.NameKey(module)]; m != nil {
			targetID = m.ID
		}
	}
	e := audit.NewEvent(kernel.RequestMetaFrom(ctx), audit.ActionAccessDenied, audit.TargetModule, targetID)
	e.Outcome = audit.Denied
	e.Details = map[string]string{"module": module, "route": route}
	s.append(ctx, e)
}

func (s *Service) recordRole(ctx context.Context, action string, r *access.Role) {
	s.record(ctx, action, audit.TargetRole, r.ID, "name", r.Name, "self_assignable", strconv.FormatBool(r.SelfAssignable))
}

func (s *Service) recordModule(ctx context.Context, action string, m *access.Module, roleIDs []string) {
	details := []string{"name", m.Name, "roles", strings.Join(m.RoleIDs, ",")}
	if roleIDs != nil {
		details = append(details, "changed_roles", strings.Join(roleIDs, ","))
	}
	s.record(ctx, action, audit.TargetModule, m.ID, details...)
}
