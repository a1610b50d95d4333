// Package auditapp appends to and verifies the audit chain.
package auditapp

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// maxAppendAttempts bounds the retries of one Append when other writers keep
// taking the next sequence number.
const maxAppendAttempts = 200

// appendTimeout bounds how long a request waits for its audit event.
const appendTimeout = 5 * time.Second

// ErrBusy is an append that could not find a free sequence number in time.
var ErrBusy = kernel.ErrUnavailable.WithMessage("The audit trail is too busy; try again")

// jitterFromAttempt is the first attempt (counted from 0) that waits a
// little, at random (up to 1 ms per attempt so far, 8 at most), before
// catching up: replicas that keep taking each other's numbers fall out of
// step, and the first retry stays immediate.
const jitterFromAttempt = 2

// contentionWindow is how long after a conflict this process appends as
// replicas racing each other must: it reads the head record before sealing
// and anchors each event right after inserting it (a read and a second write
// per append). The record then shows where the chain ends, so a replica that
// lost a number finds the next one there, and the winner's cycle is as long
// as the loser's: with one insert per event against the loser's reads, a
// replica could be refused for appendTimeout while the others kept
// appending (measured: four replicas racing on the embedded store, where a
// read by sequence number scans the table). A single process never conflicts,
// so it always appends with one write.
const contentionWindow = 10 * time.Second

// Service implements auditport.Service.
//
// Appends are serialised inside one process (turn) and optimistic between
// processes: an event is sealed after the last event this process appended
// and inserted with its sequence number as the primary key, one store write
// and no read. The head record is moved forward off the request path, once
// per anchorInterval (anchorer). A duplicate means another replica took that
// number: the service reads the head record, seals after it when it covers
// the number taken, else finds the end by reading the chain forward by
// sequence number, and tries again; for contentionWindow after a conflict it
// appends the way racing replicas must, so that none starves.
type Service struct {
	store  auditport.Store
	clock  platformport.Clock
	anchor *anchorer

	turn chan struct{} // holds one token while an append runs; guards the fields below
	// last is the last event this process appended, nil until the first
	// append and after an error that may have landed: then the append seals
	// after the head record, and the insert tells whether that is the end.
	last *audit.Event
	// conflictAt is when an insert of this process last met a taken number
	// (see contentionWindow).
	conflictAt time.Time
}

var _ auditport.Service = (*Service)(nil)

// New builds the service. Call Flush before the process exits, so that the
// last events appended are anchored.
func New(store auditport.Store, clock platformport.Clock) *Service {
	return &Service{store: store, clock: clock, anchor: &anchorer{store: store}, turn: make(chan struct{}, 1)}
}

// Append seals the event after the end of the chain and inserts it; when
// another writer took that sequence number first, it catches up and tries
// again. It never takes longer than appendTimeout, even when ctx has no
// deadline, and it finishes even when ctx is cancelled (a client that went
// away still leaves its trace).
func (s *Service) Append(ctx context.Context, e audit.Event) (*audit.Event, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), appendTimeout)
	defer cancel()
	if e.At.IsZero() {
		e.At = s.clock.Now()
	}
	e.At = kernel.Truncate(e.At)
	if e.ID == "" {
		e.ID = kernel.NewID(e.At)
	}
	if e.Outcome == "" {
		e.Outcome = audit.Success
	}
	e.Normalize()
	select {
	case s.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ErrBusy
	}
	defer func() { <-s.turn }()

	head := s.last
	if head == nil || s.contended() {
		// Without a last event, the record is the end after a clean stop
		// (Flush) and a little behind it after a crash: the insert tells
		// which, and the chain is read only when it must be.
		rec, err := s.store.Head(ctx)
		if err != nil {
			return nil, err
		}
		head = newer(rec, head)
	}
	for attempt := range maxAppendAttempts {
		ev := e
		ev.Seal(head)
		err := s.store.Insert(ctx, &ev)
		if err == nil {
			stored := ev
			s.last = &stored
			if s.contended() {
				s.anchor.now(ctx, &stored)
			} else {
				s.anchor.later(&stored)
			}
			return &ev, nil
		}
		if kernel.KindOf(err) != kernel.KindConflict {
			s.last = nil // the insert may have landed (a timeout): look the end up next time
			return nil, err
		}
		// Another writer took ev.Seq: find where the chain ends now (after a
		// short random pause once it happened a few times in a row).
		s.conflictAt = time.Now()
		if attempt+1 >= jitterFromAttempt {
			pause := time.Duration(rand.Int64N(int64(min(attempt, 8)) * int64(time.Millisecond))) // #nosec G404 -- jitter, not a secret
			if err := sleep(ctx, pause); err != nil {
				return nil, err
			}
		}
		if head, err = s.findEnd(ctx, head, ev.Seq); err != nil {
			return nil, err
		}
	}
	return nil, ErrBusy
}

