package governance_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

var t0 = time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC)

const purpose = "Modelling traffic noise near schools"

func TestTextChecks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in            string
		oneLine, text bool
	}{
		{"Riverside Data Trust", true, true},
		{"é✓ 漢字", true, true},
		{"line\nbreak", false, true},
		{"crlf\r\nline", false, true},
		{"tab\there", false, true},
		{"bell\a", false, false},
		{"nul\x00", false, false},
		{"del\x7f", false, false},
		{"c1\u0085", false, false},
		{"rlo\u202egnp.exe", false, false},
		{"lre\u202a", false, false},
		{"pdf\u202c", false, false},
		{"lri\u2066", false, false},
		{"pdi\u2069", false, false},
		{"zero width joiner\u200d ok", true, true},
		{"bad utf8 \xff", false, false},
	}
	for _, c := range cases {
		if got := governance.IsOneLine(c.in); got != c.oneLine {
			t.Errorf("IsOneLine(%q) = %t, want %t", c.in, got, c.oneLine)
		}
		if got := governance.IsText(c.in); got != c.text {
			t.Errorf("IsText(%q) = %t, want %t", c.in, got, c.text)
		}
	}
}

func TestParsers(t *testing.T) {
	t.Parallel()
	type parser func(string) (string, error)
	cases := []struct {
		name  string
		parse parser
		err   *kernel.Error
		field string
		ok    map[string]string // input → stored value
		bad   []string
	}{
		{"title", governance.ParseTitle, governance.ErrInvalidTitle, "title",
			map[string]string{"ab": "ab", "  Data use agreement  ": "Data use agreement", strings.Repeat("é", 200): strings.Repeat("é", 200)},
			[]string{"", "a", "  a  ", strings.Repeat("x", 201), "two\nlines", "tab\tin", "rlo\u202e"}},
		{"body", governance.ParseBody, governance.ErrInvalidBody, "body",
			map[string]string{"x": "x", "# Terms\n\n- one\n\t- two\n": "# Terms\n\n- one\n\t- two\n", strings.Repeat("x", 100_000): strings.Repeat("x", 100_000)},
			[]string{"", "   ", "\n\t", strings.Repeat("x", 100_001), "nul\x00", "lri\u2066"}},
		{"purpose", governance.ParsePurpose, governance.ErrInvalidPurpose, "purpose",
			map[string]string{strings.Repeat("p", 20): strings.Repeat("p", 20), "  " + purpose + "\n": purpose, "first line\nsecond line ok": "first line\nsecond line ok", strings.Repeat("é", 2000): strings.Repeat("é", 2000)},
			[]string{"", strings.Repeat("p", 19), "   " + strings.Repeat("p", 19) + "   ", strings.Repeat("p", 2001), purpose + "\a", purpose + "\u202d"}},
		{"organization", governance.ParseOrganization, governance.ErrInvalidOrganization, "organization",
			map[string]string{"": "", "  City Lab ": "City Lab", strings.Repeat("o", 200): strings.Repeat("o", 200)},
			[]string{strings.Repeat("o", 201), "City\nLab", "City\tLab", "City\u2067Lab", "City\u202eLab"}},
		{"reason", governance.ParseReason, governance.ErrInvalidReason, "reason",
			map[string]string{"x": "x", " no longer needed \n": "no longer needed", "a\nb": "a\nb", strings.Repeat("r", 1000): strings.Repeat("r", 1000)},
			[]string{"", "   ", strings.Repeat("r", 1001), "x\x1b[31m"}},
		{"note", governance.ParseNote, governance.ErrInvalidNote, "note",
			map[string]string{"": "", " ok ": "ok", strings.Repeat("n", 1000): strings.Repeat("n", 1000)},
			[]string{strings.Repeat("n", 1001), "x\x00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for in, want := range c.ok {
				got, err := c.parse(in)
				if err != nil || got != want {
					t.Errorf("%s(%.30q) = %.30q, %v; want %.30q", c.name, in, got, err, want)
				}
			}
			for _, in := range c.bad {
				_, err := c.parse(in)
				var ke *kernel.Error
				if !errors.Is(err, c.err) || !errors.As(err, &ke) || ke.Field != c.field || ke.Kind != kernel.KindInvalid {
					t.Errorf("%s(%.30q) = %v, want %s on field %s", c.name, in, err, c.err.Code, c.field)
				}
			}
		})
	}
}

