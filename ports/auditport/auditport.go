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

// Store keeps the chain. Insert fails with kernel.ErrConflict when an event with
// that sequence number exists already: the primary key keeps the chain linear
// when several replicas append at once.
//
// The head record beside the events anchors the chain's end for Verify. It is
// written apart from the events (Anchor), once per anchoring interval rather
// than once per event, so it may lag the chain's end by that interval.
type Store interface {
	// Head returns the end of the chain as last anchored (a hint, kept beside
	// the events): only Seq, ID, At and Hash are set; nil when nothing was
	// recorded. It may lag the real end by the anchoring interval (an Append
	// sealed after it meets a taken number and catches up with At) but is
	// never ahead of what was inserted, so a chain that ends before it lost
	// its tail. It is the recorded hash, not the stored event's: Verify
	// compares the two.
	Head(ctx context.Context) (*audit.Event, error)
	// At returns the event with sequence number seq (kernel.ErrNotFound if none).
	At(ctx context.Context, seq int64) (*audit.Event, error)
	// Insert stores a sealed event, and only the event: the head record does
	// not move (Anchor moves it later, so it may lag by the anchoring
	// interval).
	Insert(ctx context.Context, e *audit.Event) error
	// Anchor moves the head record forward to e (its Seq, ID, At and Hash)
	// when e.Seq is beyond what the record holds, and never back: anchors
	// racing from several replicas leave the newest. e must be inserted
	// already. Appenders anchor their newest event once per anchoring
	// interval (each event while replicas race for numbers), so the record
	// may lag the chain's end by that interval.
	Anchor(ctx context.Context, e *audit.Event) error
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
