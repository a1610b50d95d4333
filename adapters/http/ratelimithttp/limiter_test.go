package ratelimithttp_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/adapters/http/ratelimithttp"
	"github.com/civicdatatrust/civictrust/adapters/memory/ratelimitmem"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// countingStore counts the claims that reach the store.
type countingStore struct {
	platformport.RateLimitStore
	claims atomic.Int64
	fail   error
}

func (s *countingStore) Claim(ctx context.Context, sl platformport.RateLimitSlot) (bool, error) {
	s.claims.Add(1)
	if s.fail != nil {
		return false, s.fail
	}
	return s.RateLimitStore.Claim(ctx, sl)
}

var minuteStart = time.Date(2025, 9, 4, 18, 23, 0, 0, time.UTC)

func rule(count int, window time.Duration) ratelimithttp.Rule {
	return ratelimithttp.Rule{Name: "test", Limit: ratelimithttp.Limit{Count: count, Window: window}}
}

func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var ra *httpserver.RetryAfterError
	if !errors.As(err, &ra) || !errors.Is(err, ratelimithttp.ErrRateLimited) || kernel.KindOf(err) != kernel.KindRateLimited {
		t.Fatalf("err = %v, want a RetryAfterError wrapping ErrRateLimited", err)
	}
	return ra.After
}

func TestLimiter(t *testing.T) {
	ctx := context.Background()

	t.Run("allows_the_count_then_refuses_until_the_window_ends", func(t *testing.T) {
		c := &clock{t: minuteStart.Add(20 * time.Second)}
		l := ratelimithttp.NewLimiter(ratelimitmem.New(), c.now)
		r := rule(3, time.Minute)
		for i := range 3 {
			if err := l.Allow(ctx, r, "10.0.0.1"); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
		if got := retryAfter(t, l.Allow(ctx, r, "10.0.0.1")); got != 40*time.Second {
			t.Errorf("Retry-After %v, want the 40 s left in the window", got)
		}
		c.set(minuteStart.Add(time.Minute))
		if err := l.Allow(ctx, r, "10.0.0.1"); err != nil {
			t.Errorf("first request of the next window: %v", err)
		}
	})

	t.Run("subjects_and_rules_count_apart", func(t *testing.T) {
		c := &clock{t: minuteStart}
		l := ratelimithttp.NewLimiter(ratelimitmem.New(), c.now)
		a := rule(1, time.Minute)
		b := ratelimithttp.Rule{Name: "other", Limit: a.Limit}
		for _, call := range []struct {
			r       ratelimithttp.Rule
			subject string
		}{{a, "x"}, {a, "y"}, {b, "x"}} {
			if err := l.Allow(ctx, call.r, call.subject); err != nil {
				t.Errorf("%s/%s: %v", call.r.Name, call.subject, err)
			}
		}
		retryAfter(t, l.Allow(ctx, a, "x"))
	})

	t.Run("a_full_window_is_refused_without_asking_the_store", func(t *testing.T) {
		c := &clock{t: minuteStart}
		s := &countingStore{RateLimitStore: ratelimitmem.New()}
		l := ratelimithttp.NewLimiter(s, c.now)
		r := rule(2, time.Minute)
		_ = l.Allow(ctx, r, "s")
		_ = l.Allow(ctx, r, "s")
		if n := s.claims.Load(); n != 2 {
			t.Errorf("%d claims for 2 requests in one process, want 2 (one each)", n)
		}
		for range 10 {
			retryAfter(t, l.Allow(ctx, r, "s"))
		}
		if n := s.claims.Load(); n != 2 {
			t.Errorf("%d claims after 10 refused requests, want still 2", n)
		}
	})

	t.Run("replicas_on_one_store_share_the_count", func(t *testing.T) {
		c := &clock{t: minuteStart}
		store := ratelimitmem.New()
		a := ratelimithttp.NewLimiter(store, c.now)
		b := ratelimithttp.NewLimiter(store, c.now)
		r := rule(3, time.Minute)
		for i, l := range []*ratelimithttp.Limiter{a, b, a} {
			if err := l.Allow(ctx, r, "s"); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
		retryAfter(t, b.Allow(ctx, r, "s"))
		retryAfter(t, a.Allow(ctx, r, "s"))
	})

	t.Run("concurrent_requests_to_three_replicas_allow_exactly_the_count", func(t *testing.T) {
		c := &clock{t: minuteStart}
		store := ratelimitmem.New()
		replicas := []*ratelimithttp.Limiter{
			ratelimithttp.NewLimiter(store, c.now), ratelimithttp.NewLimiter(store, c.now), ratelimithttp.NewLimiter(store, c.now),
		}
		r := rule(10, time.Minute)
		var allowed atomic.Int64
		var wg sync.WaitGroup
		for i := range 60 {
			wg.Go(func() {
				err := replicas[i%3].Allow(ctx, r, "s")
				if err == nil {
					allowed.Add(1)
				} else {
					retryAfter(t, err)
				}
			})
		}
		wg.Wait()
		if n := allowed.Load(); n != 10 {
			t.Errorf("%d of 60 concurrent requests allowed, want 10", n)
		}
	})

	t.Run("a_store_failure_is_returned", func(t *testing.T) {
		c := &clock{t: minuteStart}
		unavailable := kernel.Unavailable(errors.New("no store"))
		l := ratelimithttp.NewLimiter(&countingStore{RateLimitStore: ratelimitmem.New(), fail: unavailable}, c.now)
		if err := l.Allow(ctx, rule(5, time.Minute), "s"); kernel.KindOf(err) != kernel.KindUnavailable {
			t.Errorf("err = %v, want unavailable", err)
		}
	})

	t.Run("a_rule_without_a_count_allows_everything", func(t *testing.T) {
		c := &clock{t: minuteStart}
		l := ratelimithttp.NewLimiter(ratelimitmem.New(), c.now)
		for range 5 {
			if err := l.Allow(ctx, rule(0, time.Minute), "s"); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("purge_deletes_windows_that_ended", func(t *testing.T) {
		c := &clock{t: minuteStart}
		store := ratelimitmem.New()
		l := ratelimithttp.NewLimiter(store, c.now)
		_ = l.Allow(ctx, rule(5, time.Minute), "old")
		c.set(minuteStart.Add(10 * time.Minute))
		_ = l.Allow(ctx, rule(5, time.Minute), "new")
		n, err := l.Purge(ctx)
		if err != nil || n != 1 || store.Len() != 1 {
			t.Errorf("Purge = %d, %v; %d slots left, want 1 purged and 1 left", n, err, store.Len())
		}
	})
}
