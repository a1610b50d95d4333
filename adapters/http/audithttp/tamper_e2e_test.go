package audithttp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

type verifyAnswer struct {
	Valid       bool  `json:"valid"`
	Checked     int64 `json:"checked"`
	FirstBroken *struct {
		Seq    int64   `json:"seq"`
		ID     *string `json:"id"`
		Reason string  `json:"reason"`
	} `json:"first_broken"`
}

func (a *auditor) verify() verifyAnswer {
	a.t.Helper()
	var v verifyAnswer
	r := a.app.Get(verifyPath, a.admin.Access).Expect(a.t, http.StatusOK)
	if err := json.Unmarshal(r.Body, &v); err != nil {
		a.t.Fatal(err)
	}
	return v
}

// An intruder with database access edits, deletes or reorders one event:
// GET /audit-events/verify names the first broken event; put back, the chain
// verifies again.
func TestVerifyNamesTheFirstBrokenEvent(t *testing.T) {
	app := apitest.Start(t)
	a := newAuditor(t, app)
	for range 4 {
		a.member("Tess Tamper")
	}
	events := a.all() // newest first
	last := int64(len(events))
	if v := a.verify(); !v.Valid || v.Checked != last {
		t.Fatalf("untouched: %+v (want %d events)", v, last)
	}
	idAt := func(seq int64) string { return events[last-seq].ID }
	db := app.SQLite()
	ctx := context.Background()
	const columns = `id, at, actor_id, action, target_type, target_id, ip, user_agent, request_id, outcome, details, prev_hash, hash`
	// raw is an event's row as stored, but its number.
	raw := func(seq int64) []any {
		vals := make([]any, 13)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := db.Reader(ctx).QueryRowContext(ctx, `SELECT `+columns+` FROM audit_events WHERE seq = ?`, seq).Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		return vals
	}
	exec := func(query string, args ...any) {
		if _, err := db.Exec(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
	}
	// put stores row as event seq, replacing what is there.
	put := func(seq int64, row []any) {
		exec(`INSERT OR REPLACE INTO audit_events (seq, `+columns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append([]any{seq}, row...)...)
	}
	cases := []struct {
		name   string
		tamper func() (restore func())
		seq    int64
		id     string
	}{
		{"edited", func() func() {
			orig := raw(3)
			exec(`UPDATE audit_events SET outcome = ? WHERE seq = 3`, audit.Failure)
			return func() { put(3, orig) }
		}, 3, idAt(3)},
		{"deleted", func() func() {
			orig := raw(4)
			exec(`DELETE FROM audit_events WHERE seq = 4`)
			return func() { put(4, orig) }
		}, 5, idAt(5)},
		{"reordered", func() func() {
			five, six := raw(5), raw(6)
			// The ids are unique: swap through a free one.
			exec(`UPDATE audit_events SET id = 'swapping' WHERE seq = 6`)
			put(5, six)
			put(6, five)
			return func() {
				exec(`UPDATE audit_events SET id = 'swapping' WHERE seq = 6`)
				put(5, five)
				put(6, six)
			}
		}, 5, idAt(6)},
		{"last_deleted", func() func() {
			orig := raw(last)
			exec(`DELETE FROM audit_events WHERE seq = ?`, last)
			return func() { put(last, orig) }
		}, last, idAt(last)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a.t = t
			restore := c.tamper()
			v := a.verify()
			if v.Valid || v.FirstBroken == nil || v.FirstBroken.Seq != c.seq || str(v.FirstBroken.ID) != c.id {
				t.Fatalf("verify %+v %+v, want the first broken event seq %d id %s", v, v.FirstBroken, c.seq, c.id)
			}
			t.Logf("%s: seq %d: %s", c.name, v.FirstBroken.Seq, v.FirstBroken.Reason)
			restore()
			if v := a.verify(); !v.Valid || v.Checked != last {
				t.Fatalf("restored: %+v %+v", v, v.FirstBroken)
			}
		})
	}
}

// flakyLog fails every append while fail is set: the audit store is down.
type flakyLog struct {
	auditport.Log
	fail *atomic.Bool
}

func (l flakyLog) Append(ctx context.Context, e audit.Event) (*audit.Event, error) {
	if l.fail.Load() {
		return nil, kernel.ErrUnavailable
	}
	return l.Log.Append(ctx, e)
}

// A login is never answered without its event (503 instead, and no session
// stays open); other actions, already done, are answered and the failure is
// reported.
func TestALoginIsNeverAnsweredWithoutItsEvent(t *testing.T) {
	var down atomic.Bool
	app := apitest.Start(t, apitest.WithFxOption(fx.Decorate(func(l auditport.Log) auditport.Log { return flakyLog{Log: l, fail: &down} })))
	a := newAuditor(t, app)
	m, email := a.member("Nina Noaudit")
	sessions := func() int {
		return len(app.Get("/api/v1/auth/sessions", m.Access).Expect(t, http.StatusOK).Array())
	}
	before := sessions()
	other := app.Admin()
	down.Store(true)
	app.Post("/api/v1/auth/login", "", map[string]any{"email": email, "password": memberPassword}).Expect(t, http.StatusServiceUnavailable)
	app.Post("/api/v1/auth/login", "", map[string]any{"email": email, "password": "Wrong-Passw0rd"}).Expect(t, http.StatusServiceUnavailable)
	app.Post("/api/v1/auth/login", "", map[string]any{"email": "ghost@example.org", "password": "Wrong-Passw0rd"}).Expect(t, http.StatusServiceUnavailable)
	app.Post("/api/v1/user-roles", a.admin.Access, map[string]any{"name": "made-while-down"}).Expect(t, http.StatusCreated)
	app.Post("/api/v1/auth/logout-all", other.Access, nil).Expect(t, http.StatusNoContent)
	down.Store(false)
	if n := sessions(); n != before {
		t.Fatalf("%d live sessions after a refused login, want %d", n, before)
	}
	app.Login(email, memberPassword)
}
