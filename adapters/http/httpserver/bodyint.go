package httpserver

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// OptInt reads an optional, nullable integer field of at least minValue (nil
// when absent or null). Like pydantic in lax mode it takes a JSON integer or
// a string of one; it records "int_type", "int_parsing" or
// "greater_than_equal".
func (b *Body) OptInt(name string, minValue int) (*int, bool) {
	v, ok := b.value(name)
	if !ok || v == nil {
		return nil, true
	}
	var raw string
	switch x := v.(type) {
	case json.Number:
		raw = x.String()
	case string:
		raw = strings.TrimSpace(x)
	default:
		b.Problems.Add("int_type", "Input should be a valid integer", v, nil, "body", name)
		return nil, false
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		b.Problems.Add("int_parsing", "Input should be a valid integer, unable to parse string as an integer", v, nil, "body", name)
		return nil, false
	}
	if n < minValue {
		b.Problems.Add("greater_than_equal", fmt.Sprintf("Input should be greater than or equal to %d", minValue), v,
			map[string]any{"ge": minValue}, "body", name)
		return nil, false
	}
	return &n, true
}
