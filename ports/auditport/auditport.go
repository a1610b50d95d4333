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
type Store interface {
	// Head returns the last event, or nil for an empty chain. It may lag behind
	// (a hint); Append catches up with At.
	Head(ctx context.Context) (*audit.Event, error)
	// At returns the event with sequence number seq (kernel.ErrNotFound if none).
	At(ctx context.Context, seq int64) (*audit.Event, error)
	Insert(ctx context.Context, e *audit.Event) error
	// List returns a page of events, newest first, and the total that match.
	List(ctx context.Context, f Filter, skip, limit int) ([]*audit.Event, int64, error)
	// Walk calls fn for every event in sequence order until fn returns false.
	Walk(ctx context.Context, fn func(e *audit.Event) bool) error
}

// Log is what every context appends to.
type Log interface {
	// Append seals e into the chain and stores it; it returns the stored event.
	Append(ctx context.Context, e audit.Event) (*audit.Event, error)
}

// VerifyResult is the outcome of walking the chain.
type VerifyResult struct {
	Checked     int64
	FirstBroken *audit.Break
}

// Service is the audit use cases that drivers call.
type Service interface {
	Log
	List(ctx context.Context, f Filter, page, limit int) ([]*audit.Event, int64, error)
	Verify(ctx context.Context, progress func(checked int64)) (VerifyResult, error)
}
