package communityport

import (
	"context"
	"io"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// CommunityView is a community with its member count, for responses.
type CommunityView struct {
	Community   *community.Community
	MemberCount int64
}

// MemberView is a membership with the member's name ("" when unknown), for responses.
type MemberView struct {
	Membership *community.Membership
	Name       string
}

// CreateInput is a validated community creation.
type CreateInput struct {
	Name        string
	Description string
}

// UpdateInput is a partial update; nil fields stay unchanged.
type UpdateInput struct {
	Name        *string
	Description *string
}

// JoinInput is a request to join: UserID "" means the caller.
type JoinInput struct {
	UserID  string
	Message string
}

// Page is a 1-based page of a listing.
type Page struct {
	Page  int
	Limit int
}

// Logo is an uploaded image, already recognised by content and checked.
type Logo struct {
	ContentType string
	Data        []byte
}

// LogoReader reads and checks an upload. SetLogo calls it only once the caller
// is known to be allowed, so nobody else makes the server read an image.
type LogoReader func() (Logo, error)

// LogoFile is a stored logo: its media type, its ETag (the SHA-256 in hex) and
// a way to read it, so that a conditional request need not open the blob.
type LogoFile struct {
	ContentType string
	ETag        string
	Open        func(ctx context.Context) (io.ReadCloser, error)
}

// Service is the community use cases that drivers call. Every method checks
// the caller's rights on the community (community admins and global admins
// manage it; members see its members; module holders see the rest).
type Service interface {
	Create(ctx context.Context, p kernel.Principal, in CreateInput) (CommunityView, error)
	List(ctx context.Context, p kernel.Principal, f ListFilter, pg Page) ([]CommunityView, int64, error)
	Get(ctx context.Context, p kernel.Principal, id string) (CommunityView, error)
	Update(ctx context.Context, p kernel.Principal, id string, in UpdateInput) (CommunityView, error)
	// Delete removes a community with its memberships, join requests and logo;
	// a community that holds datasets is community.ErrHasDatasets.
	Delete(ctx context.Context, p kernel.Principal, id string) error

	SetLogo(ctx context.Context, p kernel.Principal, id string, read LogoReader) (CommunityView, error)
	Logo(ctx context.Context, p kernel.Principal, id string) (LogoFile, error)

	AddMember(ctx context.Context, p kernel.Principal, id, userID string, role community.Role) (MemberView, error)
	ListMembers(ctx context.Context, p kernel.Principal, id string, pg Page) ([]MemberView, int64, error)
	// RemoveMember takes a member out (a community admin, or the member leaving);
	// the last administrator cannot go (community.ErrLastAdmin).
	RemoveMember(ctx context.Context, p kernel.Principal, id, userID string) error
	// UserCommunities lists the communities a user belongs to (oneself, or with the users module).
	UserCommunities(ctx context.Context, p kernel.Principal, userID string, pg Page) ([]CommunityView, int64, error)

	RequestToJoin(ctx context.Context, p kernel.Principal, id string, in JoinInput) (*community.JoinRequest, error)
	ListJoinRequests(ctx context.Context, p kernel.Principal, id string, status community.RequestStatus, pg Page) ([]*community.JoinRequest, int64, error)
	Approve(ctx context.Context, p kernel.Principal, id, requestID string) (*community.JoinRequest, error)
	Reject(ctx context.Context, p kernel.Principal, id, requestID, reason string) (*community.JoinRequest, error)
	Withdraw(ctx context.Context, p kernel.Principal, id, requestID string) error
}
