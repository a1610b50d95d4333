package identityapp

import (
	"crypto/rand"
	"encoding/binary"
	"sync/atomic"
	"time"
)

// loginPace remembers what logins with a wrong password cost here beyond
// their password hash, so that a login for an unknown e-mail address can be
// made to take as long. A wrong password also reads the account and writes
// the failed attempt to it, which an unknown address has no account for; the
// difference (milliseconds on the embedded store, a write round trip on
// MongoDB, more under load) would tell an attacker which addresses are
// registered.
//
// It keeps the most recent costs and an unknown address waits one of them
// drawn at random, so that the two kinds of answer take times from the same
// spread, not one of them its average. The costs are this process's own
// (each replica measures its store); none until the first wrong password
// here.
type loginPace struct {
	recent [paceSamples]atomic.Int64 // nanoseconds, a ring
	seen   atomic.Uint64             // how many were recorded
}

// paceSamples is how many recent costs are kept.
const paceSamples = 64

// maxLoginPad bounds one cost: a store that stalled once must not hold an
// unknown-address login for long.
const maxLoginPad = 500 * time.Millisecond

// observe records what a wrong-password login cost beyond its hash.
func (p *loginPace) observe(d time.Duration) {
	d = min(max(d, 0), maxLoginPad)
	i := p.seen.Add(1) - 1
	p.recent[i%paceSamples].Store(int64(d))
}

// draw is one of the recent costs, at random (0 before any).
func (p *loginPace) draw() time.Duration {
	n := min(p.seen.Load(), paceSamples)
	if n == 0 {
		return 0
	}
	// From crypto/rand: which cost is waited must not be guessable, or it
	// could be subtracted out.
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails
	return time.Duration(p.recent[binary.LittleEndian.Uint64(b[:])%n].Load())
}
