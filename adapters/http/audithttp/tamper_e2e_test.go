package audithttp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mongo/auditmongo"
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
	col := app.Database().Collection("audit_events")
	ctx := context.Background()
	raw := func(seq int64) bson.D {
		var d bson.D
		if err := col.FindOne(ctx, bson.D{{Key: "_id", Value: auditmongo.Key(seq)}}).Decode(&d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	replace := func(seq int64, d bson.D) {
		if _, err := col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: auditmongo.Key(seq)}}, d); err != nil {
			t.Fatal(err)
		}
	}
	withID := func(d bson.D, seq int64) bson.D {
		out := bson.D{{Key: "_id", Value: auditmongo.Key(seq)}}
		for _, e := range d {
			if e.Key != "_id" {
				out = append(out, e)
			}
		}
		return out
	}
	cases := []struct {
		name   string
		tamper func() (restore func())
		seq    int64
		id     string
	}{
		{"edited", func() func() {
			orig := raw(3)
			if _, err := col.UpdateOne(ctx, bson.D{{Key: "_id", Value: auditmongo.Key(3)}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "outcome", Value: audit.Failure}}}}); err != nil {
				t.Fatal(err)
			}
			return func() { replace(3, orig) }
		}, 3, idAt(3)},
		{"deleted", func() func() {
			orig := raw(4)
			if _, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: auditmongo.Key(4)}}); err != nil {
				t.Fatal(err)
			}
			// Put back, it lands at the end of the natural order: the walk must
			// still read the chain in sequence order.
			return func() { _, _ = col.InsertOne(ctx, orig) }
		}, 5, idAt(5)},
		{"reordered", func() func() {
			five, six := raw(5), raw(6)
			replace(5, withID(six, 5))
			replace(6, withID(five, 6))
			return func() { replace(5, five); replace(6, six) }
		}, 5, idAt(6)},
		{"last_deleted", func() func() {
			orig := raw(last)
			if _, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: auditmongo.Key(last)}}); err != nil {
				t.Fatal(err)
			}
			return func() { _, _ = col.InsertOne(ctx, orig) }
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
