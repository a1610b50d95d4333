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

func (c *clock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock(t time.Time) *clock        { return &clock{t: t} }
func rule(n int, w time.Duration) ratelimithttp.Rule {
	return ratelimithttp.Rule{Name: "test", Limit: ratelimithttp.Limit{Count: n, Window: w}}
}

// countingStore counts the steps that reach the store.
type countingStore struct {
	platformport.RateLimitStore
	steps atomic.Int64
	fail  error
}

func (s *countingStore) Step(ctx context.Context, st platformport.RateLimitStep) (platformport.RateLimitResult, error) {
	s.steps.Add(1)
	if s.fail != nil {
		return platformport.RateLimitResult{}, s.fail
	}
	return s.RateLimitStore.Step(ctx, st)
}

// A moment just before a minute ends: a fixed window would start again at
// the next one.
var beforeMinuteEnds = time.Date(2025, 9, 4, 18, 23, 59, 900_000_000, time.UTC)

func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var ra *httpserver.RetryAfterError
	if !errors.As(err, &ra) || !errors.Is(err, ratelimithttp.ErrRateLimited) || kernel.KindOf(err) != kernel.KindRateLimited {
		t.Fatalf("err = %v, want a RetryAfterError wrapping ErrRateLimited", err)
	}
	if ra.RateLimit == nil || ra.RateLimit.Remaining != 0 {
		t.Errorf("the refusal carries %+v, want the limit's state with nothing remaining", ra.RateLimit)
	}
	return ra.After
}

func TestLimiter(t *testing.T) {
	ctx := context.Background()

	t.Run("allows_the_count_then_refuses_with_the_time_to_the_next", func(t *testing.T) {
		c := newClock(beforeMinuteEnds)
		l := ratelimithttp.NewLimiter(ratelimitmem.New(), c.now)
		r := rule(3, time.Minute) // one per 20 s, three at once
		for i := range 3 {
			d, err := l.Take(ctx, r, "10.0.0.1")
			if err != nil || !d.Allowed || d.Limit != 3 || d.Remaining != 2-i {
				t.Fatalf("request %d: %+v, %v; want allowed with %d remaining", i+1, d, err, 2-i)
			}
			if want := time.Duration(i+1) * 20 * time.Second; d.Reset != want {
				t.Errorf("request %d: Reset %v, want %v", i+1, d.Reset, want)
			}
		}
		if got := retryAfter(t, l.Allow(ctx, r, "10.0.0.1")); got != 20*time.Second {
			t.Errorf("Retry-After %v, want the 20 s until one request is back", got)
		}
		c.advance(20 * time.Second)
		if err := l.Allow(ctx, r, "10.0.0.1"); err != nil {
			t.Errorf("20 s later: %v", err)
		}
		retryAfter(t, l.Allow(ctx, r, "10.0.0.1"))
	})

	// Fixed windows aligned on the clock let the count through just before
	// a boundary and the count again just after it.
	t.Run("no_boundary_lets_twice_the_count_through", func(t *testing.T) {
		c := newClock(beforeMinuteEnds)
		l := ratelimithttp.NewLimiter(ratelimitmem.New(), c.now)
		r := rule(10, time.Minute)
		allowed := 0
		for range 10 {
			if l.Allow(ctx, r, "s") == nil {
				allowed++
			}
		}
		c.advance(200 * time.Millisecond) // the next minute has begun
		for range 10 {
			if l.Allow(ctx, r, "s") == nil {
				allowed++
			}
		}
		if allowed != 10 {
			t.Errorf("%d requests allowed across a minute's boundary, want 10", allowed)
		}
	})

	t.Run("subjects_and_rules_count_apart", func(t *testing.T) {
		c := newClock(beforeMinuteEnds)
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

	t.Run("a_refusing_key_is_refused_without_asking_the_store", func(t *testing.T) {
		c := newClock(beforeMinuteEnds)
		s := &countingStore{RateLimitStore: ratelimitmem.New()}
		l := ratelimithttp.NewLimiter(s, c.now)
		r := rule(2, time.Minute)
		_ = l.Allow(ctx, r, "s")
		_ = l.Allow(ctx, r, "s")
		if n := s.steps.Load(); n != 2 {
			t.Errorf("%d steps for 2 requests, want 2", n)
		}
		for range 10 {
			retryAfter(t, l.Allow(ctx, r, "s"))
		}
		if n := s.steps.Load(); n != 2 {
			t.Errorf("%d steps after 10 refused requests, want still 2", n)
		}
		c.advance(30 * time.Second) // one back
		if err := l.Allow(ctx, r, "s"); err != nil {
			t.Errorf("30 s later: %v", err)
		}
	})

	t.Run("replicas_on_one_store_share_the_count", func(t *testing.T) {
		c := newClock(beforeMinuteEnds)
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
		c := newClock(beforeMinuteEnds)
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
		c := newClock(beforeMinuteEnds)
		unavailable := kernel.Unavailable(errors.New("no store"))
		l := ratelimithttp.NewLimiter(&countingStore{RateLimitStore: ratelimitmem.New(), fail: unavailable}, c.now)
		if err := l.Allow(ctx, rule(5, time.Minute), "s"); kernel.KindOf(err) != kernel.KindUnavailable {
			t.Errorf("err = %v, want unavailable", err)
		}
	})

	t.Run("a_rule_without_a_count_allows_everything", func(t *testing.T) {
		c := newClock(beforeMinuteEnds)
		l := ratelimithttp.NewLimiter(ratelimitmem.New(), c.now)
		for range 5 {
			if err := l.Allow(ctx, rule(0, time.Minute), "s"); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("purge_deletes_keys_idle_for_a_while", func(t *testing.T) {
		c := newClock(beforeMinuteEnds)
		store := ratelimitmem.New()
		l := ratelimithttp.NewLimiter(store, c.now)
		_ = l.Allow(ctx, rule(5, time.Minute), "old")
		c.advance(10 * time.Minute)
		_ = l.Allow(ctx, rule(5, time.Minute), "new")
		n, err := l.Purge(ctx)
		if err != nil || n != 1 || store.Len() != 1 {
			t.Errorf("Purge = %d, %v; %d keys left, want 1 purged and 1 left", n, err, store.Len())
		}
	})

	t.Run("a_count_that_does_not_divide_the_window_never_allows_more", func(t *testing.T) {
		c := newClock(beforeMinuteEnds)
		l := ratelimithttp.NewLimiter(ratelimitmem.New(), c.now)
		r := rule(7, time.Second) // 142857142.857… ns each
		allowed := 0
		for range 100 {
			if l.Allow(ctx, r, "s") == nil {
				allowed++
			}
			c.advance(10 * time.Millisecond) // a second in all
		}
		if allowed > 7+7 {
			t.Errorf("%d allowed in one second at 7/s, want at most the burst and the second's 7", allowed)
		}
	})
}
