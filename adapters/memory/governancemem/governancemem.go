// Package governancemem implements the governance repositories in memory, for
// tests and for anyone swapping adapters. Each repository hands out copies,
// never its own state.
package governancemem

import (
	"cmp"
	"slices"
	"time"
)

// newestFirst orders by a moment, then by id, the greater first.
func newestFirst(at1 time.Time, id1 string, at2 time.Time, id2 string) int {
	if c := at2.Compare(at1); c != 0 {
		return c
	}
	return cmp.Compare(id2, id1)
}

// page returns copies of the page [skip, skip+limit) of xs (limit < 0: to the end).
func page[T any](xs []T, skip, limit int, clone func(T) T) []T {
	skip = min(max(skip, 0), len(xs))
	xs = xs[skip:]
	if limit >= 0 && limit < len(xs) {
		xs = xs[:limit]
	}
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = clone(x)
	}
	return out
}

// sorted returns the values of m that match, ordered by cmpFn.
func sorted[T any](m map[string]T, match func(T) bool, cmpFn func(a, b T) int) []T {
	var out []T
	for _, x := range m {
		if match(x) {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, cmpFn)
	return out
}
