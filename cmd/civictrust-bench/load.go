package main

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// latencies is what one timed row measured.
type latencies struct {
	requests      int
	elapsed       time.Duration
	p50, p90, p99 time.Duration
}

func (l latencies) perSecond() float64 {
	if l.elapsed <= 0 {
		return 0
	}
	return float64(l.requests) / l.elapsed.Seconds()
}

// summarize sorts the latencies of one row and reads its percentiles.
func summarize(samples []time.Duration, elapsed time.Duration) latencies {
	slices.Sort(samples)
	return latencies{requests: len(samples), elapsed: elapsed,
		p50: percentile(samples, 50), p90: percentile(samples, 90), p99: percentile(samples, 99)}
}

// percentile is the nearest-rank percentile of sorted samples.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ⌈p·n/100⌉, 1-based
	return sorted[max(rank, 1)-1]
}

// operation is one request of a timed row; client is the goroutine's number
// and i counts that goroutine's requests.
type operation func(ctx context.Context, client, i int) error

// timed runs op in `clients` goroutines, each sending its next request as
// soon as the last one is answered (a closed loop): first for warmup
// (not counted), then for d. Requests started before the end count, and
// each client times at least one (a request may take longer than d).
func timed(ctx context.Context, clients int, warmup, d time.Duration, op operation) (latencies, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	start := time.Now().Add(warmup)
	end := start.Add(d)
	samples := make([][]time.Duration, clients)
	var finished time.Time
	var mu sync.Mutex
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := 0; ; i++ {
				t0 := time.Now()
				if (t0.After(end) && len(samples[c]) > 0) || ctx.Err() != nil {
					break
				}
				if err := op(ctx, c, i); err != nil {
					cancel(err)
					return
				}
				if t0.After(start) {
					samples[c] = append(samples[c], time.Since(t0))
				}
			}
			mu.Lock()
			if now := time.Now(); now.After(finished) {
				finished = now
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return latencies{}, err
	}
	var all []time.Duration
	for _, s := range samples {
		all = append(all, s...)
	}
	if len(all) == 0 {
		return latencies{}, errors.New("no request completed in the timed window")
	}
	return summarize(all, finished.Sub(start)), nil
}

// inParallel runs fn(i) for i in [0, n) on `workers` goroutines and stops at
// the first error.
func inParallel(ctx context.Context, workers, n int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(n, 1)) {
		wg.Go(func() {
			for i := range next {
				if err := fn(ctx, i); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}
