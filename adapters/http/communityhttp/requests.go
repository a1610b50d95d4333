package communityhttp

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/community"
)

// optionalJSONBody reads a JSON object body that may be left out entirely
// (nil): a request that declares no content. The body is never read through
// c.Body(), which would buffer a streamed body whatever its size.
func optionalJSONBody(c *fiber.Ctx) (*httpserver.Body, error) {
	if c.Request().Header.ContentLength() == 0 {
		return nil, nil
	}
	return httpserver.JSONBody(c)
}

// checkLength records pydantic's string_too_short / string_too_long for raw
// (counted in characters after trimming) at body.<field>.
func checkLength(b *httpserver.Body, field, raw string, minLen, maxLen int) bool {
	n := utf8.RuneCountInString(strings.TrimSpace(raw))
	switch {
	case n < minLen:
		b.Problems.Add("string_too_short", fmt.Sprintf("String should have at least %d characters", minLen), raw,
			map[string]any{"min_length": minLen}, "body", field)
		return false
	case n > maxLen:
		b.Problems.Add("string_too_long", fmt.Sprintf("String should have at most %d characters", maxLen), raw,
			map[string]any{"max_length": maxLen}, "body", field)
		return false
	}
	return true
}

// nameField checks a community name's length and characters.
func nameField(b *httpserver.Body, raw string) {
	if !checkLength(b, "name", raw, community.NameMinLen, community.NameMaxLen) {
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
	return s, checkLength(b, field, *s, 0, maxLen) && b.Problems.PlainText(field, *s)
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