// contended reports whether an insert met a taken number within
// contentionWindow (turn is held).
func (s *Service) contended() bool {
	return !s.conflictAt.IsZero() && time.Since(s.conflictAt) < contentionWindow
}

// findEnd returns the event to seal after once event taken was found stored,
// known being the one before it: the head record when it is at taken or
// beyond (the writer anchored it), else the end found by reading the chain
// forward from known.
func (s *Service) findEnd(ctx context.Context, known *audit.Event, taken int64) (*audit.Event, error) {
	rec, err := s.store.Head(ctx)
	if err != nil {
		return nil, err
	}
	if rec != nil && rec.Seq >= taken {
		return rec, nil
	}
	return s.catchUp(ctx, newer(rec, known))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ErrBusy
	}
}

// newer returns whichever of a and b is further along the chain.
func newer(a, b *audit.Event) *audit.Event {
	if a == nil || (b != nil && b.Seq > a.Seq) {
		return b
	}
	return a
}

// catchUp finds the real end of the chain after head (nil: from its start)
// with reads by sequence number. It reads the next two events, then probes
// 2, 4, 8, … events further until one is missing, then halves the range
// between the last event found and the first missing: events are stored
// without gaps up to the end (n+1 is sealed only once n is stored), so
// finding one means every earlier one is there. A gap of one event (a
// replica that just lost a race) costs two reads, as reading one by one
// would; a gap of n about 2·log2(n): a replica far behind (a stale head
// record while others append) reading one event at a time would never
// overtake writers that need one insert per event.
func (s *Service) catchUp(ctx context.Context, head *audit.Event) (*audit.Event, error) {
	found := int64(0) // head's sequence number: known stored
	if head != nil {
		found = head.Seq
	}
	missing := int64(0) // the first sequence number known missing; 0 while none is
	step, reads := int64(1), 0
	for missing == 0 || missing-found > 1 {
		probe := found + step
		if missing != 0 {
			probe = found + (missing-found)/2
		}
		e, err := s.store.At(ctx, probe)
		reads++
		switch {
		case errors.Is(err, kernel.ErrNotFound):
			missing = probe
		case err != nil:
			return nil, err
		default:
			head, found = e, probe
			if reads > 1 {
				step *= 2
			}
		}
	}
	return head, nil
}

// List returns a page of events, newest first.
func (s *Service) List(ctx context.Context, f auditport.Filter, page, limit int) ([]*audit.Event, int64, error) {
	return s.store.List(ctx, f, kernel.PageOffset(page, limit), limit)
}

// Flush anchors the newest event appended now instead of at the end of the
// anchoring interval, and stops the timer: nothing of the service runs after
// it (until the next append). On failure the event stays pending, for the next
// append's timer or the next Flush.
func (s *Service) Flush(ctx context.Context) error {
	return s.anchor.flush(ctx)
}

// Verify walks the whole chain and reports the first broken link: an edited,
// removed or reordered event, or a tail shorter than the recorded head.
func (s *Service) Verify(ctx context.Context, progress func(checked int64)) (auditport.VerifyResult, error) {
	// What this process appended is anchored first, so a removed tail is seen
	// however recently it was appended.
	if err := s.Flush(ctx); err != nil {
		return auditport.VerifyResult{}, err
	}
	// The head is read before the walk: every event up to it exists by then,
	// so events appended during the walk cannot make it look truncated.
	head, err := s.store.Head(ctx)
	if err != nil {
		return auditport.VerifyResult{}, err
	}
	v := audit.Verifier{Head: head}
	var brk *audit.Break
	err = s.store.Walk(ctx, auditport.Filter{}, func(e *audit.Event) bool {
		if brk = v.Next(e); brk != nil {
			return false
		}
		if progress != nil && v.Checked%1000 == 0 {
			progress(v.Checked)
		}
		return true
	})
	if err != nil {
		return auditport.VerifyResult{}, err
	}
	if brk == nil {
		brk = v.Finish()
	}
	return auditport.VerifyResult{Checked: v.Checked, FirstBroken: brk, Last: v.Last()}, nil
}

// Export calls fn for every event that matches f, oldest first.
func (s *Service) Export(ctx context.Context, f auditport.Filter, fn func(e *audit.Event) error) error {
	var ferr error
	err := s.store.Walk(ctx, f, func(e *audit.Event) bool {
		ferr = fn(e)
		return ferr == nil
	})
	if ferr != nil {
		return ferr
	}
	return err
}
