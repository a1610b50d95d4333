package auditapp_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/memory/auditmem"
	"github.com/civicdatatrust/civictrust/application/auditapp"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// waitHead polls the head record until it holds e, for at most 30 anchor
// intervals (generous: the machine may be busy).
func waitHead(t *testing.T, s auditport.Store, e *audit.Event) {
	t.Helper()
	deadline := time.Now().Add(30 * auditapp.AnchorInterval)
	for {
		h, err := s.Head(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if h != nil && h.Seq == e.Seq {
			wantHead(t, s, e)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("head record %+v %v after %v, want event %d", h, err, 30*auditapp.AnchorInterval, e.Seq)
		}
		time.Sleep(auditapp.AnchorInterval / 10)
	}
}

func TestTheHeadRecordCatchesUpWithoutAnotherAppend(t *testing.T) {
	t.Parallel()
	store := auditmem.NewStore()
	svc := newService(t, store, newClock())
	last := mustAppend(t, context.Background(), svc, 3)
	if !svc.AnchorArmed() {
		t.Fatal("no anchor timer after an append")
	}
	waitHead(t, store, last)
	if svc.AnchorArmed() {
		t.Fatal("the anchor timer is still armed with nothing pending")
	}
}

func TestFlushAnchorsAtOnceAndStopsTheTimer(t *testing.T) {
	t.Parallel()
	store := newCounting(auditmem.NewStore())
	svc := newService(t, store, newClock())
	last := mustAppend(t, context.Background(), svc, 3)
	if err := svc.Flush(requestContext()); err != nil {
		t.Fatal(err)
	}
	wantHead(t, store, last)
	if svc.AnchorArmed() {
		t.Fatal("the anchor timer outlives Flush")
	}
	if err := svc.Flush(requestContext()); err != nil {
		t.Fatal(err)
	}
	if got := store.took(); got != "map[anchor:1]" {
		t.Fatalf("two flushes wrote %s, want one anchor (nothing was pending the second time)", got)
	}
}

// failingAnchors fails the first n anchors.
type failingAnchors struct {
	auditport.Store
	mu sync.Mutex
	n  int
}

func (f *failingAnchors) Anchor(ctx context.Context, e *audit.Event) error {
	f.mu.Lock()
	fail := f.n > 0
	f.n--
	f.mu.Unlock()
	if fail {
		return kernel.ErrUnavailable
	}
	return f.Store.Anchor(ctx, e)
}

func TestAFailedAnchorIsRetried(t *testing.T) {
	t.Parallel()
	t.Run("by_the_timer", func(t *testing.T) {
		t.Parallel()
		store := &failingAnchors{Store: auditmem.NewStore(), n: 3}
		svc := newService(t, store, newClock())
		waitHead(t, store, mustAppend(t, context.Background(), svc, 2))
	})
	t.Run("by_the_next_flush", func(t *testing.T) {
		t.Parallel()
		store := &failingAnchors{Store: auditmem.NewStore(), n: 1}
		svc := newService(t, store, newClock())
		last := mustAppend(t, context.Background(), svc, 2)
		if err := svc.Flush(context.Background()); !errors.Is(err, kernel.ErrUnavailable) {
			t.Fatalf("flush: %v, want the store's error", err)
		}
		if err := svc.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		wantHead(t, store, last)
	})
}

// removable hides the events removed from it, as an intruder deleting them
// from the store would.
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

func (r *removable) At(ctx context.Context, seq int64) (*audit.Event, error) {
	if r.gone(seq) {
		return nil, kernel.ErrNotFound
	}
	return r.Store.At(ctx, seq)
}

func (r *removable) Walk(ctx context.Context, f auditport.Filter, fn func(*audit.Event) bool) error {
	return r.Store.Walk(ctx, f, func(e *audit.Event) bool { return r.gone(e.Seq) || fn(e) })
}

// The last event, removed right after its append (well within the anchoring
// interval), is still seen: Verify anchors what the process appended first.
func TestVerifySeesTheLastEventRemovedRightAfterItsAppend(t *testing.T) {
	t.Parallel()
	store := &removable{Store: auditmem.NewStore(), removed: map[int64]bool{}}
	svc := newService(t, store, newClock())
	last := mustAppend(t, context.Background(), svc, 5)
	store.remove(last.Seq)
	res, err := svc.Verify(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if b := res.FirstBroken; b == nil || b.Seq != last.Seq || b.ID != last.ID || res.Checked != 4 {
		t.Fatalf("verify: %+v after %d, want event %d reported removed", res.FirstBroken, res.Checked, last.Seq)
	}
}
