package httpserver

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// OptionalJSONBody reads a JSON object body that may be left out entirely
// (nil): a request that declares no content. The body is never read through
// c.Body(), which would buffer a streamed body whatever its size.
func OptionalJSONBody(c *fiber.Ctx) (*Body, error) {
	if c.Request().Header.ContentLength() == 0 {
		return nil, nil
	}
	return JSONBody(c)
}

// LengthOK records pydantic's string_too_short / string_too_long for raw
// (counted in characters after trimming) at body.<field>, and reports whether
// raw is within its length.
func (b *Body) LengthOK(field, raw string, minLen, maxLen int) bool {
	n := utf8.RuneCountInString(strings.TrimSpace(raw))
	switch {
	case n < minLen:
		noun := "characters"
		if minLen == 1 {
			noun = "character"
		}
		b.Problems.Add("string_too_short", fmt.Sprintf("String should have at least %d %s", minLen, noun), raw,
			map[string]any{"min_length": minLen}, "body", field)
		return false
	case n > maxLen:
		b.Problems.Add("string_too_long", fmt.Sprintf("String should have at most %d characters", maxLen), raw,
			map[string]any{"max_length": maxLen}, "body", field)
		return false
	}
	return true
}
