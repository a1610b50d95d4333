package audithttp_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mail"
)

const (
	eventsPath     = "/api/v1/audit-events"
	verifyPath     = "/api/v1/audit-events/verify"
	memberPassword = "Member-Passw0rd"
	userAgent      = "audit-e2e/1.0"
)

// auditor drives an app and reads its audit trail as the administrator.
type auditor struct {
	t     *testing.T
	app   *apitest.App
	admin apitest.Tokens
	// secrets are every password and token the test handled: none may ever
	// appear in an event.
	secrets []string
	reqs    atomic.Int64
}

func newAuditor(t *testing.T, app *apitest.App) *auditor {
	a := &auditor{t: t, app: app, admin: app.Admin()}
	a.secrets = append(a.secrets, apitest.AdminPassword, memberPassword, a.admin.Access, a.admin.Refresh)
	return a
}

// call sends a request with a known user agent and a fresh request id.
func (a *auditor) call(method, path, token string, body any) *apitest.Response {
	a.t.Helper()
	id := fmt.Sprintf("audit-e2e-%d", a.reqs.Add(1))
	return a.app.Do(apitest.Req{Method: method, Path: path, Token: token, Body: body,
		Header: map[string]string{"User-Agent": userAgent, "X-Request-ID": id}})
}

// member signs up and signs in a new member (outside any watched window).
func (a *auditor) member(name string) (apitest.Tokens, string) {
	a.t.Helper()
	email := fmt.Sprintf("%s-%d@example.org", strings.ToLower(strings.ReplaceAll(name, " ", ".")), time.Now().UnixNano())
	a.app.Signup(name, email, memberPassword)
	tok := a.app.Login(email, memberPassword)
	a.secrets = append(a.secrets, tok.Access, tok.Refresh)
	return tok, email
}

type event struct {
	ID         string            `json:"id"`
	Seq        int64             `json:"seq"`
	At         string            `json:"at"`
	ActorID    *string           `json:"actor_id"`
	Action     string            `json:"action"`
	TargetType *string           `json:"target_type"`
	TargetID   *string           `json:"target_id"`
	IP         string            `json:"ip"`
	UserAgent  string            `json:"user_agent"`
	RequestID  string            `json:"request_id"`
	Outcome    string            `json:"outcome"`
	Details    map[string]string `json:"details"`
	PrevHash   string            `json:"prev_hash"`
	Hash       string            `json:"hash"`
}

type eventPage struct {
	Data       []event `json:"data"`
	Pagination struct {
		Total int64 `json:"total"`
	} `json:"pagination"`
}

// events queries GET /audit-events as the administrator.
func (a *auditor) events(q url.Values) eventPage {
	a.t.Helper()
	r := a.app.Get(eventsPath+"?"+q.Encode(), a.admin.Access).Expect(a.t, http.StatusOK)
	var p eventPage
	if err := json.Unmarshal(r.Body, &p); err != nil {
		a.t.Fatalf("decode events: %v", err)
	}
	return p
}

func query(action, targetID string) url.Values {
	q := url.Values{"action": {action}, "limit": {"1"}}
	if targetID != "" {
		q.Set("target_id", targetID)
	}
	return q
}

func (a *auditor) count(action, targetID string) int64 {
	return a.events(query(action, targetID)).Pagination.Total
}

// all returns every event, newest first.
func (a *auditor) all() []event {
	a.t.Helper()
	var out []event
	for page := 1; ; page++ {
		p := a.events(url.Values{"page": {fmt.Sprint(page)}, "limit": {"100"}})
		out = append(out, p.Data...)
		if len(p.Data) < 100 {
			return out
		}
	}
}

// mailedToken returns the token in the newest message to email.
func (a *auditor) mailedToken(email string) string {
	a.t.Helper()
	msg, err := mail.LatestTo(a.app.MailDir(), email)
	if err != nil {
		a.t.Fatalf("mail to %s: %v", email, err)
	}
	for _, line := range strings.Split(msg.Body, "\n") {
		if tok, ok := strings.CutPrefix(strings.TrimSpace(line), "Token: "); ok && tok != "" {
			a.secrets = append(a.secrets, tok)
			return tok
		}
	}
	a.t.Fatalf("no token in the mail to %s", email)
	return ""
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func sessionOf(refresh string) string { id, _, _ := strings.Cut(refresh, "."); return id }
