// Package porttestkit holds the assertions and the concurrency harness that
// every repository contract suite (the *porttest packages) shares; the
// harness (AtOnce) serves the end-to-end tests' races too.
package porttestkit

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// AtOnce runs fn(0) … fn(n-1) in n goroutines released at the same moment
// and returns their results by index.
func AtOnce[T any](n int, fn func(i int) T) []T {
	out := make([]T, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			out[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return out
}

// Concurrently runs fn(0) … fn(n-1) at the same moment and returns their errors by index.
func Concurrently(n int, fn func(i int) error) []error { return AtOnce(n, fn) }

// OneSucceeded checks that exactly one of errs is nil and every other one is
// want; it returns the index of the success.
func OneSucceeded(t *testing.T, errs []error, want error) int {
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

// MustNil stops the test on an error.
func MustNil(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// WantErr checks that err matches sentinel and has its kind.
func WantErr(t *testing.T, err error, sentinel *kernel.Error, what string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Errorf("%s: got error %v, want %s", what, err, sentinel.Code)
	}
	if got := kernel.KindOf(err); got != sentinel.Kind {
		t.Errorf("%s: got kind %d, want %d", what, got, sentinel.Kind)
	}
}

// WantKind checks that err has kind.
func WantKind(t *testing.T, err error, kind kernel.Kind, what string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: got no error, want kind %d", what, kind)
		return
	}
	if got := kernel.KindOf(err); got != kind {
		t.Errorf("%s: got %v (kind %d), want kind %d", what, err, got, kind)
	}
}

// Eq compares two values.
func Eq[T comparable](t *testing.T, field string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", field, got, want)
	}
}

// SameTime compares two times at the stored precision and wants got in UTC.
func SameTime(t *testing.T, field string, got, want time.Time) {
	t.Helper()
	if !got.Equal(kernel.Truncate(want)) {
		t.Errorf("%s: got %v, want %v", field, got, kernel.Truncate(want))
	}
	if got.Location() != time.UTC {
		t.Errorf("%s: got location %v, want UTC", field, got.Location())
	}
}

// SameTimePtr compares optional times: nil must stay nil, a set time must stay set.
func SameTimePtr(t *testing.T, field string, got, want *time.Time) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil:
		t.Errorf("%s: got nil, want %v", field, *want)
	case want == nil:
		t.Errorf("%s: got %v, want nil", field, *got)
	default:
		SameTime(t, field, *got, *want)
	}
}

// SameStrings compares string lists in order; nil and empty are equal.
func SameStrings(t *testing.T, field string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", field, got, want)
	}
}

// SameSet compares string lists ignoring order.
func SameSet(t *testing.T, field string, got, want []string) {
	t.Helper()
	SameStrings(t, field, slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want)))
}
