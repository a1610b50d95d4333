// Package governance is data-use governance: the terms a community publishes,
// the consents users give to them, the access requests to restricted datasets
// and the time-bound grants that decide who may use a dataset, for what and
// until when.
package governance

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Length bounds of the texts, in characters (after trimming where a text is trimmed).
const (
	TitleMinLen        = 2
	TitleMaxLen        = 200
	BodyMinLen         = 1
	BodyMaxLen         = 100_000
	PurposeMinLen      = 20
	PurposeMaxLen      = 2000
	OrganizationMaxLen = 200
	ReasonMinLen       = 1
	ReasonMaxLen       = 1000
	NoteMaxLen         = 1000
)

// Sentinel errors of the governance context. Messages are safe to show.
var (
	ErrTermsNotFound     = kernel.NewError(kernel.KindNotFound, "terms_not_found", "The community has no such terms")
	ErrRequestNotFound   = kernel.NewError(kernel.KindNotFound, "access_request_not_found", "Access request not found")
	ErrGrantNotFound     = kernel.NewError(kernel.KindNotFound, "grant_not_found", "Grant not found")
	ErrDatasetNotFound   = kernel.NewError(kernel.KindNotFound, "dataset_not_found", "Dataset not found")
	ErrCommunityNotFound = kernel.NewError(kernel.KindNotFound, "community_not_found", "Community not found")

	ErrNotRestricted     = kernel.NewError(kernel.KindConflict, "not_restricted", "Access can only be requested to a restricted dataset")
	ErrAlreadyAllowed    = kernel.NewError(kernel.KindConflict, "already_allowed", "You may already download this dataset")
	ErrTermsOutdated     = kernel.NewError(kernel.KindConflict, "terms_outdated", "The accepted terms are not the community's current terms; read and accept the current version")
	ErrRequestPending    = kernel.NewError(kernel.KindConflict, "access_request_pending", "You already have a pending access request for this dataset")
	ErrRequestNotPending = kernel.NewError(kernel.KindConflict, "access_request_not_pending", "The access request has already been decided or withdrawn")
	ErrGrantExists       = kernel.NewError(kernel.KindConflict, "grant_exists", "The access request already has its grant")
	ErrGrantNotActive    = kernel.NewError(kernel.KindConflict, "grant_not_active", "The grant has already ended or been revoked")
	ErrTermsVersionTaken = kernel.NewError(kernel.KindConflict, "terms_version_taken", "Terms of this version were published concurrently; try again")
	ErrStale             = kernel.NewError(kernel.KindConflict, "concurrent_update", "The record was changed concurrently; try again")

	ErrNotDecider        = kernel.NewError(kernel.KindForbidden, "not_decider", "Only the dataset's owner, the community's administrators and administrators may decide on access")
	ErrNotCommunityAdmin = kernel.NewError(kernel.KindForbidden, "not_community_admin", "Only the community's administrators may publish its terms")
	ErrNotRequester      = kernel.NewError(kernel.KindForbidden, "not_requester", "Only the user who asked may withdraw an access request")
	ErrNotRevoker        = kernel.NewError(kernel.KindForbidden, "not_allowed_to_revoke", "Only the grantee, the dataset's owner, the community's administrators and administrators may revoke a grant")

	ErrInvalidTitle          = invalid("title", "Value error, The title must have 2 to 200 characters on one line")
	ErrInvalidBody           = invalid("body", "Value error, The terms must have 1 to 100000 characters")
	ErrInvalidPurpose        = invalid("purpose", "Value error, The purpose must have 20 to 2000 characters")
	ErrInvalidOrganization   = invalid("organization", "Value error, The organization must have at most 200 characters on one line")
	ErrInvalidReason         = invalid("reason", "Value error, The reason must have 1 to 1000 characters")
	ErrInvalidNote           = invalid("note", "Value error, The note must have at most 1000 characters")
	ErrRequestedUntilPast    = invalid("requested_until", "Value error, requested_until must be in the future")
	ErrRequestedUntilTooFar  = invalid("requested_until", "Value error, requested_until must be at most 365 days ahead")
	ErrExpiresAtPast         = invalid("expires_at", "Value error, expires_at must be in the future")
	ErrExpiresAtAfterRequest = invalid("expires_at", "Value error, expires_at must not be later than the request's requested_until")
	ErrTermsVersionRequired  = invalid("accepted_terms_version", "Value error, The community has published terms: accepted_terms_version must name the current version")
)

func invalid(field, msg string) *kernel.Error {
	return kernel.NewError(kernel.KindInvalid, "invalid_"+field, msg).WithField(field)
}

// isBidiControl reports the bidirectional embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) that can make a text read differently from
// what it holds.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// IsOneLine reports whether s is valid UTF-8 without control characters or
// bidirectional controls: a text meant for one line (titles, organizations).
func IsOneLine(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || isBidiControl(r) })
}

// IsText reports whether s is valid UTF-8 whose only control characters are
// newlines, carriage returns and tabs, without bidirectional controls: a text
// that may span lines (purposes, reasons, terms).
func IsText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t') || isBidiControl(r)
	})
}

// between reports whether s has from minLen to maxLen characters.
func between(s string, minLen, maxLen int) bool {
	n := utf8.RuneCountInString(s)
	return n >= minLen && n <= maxLen
}

// ParseTitle trims a terms title and checks it: 2–200 characters, one line.
func ParseTitle(raw string) (string, error) {
	t := strings.TrimSpace(raw)
	if !between(t, TitleMinLen, TitleMaxLen) || !IsOneLine(t) {
		return "", ErrInvalidTitle
	}
	return t, nil
}

// ParseBody checks a terms body (Markdown, kept as written): 1–100000
// characters, not only spaces, no control characters but line breaks and tabs.
func ParseBody(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" || !between(raw, BodyMinLen, BodyMaxLen) || !IsText(raw) {
		return "", ErrInvalidBody
	}
	return raw, nil
}

// ParsePurpose trims a request's purpose and checks it: 20–2000 characters.
func ParsePurpose(raw string) (string, error) {
	p := strings.TrimSpace(raw)
	if !between(p, PurposeMinLen, PurposeMaxLen) || !IsText(p) {
		return "", ErrInvalidPurpose
	}
	return p, nil
}

// ParseOrganization trims an organization's name ("" for none): at most 200
// characters, one line.
func ParseOrganization(raw string) (string, error) {
	o := strings.TrimSpace(raw)
	if !between(o, 0, OrganizationMaxLen) || !IsOneLine(o) {
		return "", ErrInvalidOrganization
	}
	return o, nil
}

// ParseReason trims the reason of a rejection or a revocation: 1–1000 characters.
func ParseReason(raw string) (string, error) {
	r := strings.TrimSpace(raw)
	if !between(r, ReasonMinLen, ReasonMaxLen) || !IsText(r) {
		return "", ErrInvalidReason
	}
	return r, nil
}

// ParseNote trims an approval's note ("" for none): at most 1000 characters.
func ParseNote(raw string) (string, error) {
	n := strings.TrimSpace(raw)
	if !between(n, 0, NoteMaxLen) || !IsText(n) {
		return "", ErrInvalidNote
	}
	return n, nil
}
