package passwordhash

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// blockingHasher returns a Hasher whose key derivation signals entered and then
// waits for release to be closed.
func blockingHasher(t *testing.T, concurrency int) (h *Hasher, entered chan struct{}, release chan struct{}) {
	t.Helper()
	h, err := New(Options{Concurrency: concurrency, Params: Params{Memory: 64, Time: 1}})
	if err != nil {
		t.Fatal(err)
	}
	entered = make(chan struct{}, 16)
	release = make(chan struct{})
	derive := h.idKey
	h.idKey = func(password, salt []byte, iters, memory uint32, threads uint8, keyLen uint32) []byte {
		entered <- struct{}{}
		<-release
		return derive(password, salt, iters, memory, threads, keyLen)
	}
	return h, entered, release
}

func TestConcurrencyOneSerializesHashes(t *testing.T) {
	t.Parallel()
	h, entered, release := blockingHasher(t, 1)

	first := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "first")
		first <- err
	}()
	<-entered // the first Hash holds the only slot

	// The second Hash must wait; cancelling its context while it waits ends it.
	ctx, cancel := context.WithCancel(context.Background())
	second := make(chan error, 1)
	go func() {
		_, err := h.Hash(ctx, "second")
		second <- err
	}()
	select {
	case <-entered:
		t.Fatal("second Hash started deriving while the first held the slot")
	case err := <-second:
		t.Fatalf("second Hash returned %v before its context was cancelled", err)
	case <-time.After(50 * time.Millisecond):
	}
	cancel()
	if err := <-second; !errors.Is(err, context.Canceled) {
		t.Fatalf("second Hash err = %v; want context.Canceled", err)
	}

	// The same holds for a Verify waiting for the slot.
	vctx, vcancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer vcancel()
	if _, _, err := h.Verify(vctx, "x", h.dummy); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Verify err = %v; want context.DeadlineExceeded", err)
	}

	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first Hash: %v", err)
	}
	// The slot is free again.
	if _, err := h.Hash(context.Background(), "third"); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	t.Parallel()
	const limit, callers = 3, 12
	h, err := New(Options{Concurrency: limit, Params: Params{Memory: 64, Time: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var running, peak atomic.Int32
	derive := h.idKey
	h.idKey = func(password, salt []byte, iters, memory uint32, threads uint8, keyLen uint32) []byte {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		return derive(password, salt, iters, memory, threads, keyLen)
	}
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			if _, err := h.Hash(context.Background(), "pw"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > limit || p < 1 {
		t.Fatalf("peak concurrent derivations = %d; want 1..%d", p, limit)
	}
}
