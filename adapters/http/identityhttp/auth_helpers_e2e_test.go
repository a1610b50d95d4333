package identityhttp_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mail"
)

// Shared helpers of the authentication end-to-end tests.

const (
	authPath       = "/api/v1/auth"
	memberPassword = "Member-Passw0rd"
	// Exact messages of the contract (API.md) and of the service's sentinels.
	msgBadCredentials = "Incorrect email or password"
	msgInvalidToken   = "Could not validate credentials"
	msgNotAuth        = "Not authenticated"
	msgInvalidOneTime = "Invalid or expired token"
	msgResetRequested = "If the email is registered, a password reset link has been sent"
)

var (
	codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

	emailSeq atomic.Int64
)

// uniqueEmail returns a fresh address so that tests sharing an app never collide.
func uniqueEmail(prefix string) string {
	return fmt.Sprintf("%s-%d-%d@example.org", prefix, time.Now().UnixNano()%1e9, emailSeq.Add(1))
}

// signupBody is a valid sign-up request.
func signupBody(name, email, password, role string) map[string]any {
	return map[string]any{"name": name, "email": email, "password": password, "role": role}
}

// newMember signs a fresh member up and in.
func newMember(t *testing.T, app *apitest.App, prefix string) (string, apitest.Tokens) {
	t.Helper()
	email := uniqueEmail(prefix)
	app.Post(authPath+"/signup", "", signupBody("Test "+prefix, email, memberPassword, "member")).Expect(t, http.StatusCreated)
	return email, login(t, app, email, memberPassword)
}

// login signs in and fails the test unless it succeeds.
func login(t *testing.T, app *apitest.App, email, password string) apitest.Tokens {
	t.Helper()
	r := app.Post(authPath+"/login", "", map[string]any{"email": email, "password": password}).Expect(t, http.StatusOK)
	user, _ := r.JSON()["user"].(map[string]any)
	id, _ := user["id"].(string)
	return apitest.Tokens{Access: r.Str("access_token"), Refresh: r.Str("refresh_token"), UserID: id}
}

func refresh(app *apitest.App, refreshToken string) *apitest.Response {
	return app.Post(authPath+"/refresh", "", map[string]any{"refresh_token": refreshToken})
}

func me(app *apitest.App, access string) *apitest.Response {
	return app.Get(authPath+"/me", access)
}

// mailedToken returns the token of the newest message sent to email.
func mailedToken(t *testing.T, app *apitest.App, email string) string {
	t.Helper()
	msg, err := mail.LatestTo(app.MailDir(), email)
	if err != nil {
		t.Fatalf("mail to %s: %v", email, err)
	}
	for _, line := range strings.Split(msg.Body, "\n") {
		if tok, ok := strings.CutPrefix(strings.TrimSpace(line), "Token: "); ok && tok != "" {
			return tok
		}
	}
	t.Fatalf("no token in the mail to %s:\n%s", email, msg.Body)
	return ""
}

// expectError checks a non-422 error answer: the status, the exact body shape
// {"detail": <detail>, "code": <snake_case>} and returns the code.
func expectError(t *testing.T, r *apitest.Response, status int, detail string) string {
	t.Helper()
	r.Expect(t, status)
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("error body is not JSON: %q", r.Body)
	}
	if body["detail"] != detail {
		t.Errorf("detail = %#v, want %q (body %s)", body["detail"], detail, r.Body)
	}
	code, _ := body["code"].(string)
	if !codeRE.MatchString(code) {
		t.Errorf("code = %#v, want a snake_case code (body %s)", body["code"], r.Body)
	}
	if len(body) != 2 {
		t.Errorf("error body has fields beyond detail and code: %s", r.Body)
	}
	return code
}

// expectCode is expectError plus the exact code.
func expectCode(t *testing.T, r *apitest.Response, status int, detail, code string) {
	t.Helper()
	if got := expectError(t, r, status, detail); got != code {
		t.Errorf("code = %q, want %q", got, code)
	}
}

// expectUnauthorized checks a 401 with WWW-Authenticate: Bearer and the detail.
func expectUnauthorized(t *testing.T, r *apitest.Response, detail string) {
	t.Helper()
	expectError(t, r, http.StatusUnauthorized, detail)
	if got := r.Header.Get("WWW-Authenticate"); got != "Bearer" {
		t.Errorf("WWW-Authenticate = %q, want Bearer", got)
	}
}

// fieldError is one pydantic-shaped 422 entry.
type fieldError struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input"`
	Ctx   map[string]any `json:"ctx"`
}

func (e fieldError) String() string {
	return fmt.Sprintf("{%s %v %q input=%#v}", e.Type, e.Loc, e.Msg, e.Input)
}

// validationErrors checks a 422 and returns its entries.
func validationErrors(t *testing.T, r *apitest.Response) []fieldError {
	t.Helper()
	r.Expect(t, http.StatusUnprocessableEntity)
	var body struct {
		Detail []fieldError `json:"detail"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("422 body: %v: %s", err, r.Body)
	}
	if len(body.Detail) == 0 {
		t.Fatalf("422 without entries: %s", r.Body)
	}
	return body.Detail
}

// loc builds a loc as decoded from JSON.
func loc(parts ...any) []any {
	out := make([]any, len(parts))
	for i, p := range parts {
		if n, ok := p.(int); ok {
			out[i] = float64(n)
		} else {
			out[i] = p
		}
	}
	return out
}

// expectEntry checks one entry's type, loc and msg.
func expectEntry(t *testing.T, e fieldError, typ string, l []any, msg string) {
	t.Helper()
	if e.Type != typ || !reflect.DeepEqual(e.Loc, l) || e.Msg != msg {
		t.Errorf("entry %v, want {%s %v %q}", e, typ, l, msg)
	}
}

// expectHeaders checks the headers every auth response carries.
func expectAuthHeaders(t *testing.T, r *apitest.Response) {
	t.Helper()
	for h, want := range map[string]string{
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q (status %d)", h, got, want, r.Status)
		}
	}
	if r.Header.Get("X-Request-ID") == "" {
		t.Errorf("X-Request-ID missing (status %d)", r.Status)
	}
}

// expectEmpty checks a 204 with no body.
func expectEmpty(t *testing.T, r *apitest.Response) {
	t.Helper()
	r.Expect(t, http.StatusNoContent)
	if len(r.Body) != 0 {
		t.Errorf("204 with a body: %q", r.Body)
	}
	if cl := r.Header.Get("Content-Length"); cl != "" && cl != "0" {
		t.Errorf("204 with Content-Length %s", cl)
	}
}

// jwtParts splits a JWT and decodes its header and payload.
func jwtParts(t *testing.T, tok string) (header, payload map[string]any, sig string) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	decode := func(s string, v any) {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("JWT part %q: %v", s, err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("JWT part %s: %v", b, err)
		}
	}
	decode(parts[0], &header)
	decode(parts[1], &payload)
	return header, payload, parts[2]
}

// b64JSON encodes v as base64url JSON without padding, as in a JWT.
func b64JSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionID is the sid claim of an access token.
func sessionID(t *testing.T, access string) string {
	t.Helper()
	_, payload, _ := jwtParts(t, access)
	sid, _ := payload["sid"].(string)
	if sid == "" {
		t.Fatalf("no sid in %v", payload)
	}
	return sid
}

// retryAfterSeconds parses an integer Retry-After header.
func retryAfterSeconds(t *testing.T, r *apitest.Response) int {
	t.Helper()
	v := r.Header.Get("Retry-After")
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("Retry-After = %q, want integer seconds", v)
	}
	return n
}
