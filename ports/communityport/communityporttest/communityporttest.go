// Package communityporttest holds the contract suites that every adapter of the
// community driven ports must pass: call TestCommunityRepository,
// TestMembershipRepository and TestJoinRequestRepository from the adapter's own
// tests with a constructor that returns a fresh, empty repository.
package communityporttest

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// base is the time fixtures start from, at the stored precision in UTC.
var base = kernel.Truncate(time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC))

// at returns base plus i seconds; kernel.NewID(at(i)) sorts in the order of i.
func at(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }

// errAbort is what an update function returns to abort the update.
var errAbort = errors.New("communityporttest: update function aborts")

// malformedIDs are identifiers no adapter can have stored.
var malformedIDs = []string{"nope", "zzzzzzzzzzzzzzzzzzzzzzzz", ""}

// concurrently runs fn(0) … fn(n-1) at the same moment and returns their errors by index.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// oneSucceeded checks that exactly one of errs is nil and every other one is want.
func oneSucceeded(t *testing.T, errs []error, want error) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("calls %d and %d both succeeded, want exactly one", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, want):
			t.Errorf("call %d: got %v, want %v", i, err, want)
		}
	}
	if winner < 0 {
		t.Fatalf("no call succeeded, want exactly one (errors: %v)", errs)
	}
	return winner
}

func mustNil(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantErr checks that err matches sentinel and has its kind.
func wantErr(t *testing.T, err error, sentinel *kernel.Error, what string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Errorf("%s: got error %v, want %s", what, err, sentinel.Code)
	}
	if got := kernel.KindOf(err); got != sentinel.Kind {
		t.Errorf("%s: got kind %d, want %d", what, got, sentinel.Kind)
	}
}

func eq[T comparable](t *testing.T, field string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", field, got, want)
	}
}

// sameTime compares two times at the stored precision and wants got in UTC.
func sameTime(t *testing.T, field string, got, want time.Time) {
	t.Helper()
	if !got.Equal(kernel.Truncate(want)) {
		t.Errorf("%s: got %v, want %v", field, got, kernel.Truncate(want))
	}
	if got.Location() != time.UTC {
		t.Errorf("%s: got location %v, want UTC", field, got.Location())
	}
}

// sameStrings compares string lists in order; nil and empty are equal.
func sameStrings(t *testing.T, field string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", field, got, want)
	}
}

// sameSet compares string lists ignoring order.
func sameSet(t *testing.T, field string, got, want []string) {
	t.Helper()
	sameStrings(t, field, slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want)))
}
