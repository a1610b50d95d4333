package community

import (
	"strings"
	"time"
)

// Role is a member's role in one community.
type Role string

// Community roles.
const (
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
)

// ParseRole accepts "admin" and "member".
func ParseRole(s string) (Role, bool) {
	switch r := Role(s); r {
	case RoleAdmin, RoleMember:
		return r, true
	}
	return "", false
}

// Membership says that a user belongs to a community, and in which role.
type Membership struct {
	CommunityID string
	UserID      string
	Role        Role
	AddedAt     time.Time
}

// MembershipKey is the identity of a membership (one per community and user);
// the same key identifies a user's pending join request to a community.
func MembershipKey(communityID, userID string) string { return communityID + ":" + userID }

// SplitMembershipKey is the inverse of MembershipKey.
func SplitMembershipKey(key string) (communityID, userID string, ok bool) {
	return strings.Cut(key, ":")
}
