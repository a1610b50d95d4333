// Package auditport declares the ports of the audit context.
package auditport

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
)

// Filter narrows an audit listing.
type Filter struct {
	ActorID    string
	Action     string
	TargetType string
	TargetID   string
	Since      time.Time // zero: no bound
	Until      time.Time // zero: no bound
}

// Store keeps the chain, with a head record beside the events that anchors
// the chain's end for Verify (a chain that ends before it lost its tail).
type Store interface {
	// Append seals e after the end of the chain (audit.SealAfter of the last
	// stored event and the head record) and stores it, atomically: of any number of appends at once, from any number
	// of processes, each gets its own sequence number after the one before, so
	// the chain stays linear. The head record moves to e with it, or right
	// after it: it may lag the chain's end by the appends in flight, but is
	// never ahead of what was stored. On success e holds its Seq, PrevHash and
	// Hash.
	Append(ctx context.Context, e *audit.Event) error
	// Head returns the end of the chain as recorded beside the events: only
	// Seq, ID, At and Hash are set; nil when nothing was recorded. It is the
	// recorded hash, not the stored event's: Verify compares the two.
	Head(ctx context.Context) (*audit.Event, error)
	// List returns a page of events, newest first, and the total that match.
	List(ctx context.Context, f Filter, skip, limit int) ([]*audit.Event, int64, error)
	// Walk calls fn for every event that matches f, in sequence order, until fn
	// returns false.
	Walk(ctx context.Context, f Filter, fn func(e *audit.Event) bool) error
}

// Log is what every context appends to.
type Log interface {
	// Append seals e into the chain and stores it; it returns the stored event.
	// It gives up after a few seconds (kernel.ErrUnavailable) rather than hold
	// a request.
	Append(ctx context.Context, e audit.Event) (*audit.Event, error)
}

// VerifyResult is the outcome of walking the chain.
type VerifyResult struct {
	Checked     int64
	FirstBroken *audit.Break
	// Last is the last event checked (nil for an empty chain): its sequence
	// number and hash, kept outside the store, let a later verification prove
	// that nothing was removed from the end (an external anchor).
	Last *audit.Event
}

// Service is the audit use cases that drivers call.
type Service interface {
	Log
	List(ctx context.Context, f Filter, page, limit int) ([]*audit.Event, int64, error)
	// Verify walks the whole chain and reports the first broken link; progress,
	// when not nil, is called every 1,000 events.
	Verify(ctx context.Context, progress func(checked int64)) (VerifyResult, error)
	// Export calls fn for every event that matches f, oldest first, until fn
	// fails.
	Export(ctx context.Context, f Filter, fn func(e *audit.Event) error) error
}
