package apitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"
)

// Problem is one entry of a 422 answer's detail list.
type Problem struct {
	Type string `json:"type"`
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
}

// Problems fails the test unless r is a 422 in the contract's shape, a
// non-empty detail list whose every entry has a message, and returns it.
func (r *Response) Problems(t testing.TB) []Problem {
	t.Helper()
	r.Expect(t, http.StatusUnprocessableEntity)
	var body struct {
		Detail []Problem `json:"detail"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || len(body.Detail) == 0 {
		t.Fatalf("422 without a problem list: %s", truncate(r.Body, 1000))
	}
	for _, p := range body.Detail {
		if p.Msg == "" {
			t.Errorf("422 entry without msg: %+v", p)
		}
	}
	return body.Detail
}

// ExpectProblem fails the test unless r is a 422 that lists a problem of
// type typ (any type when "") at loc, and returns the whole list.
func (r *Response) ExpectProblem(t testing.TB, typ string, loc ...any) []Problem {
	t.Helper()
	problems := r.Problems(t)
	want := fmt.Sprintf("%v", loc)
	for _, p := range problems {
		if (typ == "" || p.Type == typ) && fmt.Sprint(p.Loc) == want {
			return problems
		}
	}
	t.Errorf("422 does not list %q at %v: %s", typ, loc, truncate(r.Body, 1000))
	return problems
}

// ExpectCode fails the test unless r has status and the error code code.
func (r *Response) ExpectCode(t testing.TB, status int, code string) *Response {
	t.Helper()
	r.Expect(t, status)
	if got := r.Str("code"); got != code {
		t.Errorf("code %q, want %q (body %s)", got, code, truncate(r.Body, 1000))
	}
	return r
}

// What every answer's identifiers and times look like, and ids that name
// nothing: UnknownID has the identifier format, MalformedID does not.
var (
	IDRE   = regexp.MustCompile(`^[0-9a-f]{24}$`)
	TimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)
)

// Ids that every id-taking operation must answer 404 to.
const (
	UnknownID   = "ffffffffffffffffffffffff"
	MalformedID = "not-an-id"
)

// BadIDs are UnknownID and MalformedID, for a test that tries each.
func BadIDs() []string { return []string{UnknownID, MalformedID} }
