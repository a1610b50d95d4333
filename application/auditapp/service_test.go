package auditapp_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/memory/auditmem"
	"github.com/civicdatatrust/civictrust/application/auditapp"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

func newClock() *fakeClock { return &fakeClock{now: time.Date(2025, 9, 4, 0, 0, 0, 0, time.UTC)} }

// staleHead is a store whose head record never moves: Append must then find
// the real end by reading the chain.
type staleHead struct{ auditport.Store }

func (staleHead) Head(context.Context) (*audit.Event, error) { return nil, nil }

// newService builds a service on store whose last anchor is written when the
// test ends, and checks that no anchor timer outlives that Flush.
func newService(t *testing.T, store auditport.Store, clock *fakeClock) *auditapp.Service {
	t.Helper()
	svc := auditapp.New(store, clock)
	t.Cleanup(func() {
		if err := svc.Flush(context.Background()); err != nil {
			t.Errorf("flush at the end: %v", err)
		}
		if svc.AnchorArmed() {
			t.Error("an anchor timer outlives Flush")
		}
	})
	return svc
}

func mustVerify(t *testing.T, svc *auditapp.Service, want int64) {
	t.Helper()
	res, err := svc.Verify(context.Background(), nil)
	if err != nil || res.FirstBroken != nil || res.Checked != want {
		t.Fatalf("verify: checked %d (want %d), broken %+v, %v", res.Checked, want, res.FirstBroken, err)
	}
}

func TestConcurrentAppendsFormOneLinearChain(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		store func(auditport.Store) auditport.Store
	}{
		{"head_record_kept", func(s auditport.Store) auditport.Store { return s }},
		{"head_record_lagging", func(s auditport.Store) auditport.Store { return staleHead{s} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			shared := auditmem.NewStore()
			clock := newClock()
			// Two services on one store: two replicas.
			svcs := []*auditapp.Service{newService(t, c.store(shared), clock), newService(t, c.store(shared), clock)}
			var wg sync.WaitGroup
			for r, svc := range svcs {
				for w := range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range 25 {
							if _, err := svc.Append(context.Background(), audit.Event{Action: "test.x", TargetID: fmt.Sprint(r, w, i)}); err != nil {
								t.Error(err)
								return
							}
						}
					}()
				}
			}
			wg.Wait()
			mustVerify(t, auditapp.New(shared, clock), 200)
			// Once both have flushed, the record holds the newest event,
			// whichever replica anchored last.
			for _, svc := range svcs {
				if err := svc.Flush(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			last, err := shared.At(context.Background(), 200)
			if err != nil {
				t.Fatal(err)
			}
			wantHead(t, shared, last)
		})
	}
}

