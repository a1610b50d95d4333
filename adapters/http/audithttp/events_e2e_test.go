package audithttp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/domain/audit"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/application/governanceapp"
)

// want is the one event an action must leave.
type want struct {
	actor, targetType, targetID, outcome string
	details                              map[string]string // a subset of the event's
	resp                                 *apitest.Response // the answer to the request that made it
	// byService: the service recorded the event itself (a job), not for a
	// request, so it says no where from.
	byService bool
}

// watch brackets the request under test: start counts the action's events
// (all, and on the target when it exists already) just before it is sent.
type watch struct {
	a                     *auditor
	action, target        string
	beforeAll, beforeTarg int64
	started               bool
}

func (w *watch) start(target string) {
	w.a.t.Helper()
	w.target, w.started = target, true
	w.beforeAll = w.a.count(w.action, "")
	if target != "" {
		w.beforeTarg = w.a.count(w.action, target)
	}
}

// check asserts that exactly one event of the action appeared, on the right
// target, and that it says who, what, how and from where.
func (w *watch) check(t *testing.T, x want) {
	t.Helper()
	if !w.started {
		t.Fatal("the step never started its watch")
	}
	if n := w.a.count(w.action, ""); n != w.beforeAll+1 {
		t.Fatalf("%s: %d events, want exactly one more than %d", w.action, n, w.beforeAll)
	}
	if x.targetID != "" {
		before := w.beforeTarg
		if w.target == "" {
			before = 0 // created by the action: no event could name it before
		}
		if n := w.a.count(w.action, x.targetID); n != before+1 {
			t.Fatalf("%s on %s: %d events, want %d", w.action, x.targetID, n, before+1)
		}
	}
	p := w.a.events(query(w.action, x.targetID))
	if len(p.Data) != 1 {
		t.Fatalf("%s: no event to read", w.action)
	}
	e := p.Data[0]
	if str(e.ActorID) != x.actor || str(e.TargetType) != x.targetType || str(e.TargetID) != x.targetID || e.Outcome != x.outcome {
		t.Fatalf("%s: actor %q target %q/%q outcome %q; want actor %q target %q/%q outcome %q",
			w.action, str(e.ActorID), str(e.TargetType), str(e.TargetID), e.Outcome, x.actor, x.targetType, x.targetID, x.outcome)
	}
	for k, v := range x.details {
		if e.Details[k] != v {
			t.Fatalf("%s: details %v, want %s=%q", w.action, e.Details, k, v)
		}
	}
	if x.byService {
		return
	}
	if x.resp != nil && e.RequestID != x.resp.Header.Get("X-Request-ID") {
		t.Fatalf("%s: request_id %q, the answer's X-Request-ID %q", w.action, e.RequestID, x.resp.Header.Get("X-Request-ID"))
	}
	if e.IP != "127.0.0.1" || e.UserAgent == "" || e.RequestID == "" {
		t.Fatalf("%s: where from? ip %q user agent %q request id %q", w.action, e.IP, e.UserAgent, e.RequestID)
	}
	if strings.HasPrefix(e.RequestID, "audit-e2e-") && e.UserAgent != userAgent {
		t.Fatalf("%s: user agent %q", w.action, e.UserAgent)
	}
}

type step struct {
	action string
	run    func(t *testing.T, a *auditor, w *watch) want
}

func created(t *testing.T, r *apitest.Response) string {
	t.Helper()
	if id := r.Str("id"); id != "" {
		return id
	}
	if data, ok := r.JSON()["data"].(map[string]any); ok {
		if id, ok := data["id"].(string); ok {
			return id
		}
	}
	t.Fatalf("no id in %s", r.Body)
	return ""
}

