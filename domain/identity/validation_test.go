package identity_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/domain/identity"
)

// Messages of the password policy, in the order CheckPassword reports them.
const (
	msgTooShort  = "String should have at least 8 characters"
	msgTooLong   = "String should have at most 128 characters"
	msgUppercase = "Value error, Password must contain at least one uppercase letter"
	msgLowercase = "Value error, Password must contain at least one lowercase letter"
	msgDigit     = "Value error, Password must contain at least one digit"
)

func messages(vs []identity.Violation) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.Msg)
	}
	return out
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		password string
		want     []string
	}{
		{"strong", "Str0ngPassword", nil},
		{"exactly_min_length", "Abcdef12", nil},
		{"exactly_max_length", "Aa1" + strings.Repeat("x", 125), nil},
		{"missing_digit_only", "stringstT", []string{msgDigit}},
		{"missing_uppercase_only", "password1", []string{msgUppercase}},
		{"missing_lowercase_only", "PASSWORD1", []string{msgLowercase}},
		{"short_reports_every_violation_in_order", "short", []string{msgTooShort, msgUppercase, msgDigit}},
		{"one_below_min_length", "Abcde12", []string{msgTooShort}},
		{"empty_breaks_every_rule_but_max", "", []string{msgTooShort, msgUppercase, msgLowercase, msgDigit}},
		{"one_above_max_length", "Aa1" + strings.Repeat("x", 126), []string{msgTooLong}},
		{"too_long_and_weak", strings.Repeat("a", 129), []string{msgTooLong, msgUppercase, msgDigit}},
		{"digits_only", "12345678", []string{msgUppercase, msgLowercase}},
		{"symbols_count_for_length_only", "!@#$%^&*", []string{msgUppercase, msgLowercase, msgDigit}},
		{"unicode_letters_count", "Äöüßéèêë1", nil},
		{"cyrillic", "Пароль12", nil},
		{"unicode_digit_counts", "Passwörd٣", nil},
		{"length_counts_characters_not_bytes_short", "Äöü1234", []string{msgTooShort}},                          // 7 characters, 10 bytes
		{"length_counts_characters_not_bytes_long", "Ää1" + strings.Repeat("ä", 125), nil},                      // 128 characters, 255 bytes
		{"length_counts_characters_not_bytes_too_long", "Ää1" + strings.Repeat("ä", 126), []string{msgTooLong}}, // 129 characters
		{"caseless_letters_are_neither_case", "日本語のパスワード1", []string{msgUppercase, msgLowercase}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := messages(identity.CheckPassword(c.password))
			if len(got) == 0 && len(c.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("CheckPassword(%q) =\n  %q\nwant\n  %q", c.password, got, c.want)
			}
		})
	}
}

func TestCheckPasswordViolationShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		password string
		want     identity.Violation
	}{
		{"too_short", "Ab1", identity.Violation{Type: "string_too_short", Msg: msgTooShort, Ctx: map[string]any{"min_length": 8}}},
		{"too_long", "Aa1" + strings.Repeat("x", 200), identity.Violation{Type: "string_too_long", Msg: msgTooLong, Ctx: map[string]any{"max_length": 128}}},
		{"value_error", "abcdefg1", identity.Violation{Type: "value_error", Msg: msgUppercase, Ctx: map[string]any{"error": map[string]any{}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := identity.CheckPassword(c.password)
			if len(got) == 0 {
				t.Fatalf("CheckPassword(%q) found no violation", c.password)
			}
			if !reflect.DeepEqual(got[0], c.want) {
				t.Errorf("first violation = %#v, want %#v", got[0], c.want)
			}
		})
	}
}

