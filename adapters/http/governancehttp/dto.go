package governancehttp

import (
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// optString is nil for "" (shown as null).
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// optVersion is nil for 0 (no terms).
func optVersion(v int) *int {
	if v == 0 {
		return nil
	}
	return &v
}

// envelope is the list page pg of total items.
func envelope[T any](msg string, data []T, pg governanceport.Page, total int64) httpserver.ListEnvelope[T] {
	return httpserver.NewListEnvelope(msg, data, pg.Page, pg.Limit, total)
}

// termsResponse is Terms.
type termsResponse struct {
	ID          string `json:"id"`
	CommunityID string `json:"community_id"`
	Version     int    `json:"version"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	PublishedAt string `json:"published_at"`
	PublishedBy string `json:"published_by"`
}

func toTermsResponse(t *governance.Terms) termsResponse {
	return termsResponse{ID: t.ID, CommunityID: t.CommunityID, Version: t.Version, Title: t.Title, Body: t.Body,
		PublishedAt: httpserver.FormatTime(t.PublishedAt), PublishedBy: t.PublishedBy}
}

// requestResponse is AccessRequest.
type requestResponse struct {
	ID                   string  `json:"id"`
	DatasetID            string  `json:"dataset_id"`
	RequesterID          string  `json:"requester_id"`
	Purpose              string  `json:"purpose"`
	Organization         *string `json:"organization"`
	RequestedUntil       string  `json:"requested_until"`
	AcceptedTermsVersion *int    `json:"accepted_terms_version"`
	Status               string  `json:"status"`
	DecidedBy            *string `json:"decided_by"`
	DecidedAt            *string `json:"decided_at"`
	Reason               *string `json:"reason"`
	Note                 *string `json:"note"`
	GrantID              *string `json:"grant_id"`
	CreatedAt            string  `json:"created_at"`
}

func toRequestResponse(r *governance.AccessRequest) requestResponse {
	return requestResponse{
		ID: r.ID, DatasetID: r.DatasetID, RequesterID: r.RequesterID, Purpose: r.Purpose, Organization: optString(r.Organization),
		RequestedUntil: httpserver.FormatTime(r.RequestedUntil), AcceptedTermsVersion: optVersion(r.TermsVersion), Status: string(r.Status),
		DecidedBy: optString(r.DecidedBy), DecidedAt: httpserver.FormatOptionalTime(r.DecidedAt), Reason: optString(r.Reason), Note: optString(r.Note),
		GrantID: optString(r.GrantID), CreatedAt: httpserver.FormatTime(r.CreatedAt),
	}
}

// grantResponse is Grant.
type grantResponse struct {
	ID           string  `json:"id"`
	DatasetID    string  `json:"dataset_id"`
	DatasetTitle string  `json:"dataset_title"`
	CommunityID  string  `json:"community_id"`
	GranteeID    string  `json:"grantee_id"`
	RequestID    string  `json:"request_id"`
	Purpose      string  `json:"purpose"`
	Organization *string `json:"organization"`
	TermsVersion *int    `json:"terms_version"`
	GrantedBy    string  `json:"granted_by"`
	GrantedAt    string  `json:"granted_at"`
	ExpiresAt    string  `json:"expires_at"`
	Status       string  `json:"status"`
	RevokedAt    *string `json:"revoked_at"`
	RevokedBy    *string `json:"revoked_by"`
	RevokeReason *string `json:"revoke_reason"`
}

func toGrantResponse(v governanceport.GrantView) grantResponse {
	g := v.Grant
	return grantResponse{
		ID: g.ID, DatasetID: g.DatasetID, DatasetTitle: g.DatasetTitle, CommunityID: g.CommunityID, GranteeID: g.GranteeID,
		RequestID: g.RequestID, Purpose: g.Purpose, Organization: optString(g.Organization), TermsVersion: optVersion(g.TermsVersion),
		GrantedBy: g.GrantedBy, GrantedAt: httpserver.FormatTime(g.GrantedAt), ExpiresAt: httpserver.FormatTime(g.ExpiresAt), Status: string(v.Status),
		RevokedAt: httpserver.FormatOptionalTime(g.RevokedAt), RevokedBy: optString(g.RevokedBy), RevokeReason: optString(g.RevokeReason),
	}
}

// registerEntry is DataUse: what, for what, by which organization and when;
// it has no field that could name a person.
type registerEntry struct {
	GrantID       string  `json:"grant_id"`
	DatasetID     string  `json:"dataset_id"`
	DatasetTitle  string  `json:"dataset_title"`
	CommunityID   string  `json:"community_id"`
	CommunityName string  `json:"community_name"`
	Organization  *string `json:"organization"`
	Purpose       string  `json:"purpose"`
	GrantedAt     string  `json:"granted_at"`
	ExpiresAt     string  `json:"expires_at"`
	RevokedAt     *string `json:"revoked_at"`
	Status        string  `json:"status"`
}

func toRegisterEntry(e governanceport.RegisterEntry) registerEntry {
	return registerEntry{
		GrantID: e.GrantID, DatasetID: e.DatasetID, DatasetTitle: e.DatasetTitle, CommunityID: e.CommunityID,
		CommunityName: e.CommunityName, Organization: optString(e.Organization), Purpose: e.Purpose,
		GrantedAt: httpserver.FormatTime(e.GrantedAt), ExpiresAt: httpserver.FormatTime(e.ExpiresAt), RevokedAt: httpserver.FormatOptionalTime(e.RevokedAt), Status: string(e.Status),
	}
}
