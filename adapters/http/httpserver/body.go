package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// MaxJSONBody is the largest JSON request body accepted (1 MiB).
const MaxJSONBody = 1 << 20

// ErrBodyTooLarge is a JSON body over MaxJSONBody.
var ErrBodyTooLarge = kernel.NewError(kernel.KindTooLarge, "body_too_large", "Request body too large")

// ErrUnsupportedMedia is a body of a type the operation does not take.
var ErrUnsupportedMedia = kernel.NewError(kernel.KindUnsupportedMedia, "unsupported_media_type", "Unsupported media type")

// Body is a decoded JSON object whose fields are read one by one, every problem
// collected (unknown fields are ignored, as FastAPI ignores them).
type Body struct {
	fields   map[string]json.RawMessage
	whole    any
	Problems Problems
}

// JSONBody reads the request body as a JSON object. A body that is not JSON, or not
// an object, fails at once with the single 422 entry FastAPI would give.
func JSONBody(c *fiber.Ctx) (*Body, error) {
	if n := c.Request().Header.ContentLength(); n > MaxJSONBody {
		CloseAfterAnswer(c) // the body is not read: answer, then linger
		return nil, ErrBodyTooLarge
	}
	// Read through the limit: the body may be streamed (chunked, no length).
	raw, err := io.ReadAll(io.LimitReader(RequestBody(c), MaxJSONBody+1))
	if err != nil {
		return nil, errBodyUnreadable(err)
	}
	if len(raw) > MaxJSONBody {
		CloseAfterAnswer(c) // the rest is not read: answer, then linger
		return nil, ErrBodyTooLarge
	}
	b := &Body{}
	if len(bytes.TrimSpace(raw)) == 0 {
		b.Problems.Missing(nil, "body")
		return nil, b.Problems.Err()
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var whole any
	if err := dec.Decode(&whole); err != nil || dec.More() {
		b.Problems.Add("json_invalid", "JSON decode error", map[string]any{},
			map[string]any{"error": jsonErrorText(err)}, "body")
		return nil, b.Problems.Err()
	}
	obj, ok := whole.(map[string]any)
	if !ok {
		b.Problems.Add("model_attributes_type", "Input should be a valid dictionary or object to extract fields from",
			whole, nil, "body")
		return nil, b.Problems.Err()
	}
	b.whole = obj
	b.fields = make(map[string]json.RawMessage, len(obj))
	_ = json.Unmarshal(raw, &b.fields) // cannot fail: decoded above
	return b, nil
}

func jsonErrorText(err error) string {
	if err == nil {
		return "Extra data"
	}
	return "Expecting value"
}

// present returns a field's value; JSON null counts as absent for optional fields.
func (b *Body) value(name string) (any, bool) {
	obj := b.whole.(map[string]any)
	v, ok := obj[name]
	return v, ok
}

// String reads a required string field; it records "missing" or "string_type".
func (b *Body) String(name string) (string, bool) {
	v, ok := b.value(name)
	if !ok {
		b.Problems.Missing(b.whole, "body", name)
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		b.Problems.Add("string_type", "Input should be a valid string", v, nil, "body", name)
		return "", false
	}
	return s, true
}

// OptString reads an optional, nullable string field; nil when absent or null.
func (b *Body) OptString(name string) (*string, bool) {
	v, ok := b.value(name)
	if !ok || v == nil {
		return nil, true
	}
	s, isStr := v.(string)
	if !isStr {
		b.Problems.Add("string_type", "Input should be a valid string", v, nil, "body", name)
		return nil, false
	}
	return &s, true
}

// OptBool reads an optional, nullable boolean field.
func (b *Body) OptBool(name string) (*bool, bool) {
	v, ok := b.value(name)
	if !ok || v == nil {
		return nil, true
	}
	switch x := v.(type) {
	case bool:
		return &x, true
	case string:
		switch strings.ToLower(x) {
		case "true", "1", "yes", "on", "t", "y":
			t := true
			return &t, true
		case "false", "0", "no", "off", "f", "n":
			f := false
			return &f, true
		}
	case json.Number:
		switch x.String() {
		case "1":
			t := true
			return &t, true
		case "0":
			f := false
			return &f, true
		}
	}
	b.Problems.Add("bool_parsing", "Input should be a valid boolean, unable to interpret input", v, nil, "body", name)
	return nil, false
}

// StringList reads an optional array of strings (nil when absent or null).
func (b *Body) StringList(name string, required bool, minItems int) ([]string, bool) {
	v, ok := b.value(name)
	if !ok || v == nil {
		if required {
			b.Problems.Missing(b.whole, "body", name)
			return nil, false
		}
		return nil, true
	}
	arr, isArr := v.([]any)
	if !isArr {
		b.Problems.Add("list_type", "Input should be a valid list", v, nil, "body", name)
		return nil, false
	}
	out := make([]string, 0, len(arr))
	good := true
	for i, item := range arr {
		s, isStr := item.(string)
		if !isStr {
			b.Problems.Add("string_type", "Input should be a valid string", item, nil, "body", name, i)
			good = false
			continue
		}
		out = append(out, s)
	}
	if good && len(out) < minItems {
		b.Problems.Add("too_short", fmt.Sprintf("List should have at least %d item after validation, not %d", minItems, len(out)),
			arr, map[string]any{"field_type": "List", "min_length": minItems, "actual_length": len(out)}, "body", name)
		return nil, false
	}
	return out, good
}

// Bounds of the paging parameters of every list (the contract's).
const (
	MaxPage = 100_000
	MaxSkip = 1_000_000
)

// QueryPage reads a list's "page": 1-based, default 1, at most MaxPage.
func QueryPage(c *fiber.Ctx, p *Problems) int { return QueryInt(c, p, "page", 1, 1, MaxPage) }

// QuerySkip reads a list's "skip": default 0, at most MaxSkip.
func QuerySkip(c *fiber.Ctx, p *Problems) int { return QueryInt(c, p, "skip", 0, 0, MaxSkip) }

// QueryInt reads an optional integer query parameter within [min, max] (max < min: no upper bound).
// A whole number too long for an int is out of bounds, as it is for pydantic,
// not unparsable.
func QueryInt(c *fiber.Ctx, p *Problems, name string, def, min, max int) int {
	raw := strings.Clone(c.Query(name))
	if raw == "" {
		return def
	}
	text := strings.TrimSpace(raw)
	n, err := strconv.Atoi(text)
	if errors.Is(err, strconv.ErrRange) {
		n = math.MaxInt
		if strings.HasPrefix(text, "-") {
			n = math.MinInt
		}
		err = nil
	}
	if err != nil {
		p.Add("int_parsing", "Input should be a valid integer, unable to parse string as an integer", raw, nil, "query", name)
		return def
	}
	if n < min {
		p.Add("greater_than_equal", fmt.Sprintf("Input should be greater than or equal to %d", min), raw,
			map[string]any{"ge": min}, "query", name)
		return def
	}
	if max >= min && n > max {
		p.Add("less_than_equal", fmt.Sprintf("Input should be less than or equal to %d", max), raw,
			map[string]any{"le": max}, "query", name)
		return def
	}
	return n
}

// errBodyUnreadable is a body that could not be read (the client went away).
func errBodyUnreadable(cause error) error {
	return kernel.Wrap(kernel.NewError(kernel.KindInvalid, "body_unreadable", "The request body could not be read"), cause)
}
