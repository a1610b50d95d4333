// Package identityporttest holds the contract suites that every adapter of the
// identity driven ports must pass: call TestUserRepository, TestSessionRepository
// and TestOneTimeTokenRepository from the adapter's own tests with a constructor
// that returns a fresh, empty repository.
package identityporttest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// base is the time fixtures start from. It has millisecond precision in UTC, as
// kernel.Truncate gives, so that it round-trips through every store unchanged.
var base = kernel.Truncate(time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC))

// at returns base plus i seconds. Identifiers made by kernel.NewID(at(i)) sort
// in the order of i, because NewID starts with the time in seconds.
func at(i int) time.Time { return base.Add(time.Duration(i) * time.Second) }

// errAbort is what an update function returns to abort the update.
var errAbort = errors.New("identityporttest: update function aborts")

// malformedIDs are identifiers no adapter can have stored.
var malformedIDs = []string{"nope", "zzzzzzzzzzzzzzzzzzzzzzzz", ""}

// secretHash returns a SHA-256 hex digest, shaped like a stored token hash.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

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

// oneSucceeded checks that exactly one of errs is nil and every other one is want;
// it returns the index of the success.
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

// wantKind checks that err has kind.
func wantKind(t *testing.T, err error, kind kernel.Kind, what string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: got no error, want kind %d", what, kind)
		return
	}
	if got := kernel.KindOf(err); got != kind {
		t.Errorf("%s: got %v (kind %d), want kind %d", what, err, got, kind)
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

// sameTimePtr compares optional times: nil must stay nil, a set time must stay set.
func sameTimePtr(t *testing.T, field string, got, want *time.Time) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil:
		t.Errorf("%s: got nil, want %v", field, *want)
	case want == nil:
		t.Errorf("%s: got %v, want nil", field, *got)
	default:
		sameTime(t, field, *got, *want)
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

func ptr[T any](v T) *T { return &v }

// userIDs returns the ids of us in order.
func userIDs(us []*identity.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

// sessionIDs returns the ids of ss in order.
func sessionIDs(ss []*identity.Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}
