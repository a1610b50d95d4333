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

type pagination struct {
	Page  int   `json:"page"`
	Limit int   `json:"limit"`
	Total int64 `json:"total"`
	Pages int64 `json:"pages"`
}

func toPagination(pg communityport.Page, total int64) pagination {
	return pagination{Page: pg.Page, Limit: pg.Limit, Total: total, Pages: (total + int64(pg.Limit) - 1) / int64(pg.Limit)}
}

// listEnvelope is the seed's list envelope {status, message, data} plus pagination.
type listEnvelope[T any] struct {
	Status     string     `json:"status"`
	Message    string     `json:"message"`
	Data       []T        `json:"data"`
	Pagination pagination `json:"pagination"`
}

func envelope[T any](msg string, data []T, pg communityport.Page, total int64) listEnvelope[T] {
	if data == nil {
		data = []T{}
	}
	return listEnvelope[T]{Status: "success", Message: msg, Data: data, Pagination: toPagination(pg, total)}
}

func toCommunityResponses(vs []communityport.CommunityView) []communityResponse {
	out := make([]communityResponse, 0, len(vs))
	for _, v := range vs {
		out = append(out, toCommunityResponse(v))
	}
	return out
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
