// Package auditporttest holds the contract suite that every adapter of
// auditport.Store must pass: call TestStore from the adapter's own tests with a
// constructor that returns a fresh, empty store.
package auditporttest

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// base is the time fixtures start from, at the stored precision in UTC.
var base = kernel.Truncate(time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC))

// chain seals n events; event i (from 1) is at base+i s, by actor "a<i%3>",
// with action "test.<i%2>".
func chain(n int) []*audit.Event {
	var prev *audit.Event
	out := make([]*audit.Event, 0, n)
	for i := 1; i <= n; i++ {
		at := base.Add(time.Duration(i) * time.Second)
		e := &audit.Event{ID: kernel.NewID(at), At: at, ActorID: "a" + strconv.Itoa(i%3), Action: "test." + strconv.Itoa(i%2),
			TargetType: "thing", TargetID: strconv.Itoa(i), IP: "192.0.2.1", UserAgent: "agent", RequestID: "r" + strconv.Itoa(i),
			Outcome: audit.Success, Details: map[string]string{"i": strconv.Itoa(i)}}
		e.Seal(prev)
		out = append(out, e)
		prev = e
	}
	return out
}

func insertAll(t *testing.T, s auditport.Store, evs []*audit.Event) {
	t.Helper()
	for _, e := range evs {
		if err := s.Insert(t.Context(), e); err != nil {
			t.Fatalf("Insert %d: %v", e.Seq, err)
		}
	}
}

func anchor(t *testing.T, s auditport.Store, e *audit.Event) {
	t.Helper()
	if err := s.Anchor(t.Context(), e); err != nil {
		t.Fatalf("Anchor %d: %v", e.Seq, err)
	}
}

// wantHead checks that Head returns what was anchored for e.
func wantHead(t *testing.T, s auditport.Store, e *audit.Event) {
	t.Helper()
	h, err := s.Head(t.Context())
	if err != nil || h == nil || h.Seq != e.Seq || h.Hash != e.Hash || h.ID != e.ID || !h.At.Equal(e.At) {
		t.Fatalf("Head = %+v, %v; want seq %d id %s at %v hash %s", h, err, e.Seq, e.ID, e.At, e.Hash)
	}
}

func seqs(evs []*audit.Event) string {
	out := make([]int64, len(evs))
	for i, e := range evs {
		out[i] = e.Seq
	}
	return fmt.Sprint(out)
}

