package platformporttest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// TestRateLimitStore runs the contract of platformport.RateLimitStore against
// the stores newStore returns; every subtest gets a fresh, empty one.
func TestRateLimitStore(t *testing.T, newStore func(t *testing.T) platformport.RateLimitStore) {
	window := time.Date(2025, 9, 4, 18, 23, 0, 0, time.UTC)
	slot := func(key string, n int) platformport.RateLimitSlot {
		return platformport.RateLimitSlot{Key: key, Window: window, Ends: window.Add(time.Minute), N: n}
	}
	claim := func(t *testing.T, s platformport.RateLimitStore, sl platformport.RateLimitSlot) bool {
		t.Helper()
		ok, err := s.Claim(context.Background(), sl)
		if err != nil {
			t.Fatalf("Claim(%+v): %v", sl, err)
		}
		return ok
	}

	t.Run("a_slot_is_claimed_once", func(t *testing.T) {
		s := newStore(t)
		if !claim(t, s, slot("login:a", 1)) {
			t.Fatal("first claim refused")
		}
		if claim(t, s, slot("login:a", 1)) {
			t.Fatal("second claim of the same slot granted")
		}
	})

	t.Run("key_window_and_number_each_make_another_slot", func(t *testing.T) {
		s := newStore(t)
		base := slot("login:a", 1)
		other := []platformport.RateLimitSlot{base, slot("login:b", 1), slot("login:a", 2)}
		later := base
		later.Window, later.Ends = base.Window.Add(time.Minute), base.Ends.Add(time.Minute)
		other = append(other, later)
		for _, sl := range other {
			if !claim(t, s, sl) {
				t.Errorf("claim of %+v refused: it is a new slot", sl)
			}
		}
	})

	t.Run("concurrent_claims_of_one_slot_have_one_winner", func(t *testing.T) {
		s := newStore(t)
		const n = 16
		var wg sync.WaitGroup
		wins := make(chan bool, n)
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				ok, err := s.Claim(context.Background(), slot("race", 1))
				if err != nil {
					errs <- err
				}
				wins <- ok
			})
		}
		wg.Wait()
		close(wins)
		close(errs)
		for err := range errs {
			t.Fatalf("Claim: %v", err)
		}
		won := 0
		for ok := range wins {
			if ok {
				won++
			}
		}
		if won != 1 {
			t.Fatalf("%d of %d concurrent claims won, want exactly 1", won, n)
		}
	})

	// The limiter's walk: every request tries slots 1, 2, … until a claim
	// succeeds. Concurrent walkers must end on distinct slots 1..n.
	t.Run("concurrent_walks_rank_requests_without_gaps_or_ties", func(t *testing.T) {
		s := newStore(t)
		const n = 12
		var mu sync.Mutex
		var got []int
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				for k := 1; k <= 2*n; k++ {
					ok, err := s.Claim(context.Background(), slot("walk", k))
					if err != nil {
						t.Errorf("Claim: %v", err)
						return
					}
					if ok {
						mu.Lock()
						got = append(got, k)
						mu.Unlock()
						return
					}
				}
				t.Errorf("no free slot in 1..%d", 2*n)
			})
		}
		wg.Wait()
		slices.Sort(got)
		want := make([]int, n)
		for i := range want {
			want[i] = i + 1
		}
		if !slices.Equal(got, want) {
			t.Fatalf("ranks %v, want %v", got, want)
		}
	})

	t.Run("purge_deletes_only_windows_that_ended", func(t *testing.T) {
		s := newStore(t)
		old := slot("purge", 1)
		live := slot("purge", 1)
		live.Window, live.Ends = window.Add(time.Hour), window.Add(time.Hour+time.Minute)
		for i := 1; i <= 3; i++ {
			o := old
			o.N = i
			claim(t, s, o)
		}
		claim(t, s, live)
		n, err := s.Purge(context.Background(), window.Add(30*time.Minute))
		if err != nil {
			t.Fatalf("Purge: %v", err)
		}
		if n != 3 {
			t.Errorf("Purge deleted %d slots, want 3", n)
		}
		if !claim(t, s, old) {
			t.Error("a purged slot cannot be claimed again")
		}
		if claim(t, s, live) {
			t.Error("Purge deleted a slot of a window that has not ended")
		}
	})

	t.Run("a_cancelled_context_fails", func(t *testing.T) {
		s := newStore(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.Claim(ctx, slot("cancelled", 1)); err == nil {
			t.Error("Claim with a cancelled context succeeded")
		}
	})
}
