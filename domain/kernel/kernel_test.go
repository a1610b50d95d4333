package kernel_test

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

func TestNewID(t *testing.T) {
	t.Parallel()
	hex24 := regexp.MustCompile(`^[0-9a-f]{24}$`)
	at := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

	t.Run("is_24_lower_case_hex_digits_and_an_id", func(t *testing.T) {
		t.Parallel()
		id := kernel.NewID(at)
		if !hex24.MatchString(id) {
			t.Errorf("NewID = %q, want 24 lower-case hex digits", id)
		}
		if !kernel.IsID(id) {
			t.Errorf("IsID(NewID) = false for %q", id)
		}
	})

	t.Run("starts_with_the_seconds_like_an_object_id", func(t *testing.T) {
		t.Parallel()
		want := fmt.Sprintf("%08x", at.Unix())
		if got := kernel.NewID(at)[:8]; got != want {
			t.Errorf("time prefix = %s, want %s", got, want)
		}
		if got := kernel.NewID(at.Add(999 * time.Millisecond))[:8]; got != want {
			t.Errorf("time prefix within the same second = %s, want %s", got, want)
		}
	})

	t.Run("sorts_by_time", func(t *testing.T) {
		t.Parallel()
		for i := range 50 {
			a := kernel.NewID(at.Add(time.Duration(i) * time.Second))
			b := kernel.NewID(at.Add(time.Duration(i+1) * time.Second))
			if a >= b {
				t.Fatalf("NewID at t+%ds = %s not before NewID at t+%ds = %s", i, a, i+1, b)
			}
		}
	})

	t.Run("is_unique_within_one_second", func(t *testing.T) {
		t.Parallel()
		seen := map[string]bool{}
		for range 10_000 {
			id := kernel.NewID(at)
			if seen[id] {
				t.Fatalf("duplicate id %s", id)
			}
			seen[id] = true
		}
	})
}

func TestIsID(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want bool
	}{
		{"65f2c1a5e4b0a1b2c3d4e5f6", true},
		{"65F2C1A5E4B0A1B2C3D4E5F6", true},
		{"000000000000000000000000", true},
		{"", false},
		{"nope", false},
		{"zzzzzzzzzzzzzzzzzzzzzzzz", false},
		{"65f2c1a5e4b0a1b2c3d4e5f", false},   // 23
		{"65f2c1a5e4b0a1b2c3d4e5f6a", false}, // 25
		{"65f2c1a5e4b0a1b2c3d4e5g6", false},
		{" 65f2c1a5e4b0a1b2c3d4e5f", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			if got := kernel.IsID(c.in); got != c.want {
				t.Errorf("IsID(%q) = %t, want %t", c.in, got, c.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	in := time.Date(2025, 3, 14, 10, 26, 53, 589_999_999, paris)
	got := kernel.Truncate(in)
	want := time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC)
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Truncate = %v, want %v", got, want)
	}
}

var errSample = kernel.NewError(kernel.KindNotFound, "sample_not_found", "Sample not found")

func TestErrorMatching(t *testing.T) {
	t.Parallel()
	cause := errors.New("connection reset")
	cases := []struct {
		name     string
		err      error
		is       bool // errors.Is(err, errSample)
		kind     kernel.Kind
		contains string // in err.Error()
	}{
		{"sentinel_itself", errSample, true, kernel.KindNotFound, "Sample not found"},
		{"with_message_keeps_code_and_kind", errSample.WithMessage("Sample 42 not found"), true, kernel.KindNotFound, "Sample 42 not found"},
		{"with_field_keeps_code_and_kind", errSample.WithField("sample"), true, kernel.KindNotFound, "Sample not found"},
		{"wrapped_by_fmt", fmt.Errorf("load: %w", errSample), true, kernel.KindNotFound, "load: Sample not found"},
		{"wrapped_twice_with_message", fmt.Errorf("a: %w", fmt.Errorf("b: %w", errSample.WithMessage("gone"))), true, kernel.KindNotFound, "a: b: gone"},
		{"kernel_wrap_with_cause", kernel.Wrap(errSample, cause), true, kernel.KindNotFound, "Sample not found: connection reset"},
		{"joined", errors.Join(cause, errSample), true, kernel.KindNotFound, "connection reset"},
		{"other_code_same_kind", kernel.ErrNotFound, false, kernel.KindNotFound, "Not found"},
		{"same_message_other_code", kernel.NewError(kernel.KindNotFound, "other", "Sample not found"), false, kernel.KindNotFound, "Sample not found"},
		{"unavailable", kernel.Unavailable(cause), false, kernel.KindUnavailable, "Database unavailable: connection reset"},
		{"plain_error_is_internal", cause, false, kernel.KindInternal, "connection reset"},
		{"nil_is_internal", nil, false, kernel.KindInternal, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := errors.Is(c.err, errSample); got != c.is {
				t.Errorf("errors.Is(err, errSample) = %t, want %t", got, c.is)
			}
			if got := kernel.KindOf(c.err); got != c.kind {
				t.Errorf("KindOf = %d, want %d", got, c.kind)
			}
			if c.err != nil && !strings.Contains(c.err.Error(), c.contains) {
				t.Errorf("Error() = %q, want it to contain %q", c.err.Error(), c.contains)
			}
		})
	}
}

