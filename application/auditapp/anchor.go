package auditapp

import (
	"context"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// anchorInterval is how long an appended event may wait before the head
// record is moved forward to it: one head write per interval instead of one
// per event, which keeps an append at one store write. The price: after a
// crash, at most the last anchorInterval of events are not anchored, so a
// truncation of only those is not detected.
const anchorInterval = 100 * time.Millisecond

// anchorTimeout bounds one anchor write.
const anchorTimeout = 5 * time.Second

// anchorer moves the store's head record forward off the request path: Append
// hands it each event it stored (later), and a timer armed by the first
// pending event anchors the newest one anchorInterval later. A failed write
// keeps the event pending and arms the timer again (a retry); nothing but the
// log's next verification would notice, so it is reported nowhere.
type anchorer struct {
	store auditport.Store

	writing sync.Mutex // one anchor write at a time: Flush waits for the timer's

	mu      sync.Mutex   // guards the fields below; never held during a store call
	pending *audit.Event // the newest event stored and not yet anchored
	timer   *time.Timer  // armed while an event is pending, nil otherwise
	armings uint64       // counts timers armed, so that a stopped one that fires anyway knows it is stale
}

// later records e, just stored, as the event to anchor at the next tick.
func (a *anchorer) later(e *audit.Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pending == nil || e.Seq > a.pending.Seq {
		a.pending = e
	}
	if a.timer == nil {
		a.arm()
	}
}

// now anchors e, just stored, at once (on the caller's context); when that
// fails, it is anchored later.
func (a *anchorer) now(ctx context.Context, e *audit.Event) {
	if err := a.store.Anchor(ctx, e); err != nil {
		a.later(e)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pending != nil && a.pending.Seq <= e.Seq {
		a.pending = nil // anchored by now; a timer armed for it finds nothing to do
	}
}

// arm starts the timer; a.mu is held.
func (a *anchorer) arm() {
	a.armings++
	n := a.armings
	a.timer = time.AfterFunc(anchorInterval, func() { a.tick(n) })
}

// tick is timer n firing: it anchors the pending event, or arms the timer
// again when that fails.
func (a *anchorer) tick(n uint64) {
	a.writing.Lock()
	defer a.writing.Unlock()
	a.mu.Lock()
	if a.timer == nil || a.armings != n { // Flush stopped this timer after it fired
		a.mu.Unlock()
		return
	}
	a.timer = nil
	a.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), anchorTimeout)
	defer cancel()
	if err := a.write(ctx); err != nil {
		a.mu.Lock()
		if a.pending != nil && a.timer == nil {
			a.arm()
		}
		a.mu.Unlock()
	}
}

// flush stops the timer and anchors the pending event now.
func (a *anchorer) flush(ctx context.Context) error {
	a.writing.Lock()
	defer a.writing.Unlock()
	a.mu.Lock()
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
	a.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, anchorTimeout)
	defer cancel()
	return a.write(ctx)
}

// write anchors the pending event; a.writing is held. The event stays pending
// when the write fails, or when a newer one arrived meanwhile.
func (a *anchorer) write(ctx context.Context) error {
	a.mu.Lock()
	e := a.pending
	a.mu.Unlock()
	if e == nil {
		return nil
	}
	if err := a.store.Anchor(ctx, e); err != nil {
		return err
	}
	a.mu.Lock()
	if a.pending == e {
		a.pending = nil
	}
	a.mu.Unlock()
	return nil
}
