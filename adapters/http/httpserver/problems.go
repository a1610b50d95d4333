package httpserver

import (
	"strings"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// FieldError is one pydantic-v2-shaped validation problem.
type FieldError struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

// ValidationError is a 422 answer: every problem of a request at once.
type ValidationError struct{ Problems []FieldError }

func (v *ValidationError) Error() string {
	msgs := make([]string, 0, len(v.Problems))
	for _, p := range v.Problems {
		msgs = append(msgs, p.Msg)
	}
	return "validation failed: " + strings.Join(msgs, "; ")
}

// Problems collects validation problems while a request is read.
type Problems struct{ list []FieldError }

// Add records a problem at loc.
func (p *Problems) Add(typ, msg string, input any, ctx map[string]any, loc ...any) {
	p.list = append(p.list, FieldError{Type: typ, Loc: loc, Msg: msg, Input: input, Ctx: ctx})
}

// Empty reports whether nothing was recorded.
func (p *Problems) Empty() bool { return len(p.list) == 0 }

// Err returns the 422 error, or nil when nothing was recorded.
func (p *Problems) Err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: p.list}
}

// Missing records pydantic's "Field required".
func (p *Problems) Missing(input any, loc ...any) {
	p.Add("missing", "Field required", input, nil, loc...)
}

// PlainLine records a value_error at body.<field> unless raw is fit for a
// one-line field (kernel.IsPlainLine: no control characters, no
// bidirectional overrides); it reports whether raw is.
func (p *Problems) PlainLine(field, raw string) bool {
	if kernel.IsPlainLine(raw) {
		return true
	}
	p.Add("value_error", "Value error, Must not contain control characters or bidirectional overrides", raw,
		map[string]any{"error": map[string]any{}}, "body", field)
	return false
}

// PlainText is PlainLine for text of several lines (kernel.IsPlainText):
// newlines and tabs are allowed.
func (p *Problems) PlainText(field, raw string) bool {
	if kernel.IsPlainText(raw) {
		return true
	}
	p.Add("value_error", "Value error, Must not contain control characters other than newlines and tabs, or bidirectional overrides", raw,
		map[string]any{"error": map[string]any{}}, "body", field)
	return false
}