func TestErrorCopiesDoNotChangeTheSentinel(t *testing.T) {
	t.Parallel()
	m := errSample.WithMessage("changed")
	f := errSample.WithField("field")
	if errSample.Message != "Sample not found" || errSample.Field != "" {
		t.Errorf("sentinel changed: %+v", *errSample)
	}
	if m.Code != errSample.Code || m.Kind != errSample.Kind || m.Message != "changed" {
		t.Errorf("WithMessage = %+v", *m)
	}
	if f.Code != errSample.Code || f.Kind != errSample.Kind || f.Field != "field" || f.Message != errSample.Message {
		t.Errorf("WithField = %+v", *f)
	}
}

func TestWrapKeepsTheCauseReachable(t *testing.T) {
	t.Parallel()
	cause := errors.New("socket closed")
	for name, err := range map[string]error{
		"wrap":        kernel.Wrap(kernel.ErrConflict, cause),
		"unavailable": kernel.Unavailable(cause),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if !errors.Is(err, cause) {
				t.Errorf("errors.Is(%v, cause) = false", err)
			}
			var ke *kernel.Error
			if !errors.As(err, &ke) {
				t.Fatalf("errors.As(%v, *kernel.Error) = false", err)
			}
		})
	}
}

func TestPrincipal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		p           kernel.Principal
		admin       bool
		manageUsers bool
		self        string
		isSelf      bool
	}{
		{"admin", kernel.Principal{UserID: "u1", RoleNames: []string{"member", "admin"}}, true, true, "u1", true},
		{"member", kernel.Principal{UserID: "u1", RoleNames: []string{"member"}}, false, false, "u2", false},
		{"users_module", kernel.Principal{UserID: "u1", Modules: []string{kernel.ModuleUsers}}, false, true, "u1", true},
		{"anonymous_is_nobody", kernel.Principal{}, false, false, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := c.p.IsAdmin(); got != c.admin {
				t.Errorf("IsAdmin = %t, want %t", got, c.admin)
			}
			if got := c.p.CanManageUsers(); got != c.manageUsers {
				t.Errorf("CanManageUsers = %t, want %t", got, c.manageUsers)
			}
			if got := c.p.IsSelf(c.self); got != c.isSelf {
				t.Errorf("IsSelf(%q) = %t, want %t", c.self, got, c.isSelf)
			}
		})
	}
}

func TestPageOffset(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ page, limit, want int }{
		{1, 20, 0},
		{2, 20, 20},
		{100000, 100, 9999900},
		{0, 20, 0},
		{-5, 20, 0},
		{3, 0, 0},
		{math.MaxInt, 100, math.MaxInt},
		{math.MaxInt/100 + 2, 100, math.MaxInt},
		{math.MaxInt/100 + 1, 100, math.MaxInt / 100 * 100},
	} {
		if got := kernel.PageOffset(tt.page, tt.limit); got != tt.want {
			t.Errorf("PageOffset(%d, %d) = %d, want %d", tt.page, tt.limit, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s           string
		line, multi bool
	}{
		{"Zoë Ñandú", true, true},
		{"محمد علي", true, true},
		{"two\nlines", false, true},
		{"crlf\r\nlines", false, true},
		{"a\ttab", false, true},
		{"nul\x00", false, false},
		{"esc\x1b[0m", false, false},
		{"del\x7f", false, false},
		{"c1\u0085", false, false},
		{"rlo\u202e", false, false},
		{"lre\u202a", false, false},
		{"lri\u2066", false, false},
		{"pdi\u2069", false, false},
		{"ls\u2028", false, false},
		{"ps\u2029", false, false},
		{"lrm\u200e is a mark, not an override", true, true},
	} {
		if got := kernel.IsPlainLine(tt.s); got != tt.line {
			t.Errorf("IsPlainLine(%q) = %v, want %v", tt.s, got, tt.line)
		}
		if got := kernel.IsPlainText(tt.s); got != tt.multi {
			t.Errorf("IsPlainText(%q) = %v, want %v", tt.s, got, tt.multi)
		}
	}
}

func TestQuoteLine(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Ann":                  `"Ann"`,
		`Bob" ok "`:            `"Bob\" ok \""`,
		"back\\slash":          `"back\\slash"`,
		"line\nbreak":          `"line\nbreak"`,
		"nul\x00":              `"nul\x00"`,
		"rlo\u202eevil":        `"rlo\u202eevil"`,
		"Zoë\tand\u2028more ü": `"Zoë\tand\u2028more ü"`,
	} {
		if got := kernel.QuoteLine(in); got != want {
			t.Errorf("QuoteLine(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestQuoteBlock(t *testing.T) {
	t.Parallel()
	got := kernel.QuoteBlock("Hello,\r\n\n\tindented\u202e\x00\rlast")
	want := "> Hello,\n> \n> \tindented\\u202e\\x00\n> last"
	if got != want {
		t.Errorf("QuoteBlock = %q, want %q", got, want)
	}
}
