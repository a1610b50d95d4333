package identityapp

import (
	"testing"
	"time"
)

func TestLoginPaceDrawsFromTheRecentCosts(t *testing.T) {
	var p loginPace
	if d := p.draw(); d != 0 {
		t.Fatalf("before any cost: %v, want 0", d)
	}
	p.observe(time.Hour) // a stalled store
	if d := p.draw(); d != maxLoginPad {
		t.Fatalf("after a stall: %v, want the bound %v", d, maxLoginPad)
	}
	for range paceSamples {
		p.observe(3 * time.Millisecond)
	}
	for range 100 {
		if d := p.draw(); d != 3*time.Millisecond {
			t.Fatalf("after %d costs of 3ms: drew %v (the stall should have left the ring)", paceSamples, d)
		}
	}
}

func TestLoginPaceDrawsEveryKeptCost(t *testing.T) {
	var p loginPace
	for i := range paceSamples {
		p.observe(time.Duration(1+i%2) * time.Millisecond)
	}
	seen := map[time.Duration]bool{}
	for range 200 { // both are missed with a chance of 2 in 2^200
		seen[p.draw()] = true
	}
	if !seen[time.Millisecond] || !seen[2*time.Millisecond] || len(seen) != 2 {
		t.Fatalf("drew %v, want 1ms and 2ms", seen)
	}
}
