package platformport

import (
	"context"
	"time"
)

// RateLimitStep is one request counted against a rate limit on Key, by the
// generic cell rate algorithm (GCRA): the key's state is one time, its
// theoretical arrival time (TAT), the moment at which it would be idle again.
// A request at Now is allowed when max(TAT, Now) - Now <= Tolerance, and then
// moves the TAT to max(TAT, Now) + Interval; a refused request changes
// nothing. With Interval = window/count and Tolerance = (count-1)·Interval
// that allows count requests at once, then one per Interval: a window that
// slides instead of starting again at fixed moments.
type RateLimitStep struct {
	// Key names the rule and the subject (an address, an account); opaque
	// to the store.
	Key string
	// Now is the request's time on the caller's clock.
	Now time.Time
	// Interval is what one request adds to the TAT; more than zero.
	Interval time.Duration
	// Tolerance is how far past Now the TAT may be for a request to be
	// allowed; zero or more.
	Tolerance time.Duration
}

// RateLimitResult is what a step did.
type RateLimitResult struct {
	// Allowed reports whether the request was counted.
	Allowed bool
	// TAT is the key's theoretical arrival time after the step: the new one
	// when Allowed, the one that refused the request otherwise.
	TAT time.Time
}

// RateLimitStore keeps the rate limits' state where every replica sees it.
// Every adapter passes the contract suite in platformporttest.
type RateLimitStore interface {
	// Step performs one GCRA step on s.Key, atomically across processes:
	// any number of concurrent steps on one key, from any replicas, allow
	// exactly as many requests as the same steps one after the other. A key
	// never seen before has no TAT (as if it were Now). TATs are kept to the
	// nanosecond.
	Step(ctx context.Context, s RateLimitStep) (RateLimitResult, error)
	// Purge deletes the keys whose TAT is before t and reports how many it
	// deleted. A TAT in the past allows what no TAT allows, so deleting such a
	// key changes no answer: purging only bounds the store's size.
	Purge(ctx context.Context, before time.Time) (int64, error)
}
