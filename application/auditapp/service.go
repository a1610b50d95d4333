// Package auditapp appends to and verifies the audit chain.
package auditapp

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// appendTimeout bounds how long a request waits for its audit event.
const appendTimeout = 5 * time.Second

// Service implements auditport.Service. Keeping the chain linear is the
// store's job (auditport.Store.Append is atomic across processes); the
// service fills in what an event needs and walks the chain to verify it.
type Service struct {
	store auditport.Store
	clock platformport.Clock
}

var _ auditport.Service = (*Service)(nil)

// New builds the service.
func New(store auditport.Store, clock platformport.Clock) *Service {
	return &Service{store: store, clock: clock}
}

// Append seals the event after the end of the chain and stores it. It never
// takes longer than appendTimeout, even when ctx has no deadline, and it
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
	if err := s.store.Append(ctx, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// List returns a page of events, newest first.
func (s *Service) List(ctx context.Context, f auditport.Filter, page, limit int) ([]*audit.Event, int64, error) {
	return s.store.List(ctx, f, kernel.PageOffset(page, limit), limit)
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
