// Package auditmem keeps the audit chain in memory.
package auditmem

import (
	"context"
	"maps"
	"sort"
	"sync"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// Store implements auditport.Store in memory.
type Store struct {
	mu    sync.Mutex
	bySeq map[int64]audit.Event
	head  *audit.Event // the newest event: seq, id, at, hash
}

var _ auditport.Store = (*Store)(nil)

// NewStore returns an empty chain.
func NewStore() *Store { return &Store{bySeq: map[int64]audit.Event{}} }

// Head returns what was recorded about the newest event.
func (s *Store) Head(_ context.Context) (*audit.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.head == nil {
		return nil, nil
	}
	h := *s.head
	return &h, nil
}

// Append seals e after the end of the chain and stores it; the head moves with it.
func (s *Store) Append(_ context.Context, e *audit.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var last *audit.Event
	for seq, stored := range s.bySeq {
		if last == nil || seq > last.Seq {
			l := stored
			last = &l
		}
	}
	e.Seal(audit.SealAfter(last, s.head))
	c := *e
	c.Details = maps.Clone(e.Details)
	s.bySeq[e.Seq] = c
	s.head = &audit.Event{Seq: e.Seq, ID: e.ID, At: e.At, Hash: e.Hash}
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
		if matches(f, &e) {
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

// Walk visits the events that match f in sequence order.
func (s *Store) Walk(_ context.Context, f auditport.Filter, fn func(*audit.Event) bool) error {
	s.mu.Lock()
	all := s.sorted()
	s.mu.Unlock()
	for i := range all {
		if matches(f, &all[i]) && !fn(&all[i]) {
			return nil
		}
	}
	return nil
}

func matches(f auditport.Filter, e *audit.Event) bool {
	return (f.ActorID == "" || e.ActorID == f.ActorID) && (f.Action == "" || e.Action == f.Action) &&
		(f.TargetType == "" || e.TargetType == f.TargetType) && (f.TargetID == "" || e.TargetID == f.TargetID) &&
		(f.Since.IsZero() || !e.At.Before(f.Since)) && (f.Until.IsZero() || !e.At.After(f.Until))
}
