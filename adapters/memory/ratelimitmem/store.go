// Package ratelimitmem keeps rate-limit slots in memory: for the memory graph
// (tests, demos) and a single process.
package ratelimitmem

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Store keeps slots in a map. It is safe for concurrent use.
type Store struct {
	mu    sync.Mutex
	slots map[string]time.Time // slot id → end of its window
}

var _ platformport.RateLimitStore = (*Store)(nil)

// New returns an empty store.
func New() *Store { return &Store{slots: map[string]time.Time{}} }

// Claim creates the slot unless it exists.
func (s *Store) Claim(ctx context.Context, slot platformport.RateLimitSlot) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	id := slot.Key + "|" + strconv.FormatInt(slot.Window.Unix(), 10) + "|" + strconv.Itoa(slot.N)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.slots[id]; taken {
		return false, nil
	}
	s.slots[id] = slot.Ends
	return true, nil
}

// Purge deletes the slots of windows that ended before t.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for id, ends := range s.slots {
		if ends.Before(before) {
			delete(s.slots, id)
			n++
		}
	}
	return n, nil
}

// Len reports how many slots the store holds (for tests).
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.slots)
}