func TestParseEmail(t *testing.T) {
	t.Parallel()
	const (
		noAt          = "An email address must have an @-sign."
		nothingBefore = "There must be something before the @-sign."
		nothingAfter  = "There must be something after the @-sign."
		noPeriod      = "The part after the @-sign is not valid. It should have a period."
		tooLong       = "The email address is too long."
		invalidChars  = "The email address contains invalid characters."
	)
	local242 := strings.Repeat("a", 242) // + "@example.com" = 254 characters
	cases := []struct {
		name   string
		in     string
		want   string // the stored form when valid
		reason string // the reason when invalid
	}{
		{"plain", "ada@example.com", "ada@example.com", ""},
		{"lower_cases_everything", "Ada.Lovelace@Example.COM", "ada.lovelace@example.com", ""},
		{"trims_spaces", "  ada@example.com\t", "ada@example.com", ""},
		{"plus_and_subdomains", "ada+news@mail.example.co.uk", "ada+news@mail.example.co.uk", ""},
		{"international_local_part", "Jürgen@example.com", "jürgen@example.com", ""},
		{"longest_accepted", local242 + "@example.com", local242 + "@example.com", ""},
		{"empty", "", "", noAt},
		{"blank", "   ", "", noAt},
		{"no_at_sign", "ada.example.com", "", noAt},
		{"nothing_before_at", "@example.com", "", nothingBefore},
		{"nothing_after_at", "ada@", "", nothingAfter},
		{"domain_without_period", "ada@localhost", "", noPeriod},
		{"domain_starting_with_period", "ada@.example.com", "", noPeriod},
		{"domain_ending_with_period", "ada@example.com.", "", noPeriod},
		{"domain_with_empty_label", "ada@example..com", "", noPeriod},
		{"too_long", local242 + "a@example.com", "", tooLong},
		{"space_in_local_part", "ada lovelace@example.com", "", invalidChars},
		{"display_name_form", "Ada <ada@example.com>", "", invalidChars},
		{"two_at_signs", "ada@@example.com", "", invalidChars},
		{"trailing_dot_in_local_part", "ada.@example.com", "", invalidChars},
		{"comment", "(note)ada@example.com", "", invalidChars},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, vs := identity.ParseEmail(c.in)
			if c.reason == "" {
				if len(vs) != 0 || got != c.want {
					t.Errorf("ParseEmail(%q) = %q, %v; want %q and no violation", c.in, got, vs, c.want)
				}
				return
			}
			want := []identity.Violation{{
				Type: "value_error",
				Msg:  "value is not a valid email address: " + c.reason,
				Ctx:  map[string]any{"reason": c.reason},
			}}
			if got != "" || !reflect.DeepEqual(vs, want) {
				t.Errorf("ParseEmail(%q) = %q, %#v; want \"\" and %#v", c.in, got, vs, want)
			}
		})
	}
}

func TestParseName(t *testing.T) {
	t.Parallel()
	tooShort := identity.Violation{Type: "string_too_short", Msg: "String should have at least 2 characters", Ctx: map[string]any{"min_length": 2}}
	tooLong := identity.Violation{Type: "string_too_long", Msg: "String should have at most 100 characters", Ctx: map[string]any{"max_length": 100}}
	unsafe := identity.Violation{Type: "value_error", Msg: "Value error, Name must not contain control characters or bidirectional overrides",
		Ctx: map[string]any{"error": map[string]any{}}}
	cases := []struct {
		name string
		in   string
		want string
		viol *identity.Violation
	}{
		{"plain", "Ada Lovelace", "Ada Lovelace", nil},
		{"trims_surrounding_space", "  Ada Lovelace \t\n", "Ada Lovelace", nil},
		{"keeps_inner_space", "Ada  Lovelace", "Ada  Lovelace", nil},
		{"two_characters", "Al", "Al", nil},
		{"two_multibyte_characters", "日本", "日本", nil},
		{"hundred_characters", strings.Repeat("é", 100), strings.Repeat("é", 100), nil},
		{"empty", "", "", &tooShort},
		{"one_character", "A", "", &tooShort},
		{"one_character_after_trimming", "   A   ", "", &tooShort},
		{"one_multibyte_character", "日", "", &tooShort},
		{"hundred_and_one_characters", strings.Repeat("é", 101), "", &tooLong},
		{"long_before_trimming_only", "  " + strings.Repeat("x", 100) + "  ", strings.Repeat("x", 100), nil},
		{"inner_newline", "Ada\nLovelace", "", &unsafe},
		{"nul", "Ada\x00", "", &unsafe},
		{"right_to_left_override", "Ada \u202eecalevoL", "", &unsafe},
		{"isolate", "Ada \u2067Lovelace\u2069", "", &unsafe},
		{"right_to_left_script", "عائشة", "عائشة", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, vs := identity.ParseName(c.in)
			var want []identity.Violation
			if c.viol != nil {
				want = []identity.Violation{*c.viol}
			}
			if got != c.want || !reflect.DeepEqual(vs, want) {
				t.Errorf("ParseName(%q) = %q, %#v; want %q, %#v", c.in, got, vs, c.want, want)
			}
		})
	}
}

func ExampleCheckPassword() {
	for _, v := range identity.CheckPassword("short") {
		fmt.Println(v.Msg)
	}
	// Output:
	// String should have at least 8 characters
	// Value error, Password must contain at least one uppercase letter
	// Value error, Password must contain at least one digit
}
