package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The sides of a throughput comparison that -side can choose.
const (
	sideBoth     = "both"
	sideBaseline = "baseline" // the raw operation, or the service with the feature off
	sideMeasured = "measured" // the request through the service, or the feature on
)

// plan is how the throughput comparisons run, from the flags.
type plan struct {
	d     time.Duration // each side's time in all
	conns []int         // the connection counts of login, /auth/me and audit
	side  string        // sideBoth, or the one side run in both turns
}

func newPlan(d time.Duration, conns, side string) (plan, error) {
	p := plan{d: d, side: side}
	if d <= 0 {
		return p, fmt.Errorf("-duration %s: must be positive", d)
	}
	switch side {
	case sideBoth, sideBaseline, sideMeasured:
	default:
		return p, fmt.Errorf("-side %q: want %s, %s or %s", side, sideBoth, sideBaseline, sideMeasured)
	}
	for _, f := range strings.Split(conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return p, fmt.Errorf("-conns %q: want positive whole numbers separated by commas", conns)
		}
		p.conns = append(p.conns, n)
	}
	return p, nil
}
