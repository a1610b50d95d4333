package communityhttp_test

// Helpers shared by the community *_e2e_test.go files.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mail"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

const (
	cmBase     = "/api/v1/communities"
	cmPassword = "Member-Passw0rd"
)

var (
	cmSeq atomic.Int64
)

// cmUser is a signed-in user.
type cmUser struct {
	ID, Name, Email, Token string
}

// cmSignup registers a member (no login) and returns its id and email.
func cmSignup(t *testing.T, app *apitest.App, name string) (id, email string) {
	t.Helper()
	email = fmt.Sprintf("%s-%d-%d@example.org", strings.ToLower(strings.ReplaceAll(name, " ", ".")), time.Now().UnixNano()%1e9, cmSeq.Add(1))
	return app.Signup(name, email, cmPassword), email
}

// cmNewUser registers and signs in a member.
func cmNewUser(t *testing.T, app *apitest.App, name string) cmUser {
	t.Helper()
	id, email := cmSignup(t, app, name)
	tok := app.Login(email, cmPassword)
	return cmUser{ID: id, Name: name, Email: email, Token: tok.Access}
}

// cmAdmin signs in as the bootstrap administrator (a global admin).
func cmAdmin(t *testing.T, app *apitest.App) cmUser {
	t.Helper()
	tok := app.Admin()
	return cmUser{ID: tok.UserID, Name: "Administrator", Email: apitest.AdminEmail, Token: tok.Access}
}

func cmPath(id string, rest ...string) string {
	return cmBase + "/" + id + strings.Join(rest, "")
}

// cmCreate creates a community and returns its response.
func cmCreate(t *testing.T, app *apitest.App, token, name string) map[string]any {
	t.Helper()
	r := app.Post(cmBase, token, map[string]any{"name": name}).Expect(t, http.StatusCreated)
	c := r.JSON()
	cmCheckCommunity(t, c)
	return c
}

// cmCreateID creates a community and returns its id.
func cmCreateID(t *testing.T, app *apitest.App, token, name string) string {
	t.Helper()
	return cmCreate(t, app, token, name)["id"].(string)
}

// cmCheckCommunity asserts a community object is well formed.
func cmCheckCommunity(t *testing.T, c map[string]any) {
	t.Helper()
	if id, _ := c["id"].(string); !apitest.IDRE.MatchString(id) {
		t.Errorf("community id %v is not 24 hex", c["id"])
	}
	for _, k := range []string{"created_at", "updated_at"} {
		if s, _ := c[k].(string); !apitest.TimeRE.MatchString(s) {
			t.Errorf("%s = %v, want RFC 3339 UTC with milliseconds", k, c[k])
		}
	}
	if _, ok := c["logo"].(string); !ok {
		t.Errorf("logo %v is not a string", c["logo"])
	}
}

// cmMemberCount reads a community's member_count.
func cmMemberCount(t *testing.T, app *apitest.App, token, id string) int {
	t.Helper()
	n, _ := app.Get(cmPath(id), token).Expect(t, http.StatusOK).JSON()["member_count"].(float64)
	return int(n)
}

// cmAddMember adds a user to a community through POST /members.
func cmAddMember(t *testing.T, app *apitest.App, token, id, userID, role string) {
	t.Helper()
	app.Post(cmPath(id, "/members"), token, map[string]any{"user_id": userID, "role": role}).Expect(t, http.StatusCreated)
}

// cmError checks an error answer {"detail": <sentence>, "code": code}.
func cmError(t *testing.T, r *apitest.Response, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("error body is not JSON: %s", r.Body)
	}
	if d, _ := body["detail"].(string); d == "" {
		t.Errorf("detail %v is not a sentence: %s", body["detail"], r.Body)
	}
	if body["code"] != code {
		t.Errorf("code %v, want %s: %s", body["code"], code, r.Body)
	}
}

// cm422 checks a 422 that lists a problem of typ at loc.
func cm422(t *testing.T, r *apitest.Response, typ string, loc ...any) []apitest.Problem {
	t.Helper()
	return r.ExpectProblem(t, typ, loc...)
}

// cmList checks a list envelope and returns its data and pagination.
func cmList(t *testing.T, r *apitest.Response) ([]map[string]any, map[string]any) {
	t.Helper()
	r.Expect(t, http.StatusOK)
	var body struct {
		Status     string           `json:"status"`
		Message    string           `json:"message"`
		Data       []map[string]any `json:"data"`
		Pagination map[string]any   `json:"pagination"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("list body: %v: %s", err, r.Body)
	}
	if body.Status != "success" || body.Message == "" || body.Data == nil || body.Pagination == nil {
		t.Errorf("not an envelope: %s", r.Body)
	}
	return body.Data, body.Pagination
}

// cmIDs returns the values of key in items.
func cmIDs(items []map[string]any, key string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i], _ = it[key].(string)
	}
	return out
}

// cmMailTo returns the messages sent to addr, leaving out e-mail verification.
func cmMailTo(t *testing.T, app *apitest.App, addr string) []mail.StoredMessage {
	t.Helper()
	return slices.DeleteFunc(app.MailTo(t, addr), func(m mail.StoredMessage) bool {
		return strings.HasPrefix(m.Subject, "Confirm your e-mail")
	})
}

// cmAtOnce runs fn(0) … fn(n-1) at the same moment and returns their statuses.
func cmAtOnce(n int, fn func(i int) *apitest.Response) []int {
	return porttestkit.AtOnce(n, func(i int) int { return fn(i).Status })
}

// cmCount counts the occurrences of status.
func cmCount(statuses []int, status int) int {
	n := 0
	for _, s := range statuses {
		if s == status {
			n++
		}
	}
	return n
}

// sameSet compares string lists ignoring order.
func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
