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

func newService(_ *testing.T, store auditport.Store, clock *fakeClock) *auditapp.Service {
	return auditapp.New(store, clock)
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
	shared := auditmem.NewStore()
	clock := newClock()
	// Two services on one store: two replicas.
	svcs := []*auditapp.Service{newService(t, shared, clock), newService(t, shared, clock)}
	var wg sync.WaitGroup
	for r, svc := range svcs {
		for w := range 4 {
			wg.Go(func() {
				for i := range 25 {
					if _, err := svc.Append(context.Background(), audit.Event{Action: "test.x", TargetID: fmt.Sprint(r, w, i)}); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	mustVerify(t, auditapp.New(shared, clock), 200)
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

// removable is a store from which a test removes events, as an attacker with
// write access to the store would.
type removable struct {
	auditport.Store
	mu      sync.Mutex
	removed map[int64]bool
}

func (r *removable) remove(seq int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removed[seq] = true
}

func (r *removable) gone(seq int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.removed[seq]
}

func (r *removable) Walk(ctx context.Context, f auditport.Filter, fn func(*audit.Event) bool) error {
	return r.Store.Walk(ctx, f, func(e *audit.Event) bool { return r.gone(e.Seq) || fn(e) })
}

// The last event, removed right after its append, is still seen: the head
// record moved with the append.
func TestVerifySeesTheLastEventRemovedRightAfterItsAppend(t *testing.T) {
	t.Parallel()
	store := &removable{Store: auditmem.NewStore(), removed: map[int64]bool{}}
	svc := newService(t, store, newClock())
	var last *audit.Event
	for range 5 {
		e, err := svc.Append(context.Background(), audit.Event{Action: "test.x"})
		if err != nil {
			t.Fatal(err)
		}
		last = e
	}
	store.remove(last.Seq)
	res, err := svc.Verify(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if b := res.FirstBroken; b == nil || b.Seq != last.Seq || b.ID != last.ID || res.Checked != 4 {
		t.Fatalf("verify: %+v after %d, want event %d reported removed", res.FirstBroken, res.Checked, last.Seq)
	}
}
