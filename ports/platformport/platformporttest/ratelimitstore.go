package platformporttest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// RateLimitStoreSkips name the cases a store cannot run faithfully, each
// with a one-line reason naming the engine's limitation; an empty reason
// runs the case.
type RateLimitStoreSkips struct {
	// Concurrent skips the cases where steps race on one key.
	Concurrent string
}

// TestRateLimitStore runs the contract of platformport.RateLimitStore against
// the stores newStore returns; every subtest gets a fresh, empty one.
func TestRateLimitStore(t *testing.T, newStore func(t *testing.T) platformport.RateLimitStore, skips RateLimitStoreSkips) {
	// An odd number of nanoseconds: the store keeps them.
	t0 := time.Date(2025, 9, 4, 18, 23, 7, 123456789, time.UTC)
	const interval = 6 * time.Second // 10 per minute
	const burst = 10
	tolerance := (burst - 1) * interval

	step := func(t *testing.T, s platformport.RateLimitStore, key string, now time.Time, interval, tolerance time.Duration) platformport.RateLimitResult {
		t.Helper()
		r, err := s.Step(context.Background(), platformport.RateLimitStep{Key: key, Now: now, Interval: interval, Tolerance: tolerance})
		if err != nil {
			t.Fatalf("Step(%s, %v): %v", key, now, err)
		}
		return r
	}
	want := func(t *testing.T, got platformport.RateLimitResult, allowed bool, tat time.Time, what string) {
		t.Helper()
		if got.Allowed != allowed || !got.TAT.Equal(tat) {
			t.Errorf("%s: allowed %v, TAT %v; want allowed %v, TAT %v", what, got.Allowed, got.TAT.UTC(), allowed, tat.UTC())
		}
	}
	concurrent := func(t *testing.T) {
		t.Helper()
		if skips.Concurrent != "" {
			t.Skip(skips.Concurrent)
		}
	}

	t.Run("a_new_key_allows_and_its_tat_is_now_plus_the_interval", func(t *testing.T) {
		s := newStore(t)
		want(t, step(t, s, "login:a", t0, interval, tolerance), true, t0.Add(interval), "first step")
	})

	t.Run("a_burst_of_the_tolerance_is_allowed_then_refused_without_change", func(t *testing.T) {
		s := newStore(t)
		for i := 1; i <= burst; i++ {
			want(t, step(t, s, "burst", t0, interval, tolerance), true, t0.Add(time.Duration(i)*interval), fmt.Sprintf("step %d", i))
		}
		full := t0.Add(burst * interval)
		for i := range 3 {
			want(t, step(t, s, "burst", t0, interval, tolerance), false, full, fmt.Sprintf("refused step %d", i+1))
		}
		// Refusals moved nothing: one interval later exactly one more.
		later := t0.Add(interval)
		want(t, step(t, s, "burst", later, interval, tolerance), true, full.Add(interval), "one interval later")
		want(t, step(t, s, "burst", later, interval, tolerance), false, full.Add(interval), "and no second one")
	})

	// Unlike a fixed window, a boundary gives no second burst: the count
	// slides, one request back per interval.
	t.Run("the_window_slides", func(t *testing.T) {
		s := newStore(t)
		for range burst {
			step(t, s, "slide", t0, interval, tolerance)
		}
		allowed := 0
		for ms := 0; ms <= 60_000; ms += 500 { // a minute, in half seconds
			now := t0.Add(time.Duration(ms) * time.Millisecond)
			if step(t, s, "slide", now, interval, tolerance).Allowed {
				allowed++
			}
		}
		if allowed != burst {
			t.Errorf("%d requests allowed in the minute after a full burst (every 500 ms), want %d (one per interval)", allowed, burst)
		}
	})

	t.Run("a_key_idle_long_enough_has_its_whole_burst_again", func(t *testing.T) {
		s := newStore(t)
		for range burst {
			step(t, s, "idle", t0, interval, tolerance)
		}
		back := t0.Add(burst*interval + time.Hour)
		for i := 1; i <= burst; i++ {
			want(t, step(t, s, "idle", back, interval, tolerance), true, back.Add(time.Duration(i)*interval), fmt.Sprintf("step %d after the pause", i))
		}
		want(t, step(t, s, "idle", back, interval, tolerance), false, back.Add(burst*interval), "one more")
	})

	t.Run("zero_tolerance_allows_one_per_interval", func(t *testing.T) {
		s := newStore(t)
		want(t, step(t, s, "strict", t0, time.Minute, 0), true, t0.Add(time.Minute), "first")
		want(t, step(t, s, "strict", t0.Add(59*time.Second), time.Minute, 0), false, t0.Add(time.Minute), "before the interval")
		want(t, step(t, s, "strict", t0.Add(time.Minute), time.Minute, 0), true, t0.Add(2*time.Minute), "at the interval")
	})

	t.Run("a_clock_behind_counts_against_the_same_tat", func(t *testing.T) {
		// Replicas' clocks differ a little: a step "from the past" still
		// adds to the TAT the others moved.
		s := newStore(t)
		step(t, s, "skew", t0, interval, tolerance)
		want(t, step(t, s, "skew", t0.Add(-2*time.Second), interval, tolerance), true, t0.Add(2*interval), "from a clock 2 s behind")
	})

	t.Run("keys_count_apart", func(t *testing.T) {
		s := newStore(t)
		keys := []string{"login:10.0.0.1", "login:10.0.0.2", "signup:10.0.0.1", "login:2001:db8::/64", "ключ|with|bars", strings.Repeat("k", 200)}
		for _, k := range keys {
			want(t, step(t, s, k, t0, time.Minute, 0), true, t0.Add(time.Minute), k)
		}
		for _, k := range keys {
			want(t, step(t, s, k, t0, time.Minute, 0), false, t0.Add(time.Minute), k+" again")
		}
	})

	t.Run("long_intervals_and_tolerances_are_exact", func(t *testing.T) {
		s := newStore(t)
		const day = 24 * time.Hour
		want(t, step(t, s, "day", t0, day, 364*day), true, t0.Add(day), "first")
		want(t, step(t, s, "day", t0, day, 364*day), true, t0.Add(2*day), "second")
		want(t, step(t, s, "ns", t0, time.Nanosecond, 0), true, t0.Add(time.Nanosecond), "one nanosecond")
	})

	t.Run("concurrent_steps_on_a_new_key_allow_exactly_the_burst", func(t *testing.T) {
		concurrent(t)
		s := newStore(t)
		allowed := race(t, s, 50, func(int) platformport.RateLimitStep {
			return platformport.RateLimitStep{Key: "race-new", Now: t0, Interval: interval, Tolerance: tolerance}
		})
		if allowed != burst {
			t.Errorf("%d of 50 concurrent steps allowed, want %d", allowed, burst)
		}
		want(t, step(t, s, "race-new", t0, interval, tolerance), false, t0.Add(burst*interval), "after the race")
	})

	t.Run("concurrent_steps_on_an_idle_key_allow_exactly_the_burst", func(t *testing.T) {
		concurrent(t)
		s := newStore(t)
		step(t, s, "race-idle", t0.Add(-time.Hour), interval, tolerance) // a TAT long past
		allowed := race(t, s, 50, func(int) platformport.RateLimitStep {
			return platformport.RateLimitStep{Key: "race-idle", Now: t0, Interval: interval, Tolerance: tolerance}
		})
		if allowed != burst {
			t.Errorf("%d of 50 concurrent steps allowed, want %d", allowed, burst)
		}
	})

	t.Run("concurrent_steps_on_a_busy_key_allow_exactly_what_is_left", func(t *testing.T) {
		concurrent(t)
		s := newStore(t)
		for range 4 {
			step(t, s, "race-busy", t0, interval, tolerance)
		}
		allowed := race(t, s, 40, func(int) platformport.RateLimitStep {
			return platformport.RateLimitStep{Key: "race-busy", Now: t0, Interval: interval, Tolerance: tolerance}
		})
		if allowed != burst-4 {
			t.Errorf("%d of 40 concurrent steps allowed, want the %d left", allowed, burst-4)
		}
		want(t, step(t, s, "race-busy", t0, interval, tolerance), false, t0.Add(burst*interval), "after the race")
	})

	t.Run("concurrent_steps_from_clocks_that_differ_still_allow_the_burst", func(t *testing.T) {
		concurrent(t)
		s := newStore(t)
		// Three replicas whose clocks are a second apart, less than an
		// interval in all: each adds to the TAT the others moved, so the
		// burst is the same as from one clock.
		allowed := race(t, s, 45, func(i int) platformport.RateLimitStep {
			return platformport.RateLimitStep{Key: "race-skew", Now: t0.Add(time.Duration(i%3) * time.Second), Interval: interval, Tolerance: tolerance}
		})
		if allowed != burst {
			t.Errorf("%d of 45 concurrent steps from three clocks allowed, want %d", allowed, burst)
		}
	})

	t.Run("concurrent_steps_on_many_keys_count_each_apart", func(t *testing.T) {
		concurrent(t)
		s := newStore(t)
		const keys, per = 5, 8
		var mu sync.Mutex
		allowedBy := map[string]int{}
		results := make(chan struct {
			key string
			ok  bool
		}, keys*per)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range keys * per {
			key := fmt.Sprintf("many-%d", i%keys)
			wg.Go(func() {
				<-start
				r, err := s.Step(context.Background(), platformport.RateLimitStep{Key: key, Now: t0, Interval: interval, Tolerance: 2 * interval})
				if err != nil {
					t.Errorf("Step: %v", err)
					return
				}
				results <- struct {
					key string
					ok  bool
				}{key, r.Allowed}
			})
		}
		close(start)
		wg.Wait()
		close(results)
		for r := range results {
			if r.ok {
				mu.Lock()
				allowedBy[r.key]++
				mu.Unlock()
			}
		}
		for i := range keys {
			if k := fmt.Sprintf("many-%d", i); allowedBy[k] != 3 {
				t.Errorf("%s: %d of %d allowed, want 3", k, allowedBy[k], per)
			}
		}
	})

	t.Run("purge_deletes_only_keys_idle_before_t", func(t *testing.T) {
		s := newStore(t)
		for i := range 3 {
			step(t, s, fmt.Sprintf("old-%d", i), t0, time.Minute, 0) // TAT t0+1m
		}
		step(t, s, "live", t0.Add(time.Hour), time.Minute, 0) // TAT t0+61m
		n, err := s.Purge(context.Background(), t0.Add(30*time.Minute))
		if err != nil {
			t.Fatalf("Purge: %v", err)
		}
		if n != 3 {
			t.Errorf("Purge deleted %d keys, want 3", n)
		}
		want(t, step(t, s, "live", t0.Add(time.Hour), time.Minute, 0), false, t0.Add(61*time.Minute), "a key Purge must keep")
		// A purged key is a new key: its first step at any time is allowed.
		want(t, step(t, s, "old-0", t0, time.Minute, 0), true, t0.Add(time.Minute), "a purged key")
		if n, err := s.Purge(context.Background(), t0); err != nil || n != 0 {
			t.Errorf("Purge before every TAT = %d, %v; want 0", n, err)
		}
	})

	t.Run("purge_keeps_a_key_whose_tat_is_exactly_t", func(t *testing.T) {
		s := newStore(t)
		step(t, s, "edge", t0, time.Minute, 0)
		if n, err := s.Purge(context.Background(), t0.Add(time.Minute)); err != nil || n != 0 {
			t.Errorf("Purge(TAT) = %d, %v; want 0: only TATs before t go", n, err)
		}
	})

	t.Run("purge_of_an_empty_store_deletes_nothing", func(t *testing.T) {
		s := newStore(t)
		if n, err := s.Purge(context.Background(), t0); err != nil || n != 0 {
			t.Errorf("Purge = %d, %v; want 0, nil", n, err)
		}
	})

	t.Run("a_cancelled_context_fails", func(t *testing.T) {
		s := newStore(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.Step(ctx, platformport.RateLimitStep{Key: "cancelled", Now: t0, Interval: interval, Tolerance: tolerance}); err == nil {
			t.Error("Step with a cancelled context succeeded")
		}
		if _, err := s.Purge(ctx, t0); err == nil {
			t.Error("Purge with a cancelled context succeeded")
		}
	})
}

// race runs n steps at the same moment and returns how many were allowed.
func race(t *testing.T, s platformport.RateLimitStore, n int, stepOf func(i int) platformport.RateLimitStep) int {
	t.Helper()
	var mu sync.Mutex
	allowed := 0
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			r, err := s.Step(context.Background(), stepOf(i))
			if err != nil {
				t.Errorf("Step: %v", err)
				return
			}
			if r.Allowed {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return allowed
}
