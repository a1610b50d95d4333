package main

import (
	"slices"
	"testing"
	"time"
)

func TestNewPlanReadsTheFlags(t *testing.T) {
	p, err := newPlan(10*time.Second, "32, 8", sideMeasured)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.conns, []int{32, 8}) || p.side != sideMeasured || p.d != 10*time.Second {
		t.Fatalf("plan = %+v", p)
	}
}

func TestNewPlanRefusesBadFlags(t *testing.T) {
	for _, c := range []struct {
		d           time.Duration
		conns, side string
	}{
		{time.Second, "", sideBoth},
		{time.Second, "8,", sideBoth},
		{time.Second, "0", sideBoth},
		{time.Second, "-4", sideBoth},
		{time.Second, "eight", sideBoth},
		{time.Second, "8", "raw"},
		{0, "8", sideBoth},
	} {
		if _, err := newPlan(c.d, c.conns, c.side); err == nil {
			t.Errorf("newPlan(%s, %q, %q) accepted", c.d, c.conns, c.side)
		}
	}
}

func TestOneSideRunsInBothTurns(t *testing.T) {
	var off, on int
	count := func(n *int) func() error {
		return func() error { *n++; time.Sleep(time.Millisecond); return nil }
	}
	for _, c := range []struct {
		side            string
		wantOff, wantOn bool
	}{{sideBoth, true, true}, {sideBaseline, true, false}, {sideMeasured, false, true}} {
		off, on = 0, 0
		p, err := newPlan(20*time.Millisecond, "1", c.side)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.alternate(1, count(&off), count(&on)); err != nil {
			t.Fatal(err)
		}
		if (off > 0) != c.wantOff || (on > 0) != c.wantOn {
			t.Errorf("-side %s: baseline ran %d times, measured %d", c.side, off, on)
		}
	}
}
