package platformport

import (
	"context"
	"time"
)

// RateLimitSlot is one counted request of a fixed rate-limit window: the n-th
// request of Key in the window that starts at Window. A limiter takes slots
// 1, 2, … in order, so the first slot it manages to create is the request's
// rank in the window.
type RateLimitSlot struct {
	// Key names the rule and the subject (an address or an account), opaque to
	// the store; it contains no '|'.
	Key string
	// Window is the start of the window; Ends its end, after which the slot
	// may be purged.
	Window, Ends time.Time
	// N is the slot's number, from 1.
	N int
}

// RateLimitStore keeps the slots of the rate limits where every replica sees
// them. Every adapter passes the contract suite in platformporttest.
type RateLimitStore interface {
	// Claim creates the slot and reports true, or reports false when it exists
	// already. Creation is atomic across processes: of any number of
	// concurrent claims of one slot, by any replicas, exactly one gets true.
	Claim(ctx context.Context, s RateLimitSlot) (bool, error)
	// Purge deletes the slots of the windows that ended before t and reports
	// how many it deleted.
	Purge(ctx context.Context, before time.Time) (int64, error)
}
