package identity

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Violation is one broken input rule, shaped like a pydantic error so the HTTP
// adapter can report it unchanged.
type Violation struct {
	Type string // pydantic error type: string_too_short, value_error, ...
	Msg  string
	Ctx  map[string]any
}

// Password length bounds.
const (
	PasswordMinLen = 8
	PasswordMaxLen = 128
	NameMinLen     = 2
	NameMaxLen     = 100
)

// CheckPassword applies the password policy in its documented order and returns every violation.
func CheckPassword(p string) []Violation {
	var out []Violation
	n := utf8.RuneCountInString(p)
	if n < PasswordMinLen {
		out = append(out, TooShort(PasswordMinLen))
	}
	if n > PasswordMaxLen {
		out = append(out, TooLong(PasswordMaxLen))
	}
	var upper, lower, digit bool
	for _, r := range p {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	if !upper {
		out = append(out, valueError("Password must contain at least one uppercase letter"))
	}
	if !lower {
		out = append(out, valueError("Password must contain at least one lowercase letter"))
	}
	if !digit {
		out = append(out, valueError("Password must contain at least one digit"))
	}
	return out
}

// ParseName trims a display name and checks its length.
func ParseName(s string) (string, []Violation) {
	name := strings.TrimSpace(s)
	n := utf8.RuneCountInString(name)
	switch {
	case n < NameMinLen:
		return "", []Violation{TooShort(NameMinLen)}
	case n > NameMaxLen:
		return "", []Violation{TooLong(NameMaxLen)}
	case !kernel.IsPlainLine(name):
		return "", []Violation{valueError("Name must not contain control characters or bidirectional overrides")}
	}
	return name, nil
}

// ParseEmail validates an address and returns it lower-cased, as stored.
func ParseEmail(s string) (string, []Violation) {
	bad := func(reason string) (string, []Violation) {
		return "", []Violation{{Type: "value_error", Msg: "value is not a valid email address: " + reason,
			Ctx: map[string]any{"reason": reason}}}
	}
	e := strings.TrimSpace(s)
	if e == "" {
		return bad("An email address must have an @-sign.")
	}
	at := strings.LastIndexByte(e, '@')
	switch {
	case at < 0:
		return bad("An email address must have an @-sign.")
	case at == 0:
		return bad("There must be something before the @-sign.")
	case at == len(e)-1:
		return bad("There must be something after the @-sign.")
	case len(e) > 254:
		return bad("The email address is too long.")
	}
	domain := e[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return bad("The part after the @-sign is not valid. It should have a period.")
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || addr.Name != "" {
		return bad("The email address contains invalid characters.")
	}
	return strings.ToLower(e), nil
}

// TooShort is pydantic's string_too_short violation.
func TooShort(min int) Violation {
	return Violation{Type: "string_too_short", Msg: fmt.Sprintf("String should have at least %d characters", min),
		Ctx: map[string]any{"min_length": min}}
}

// TooLong is pydantic's string_too_long violation.
func TooLong(max int) Violation {
	return Violation{Type: "string_too_long", Msg: fmt.Sprintf("String should have at most %d characters", max),
		Ctx: map[string]any{"max_length": max}}
}

func valueError(msg string) Violation {
	return Violation{Type: "value_error", Msg: "Value error, " + msg, Ctx: map[string]any{"error": map[string]any{}}}
}