// TestStore runs the Store contract; newStore must return an empty store.
func TestStore(t *testing.T, newStore func(t *testing.T) auditport.Store) {
	t.Run("an_empty_store_has_no_head_and_no_events", func(t *testing.T) {
		s := newStore(t)
		if h, err := s.Head(t.Context()); h != nil || err != nil {
			t.Fatalf("Head = %+v, %v", h, err)
		}
		if _, err := s.At(t.Context(), 1); !errors.Is(err, kernel.ErrNotFound) {
			t.Fatalf("At(1) = %v, want not found", err)
		}
	})

	t.Run("insert_then_at_round_trips_every_field", func(t *testing.T) {
		s := newStore(t)
		evs := chain(2)
		insertAll(t, s, evs)
		got, err := s.At(t.Context(), 2)
		if err != nil {
			t.Fatal(err)
		}
		w := evs[1]
		if got.Seq != w.Seq || got.ID != w.ID || !got.At.Equal(w.At) || got.ActorID != w.ActorID || got.Action != w.Action ||
			got.TargetType != w.TargetType || got.TargetID != w.TargetID || got.IP != w.IP || got.UserAgent != w.UserAgent ||
			got.RequestID != w.RequestID || got.Outcome != w.Outcome || fmt.Sprint(got.Details) != fmt.Sprint(w.Details) ||
			got.PrevHash != w.PrevHash || got.Hash != w.Hash || got.ComputeHash() != got.Hash {
			t.Fatalf("At(2) = %+v, want %+v", got, w)
		}
	})

	t.Run("a_taken_sequence_number_is_a_conflict", func(t *testing.T) {
		s := newStore(t)
		evs := chain(1)
		insertAll(t, s, evs)
		other := *evs[0]
		other.ID, other.Action = kernel.NewID(base), "test.other"
		other.Hash = other.ComputeHash()
		if err := s.Insert(t.Context(), &other); kernel.KindOf(err) != kernel.KindConflict {
			t.Fatalf("second event 1: %v, want a conflict", err)
		}
		if got, _ := s.At(t.Context(), 1); got.ID != evs[0].ID {
			t.Fatal("the first event was replaced")
		}
	})

	t.Run("insert_does_not_move_the_head", func(t *testing.T) {
		s := newStore(t)
		evs := chain(3)
		insertAll(t, s, evs[:1])
		anchor(t, s, evs[0])
		insertAll(t, s, evs[1:])
		wantHead(t, s, evs[0])
	})

	t.Run("anchor_moves_the_head_forward_and_never_back", func(t *testing.T) {
		s := newStore(t)
		evs := chain(4)
		insertAll(t, s, evs)
		anchor(t, s, evs[1])
		wantHead(t, s, evs[1])
		anchor(t, s, evs[3])
		wantHead(t, s, evs[3])
		anchor(t, s, evs[2]) // older: not an error, and no move
		wantHead(t, s, evs[3])
		anchor(t, s, evs[3]) // the same again
		wantHead(t, s, evs[3])
	})

	t.Run("racing_anchors_leave_the_newest", func(t *testing.T) {
		s := newStore(t)
		evs := chain(8)
		insertAll(t, s, evs)
		// Several replicas anchor at once, the first ones racing to create the record.
		errs := porttestkit.Concurrently(len(evs), func(i int) error { return s.Anchor(t.Context(), evs[i]) })
		for i, err := range errs {
			porttestkit.MustNil(t, err, fmt.Sprint("Anchor ", i+1))
		}
		wantHead(t, s, evs[7])
	})

	t.Run("list_is_newest_first_filtered_and_counted", func(t *testing.T) {
		s := newStore(t)
		evs := chain(9)
		insertAll(t, s, evs)
		got, total, err := s.List(t.Context(), auditport.Filter{}, 2, 3)
		if err != nil || total != 9 || seqs(got) != "[7 6 5]" {
			t.Fatalf("page = %s of %d, %v", seqs(got), total, err)
		}
		cases := []struct {
			f    auditport.Filter
			want string
		}{
			{auditport.Filter{ActorID: "a1"}, "[7 4 1]"},
			{auditport.Filter{Action: "test.0"}, "[8 6 4 2]"},
			{auditport.Filter{TargetType: "thing", TargetID: "5"}, "[5]"},
			{auditport.Filter{Since: evs[6].At}, "[9 8 7]"},
			{auditport.Filter{Until: evs[1].At}, "[2 1]"},
			{auditport.Filter{Since: evs[2].At, Until: evs[3].At, Action: "test.1"}, "[3]"},
			{auditport.Filter{ActorID: "nobody"}, "[]"},
		}
		for _, c := range cases {
			got, total, err := s.List(t.Context(), c.f, 0, 100)
			if err != nil || seqs(got) != c.want || total != int64(len(got)) {
				t.Errorf("List(%+v) = %s (total %d), %v; want %s", c.f, seqs(got), total, err, c.want)
			}
		}
	})

	t.Run("walk_is_in_sequence_order_filtered_and_stoppable", func(t *testing.T) {
		s := newStore(t)
		evs := chain(7)
		insertAll(t, s, evs)
		var all, some, first []*audit.Event
		if err := s.Walk(t.Context(), auditport.Filter{}, func(e *audit.Event) bool { all = append(all, e); return true }); err != nil {
			t.Fatal(err)
		}
		if err := s.Walk(t.Context(), auditport.Filter{Action: "test.1", Since: evs[2].At}, func(e *audit.Event) bool {
			some = append(some, e)
			return true
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.Walk(t.Context(), auditport.Filter{}, func(e *audit.Event) bool { first = append(first, e); return len(first) < 2 }); err != nil {
			t.Fatal(err)
		}
		if seqs(all) != "[1 2 3 4 5 6 7]" || seqs(some) != "[3 5 7]" || seqs(first) != "[1 2]" {
			t.Fatalf("walks: %s, %s, %s", seqs(all), seqs(some), seqs(first))
		}
	})
}