func TestCheckRequestedUntil(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		until time.Time
		want  error
	}{
		{"one_millisecond_ahead", t0.Add(time.Millisecond), nil},
		{"exactly_365_days_ahead", t0.Add(governance.MaxRequestPeriod), nil},
		{"now_is_not_the_future", t0, governance.ErrRequestedUntilPast},
		{"yesterday", t0.Add(-24 * time.Hour), governance.ErrRequestedUntilPast},
		{"365_days_and_a_millisecond", t0.Add(governance.MaxRequestPeriod + time.Millisecond), governance.ErrRequestedUntilTooFar},
	}
	for _, c := range cases {
		if err := governance.CheckRequestedUntil(c.until, t0); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func TestCheckAcceptedVersion(t *testing.T) {
	t.Parallel()
	v2 := &governance.Terms{ID: "t2", CommunityID: "c1", Version: 2}
	cases := []struct {
		name     string
		current  *governance.Terms
		accepted int
		want     error
	}{
		{"no_terms_nothing_accepted", nil, 0, nil},
		{"no_terms_a_version_named", nil, 1, governance.ErrTermsOutdated},
		{"terms_and_the_current_version", v2, 2, nil},
		{"terms_and_no_version", v2, 0, governance.ErrTermsVersionRequired},
		{"terms_and_an_older_version", v2, 1, governance.ErrTermsOutdated},
		{"terms_and_a_version_not_yet_published", v2, 3, governance.ErrTermsOutdated},
	}
	for _, c := range cases {
		err := governance.CheckAcceptedVersion(c.current, c.accepted)
		if (c.want == nil && err != nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	if k := kernel.KindOf(governance.ErrTermsVersionRequired); k != kernel.KindInvalid {
		t.Errorf("a missing version is kind %d, want invalid (422)", k)
	}
	if k := kernel.KindOf(governance.ErrTermsOutdated); k != kernel.KindConflict {
		t.Errorf("an outdated version is kind %d, want conflict (409)", k)
	}
}

func TestTerms(t *testing.T) {
	t.Parallel()
	terms, err := governance.NewTerms("t1", "c1", governance.NextVersion(nil), "  Data use  ", "Be kind.", "u1", t0)
	if err != nil {
		t.Fatal(err)
	}
	if terms.Version != 1 || terms.Title != "Data use" || terms.Body != "Be kind." || terms.PublishedBy != "u1" || !terms.PublishedAt.Equal(t0) {
		t.Errorf("NewTerms = %+v", *terms)
	}
	if v := governance.NextVersion(terms); v != 2 {
		t.Errorf("NextVersion = %d, want 2", v)
	}
	if _, err := governance.NewTerms("t1", "c1", 1, "x", "body", "u1", t0); !errors.Is(err, governance.ErrInvalidTitle) {
		t.Errorf("short title: %v", err)
	}
	if _, err := governance.NewTerms("t1", "c1", 1, "Title", " ", "u1", t0); !errors.Is(err, governance.ErrInvalidBody) {
		t.Errorf("blank body: %v", err)
	}
	c := governance.NewConsent("k1", "u2", terms, "r1", "192.0.2.7", t0)
	if c.CommunityID != "c1" || c.TermsID != "t1" || c.Version != 1 || c.UserID != "u2" || c.RequestID != "r1" || c.IP != "192.0.2.7" {
		t.Errorf("NewConsent = %+v", *c)
	}
}
