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

// Service implements auditport.Service.
//
// Appends are serialised inside one process (turn) and optimistic between
// processes: an event is sealed after the head the store recorded (a small
// record read; never a read of the chain itself, which on the embedded store
// costs a scan), and inserted with its sequence number as the primary key. A
// duplicate means another replica took that number: the service reads the
// record again and seals after the newer head, or, when the record lags,
// reads forward by sequence number to the real end. Every replica does the
// same work per attempt, so none can starve the others.
type Service struct {
	store auditport.Store
	clock platformport.Clock

	turn chan struct{} // holds one token while an append runs
	// last is the last event this process appended (guarded by turn): the
	// head when the store's record lags behind it.
	last *audit.Event
}

var _ auditport.Service = (*Service)(nil)

// New builds the service.
func New(store auditport.Store, clock platformport.Clock) *Service {
	return &Service{store: store, clock: clock, turn: make(chan struct{}, 1)}
}

// Append seals the event after the current head and inserts it; when another
// writer took that sequence number first, it catches up and tries again. It
// never takes longer than appendTimeout, even when ctx has no deadline, and it
// finishes even when ctx is cancelled (a client that went away still leaves
// its trace).
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

	head, err := s.store.Head(ctx)
	if err != nil {
		return nil, err
	}
	head = newer(head, s.last)
	for attempt := 0; attempt < maxAppendAttempts; attempt++ {
		ev := e
		ev.Seal(head)
		err := s.store.Insert(ctx, &ev)
		if err == nil {
			stored := ev
			s.last = &stored
			return &ev, nil
		}
		if kernel.KindOf(err) != kernel.KindConflict {
			s.last = nil // the insert may have landed (a timeout): trust the store next time
			return nil, err
		}
		if head, err = s.follow(ctx, head, ev.Seq); err != nil {
			return nil, err
		}
	}
	return nil, ErrBusy
}

// follow finds the head after another writer stored event taken. That writer
// records it as the head right after its insert, so the record is read again
// a few times, briefly apart (with jitter, so that racing replicas fall out of
// step); only when it still lags (the writer died between its two writes) is
// the chain read forward from head.
func (s *Service) follow(ctx context.Context, head *audit.Event, taken int64) (*audit.Event, error) {
	for i := range followPolls {
		rec, err := s.store.Head(ctx)
		if err != nil {
			return nil, err
		}
		if rec != nil && rec.Seq >= taken {
			return rec, nil
		}
		if err := sleep(ctx, time.Duration(1+i)*time.Millisecond+time.Duration(rand.Int64N(int64(time.Millisecond))) /* #nosec G404 -- jitter, not a secret */); err != nil {
			return nil, err
		}
	}
	return s.catchUp(ctx, head)
}

// followPolls bounds the record reads of follow (about 50 ms in all).
const followPolls = 10

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

// catchUp follows the chain from head to its real end (primary-key reads).
func (s *Service) catchUp(ctx context.Context, head *audit.Event) (*audit.Event, error) {
	next := int64(1)
	if head != nil {
		next = head.Seq + 1
	}
	for {
		e, err := s.store.At(ctx, next)
		if errors.Is(err, kernel.ErrNotFound) {
			return head, nil
		}
		if err != nil {
			return nil, err
		}
		head, next = e, next+1
	}
}

// List returns a page of events, newest first.
func (s *Service) List(ctx context.Context, f auditport.Filter, page, limit int) ([]*audit.Event, int64, error) {
	skip := (page - 1) * limit
	if page > 1 && skip/limit != page-1 { // overflow
		return []*audit.Event{}, 0, nil
	}
	return s.store.List(ctx, f, skip, limit)
}

// Verify walks the whole chain and reports the first broken link: an edited,
// removed or reordered event, or a tail shorter than the recorded head.
func (s *Service) Verify(ctx context.Context, progress func(checked int64)) (auditport.VerifyResult, error) {
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