func TestAppendFillsDefaults(t *testing.T) {
	t.Parallel()
	svc := newService(t, auditmem.NewStore(), newClock())
	e, err := svc.Append(context.Background(), audit.Event{Action: "test.x", UserAgent: "bad \xff"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Seq != 1 || e.ID == "" || e.At.IsZero() || e.Outcome != audit.Success || e.UserAgent != "bad \uFFFD" || e.Hash != e.ComputeHash() {
		t.Fatalf("%+v", e)
	}
}

func TestAppendOutlivesTheRequestsContext(t *testing.T) {
	t.Parallel()
	svc := newService(t, auditmem.NewStore(), newClock())
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client went away
	if _, err := svc.Append(ctx, audit.Event{Action: "test.x"}); err != nil {
		t.Fatalf("a cancelled request still leaves its trace: %v", err)
	}
}

func TestExportIsOldestFirstAndFiltered(t *testing.T) {
	t.Parallel()
	clock := newClock()
	svc := newService(t, auditmem.NewStore(), clock)
	var ats []time.Time
	for i := range 6 {
		e, err := svc.Append(context.Background(), audit.Event{Action: fmt.Sprint("test.", i%2)})
		if err != nil {
			t.Fatal(err)
		}
		ats = append(ats, e.At)
	}
	var got []int64
	err := svc.Export(context.Background(), auditport.Filter{Since: ats[1], Until: ats[4]}, func(e *audit.Event) error {
		got = append(got, e.Seq)
		return nil
	})
	if err != nil || fmt.Sprint(got) != "[2 3 4 5]" {
		t.Fatalf("got %v, %v", got, err)
	}
	stop := fmt.Errorf("stop")
	n := 0
	if err := svc.Export(context.Background(), auditport.Filter{}, func(*audit.Event) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Fatalf("export does not stop at the writer's error: %v after %d", err, n)
	}
}

func TestVerifyReportsProgressAndTheLastEvent(t *testing.T) {
	t.Parallel()
	svc := newService(t, auditmem.NewStore(), newClock())
	for range 2500 {
		if _, err := svc.Append(context.Background(), audit.Event{Action: "test.x"}); err != nil {
			t.Fatal(err)
		}
	}
	var progress []int64
	res, err := svc.Verify(context.Background(), func(n int64) { progress = append(progress, n) })
	if err != nil || res.FirstBroken != nil || res.Checked != 2500 || fmt.Sprint(progress) != "[1000 2000]" || res.Last.Seq != 2500 {
		t.Fatalf("%+v %v %v", res, progress, err)
	}
}

// onBehalfOfARequest marks a context as a request's, so that counting tells
// the store calls made on the request path from the anchor timer's.
type onBehalfOfARequest struct{}

func requestContext() context.Context {
	return context.WithValue(context.Background(), onBehalfOfARequest{}, true)
}

// counting counts the store calls made on behalf of a request, by operation.
type counting struct {
	auditport.Store
	mu    sync.Mutex
	calls map[string]int
}

func newCounting(s auditport.Store) *counting { return &counting{Store: s, calls: map[string]int{}} }

func (c *counting) count(ctx context.Context, op string) {
	if ctx.Value(onBehalfOfARequest{}) == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[op]++
}

// counted returns the calls counted since the last look, and starts again.
func (c *counting) counted() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = map[string]int{}
	return out
}

// took is counted as "map[op:n …]", sorted by op.
func (c *counting) took() string { return fmt.Sprint(c.counted()) }

func (c *counting) Head(ctx context.Context) (*audit.Event, error) {
	c.count(ctx, "head")
	return c.Store.Head(ctx)
}

func (c *counting) At(ctx context.Context, seq int64) (*audit.Event, error) {
	c.count(ctx, "at")
	return c.Store.At(ctx, seq)
}

func (c *counting) Insert(ctx context.Context, e *audit.Event) error {
	c.count(ctx, "insert")
	return c.Store.Insert(ctx, e)
}

func (c *counting) Anchor(ctx context.Context, e *audit.Event) error {
	c.count(ctx, "anchor")
	return c.Store.Anchor(ctx, e)
}

func (c *counting) List(ctx context.Context, f auditport.Filter, skip, limit int) ([]*audit.Event, int64, error) {
	c.count(ctx, "list")
	return c.Store.List(ctx, f, skip, limit)
}

func (c *counting) Walk(ctx context.Context, f auditport.Filter, fn func(*audit.Event) bool) error {
	c.count(ctx, "walk")
	return c.Store.Walk(ctx, f, fn)
}

func mustAppend(t *testing.T, ctx context.Context, svc *auditapp.Service, n int) *audit.Event {
	t.Helper()
	var last *audit.Event
	for i := range n {
		e, err := svc.Append(ctx, audit.Event{Action: "test.x", TargetID: fmt.Sprint(i)})
		if err != nil {
			t.Fatalf("append %d of %d: %v", i+1, n, err)
		}
		last = e
	}
	return last
}

// wantHead checks that the head record holds e (only its number when e has
// no hash).
func wantHead(t *testing.T, s auditport.Store, e *audit.Event) {
	t.Helper()
	h, err := s.Head(context.Background())
	if err != nil || h == nil || h.Seq != e.Seq || (e.Hash != "" && (h.Hash != e.Hash || h.ID != e.ID || !h.At.Equal(e.At))) {
		t.Fatalf("head record %+v, %v; want event %d", h, err, e.Seq)
	}
}

// The hot path: once a process has appended, an append is one insert and
// nothing else (no head read, no head write).
func TestAnAppendAfterTheFirstIsOneStoreWrite(t *testing.T) {
	t.Parallel()
	store := newCounting(auditmem.NewStore())
	svc := newService(t, store, newClock())
	ctx := requestContext()
	mustAppend(t, ctx, svc, 1)
	if got := store.took(); got != "map[head:1 insert:1]" {
		t.Fatalf("the first append: %s, want the head record read and the insert", got)
	}
	mustAppend(t, ctx, svc, 50)
	if got := store.took(); got != "map[insert:50]" {
		t.Fatalf("50 appends: %s, want 50 inserts and nothing else", got)
	}
	mustVerify(t, svc, 51)
}

// Another writer appended 50 events whose anchors never landed (it crashed
// before its timer, say): the head record is far behind, and a service finds
// the end with a few reads by sequence number (not one per event), both at
// its first append and after a conflict.
func TestAStaleHeadRecordIsCaughtUpWithPrimaryKeyReads(t *testing.T) {
	t.Parallel()
	shared := auditmem.NewStore()
	clock := newClock()
	crashing := newService(t, neverAnchored{shared}, clock)
	tenth := mustAppend(t, context.Background(), crashing, 10)
	if err := shared.Anchor(context.Background(), tenth); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, context.Background(), crashing, 50)

	store := newCounting(shared)
	svc := newService(t, store, clock)
	ctx := requestContext()
	// Each append: the record read before sealing, the insert that meets a
	// taken number, the record read again (still behind), reads by number
	// (a gap of n events takes at most 2·log2(n)+2), the insert, and, now
	// that replicas race, the anchor.
	const fewReads = 2*6 + 2 // 50 < 2^6
	wantCalls := func(what string) {
		t.Helper()
		got := store.counted()
		if got["head"] != 2 || got["insert"] != 2 || got["anchor"] != 1 || got["at"] < 1 || got["at"] > fewReads || len(got) != 4 {
			t.Fatalf("%s: %v, want two head record reads, two inserts, one anchor and at most %d reads by number", what, got, fewReads)
		}
	}
	if e := mustAppend(t, ctx, svc, 1); e.Seq != 61 {
		t.Fatalf("appended as %d, want 61", e.Seq)
	}
	wantCalls("the first append")
	wantHead(t, shared, &audit.Event{Seq: 61})

	mustAppend(t, context.Background(), crashing, 50) // 62-111, again never anchored
	if e := mustAppend(t, ctx, svc, 1); e.Seq != 112 {
		t.Fatalf("appended as %d, want 112", e.Seq)
	}
	wantCalls("the next append")
	mustVerify(t, svc, 112)
}

