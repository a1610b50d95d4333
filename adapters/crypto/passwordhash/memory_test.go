package passwordhash

import (
	"context"
	"runtime"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/crypto/argon2id"
)

// handedOut is the working memory a derivation got, and its size then.
type handedOut struct {
	m    *argon2id.Memory
	size uint32
}

// recordMemories makes h note the working memory each derivation gets.
func recordMemories(h *Hasher) *[]handedOut {
	var seen []handedOut
	derive := h.idKey
	h.idKey = func(m *argon2id.Memory, password, salt []byte, iters, memory uint32, threads uint8, keyLen uint32) []byte {
		seen = append(seen, handedOut{m, m.Size()})
		return derive(m, password, salt, iters, memory, threads, keyLen)
	}
	return &seen
}

// Derivations one after another reuse working memory instead of allocating
// it each time, and what ran over the previous derivation's blocks still
// verifies and still rejects.
func TestDerivationsReuseTheirMemory(t *testing.T) {
	h, err := New(Options{Concurrency: 1, Params: Params{Memory: 256, Time: 1}})
	if err != nil {
		t.Fatal(err)
	}
	seen := recordMemories(h)
	ctx := context.Background()
	const n = 20
	hashes := make([]string, n)
	for i := range hashes {
		if hashes[i], err = h.Hash(ctx, "password-"+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	for i, enc := range hashes {
		ok, _, err := h.Verify(ctx, "password-"+string(rune('a'+i)), enc)
		if err != nil || !ok {
			t.Fatalf("hash %d no longer verifies: ok=%v err=%v", i, ok, err)
		}
		if ok, _, _ := h.Verify(ctx, "password-"+string(rune('a'+(i+1)%n)), enc); ok {
			t.Fatalf("hash %d accepts another password", i)
		}
	}
	distinct := map[*argon2id.Memory]bool{}
	for _, d := range *seen {
		distinct[d.m] = true
	}
	// The pool may drop an idle memory at a garbage collection (and, under the
	// race detector, at random), so not exactly 1: far fewer than one each.
	if len(distinct) > len(*seen)/2 {
		t.Fatalf("%d derivations used %d different memories", len(*seen), len(distinct))
	}
}

// A stored hash with a higher memory cost than the hasher's verifies, and the
// memory grown for it is not kept for later derivations.
func TestMemoryGrownForAnOlderCostIsNotKept(t *testing.T) {
	old, err := New(Options{Concurrency: 1, Params: Params{Memory: 1024, Time: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	enc, err := old.Hash(ctx, "Correct-Horse-1")
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Options{Concurrency: 1, Params: Params{Memory: 64, Time: 1}})
	if err != nil {
		t.Fatal(err)
	}
	seen := recordMemories(h)
	for range 3 {
		ok, rehash, err := h.Verify(ctx, "Correct-Horse-1", enc)
		if err != nil || !ok || !rehash {
			t.Fatalf("Verify of the older hash: ok=%v rehash=%v err=%v", ok, rehash, err)
		}
		if _, err := h.Hash(ctx, "Correct-Horse-1"); err != nil {
			t.Fatal(err)
		}
	}
	for i, d := range *seen {
		if i%2 == 1 && d.size > 64 {
			t.Fatalf("derivation %d at m=64 KiB got memory of %d KiB, kept from the older hash", i, d.size)
		}
	}
}

// Idle working memory is left to the garbage collector: after two collections
// (the runtime forces one at least every two minutes) the pool holds none,
// and the next derivation starts with fresh memory.
func TestIdleMemoryIsReleasedByTheCollector(t *testing.T) {
	h, err := New(Options{Concurrency: 1, Params: Params{Memory: 256, Time: 1}})
	if err != nil {
		t.Fatal(err)
	}
	seen := recordMemories(h)
	if _, err := h.Hash(context.Background(), "Correct-Horse-1"); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.GC()
	if _, err := h.Hash(context.Background(), "Correct-Horse-1"); err != nil {
		t.Fatal(err)
	}
	if d := *seen; d[1].m == d[0].m || d[1].size != 0 {
		t.Fatalf("after two collections the derivation got the old memory back (%d KiB)", d[1].size)
	}
}
