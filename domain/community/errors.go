// Package community holds communities, their memberships and join requests:
// who belongs to a community, who administers it, and the rules about them
// (names unique case-insensitively, a community always keeps an administrator,
// a join request is decided once).
package community

import "github.com/civicdatatrust/civictrust/domain/kernel"

// Sentinel errors of the community context. Messages are safe to show.
var (
	ErrCommunityNotFound = kernel.NewError(kernel.KindNotFound, "community_not_found", "Community not found")
	ErrNameTaken         = kernel.NewError(kernel.KindConflict, "community_name_taken", "Community name already exists")
	ErrInvalidName       = kernel.NewError(kernel.KindInvalid, "invalid_community_name", "Value error, Community name must have 2 to 100 characters").WithField("name")
	ErrNotCommunityAdmin = kernel.NewError(kernel.KindForbidden, "not_community_admin", "Only the community's administrators may do this")
	ErrMembersOnly       = kernel.NewError(kernel.KindForbidden, "community_members_only", "Only the community's members may do this")
	ErrNotAllowed        = kernel.NewError(kernel.KindForbidden, "not_allowed", "You are not allowed to do this")
	ErrUserNotFound      = kernel.NewError(kernel.KindNotFound, "user_not_found", "User not found")
	ErrAlreadyMember     = kernel.NewError(kernel.KindConflict, "already_member", "The user is already a member of this community")
	ErrNotMember         = kernel.NewError(kernel.KindNotFound, "member_not_found", "The user is not a member of this community")
	ErrLastAdmin         = kernel.NewError(kernel.KindConflict, "last_community_admin", "The last administrator of a community cannot leave it or be removed")
	ErrLastAdminDeparts  = kernel.NewError(kernel.KindConflict, "last_community_admin", "The user is the last administrator of a community: name another administrator or delete the community first")
	ErrHasDatasets       = kernel.NewError(kernel.KindConflict, "community_has_datasets", "The community still holds datasets; move or delete them first")
	ErrStaleCommunity    = kernel.NewError(kernel.KindConflict, "concurrent_update", "The community was changed concurrently; try again")

	ErrRequestNotFound   = kernel.NewError(kernel.KindNotFound, "join_request_not_found", "Join request not found")
	ErrRequestPending    = kernel.NewError(kernel.KindConflict, "join_request_pending", "A join request of this user is already pending")
	ErrRequestNotPending = kernel.NewError(kernel.KindConflict, "join_request_not_pending", "The join request has already been decided or withdrawn")
	ErrNotRequester      = kernel.NewError(kernel.KindForbidden, "not_requester", "Only the user who asked may withdraw a join request")
	ErrStaleRequest      = kernel.NewError(kernel.KindConflict, "concurrent_update", "The join request was changed concurrently; try again")

	ErrNoLogo         = kernel.NewError(kernel.KindNotFound, "logo_not_found", "The community has no logo")
	ErrLogoTooLarge   = kernel.NewError(kernel.KindTooLarge, "logo_too_large", "The logo is larger than 2 MiB")
	ErrLogoType       = kernel.NewError(kernel.KindUnsupportedMedia, "unsupported_logo_type", "The logo must be a PNG, JPEG or WebP image")
	ErrLogoDimensions = kernel.NewError(kernel.KindInvalid, "logo_dimensions", "Value error, The image is larger than 4096×4096 pixels").WithField("file")
	ErrLogoCorrupt    = kernel.NewError(kernel.KindInvalid, "logo_corrupt", "Value error, The image could not be decoded").WithField("file")
)
