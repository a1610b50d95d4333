package communityhttp

import (
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// optString is nil for "" (shown as null).
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// communityResponse is the seed's CommunityResponse {id, name, logo} and more.
type communityResponse struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Logo        string  `json:"logo"` // the logo's URL, "" when there is none
	Description *string `json:"description"`
	CreatedBy   string  `json:"created_by"`
	MemberCount int64   `json:"member_count"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
}

func toCommunityResponse(v communityport.CommunityView) communityResponse {
	c := v.Community
	logo := ""
	if c.HasLogo() {
		logo = communitiesPrefix + "/" + c.ID() + "/logo"
	}
	return communityResponse{
		ID: c.ID(), Name: c.Name(), Logo: logo, Description: optString(c.Description()), CreatedBy: c.CreatedBy(),
		MemberCount: v.MemberCount, CreatedAt: httpserver.FormatTime(c.CreatedAt()), UpdatedAt: httpserver.FormatTime(c.UpdatedAt()),
	}
}

// envelope is the list page pg of total items.
func envelope[T any](msg string, data []T, pg communityport.Page, total int64) httpserver.ListEnvelope[T] {
	return httpserver.NewListEnvelope(msg, data, pg.Page, pg.Limit, total)
}

func toCommunityResponses(vs []communityport.CommunityView) []communityResponse {
	return httpserver.Responses(vs, toCommunityResponse)
}

// memberResponse is a CommunityMember.
type memberResponse struct {
	CommunityID string `json:"community_id"`
	UserID      string `json:"user_id"`
	Name        string `json:"name,omitempty"`
	Role        string `json:"role"`
	AddedAt     string `json:"added_at"`
}

func toMemberResponse(v communityport.MemberView) memberResponse {
	m := v.Membership
	return memberResponse{CommunityID: m.CommunityID, UserID: m.UserID, Name: v.Name, Role: string(m.Role), AddedAt: httpserver.FormatTime(m.AddedAt)}
}

// addedResponse is the seed's AddUserToCommunityResponse.
type addedResponse struct {
	UserID      string `json:"user_id"`
	CommunityID string `json:"community_id"`
	AddedAt     string `json:"added_at"`
}

// joinRequestResponse is a CommunityJoinRequest.
type joinRequestResponse struct {
	ID          string  `json:"id"`
	CommunityID string  `json:"community_id"`
	UserID      string  `json:"user_id"`
	Message     *string `json:"message"`
	Status      string  `json:"status"`
	CreatedAt   string  `json:"created_at"`
	DecidedAt   *string `json:"decided_at"`
	DecidedBy   *string `json:"decided_by"`
	Reason      *string `json:"reason"`
}

func toJoinRequestResponse(r *community.JoinRequest) joinRequestResponse {
	out := joinRequestResponse{
		ID: r.ID, CommunityID: r.CommunityID, UserID: r.UserID, Message: optString(r.Message), Status: string(r.Status),
		CreatedAt: httpserver.FormatTime(r.CreatedAt), DecidedBy: optString(r.DecidedBy), Reason: optString(r.Reason),
	}
	if r.DecidedAt != nil {
		s := httpserver.FormatTime(*r.DecidedAt)
		out.DecidedAt = &s
	}
	return out
}
