package identityapp

import (
	"sync"
	"time"
)

// expiringCache is a bounded map whose entries expire: the service's cache of
// session checks and its cache of verified tokens.
type expiringCache[K comparable, V any] struct {
	mu      sync.RWMutex
	max     int
	entries map[K]expiring[V]
}

type expiring[V any] struct {
	value V
	until time.Time
}

func newExpiringCache[K comparable, V any](max int) *expiringCache[K, V] {
	return &expiringCache[K, V]{max: max, entries: make(map[K]expiring[V])}
}

// get returns the value under k while it has not expired at now.
func (c *expiringCache[K, V]) get(k K, now time.Time) (V, bool) {
	c.mu.RLock()
	e, ok := c.entries[k]
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) {
		var zero V
		return zero, false
	}
	return e.value, true
}

// put keeps v under k until the given time.
func (c *expiringCache[K, V]) put(k K, v V, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Crude but bounded: dropping everything costs one reload per live entry.
		c.entries = make(map[K]expiring[V])
	}
	c.entries[k] = expiring[V]{value: v, until: until}
}

// deleteFunc drops the entries drop selects.
func (c *expiringCache[K, V]) deleteFunc(drop func(k K, v V) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if drop(k, e.value) {
			delete(c.entries, k)
		}
	}
}

func (c *expiringCache[K, V]) delete(k K) {
	c.mu.Lock()
	delete(c.entries, k)
	c.mu.Unlock()
}

func (c *expiringCache[K, V]) clear() {
	c.mu.Lock()
	c.entries = make(map[K]expiring[V])
	c.mu.Unlock()
}
