package auditmongo_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/auditmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/adapters/system"
	"github.com/civicdatatrust/civictrust/application/auditapp"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// These tests run the audit service on the Mongo store (FerretDB unless
// MONGODB_TEST_URI is set): the chain's linearity rests on the store
// refusing a second event with the same _id, which only a real store shows.

// newService builds a service on db.
func newService(_ testing.TB, db *mongo.Database) *auditapp.Service {
	return auditapp.New(auditmongo.NewStore(db), system.Clock{})
}

func appendN(t *testing.T, svc auditport.Log, n int, action string) {
	t.Helper()
	for i := range n {
		if _, err := svc.Append(context.Background(), audit.Event{ActorID: "actor", Action: action, TargetType: "thing",
			TargetID: fmt.Sprint(i), Details: map[string]string{"i": fmt.Sprint(i)}}); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
}

func verify(t *testing.T, svc auditport.Service) auditport.VerifyResult {
	t.Helper()
	res, err := svc.Verify(context.Background(), nil)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return res
}

func TestAppendedEventsRoundTripAndVerify(t *testing.T) {
	db := mongotest.Database(t)
	svc := newService(t, db)
	ev, err := svc.Append(context.Background(), audit.Event{ActorID: "a", Action: "x.y", TargetType: "t", TargetID: "1",
		IP: "192.0.2.1", UserAgent: "agent \xff invalid utf-8", RequestID: "r1", Details: map[string]string{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	var got *audit.Event
	if err := auditmongo.NewStore(db).Walk(context.Background(), auditport.Filter{}, func(e *audit.Event) bool { got = e; return false }); err != nil {
		t.Fatal(err)
	}
	if got.Hash != ev.Hash || got.ComputeHash() != got.Hash || got.Details["k"] != "v" || !got.At.Equal(ev.At) {
		t.Fatalf("stored %+v, appended %+v", got, ev)
	}
	if res := verify(t, svc); res.FirstBroken != nil || res.Checked != 1 || res.Last.Hash != ev.Hash {
		t.Fatalf("verify: %+v %+v", res, res.FirstBroken)
	}
}

// Four services with their own client each (four replicas) append 500 events
// each at once, from several goroutines per replica: one linear chain of
// 2,000 events that verifies (100 each under the race detector, which makes
// the test store ten times slower).
func TestFourReplicasAppendOneLinearChain(t *testing.T) {
	if mongotest.OnFerretDB() {
		t.Skip("FerretDB: a sort by _id decodes the whole collection, so 2,000 racing appends take minutes; the contract suite's replicas case runs here")
	}
	const replicas, workers = 4, 5
	perReplica := int64(500)
	if mongotest.RaceDetector {
		perReplica = 100
	}
	db := mongotest.Database(t)
	svcs := make([]*auditapp.Service, replicas)
	for i := range svcs {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, err := mongostore.Connect(ctx, mongotest.URI(t), db.Name(), mongotest.ClientOptions()...)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close(context.Background()) })
		svcs[i] = newService(t, c.DB())
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, replicas*workers)
	gate := make(chan struct{})
	for r, svc := range svcs {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				for i := range perReplica / workers {
					if _, err := svc.Append(context.Background(), audit.Event{ActorID: fmt.Sprint("replica-", r),
						Action: "test.concurrent", TargetID: fmt.Sprint(w, "-", i)}); err != nil {
						errs <- fmt.Errorf("replica %d worker %d event %d: %w", r, w, i, err)
						return
					}
				}
			}()
		}
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	t.Logf("%d events from %d replicas in %v", replicas*perReplica, replicas, time.Since(start))
	res := verify(t, svcs[0])
	if res.FirstBroken != nil || res.Checked != replicas*perReplica {
		t.Fatalf("checked %d, first broken %+v", res.Checked, res.FirstBroken)
	}
	for r := range replicas {
		_, n, err := svcs[0].List(context.Background(), auditport.Filter{ActorID: fmt.Sprint("replica-", r)}, 1, 1)
		if err != nil || n != perReplica {
			t.Fatalf("replica %d: %d events, %v", r, n, err)
		}
	}
	// The record holds the newest event, whichever replica wrote it.
	store := auditmongo.NewStore(db)
	head, err := store.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var last *audit.Event
	if err := store.Walk(context.Background(), auditport.Filter{}, func(e *audit.Event) bool { last = e; return true }); err != nil {
		t.Fatal(err)
	}
	if head.Seq != last.Seq || head.Hash != last.Hash || head.ID != last.ID {
		t.Fatalf("head record after the race: %+v, want event %d", head, last.Seq)
	}
}

// The last event, deleted right after its append, is still seen: the head
// record moved with the append.
func TestVerifySeesTheLastEventDeletedRightAfterItsAppend(t *testing.T) {
	db := mongotest.Database(t)
	svc := newService(t, db)
	appendN(t, svc, 3, "test.x")
	mustDelete(t, db.Collection("audit_events"), 3)
	res := verify(t, svc)
	if b := res.FirstBroken; b == nil || b.Seq != 3 || !strings.Contains(b.Reason, "removed") || res.Checked != 2 {
		t.Fatalf("verify: %+v after %d, want event 3 reported removed", res.FirstBroken, res.Checked)
	}
}

// sealed builds n sealed events in memory, as an untouched chain.
func sealed(n int) []*audit.Event {
	out := make([]*audit.Event, 0, n)
	var prev *audit.Event
	at := time.Date(2025, 9, 4, 0, 0, 0, 0, time.UTC)
	for i := range n {
		e := &audit.Event{ID: kernel.NewID(at), At: at.Add(time.Duration(i) * time.Millisecond), ActorID: "actor",
			Action: "test.bulk", TargetType: "thing", TargetID: fmt.Sprint(i), IP: "192.0.2.1", UserAgent: "bulk",
			RequestID: fmt.Sprint("req-", i), Outcome: audit.Success, Details: map[string]string{"i": fmt.Sprint(i)}}
		e.Seal(prev)
		out = append(out, e)
		prev = e
	}
	return out
}

// insertRaw writes events as the store does, in one InsertMany, and records
// the last as the head.
func insertRaw(t *testing.T, db *mongo.Database, evs []*audit.Event) {
	t.Helper()
	docs := make([]any, 0, len(evs))
	for _, e := range evs {
		docs = append(docs, bson.D{
			{Key: "_id", Value: auditmongo.Key(e.Seq)}, {Key: "id", Value: e.ID}, {Key: "at", Value: e.At}, {Key: "actor_id", Value: e.ActorID},
			{Key: "action", Value: e.Action}, {Key: "target_type", Value: e.TargetType}, {Key: "target_id", Value: e.TargetID},
			{Key: "ip", Value: e.IP}, {Key: "user_agent", Value: e.UserAgent}, {Key: "request_id", Value: e.RequestID},
			{Key: "outcome", Value: e.Outcome}, {Key: "details", Value: e.Details}, {Key: "prev_hash", Value: e.PrevHash},
			{Key: "hash", Value: e.Hash},
		})
	}
	ctx := context.Background()
	if _, err := db.Collection("audit_events").InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	if _, err := db.Collection("audit_head").InsertOne(ctx, bson.D{{Key: "_id", Value: "head"}, {Key: "seq", Value: last.Seq},
		{Key: "event_id", Value: last.ID}, {Key: "at", Value: last.At}, {Key: "hash", Value: last.Hash}}); err != nil {
		t.Fatal(err)
	}
}

func TestAnUntouchedChainOf10000EventsVerifies(t *testing.T) {
	db := mongotest.Database(t)
	start := time.Now()
	insertRaw(t, db, sealed(10_000))
	t.Logf("bulk insert: %v", time.Since(start))
	svc := newService(t, db)
	start = time.Now()
	var progress []int64
	res, err := svc.Verify(context.Background(), func(n int64) { progress = append(progress, n) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("verify: %v", time.Since(start))
	if res.FirstBroken != nil || res.Checked != 10_000 || len(progress) != 10 || progress[9] != 10_000 {
		t.Fatalf("checked %d, progress %v, first broken %+v", res.Checked, progress, res.FirstBroken)
	}
	// The service appends after a chain it did not write.
	appendN(t, svc, 1, "test.after")
	if res := verify(t, svc); res.FirstBroken != nil || res.Checked != 10_001 {
		t.Fatalf("after one more: checked %d, %+v", res.Checked, res.FirstBroken)
	}
}

// Each tampering is done directly in the store, as an intruder with database
// access would; Verify names the first broken event.
func TestTamperingIsDetected(t *testing.T) {
	events := func() []*audit.Event { return sealed(20) }
	col := func(db *mongo.Database) *mongo.Collection { return db.Collection("audit_events") }
	cases := []struct {
		name    string
		tamper  func(t *testing.T, db *mongo.Database, evs []*audit.Event)
		seq     int64
		id      func(evs []*audit.Event) string
		reason  string
		checked int64
	}{
		{"edited_field_breaks_its_own_hash", func(t *testing.T, db *mongo.Database, _ []*audit.Event) {
			mustUpdate(t, col(db), 7, bson.D{{Key: "actor_id", Value: "someone-else"}})
		}, 7, idOf(7), "edited", 6},
		{"edited_and_rehashed_breaks_the_next_link", func(t *testing.T, db *mongo.Database, evs []*audit.Event) {
			e := *evs[6]
			e.ActorID = "someone-else"
			mustUpdate(t, col(db), 7, bson.D{{Key: "actor_id", Value: e.ActorID}, {Key: "hash", Value: e.ComputeHash()}})
		}, 8, idOf(8), "prev_hash", 7},
		{"deleted_event_leaves_a_gap", func(t *testing.T, db *mongo.Database, _ []*audit.Event) {
			mustDelete(t, col(db), 12)
		}, 13, idOf(13), "missing", 11},
		{"reordered_events_break_the_first_moved", func(t *testing.T, db *mongo.Database, evs []*audit.Event) {
			// Swap the contents of 4 and 5, keeping the _ids (sequence numbers).
			a, b := evs[3], evs[4]
			mustUpdate(t, col(db), 4, contentOf(b))
			mustUpdate(t, col(db), 5, contentOf(a))
		}, 4, idOf(5), "", 3},
		{"deleted_last_event_is_seen_through_the_head", func(t *testing.T, db *mongo.Database, _ []*audit.Event) {
			mustDelete(t, col(db), 20)
		}, 20, idOf(20), "removed", 19},
		{"deleted_tail_is_seen_through_the_head", func(t *testing.T, db *mongo.Database, _ []*audit.Event) {
			for seq := int64(17); seq <= 20; seq++ {
				mustDelete(t, col(db), seq)
			}
		}, 17, func([]*audit.Event) string { return "" }, "removed", 16},
		{"rewritten_last_event_is_seen_through_the_head", func(t *testing.T, db *mongo.Database, evs []*audit.Event) {
			e := *evs[19]
			e.Outcome = audit.Failure
			mustUpdate(t, col(db), 20, bson.D{{Key: "outcome", Value: e.Outcome}, {Key: "hash", Value: e.ComputeHash()}})
		}, 20, idOf(20), "rewritten", 19},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := mongotest.Database(t)
			evs := events()
			insertRaw(t, db, evs)
			c.tamper(t, db, evs)
			svc := newService(t, db)
			res := verify(t, svc)
			b := res.FirstBroken
			if b == nil {
				t.Fatalf("not detected (checked %d)", res.Checked)
			}
			if b.Seq != c.seq || b.ID != c.id(evs) || !strings.Contains(b.Reason, c.reason) || res.Checked != c.checked {
				t.Fatalf("first broken %+v after %d, want seq %d id %q reason ~%q after %d", b, res.Checked, c.seq, c.id(evs), c.reason, c.checked)
			}
			// Appending goes on after the recorded head (event 21): the damage
			// stays visible, at the same event or where the new one joins.
			appendN(t, svc, 1, "test.after")
			if res := verify(t, svc); res.FirstBroken == nil || (res.FirstBroken.Seq != c.seq && res.FirstBroken.Seq != 21) {
				t.Fatalf("after an append: %+v", res.FirstBroken)
			}
		})
	}
}

func idOf(seq int64) func([]*audit.Event) string {
	return func(evs []*audit.Event) string { return evs[seq-1].ID }
}

func contentOf(e *audit.Event) bson.D {
	return bson.D{{Key: "id", Value: e.ID}, {Key: "at", Value: e.At}, {Key: "actor_id", Value: e.ActorID}, {Key: "action", Value: e.Action},
		{Key: "target_id", Value: e.TargetID}, {Key: "request_id", Value: e.RequestID}, {Key: "details", Value: e.Details},
		{Key: "prev_hash", Value: e.PrevHash}, {Key: "hash", Value: e.Hash}}
}

func mustUpdate(t *testing.T, c *mongo.Collection, seq int64, set bson.D) {
	t.Helper()
	r, err := c.UpdateOne(context.Background(), bson.D{{Key: "_id", Value: auditmongo.Key(seq)}}, bson.D{{Key: "$set", Value: set}})
	if err != nil || r.MatchedCount != 1 {
		t.Fatalf("update %d: %v %+v", seq, err, r)
	}
}

func mustDelete(t *testing.T, c *mongo.Collection, seq int64) {
	t.Helper()
	r, err := c.DeleteOne(context.Background(), bson.D{{Key: "_id", Value: auditmongo.Key(seq)}})
	if err != nil || r.DeletedCount != 1 {
		t.Fatalf("delete %d: %v %+v", seq, err, r)
	}
}

// BenchmarkAppend appends through the service, one event at a time, on the
// store mongotest gives (a few ms each on FerretDB: why the 10,000-event test
// bulk inserts).
func BenchmarkAppend(b *testing.B) {
	svc := newService(b, mongotest.Database(b))
	ctx := context.Background()
	for b.Loop() {
		if _, err := svc.Append(ctx, audit.Event{ActorID: "actor", Action: "test.bench", TargetID: "t"}); err != nil {
			b.Fatal(err)
		}
	}
}
