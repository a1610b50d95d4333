// Package governanceporttest holds the contract suites that every adapter of
// the governance driven ports must pass: call TestTermsRepository,
// TestConsentRepository, TestAccessRequestRepository, TestGrantRepository and
// TestNoticeClaimRepository from the adapter's own tests with a constructor
// that returns a fresh, empty repository.
//
// An engine that cannot run a case faithfully (a test-only engine that is not
// the real one) skips it with Skip, naming the limitation; the real engine
// runs every case.
package governanceporttest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// base is the time fixtures start from, at the stored precision in UTC.
var base = kernel.Truncate(time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC))

// at returns base plus i seconds; kernel.NewID(at(i)) sorts in the order of i.
func at(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }

// day is 24 hours.
const day = 24 * time.Hour

// errAbort is what an update function returns to abort the update.
var errAbort = errors.New("governanceporttest: update function aborts")

// malformedIDs are identifiers no adapter can have stored.
var malformedIDs = []string{"nope", "zzzzzzzzzzzzzzzzzzzzzzzz", ""}

// id returns a fresh identifier of moment i.
func id(i int) string { return kernel.NewID(at(i)) }

// Option adjusts a suite.
type Option func(*options)

type options struct {
	skip map[string]string
}

// Skip skips the case named name (its subtest name, e.g.
// "concurrent_decisions_apply_once") with reason, which must name the
// engine's limitation.
func Skip(name, reason string) Option {
	return func(o *options) { o.skip[name] = reason }
}

func collect(opts []Option) *options {
	o := &options{skip: map[string]string{}}
	for _, f := range opts {
		f(o)
	}
	return o
}

// run runs one case unless it is skipped.
func (o *options) run(t *testing.T, name string, fn func(t *testing.T)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		if reason, ok := o.skip[name]; ok {
			t.Skip(reason)
		}
		fn(t)
	})
}

// checkUnknownSkips fails on a Skip that names no case, so that a renamed
// case does not silently run again on an engine that cannot run it.
func (o *options) checkUnknownSkips(t *testing.T, cases []string) {
	t.Helper()
	known := map[string]bool{}
	for _, c := range cases {
		known[c] = true
	}
	for name := range o.skip {
		if !known[name] {
			t.Errorf("Skip(%q): no such case", name)
		}
	}
}

// suite is a named list of cases run in order.
type suite []struct {
	name string
	fn   func(t *testing.T)
}

func (s suite) run(t *testing.T, o *options) {
	t.Helper()
	names := make([]string, 0, len(s))
	for _, c := range s {
		names = append(names, c.name)
		o.run(t, c.name, c.fn)
	}
	o.checkUnknownSkips(t, names)
}

func label(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// kernelConflict is the kind of a taken id.
const kernelConflict = kernel.KindConflict
