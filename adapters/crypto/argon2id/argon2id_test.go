package argon2id

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"
)

// x/crypto's Argon2id test vectors (argon2_test.go, password "password",
// salt "somesalt").
var vectors = []struct {
	time, memory uint32
	threads      uint8
	hash         string
}{
	{1, 64, 1, "655ad15eac652dc59f7170a7332bf49b8469be1fdb9c28bb"},
	{2, 64, 1, "068d62b26455936aa6ebe60060b0a65870dbfa3ddf8d41f7"},
	{2, 64, 2, "350ac37222f436ccb5c0972f1ebd3bf6b958bf2071841362"},
	{3, 256, 2, "4668d30ac4187e6878eedeacf0fd83c5a0a30db2cc16ef0b"},
	{4, 4096, 4, "145db9733a9f4ee43edf33c509be96b934d505a4efb33c5a"},
	{4, 1024, 8, "8dafa8e004f8ea96bf7c0f93eecf67a6047476143d15577f"},
	{2, 64, 3, "4a15b31aec7c2590b87d1f520be7d96f56658172deaa3079"},
	{3, 1024, 6, "1640b932f4b60e272f5d2207b9a9c626ffa1bd88d2349016"},
}

func TestVectorsWithFreshAndReusedMemory(t *testing.T) {
	var reused Memory
	for _, v := range vectors {
		want, _ := hex.DecodeString(v.hash)
		fresh := new(Memory).IDKey([]byte("password"), []byte("somesalt"), v.time, v.memory, v.threads, uint32(len(want)))
		again := reused.IDKey([]byte("password"), []byte("somesalt"), v.time, v.memory, v.threads, uint32(len(want)))
		if !bytes.Equal(fresh, want) || !bytes.Equal(again, want) {
			t.Errorf("t=%d m=%d p=%d: fresh %x, reused %x, want %s", v.time, v.memory, v.threads, fresh, again, v.hash)
		}
	}
}

// TestSameKeysAsXCrypto derives with one Memory reused across random
// parameters (growing and shrinking, so every derivation after the first runs
// over the previous one's blocks) and compares each key with x/crypto's.
func TestSameKeysAsXCrypto(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var m Memory
	for i := range 60 {
		threads := uint8(1 + rng.IntN(4))
		memory := uint32(8 + rng.IntN(2048))
		time := uint32(1 + rng.IntN(3))
		keyLen := uint32(4 + rng.IntN(100))
		password := fmt.Appendf(nil, "password %d", rng.Int())
		salt := fmt.Appendf(nil, "salt %d", rng.Int())
		got := m.IDKey(password, salt, time, memory, threads, keyLen)
		want := argon2.IDKey(password, salt, time, memory, threads, keyLen)
		if !bytes.Equal(got, want) {
			t.Fatalf("derivation %d (t=%d m=%d p=%d len=%d): got %x, want %x", i, time, memory, threads, keyLen, got, want)
		}
	}
}

// TestTheServiceParameters covers the parameters the service uses (19 MiB,
// t=2, p=1) with memory dirtied by a different password first.
func TestTheServiceParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("19 MiB derivations")
	}
	var m Memory
	m.IDKey([]byte("another password"), []byte("another salt!"), 2, 19*1024, 1, 32)
	got := m.IDKey([]byte("Correct-Horse-1"), []byte("0123456789abcdef"), 2, 19*1024, 1, 32)
	want := argon2.IDKey([]byte("Correct-Horse-1"), []byte("0123456789abcdef"), 2, 19*1024, 1, 32)
	if !bytes.Equal(got, want) {
		t.Fatalf("got %x, want %x", got, want)
	}
	if m.Size() != 19*1024 {
		t.Fatalf("Size() = %d KiB, want %d", m.Size(), 19*1024)
	}
}

// The portable block function (what other architectures run, see
// blamka_ref.go) agrees with this one's, writing and XORing.
func TestPortableBlockFunctionAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var in1, in2, out, want block
	for range 50 {
		for i := range in1 {
			in1[i], in2[i], out[i] = rng.Uint64(), rng.Uint64(), rng.Uint64()
		}
		want = out
		processBlock(&out, &in1, &in2)
		processBlockGeneric(&want, &in1, &in2, false)
		if out != want {
			t.Fatal("processBlock differs from processBlockGeneric")
		}
		processBlockXOR(&out, &in1, &in2)
		processBlockGeneric(&want, &in1, &in2, true)
		if out != want {
			t.Fatal("processBlockXOR differs from processBlockGeneric with xor")
		}
	}
}

func TestPanicsLikeXCrypto(t *testing.T) {
	for _, c := range []struct {
		time    uint32
		threads uint8
	}{{0, 1}, {1, 0}} {
		var got any
		func() {
			defer func() { got = recover() }()
			new(Memory).IDKey([]byte("p"), []byte("saltsalt"), c.time, 64, c.threads, 32)
		}()
		var want any
		func() {
			defer func() { want = recover() }()
			argon2.IDKey([]byte("p"), []byte("saltsalt"), c.time, 64, c.threads, 32)
		}()
		if got == nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("t=%d p=%d: panic %v, x/crypto's %v", c.time, c.threads, got, want)
		}
	}
}

// The service's parameters, two derivations at a time (the hasher's slots on
// this machine's two cores): x/crypto allocating per call against one reused
// Memory per goroutine.
//
//	go test -run '^$' -bench . -benchtime 100x ./adapters/crypto/argon2id/
func BenchmarkServiceParameters(b *testing.B) {
	password, salt := []byte("Correct-Horse-1"), []byte("0123456789abcdef")
	b.Run("x-crypto-allocating", func(b *testing.B) {
		twoAtATime(b, func(*Memory) { argon2.IDKey(password, salt, 2, 19*1024, 1, 32) })
	})
	b.Run("reused-memory", func(b *testing.B) {
		twoAtATime(b, func(m *Memory) { m.IDKey(password, salt, 2, 19*1024, 1, 32) })
	})
}

func twoAtATime(b *testing.B, derive func(*Memory)) {
	work := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			var m Memory
			for range work {
				derive(&m)
			}
		})
	}
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	wg.Wait() // the last derivations count too
}