// After a conflict a service appends as racing replicas must (the record read
// before sealing, each event anchored as it is appended), and once
// contentionWindow passed without one, with one write again.
func TestAfterAConflictEventsAreAnchoredAsTheyAreAppended(t *testing.T) {
	t.Parallel()
	shared := auditmem.NewStore()
	clock := newClock()
	other := newService(t, shared, clock)
	store := newCounting(shared)
	svc := newService(t, store, clock)
	ctx := requestContext()
	mustAppend(t, ctx, svc, 1)
	mustAppend(t, context.Background(), other, 1) // takes 2
	if e := mustAppend(t, ctx, svc, 1); e.Seq != 3 {
		t.Fatalf("appended as %d, want 3", e.Seq)
	}
	store.counted()
	for range 3 {
		e := mustAppend(t, ctx, svc, 1)
		wantHead(t, shared, e) // at once: no timer to wait for
	}
	if got := store.took(); got != "map[anchor:3 head:3 insert:3]" {
		t.Fatalf("3 appends while contended: %s, want a record read, an insert and an anchor each", got)
	}
	svc.ForgetConflicts()
	mustAppend(t, ctx, svc, 3)
	if got := store.took(); got != "map[insert:3]" {
		t.Fatalf("3 appends once contention is over: %s, want 3 inserts and nothing else", got)
	}
	mustVerify(t, svc, 9)
}

// neverAnchored is a writer whose anchors never land.
type neverAnchored struct{ auditport.Store }

func (neverAnchored) Anchor(context.Context, *audit.Event) error { return nil }