// Every action API.md and issue 6 list leaves exactly one event with the
// right actor, target and outcome: the count of the action's events (and of
// its events on the target) is taken just before and after the request.
func TestEveryActionLeavesExactlyOneEvent(t *testing.T) {
	var governance *governanceapp.Service // to run the notices job on demand
	// No reuse interval: a rotated refresh token presented again is theft at once.
	app := apitest.Start(t, apitest.WithFxOption(fx.Populate(&governance)), apitest.WithEnv("REFRESH_REUSE_INTERVAL", "0s"))
	a := newAuditor(t, app)
	admin := a.admin.UserID
	const auth, users, roles, modules, datasets = "/api/v1/auth", "/api/v1/users/", "/api/v1/user-roles", "/api/v1/role-base-modules", "/api/v1/datasets/"

	n := 0
	unique := func(prefix string) string { n++; return fmt.Sprintf("%s-%d", prefix, n) }
	newRole := func(t *testing.T) string {
		return created(t, app.Post(roles, a.admin.Access, map[string]any{"name": unique("role")}).Expect(t, http.StatusCreated))
	}
	newModule := func(t *testing.T, roleID string) string {
		return created(t, app.Post(modules, a.admin.Access, map[string]any{"module_name": unique("module"), "user_roles": []string{roleID}}).Expect(t, http.StatusCreated))
	}
	newDataset := func(t *testing.T, owner apitest.Tokens) string {
		return created(t, app.Upload(http.MethodPost, datasets+"create", owner.Access, map[string]string{"title": "Counts"}, "c.csv",
			strings.NewReader("a,b\n1,2\n")).Expect(t, http.StatusCreated))
	}
	wrongLogin := func(t *testing.T, email string) *apitest.Response {
		return a.call(http.MethodPost, auth+"/login", "", map[string]any{"email": email, "password": "Wrong-Passw0rd"}).Expect(t, http.StatusUnauthorized)
	}

	steps := []step{
		// Authentication.
		{audit.ActionSignup, func(t *testing.T, a *auditor, w *watch) want {
			w.start("")
			r := a.call(http.MethodPost, auth+"/signup", "", map[string]any{"name": "Sam Signup", "email": "sam@example.org", "password": memberPassword, "role": "member"}).Expect(t, http.StatusCreated)
			id := r.Str("id")
			return want{actor: id, targetType: "user", targetID: id, outcome: audit.Success, resp: r}
		}},
		{audit.ActionSignup, func(t *testing.T, a *auditor, w *watch) want {
			w.start("")
			r := a.call(http.MethodPost, auth+"/signup", "", map[string]any{"name": "Eve Escalate", "email": "eve@example.org", "password": memberPassword, "role": "admin"}).Expect(t, http.StatusForbidden)
			return want{outcome: audit.Denied, details: map[string]string{"reason": "role_not_self_assignable"}, resp: r}
		}},
		{audit.ActionLogin, func(t *testing.T, a *auditor, w *watch) want {
			m, email := a.member("Lou Login")
			w.start(m.UserID)
			r := a.call(http.MethodPost, auth+"/login", "", map[string]any{"email": email, "password": memberPassword}).Expect(t, http.StatusOK)
			a.secrets = append(a.secrets, r.Str("access_token"), r.Str("refresh_token"))
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Success,
				details: map[string]string{"session_id": sessionOf(r.Str("refresh_token"))}, resp: r}
		}},
		{audit.ActionLogin, func(t *testing.T, a *auditor, w *watch) want {
			m, email := a.member("Wanda Wrong")
			w.start(m.UserID)
			r := wrongLogin(t, email)
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Failure, details: map[string]string{"reason": "wrong_password"}, resp: r}
		}},
		{audit.ActionLogin, func(t *testing.T, a *auditor, w *watch) want {
			w.start("")
			r := wrongLogin(t, "nobody-here@example.org")
			return want{outcome: audit.Failure, details: map[string]string{"reason": "unknown_email"}, resp: r}
		}},
		{audit.ActionLockout, func(t *testing.T, a *auditor, w *watch) want {
			m, email := a.member("Larry Lockout")
			for range 4 {
				wrongLogin(t, email)
			}
			w.start(m.UserID)
			r := wrongLogin(t, email)
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Success, details: map[string]string{"failed_attempts": "5"}, resp: r}
		}},
		{audit.ActionLogin, func(t *testing.T, a *auditor, w *watch) want {
			m, email := a.member("Lena Locked")
			for range 5 {
				wrongLogin(t, email)
			}
			w.start(m.UserID)
			r := a.call(http.MethodPost, auth+"/login", "", map[string]any{"email": email, "password": memberPassword}).Expect(t, http.StatusLocked)
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Denied, details: map[string]string{"reason": "locked"}, resp: r}
		}},
		{audit.ActionLogin, func(t *testing.T, a *auditor, w *watch) want {
			m, email := a.member("Dora Disabled")
			app.Put(users+m.UserID, a.admin.Access, map[string]any{"status": false}).Expect(t, http.StatusOK)
			w.start(m.UserID)
			r := a.call(http.MethodPost, auth+"/login", "", map[string]any{"email": email, "password": memberPassword}).Expect(t, http.StatusForbidden)
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Denied, details: map[string]string{"reason": "disabled"}, resp: r}
		}},
		{audit.ActionLogout, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Olly Logout")
			sid := sessionOf(m.Refresh)
			w.start(sid)
			r := a.call(http.MethodPost, auth+"/logout", m.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: m.UserID, targetType: "session", targetID: sid, outcome: audit.Success, resp: r}
		}},
		{audit.ActionLogoutAll, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Alma All")
			w.start(m.UserID)
			r := a.call(http.MethodPost, auth+"/logout-all", m.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Success, resp: r}
		}},
		{audit.ActionSessionRevoke, func(t *testing.T, a *auditor, w *watch) want {
			m, email := a.member("Rita Revoke")
			other := app.Login(email, memberPassword)
			sid := sessionOf(other.Refresh)
			w.start(sid)
			r := a.call(http.MethodDelete, auth+"/sessions/"+sid, m.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: m.UserID, targetType: "session", targetID: sid, outcome: audit.Success, resp: r}
		}},
		{audit.ActionRefreshReuseDetected, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Theo Thief")
			next := a.call(http.MethodPost, auth+"/refresh", "", map[string]any{"refresh_token": m.Refresh}).Expect(t, http.StatusOK)
			a.secrets = append(a.secrets, next.Str("access_token"), next.Str("refresh_token"))
			sid := sessionOf(m.Refresh)
			w.start(sid)
			r := a.call(http.MethodPost, auth+"/refresh", "", map[string]any{"refresh_token": m.Refresh}).Expect(t, http.StatusUnauthorized)
			return want{actor: m.UserID, targetType: "session", targetID: sid, outcome: audit.Denied, resp: r}
		}},
		{audit.ActionPasswordResetRequested, func(t *testing.T, a *auditor, w *watch) want {
			m, email := a.member("Rhea Request")
			w.start(m.UserID)
			r := a.call(http.MethodPost, auth+"/password-reset-request", "", map[string]any{"email": email}).Expect(t, http.StatusOK)
			a.mailedToken(email)
			return want{targetType: "user", targetID: m.UserID, outcome: audit.Success, resp: r}
		}},
		{audit.ActionPasswordResetRequested, func(t *testing.T, a *auditor, w *watch) want {
			w.start("")
			r := a.call(http.MethodPost, auth+"/password-reset-request", "", map[string]any{"email": "ghost@example.org"}).Expect(t, http.StatusOK)
			return want{outcome: audit.Failure, details: map[string]string{"reason": "unknown_email"}, resp: r}
		}},
		{audit.ActionPasswordReset, func(t *testing.T, a *auditor, w *watch) want {
			m, email := a.member("Remy Reset")
			app.Post(auth+"/password-reset-request", "", map[string]any{"email": email}).Expect(t, http.StatusOK)
			tok := a.mailedToken(email)
			w.start(m.UserID)
			r := a.call(http.MethodPost, auth+"/password-reset", "", map[string]any{"token": tok, "new_password": "Fresh-Passw0rd"}).Expect(t, http.StatusOK)
			a.secrets = append(a.secrets, "Fresh-Passw0rd")
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Success, resp: r}
		}},
		{audit.ActionPasswordReset, func(t *testing.T, a *auditor, w *watch) want {
			w.start("")
			bogus := "0123456789abcdef01234567.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
			a.secrets = append(a.secrets, bogus)
			r := a.call(http.MethodPost, auth+"/password-reset", "", map[string]any{"token": bogus, "new_password": "Fresh-Passw0rd"}).Expect(t, http.StatusBadRequest)
			return want{outcome: audit.Failure, details: map[string]string{"reason": "invalid_or_expired_token"}, resp: r}
		}},
		{audit.ActionPasswordChanged, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Cleo Change")
			w.start(m.UserID)
			r := a.call(http.MethodPost, auth+"/change-password", m.Access, map[string]any{"current_password": memberPassword, "new_password": "Other-Passw0rd"}).Expect(t, http.StatusOK)
			a.secrets = append(a.secrets, "Other-Passw0rd")
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Success, resp: r}
		}},
		{audit.ActionPasswordChanged, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Gus Guess")
			w.start(m.UserID)
			r := a.call(http.MethodPost, auth+"/change-password", m.Access, map[string]any{"current_password": "Guess-Passw0rd", "new_password": "Other-Passw0rd"})
			if r.Status < 400 {
				t.Fatalf("a wrong current password was accepted: %d", r.Status)
			}
			a.secrets = append(a.secrets, "Guess-Passw0rd")
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Failure, details: map[string]string{"reason": "invalid_password"}, resp: r}
		}},
		{audit.ActionEmailVerified, func(t *testing.T, a *auditor, w *watch) want {
			m, email := a.member("Vera Verify")
			tok := a.mailedToken(email)
			w.start(m.UserID)
			r := a.call(http.MethodPost, auth+"/verify-email", "", map[string]any{"token": tok}).Expect(t, http.StatusOK)
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Success, resp: r}
		}},
		// Users.
		{audit.ActionUserUpdate, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Uma Update")
			w.start(m.UserID)
			r := a.call(http.MethodPut, users+m.UserID, a.admin.Access, map[string]any{"name": "Uma Updated"}).Expect(t, http.StatusOK)
			return want{actor: admin, targetType: "user", targetID: m.UserID, outcome: audit.Success, details: map[string]string{"fields": "name"}, resp: r}
		}},
		{audit.ActionUserUpdate, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Sid Selfpromote")
			w.start(m.UserID)
			r := a.call(http.MethodPut, users+m.UserID, m.Access, map[string]any{"status": false}).Expect(t, http.StatusForbidden)
			return want{actor: m.UserID, targetType: "user", targetID: m.UserID, outcome: audit.Denied, details: map[string]string{"reason": "forbidden_user_field"}, resp: r}
		}},
		{audit.ActionUserDelete, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Dan Delete")
			w.start(m.UserID)
			r := a.call(http.MethodDelete, users+m.UserID, a.admin.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: admin, targetType: "user", targetID: m.UserID, outcome: audit.Success, resp: r}
		}},
		// Roles, assignments and modules.
		{audit.ActionRoleCreate, func(t *testing.T, a *auditor, w *watch) want {
			w.start("")
			r := a.call(http.MethodPost, roles, a.admin.Access, map[string]any{"name": "auditors"}).Expect(t, http.StatusCreated)
			return want{actor: admin, targetType: "role", targetID: created(t, r), outcome: audit.Success, details: map[string]string{"name": "auditors"}, resp: r}
		}},
		{audit.ActionRoleUpdate, func(t *testing.T, a *auditor, w *watch) want {
			id := newRole(t)
			w.start(id)
			r := a.call(http.MethodPut, roles+"/"+id, a.admin.Access, map[string]any{"name": "renamed-role"}).Expect(t, http.StatusOK)
			return want{actor: admin, targetType: "role", targetID: id, outcome: audit.Success, details: map[string]string{"name": "renamed-role"}, resp: r}
		}},
		{audit.ActionRoleDelete, func(t *testing.T, a *auditor, w *watch) want {
			id := newRole(t)
			w.start(id)
			r := a.call(http.MethodDelete, roles+"/"+id, a.admin.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: admin, targetType: "role", targetID: id, outcome: audit.Success, resp: r}
		}},
		{audit.ActionRoleAssign, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Asa Assign")
			id := newRole(t)
			w.start(m.UserID)
			r := a.call(http.MethodPost, roles+"/user/"+m.UserID+"/role/"+id, a.admin.Access, nil).Expect(t, http.StatusCreated)
			return want{actor: admin, targetType: "user", targetID: m.UserID, outcome: audit.Success, details: map[string]string{"role_id": id}, resp: r}
		}},
		{audit.ActionRoleUnassign, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Una Unassign")
			id := newRole(t)
			app.Post(roles+"/user/"+m.UserID+"/role/"+id, a.admin.Access, nil).Expect(t, http.StatusCreated)
			w.start(m.UserID)
			r := a.call(http.MethodDelete, roles+"/user/"+m.UserID+"/role/"+id, a.admin.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: admin, targetType: "user", targetID: m.UserID, outcome: audit.Success, details: map[string]string{"role_id": id}, resp: r}
		}},
		{audit.ActionModuleCreate, func(t *testing.T, a *auditor, w *watch) want {
			role := newRole(t)
			w.start("")
			r := a.call(http.MethodPost, modules, a.admin.Access, map[string]any{"module_name": "reports", "user_roles": []string{role}}).Expect(t, http.StatusCreated)
			return want{actor: admin, targetType: "module", targetID: created(t, r), outcome: audit.Success, details: map[string]string{"name": "reports", "roles": role}, resp: r}
		}},
		{audit.ActionModuleUpdate, func(t *testing.T, a *auditor, w *watch) want {
			id := newModule(t, newRole(t))
			w.start(id)
			r := a.call(http.MethodPut, modules+"/"+id, a.admin.Access, map[string]any{"module_name": "renamed-module"}).Expect(t, http.StatusOK)
			return want{actor: admin, targetType: "module", targetID: id, outcome: audit.Success, details: map[string]string{"name": "renamed-module"}, resp: r}
		}},
		{audit.ActionModuleAddRoles, func(t *testing.T, a *auditor, w *watch) want {
			id := newModule(t, newRole(t))
			extra := created(t, app.Post(roles, a.admin.Access, map[string]any{"name": "extra-role"}).Expect(t, http.StatusCreated))
			w.start(id)
			r := a.call(http.MethodPut, modules+"/"+id+"/add-roles", a.admin.Access, map[string]any{"user_role_ids": []string{extra}}).Expect(t, http.StatusOK)
			return want{actor: admin, targetType: "module", targetID: id, outcome: audit.Success, details: map[string]string{"changed_roles": extra}, resp: r}
		}},
		{audit.ActionModuleRemoveRoles, func(t *testing.T, a *auditor, w *watch) want {
			role := newRole(t)
			id := newModule(t, role)
			w.start(id)
			r := a.call(http.MethodPut, modules+"/"+id+"/remove-roles", a.admin.Access, map[string]any{"user_role_ids": []string{role}}).Expect(t, http.StatusOK)
			return want{actor: admin, targetType: "module", targetID: id, outcome: audit.Success, details: map[string]string{"changed_roles": role, "roles": ""}, resp: r}
		}},
		{audit.ActionModuleDelete, func(t *testing.T, a *auditor, w *watch) want {
			id := newModule(t, newRole(t))
			w.start(id)
			r := a.call(http.MethodDelete, modules+"/"+id, a.admin.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: admin, targetType: "module", targetID: id, outcome: audit.Success, resp: r}
		}},
		// Datasets (the access log is a view over the trail).
		{audit.ActionDatasetCreate, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Dina Data")
			w.start("")
			r := app.Upload(http.MethodPost, datasets+"create", m.Access, map[string]string{"title": "Counts"}, "c.csv", strings.NewReader("a,b\n1,2\n")).Expect(t, http.StatusCreated)
			return want{actor: m.UserID, targetType: "dataset", targetID: created(t, r), outcome: audit.Success, details: map[string]string{"version": "1"}, resp: r}
		}},
		{audit.ActionDatasetView, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Vic View")
			id := newDataset(t, m)
			w.start(id)
			r := a.call(http.MethodGet, datasets+id, m.Access, nil).Expect(t, http.StatusOK)
			return want{actor: m.UserID, targetType: "dataset", targetID: id, outcome: audit.Success, resp: r}
		}},
		{audit.ActionDatasetDownload, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Dot Download")
			id := newDataset(t, m)
			w.start(id)
			r := a.call(http.MethodGet, datasets+id+"/download", m.Access, nil).Expect(t, http.StatusOK)
			return want{actor: m.UserID, targetType: "dataset", targetID: id, outcome: audit.Success, details: map[string]string{"version": "1"}, resp: r}
		}},
		{audit.ActionDatasetUpdate, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Udo Update")
			id := newDataset(t, m)
			w.start(id)
			r := a.call(http.MethodPut, datasets+id, m.Access, map[string]any{"title": "Better counts"}).Expect(t, http.StatusOK)
			return want{actor: m.UserID, targetType: "dataset", targetID: id, outcome: audit.Success, resp: r}
		}},
		{audit.ActionDatasetVersion, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Vince Version")
			id := newDataset(t, m)
			w.start(id)
			r := app.Upload(http.MethodPut, datasets+id+"/file", m.Access, nil, "v2.csv", bytes.NewReader([]byte("a,b\n3,4\n"))).Expect(t, http.StatusOK)
			return want{actor: m.UserID, targetType: "dataset", targetID: id, outcome: audit.Success, details: map[string]string{"version": "2"}, resp: r}
		}},
		{audit.ActionDatasetDelete, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Del Dataset")
			id := newDataset(t, m)
			w.start(id)
			r := a.call(http.MethodDelete, datasets+id, m.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: m.UserID, targetType: "dataset", targetID: id, outcome: audit.Success, resp: r}
		}},
		{audit.ActionAccessDenied, func(t *testing.T, a *auditor, w *watch) want {
			m, _ := a.member("Denise Denied")
			usersModule := moduleIDByName(t, app, a.admin.Access, "users")
			w.start(usersModule)
			r := a.call(http.MethodGet, "/api/v1/users", m.Access, nil).Expect(t, http.StatusForbidden)
			return want{actor: m.UserID, targetType: "module", targetID: usersModule, outcome: audit.Denied,
				details: map[string]string{"module": "users", "route": "GET /api/v1/users"}, resp: r}
		}},
	}
	steps = append(steps, communitySteps(app, a)...)
	steps = append(steps, governanceSteps(app, a, governance)...)

	covered := map[string]bool{audit.ActionUserCreate: true} // the bootstrap admin, below
	for _, s := range steps {
		covered[s.action] = true
	}
	for _, action := range audit.Actions() {
		if !covered[action] {
			t.Errorf("no step exercises %s", action)
		}
	}

	seen := map[string]bool{}
	for _, s := range steps {
		name := s.action
		for i := 2; seen[name]; i++ {
			name = s.action + "#" + string(rune('0'+i))
		}
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			a.t = t
			w := &watch{a: a, action: s.action}
			w.check(t, s.run(t, a, w))
		})
	}
	a.t = t

	t.Run("the_bootstrap_admin_was_created_once", func(t *testing.T) {
		a.t = t
		if n := a.count(audit.ActionUserCreate, admin); n != 1 {
			t.Fatalf("%d user.create events for the first admin", n)
		}
	})
	t.Run("no_secret_reaches_the_trail", func(t *testing.T) {
		a.t = t
		all := a.all()
		raw, _ := json.Marshal(all)
		for _, s := range a.secrets {
			if s != "" && bytes.Contains(raw, []byte(s)) {
				t.Fatalf("a secret is in the trail: %.12s…", s)
			}
		}
		for _, email := range []string{"nobody-here@example.org", "ghost@example.org"} {
			if bytes.Contains(raw, []byte(email)) {
				t.Fatalf("the address of a failed attempt is in the trail: %s", email)
			}
		}
		actions := map[string]bool{}
		for _, e := range all {
			actions[e.Action] = true
		}
		t.Logf("%d events, actions: %v", len(all), strings.Join(slices.Sorted(maps.Keys(actions)), " "))
	})
	t.Run("the_whole_chain_verifies", func(t *testing.T) {
		a.t = t
		r := app.Get(verifyPath, a.admin.Access).Expect(t, http.StatusOK).JSON()
		if r["valid"] != true || r["first_broken"] != nil || r["checked"].(float64) < float64(len(steps)) {
			t.Fatalf("verify: %v", r)
		}
	})
}

// moduleIDByName finds a role-base module by its exact name.
func moduleIDByName(t *testing.T, app *apitest.App, admin, name string) string {
	t.Helper()
	r := app.Get("/api/v1/role-base-modules?limit=100&module_name="+name, admin).Expect(t, http.StatusOK)
	var body struct {
		Data []struct {
			ID   string `json:"id"`
			Name string `json:"module_name"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("module listing: %v: %s", err, r.Body)
	}
	for _, m := range body.Data {
		if m.Name == name {
			return m.ID
		}
	}
	t.Fatalf("no module named %q: %s", name, r.Body)
	return ""
}
