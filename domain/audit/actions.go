package audit

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Actions the contexts record (API.md "Audit"). An action names what was
// attempted; Outcome says how it ended.
const (
	ActionSignup                 = "auth.signup"
	ActionLogin                  = "auth.login"
	ActionLockout                = "auth.lockout"
	ActionLogout                 = "auth.logout"
	ActionLogoutAll              = "auth.logout_all"
	ActionSessionRevoke          = "auth.session_revoke"
	ActionRefreshReuseDetected   = "auth.refresh_reuse_detected"
	ActionPasswordResetRequested = "auth.password_reset_requested"
	ActionPasswordReset          = "auth.password_reset"
	ActionPasswordChanged        = "auth.password_changed"
	ActionEmailVerified          = "auth.email_verified"

	ActionUserCreate = "user.create"
	ActionUserUpdate = "user.update"
	ActionUserDelete = "user.delete"

	ActionRoleCreate   = "role.create"
	ActionRoleUpdate   = "role.update"
	ActionRoleDelete   = "role.delete"
	ActionRoleAssign   = "role.assign"
	ActionRoleUnassign = "role.unassign"

	ActionModuleCreate      = "module.create"
	ActionModuleUpdate      = "module.update"
	ActionModuleAddRoles    = "module.add_roles"
	ActionModuleRemoveRoles = "module.remove_roles"
	ActionModuleDelete      = "module.delete"

	ActionCommunityCreate     = "community.create"
	ActionCommunityUpdate     = "community.update"
	ActionCommunityLogoUpdate = "community.logo_update"
	ActionCommunityDelete     = "community.delete"
	ActionMembershipAdd       = "membership.add"
	ActionMembershipRemove    = "membership.remove"
	ActionMembershipLeave     = "membership.leave"
	ActionJoinRequestCreate   = "join_request.create"
	ActionJoinRequestApprove  = "join_request.approve"
	ActionJoinRequestReject   = "join_request.reject"
	ActionJoinRequestWithdraw = "join_request.withdraw"

	// The datasets' access log (a view over the trail) records these.
	ActionDatasetCreate   = "dataset.create"
	ActionDatasetView     = "dataset.view"
	ActionDatasetDownload = "dataset.download"
	ActionDatasetUpdate   = "dataset.update"
	ActionDatasetVersion  = "dataset.version"
	ActionDatasetDelete   = "dataset.delete"

	// Data-use governance.
	ActionTermsPublish          = "terms.publish"
	ActionConsentAccept         = "consent.accept"
	ActionAccessRequestCreate   = "access_request.create"
	ActionAccessRequestApprove  = "access_request.approve"
	ActionAccessRequestReject   = "access_request.reject"
	ActionAccessRequestWithdraw = "access_request.withdraw"
	ActionGrantRevoke           = "grant.revoke"
	// ActionGrantExpire is recorded once per grant, by the service itself (no
	// actor), when it first finds the grant past its end.
	ActionGrantExpire = "grant.expire"

	// ActionAccessDenied is a request refused because the caller holds no role
	// of the module its route needs (403 module_forbidden): an attempt, always
	// with outcome denied.
	ActionAccessDenied = "access.denied"
)

// Actions lists every action above, for documentation and tests.
func Actions() []string {
	return []string{
		ActionSignup, ActionLogin, ActionLockout, ActionLogout, ActionLogoutAll, ActionSessionRevoke,
		ActionRefreshReuseDetected, ActionPasswordResetRequested, ActionPasswordReset, ActionPasswordChanged,
		ActionEmailVerified, ActionUserCreate, ActionUserUpdate, ActionUserDelete,
		ActionRoleCreate, ActionRoleUpdate, ActionRoleDelete, ActionRoleAssign, ActionRoleUnassign,
		ActionModuleCreate, ActionModuleUpdate, ActionModuleAddRoles, ActionModuleRemoveRoles, ActionModuleDelete,
		ActionCommunityCreate, ActionCommunityUpdate, ActionCommunityLogoUpdate, ActionCommunityDelete,
		ActionMembershipAdd, ActionMembershipRemove, ActionMembershipLeave,
		ActionJoinRequestCreate, ActionJoinRequestApprove, ActionJoinRequestReject, ActionJoinRequestWithdraw,
		ActionDatasetCreate, ActionDatasetView, ActionDatasetDownload, ActionDatasetUpdate, ActionDatasetVersion, ActionDatasetDelete,
		ActionTermsPublish, ActionConsentAccept, ActionAccessRequestCreate, ActionAccessRequestApprove,
		ActionAccessRequestReject, ActionAccessRequestWithdraw, ActionGrantRevoke, ActionGrantExpire,
		ActionAccessDenied,
	}
}

// Target types.
const (
	TargetUser        = "user"
	TargetSession     = "session"
	TargetRole        = "role"
	TargetModule      = "module"
	TargetCommunity   = "community"
	TargetJoinRequest = "join_request"
	TargetDataset     = "dataset"
	TargetTerms       = "terms"
	TargetRequest     = "access_request"
	TargetGrant       = "grant"
)

// Size limits that keep one event small whatever a client sends.
const (
	maxField      = 512 // ip, user agent, request id, ids, action
	maxDetailKeys = 16
	maxDetail     = 256
)

// NewEvent starts an event for action on a target, stamped with where the
// request came from and who made it (meta.ActorID; set ActorID to override).
// Outcome defaults to Success.
func NewEvent(meta kernel.RequestMeta, action, targetType, targetID string) Event {
	return Event{ActorID: meta.ActorID, Action: action, TargetType: targetType, TargetID: targetID,
		IP: meta.IP, UserAgent: meta.UserAgent, RequestID: meta.RequestID, Outcome: Success}
}

// Normalize makes every text field valid UTF-8 and bounded (a user agent is
// whatever the client sent), so that the event survives any store unchanged
// and its hash verifies after a round trip. Append calls it before sealing.
func (e *Event) Normalize() {
	for _, f := range []*string{&e.ID, &e.ActorID, &e.Action, &e.TargetType, &e.TargetID, &e.IP, &e.UserAgent, &e.RequestID, &e.Outcome} {
		*f = clip(*f, maxField)
	}
	if len(e.Details) == 0 {
		e.Details = nil
		return
	}
	d := make(map[string]string, min(len(e.Details), maxDetailKeys))
	for k, v := range e.Details {
		if len(d) == maxDetailKeys {
			break
		}
		d[clip(k, maxDetail)] = clip(v, maxDetail)
	}
	e.Details = d
}

// clip returns s as valid UTF-8 of at most n bytes, cut at a rune boundary.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// OutcomeOf classifies a use case's error for its event: nil is a success; a
// refusal on rights (kernel.KindForbidden) is denied, with the error's code as
// the reason; anything else (invalid input, not found, a conflict, the store
// down) changed nothing and is not an event (ok is false).
func OutcomeOf(err error) (outcome, reason string, ok bool) {
	if err == nil {
		return Success, "", true
	}
	var ke *kernel.Error
	if kernel.KindOf(err) == kernel.KindForbidden && errors.As(err, &ke) {
		return Denied, ke.Code, true
	}
	return "", "", false
}
