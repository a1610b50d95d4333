package communityhttp

import (
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/community"
)

// nameField checks a community name's length and characters.
func nameField(b *httpserver.Body, raw string) {
	if !b.LengthOK("name", raw, community.NameMinLen, community.NameMaxLen) {
		return
	}
	if _, err := community.ParseName(raw); err != nil {
		b.Problems.Add("value_error", err.Error(), raw, map[string]any{"error": map[string]any{}}, "body", "name")
	}
}

// optText reads an optional, nullable string of at most maxLen characters ("" when absent).
func optText(b *httpserver.Body, field string, maxLen int) (*string, bool) {
	s, ok := b.OptString(field)
	if !ok || s == nil {
		return s, ok
	}
	return s, b.LengthOK(field, *s, 0, maxLen) && b.Problems.PlainText(field, *s)
}

// roleField reads an optional role ("member" when absent).
func roleField(b *httpserver.Body) community.Role {
	raw, ok := b.OptString("role")
	if !ok || raw == nil {
		return community.RoleMember
	}
	role, valid := community.ParseRole(*raw)
	if !valid {
		b.Problems.Add("enum", "Input should be 'member' or 'admin'", *raw,
			map[string]any{"expected": "'member' or 'admin'"}, "body", "role")
	}
	return role
}

// matchingCommunityID checks that a community_id in the body, if any, is the path's.
func matchingCommunityID(b *httpserver.Body, pathID string) {
	raw, ok := b.OptString("community_id")
	if ok && raw != nil && *raw != pathID {
		b.Problems.Add("value_error", "Value error, community_id must match the community in the path", *raw,
			map[string]any{"error": map[string]any{}}, "body", "community_id")
	}
}

// userIDField reads a required user id.
func userIDField(b *httpserver.Body) string {
	raw, _ := b.String("user_id")
	return raw
}
