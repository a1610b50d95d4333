// Package auditmem keeps the audit chain in memory.
package auditmem

import (
	"context"
	"sort"
	"sync"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// Store implements auditport.Store in memory.
type Store struct {
	mu     sync.Mutex
	bySeq  map[int64]audit.Event
	maxSeq int64
}

var _ auditport.Store = (*Store)(nil)

// NewStore returns an empty chain.
func NewStore() *Store { return &Store{bySeq: map[int64]audit.Event{}} }

// Head returns the last event.
func (s *Store) Head(_ context.Context) (*audit.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.bySeq[s.maxSeq]; ok {
		return &e, nil
	}
	return nil, nil
}

// At returns event seq.
func (s *Store) At(_ context.Context, seq int64) (*audit.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.bySeq[seq]
	if !ok {
		return nil, kernel.ErrNotFound
	}
	return &e, nil
}

// Insert stores an event; a taken sequence number is a conflict.
func (s *Store) Insert(_ context.Context, e *audit.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.bySeq[e.Seq]; ok {
		return kernel.ErrConflict
	}
	s.bySeq[e.Seq] = *e
	s.maxSeq = max(s.maxSeq, e.Seq)
	return nil
}

func (s *Store) sorted() []audit.Event {
	out := make([]audit.Event, 0, len(s.bySeq))
	for _, e := range s.bySeq {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// List returns a page, newest first.
func (s *Store) List(_ context.Context, f auditport.Filter, skip, limit int) ([]*audit.Event, int64, error) {
	s.mu.Lock()
	all := s.sorted()
	s.mu.Unlock()
	var out []*audit.Event
	for i := len(all) - 1; i >= 0; i-- {
		e := all[i]
		if (f.ActorID == "" || e.ActorID == f.ActorID) && (f.Action == "" || e.Action == f.Action) &&
			(f.TargetType == "" || e.TargetType == f.TargetType) && (f.TargetID == "" || e.TargetID == f.TargetID) &&
			(f.Since.IsZero() || !e.At.Before(f.Since)) && (f.Until.IsZero() || !e.At.After(f.Until)) {
			out = append(out, &e)
		}
	}
	total := int64(len(out))
	skip = min(max(skip, 0), len(out))
	out = out[skip:]
	if limit >= 0 && limit < len(out) {
		out = out[:limit]
	}
	return out, total, nil
}

// Walk visits events in sequence order.
func (s *Store) Walk(_ context.Context, fn func(*audit.Event) bool) error {
	s.mu.Lock()
	all := s.sorted()
	s.mu.Unlock()
	for i := range all {
		if !fn(&all[i]) {
			return nil
		}
	}
	return nil
}
