// Package ratelimitmem keeps rate-limit state in memory: for the memory graph
// (tests, demos) and a single process.
package ratelimitmem

import (
	"context"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Store keeps each key's theoretical arrival time in a map. It is safe for
// concurrent use.
type Store struct {
	mu   sync.Mutex
	tats map[string]time.Time
}

var _ platformport.RateLimitStore = (*Store)(nil)

// New returns an empty store.
func New() *Store { return &Store{tats: map[string]time.Time{}} }

// Step performs one GCRA step under the store's lock.
func (s *Store) Step(ctx context.Context, st platformport.RateLimitStep) (platformport.RateLimitResult, error) {
	if err := ctx.Err(); err != nil {
		return platformport.RateLimitResult{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tat := st.Now
	if stored, ok := s.tats[st.Key]; ok && stored.After(tat) {
		tat = stored
	}
	if tat.Sub(st.Now) > st.Tolerance {
		return platformport.RateLimitResult{TAT: tat}, nil
	}
	tat = tat.Add(st.Interval)
	s.tats[st.Key] = tat
	return platformport.RateLimitResult{Allowed: true, TAT: tat}, nil
}

// Purge deletes the keys whose TAT is before t.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for k, tat := range s.tats {
		if tat.Before(before) {
			delete(s.tats, k)
			n++
		}
	}
	return n, nil
}

// Len reports how many keys the store holds (for tests).
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tats)
}
