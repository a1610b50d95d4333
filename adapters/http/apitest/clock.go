package apitest

import (
	"sync"
	"time"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Clock is the service's clock in a test: the real time plus an offset the
// test moves forward. The zero value is the real time.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the real time plus the offset.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// WithClock makes c the clock of the whole service.
func WithClock(c *Clock) Option {
	return WithFxOption(fx.Decorate(func(platformport.Clock) platformport.Clock { return c }))
}
