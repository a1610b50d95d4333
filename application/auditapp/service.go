// Package auditapp appends to and verifies the audit chain.
package auditapp

import (
	"context"
	"errors"
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

// Service implements auditport.Service.
type Service struct {
	store auditport.Store
	clock platformport.Clock
}

var _ auditport.Service = (*Service)(nil)

// New builds the service.
func New(store auditport.Store, clock platformport.Clock) *Service {
	return &Service{store: store, clock: clock}
}

// Append seals the event after the current head and inserts it; when another
// writer took that sequence number first, it catches up and tries again.
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
	head, err := s.store.Head(ctx)
	if err != nil {
		return nil, err
	}
	for attempt := 0; attempt < maxAppendAttempts; attempt++ {
		if head, err = s.catchUp(ctx, head); err != nil {
			return nil, err
		}
		ev := e
		ev.Seal(head)
		err := s.store.Insert(ctx, &ev)
		if err == nil {
			return &ev, nil
		}
		if kernel.KindOf(err) != kernel.KindConflict {
			return nil, err
		}
	}
	return nil, kernel.ErrUnavailable.WithMessage("The audit trail is too busy; try again")
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

// Verify walks the whole chain and reports the first broken link.
func (s *Service) Verify(ctx context.Context, progress func(checked int64)) (auditport.VerifyResult, error) {
	var v audit.Verifier
	var brk *audit.Break
	err := s.store.Walk(ctx, func(e *audit.Event) bool {
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
	return auditport.VerifyResult{Checked: v.Checked, FirstBroken: brk}, nil
}
