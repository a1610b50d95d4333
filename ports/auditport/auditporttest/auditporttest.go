// Package auditporttest holds the contract suite that every adapter of
// auditport.Store must pass: call TestStore from the adapter's own tests with a
// constructor that returns a fresh, empty store.
package auditporttest

import (
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

// appendAll appends events built like chain's (their seals are replaced by
// the store's).
func appendAll(t *testing.T, s auditport.Store, evs []*audit.Event) {
	t.Helper()
	for _, e := range evs {
		if err := s.Append(t.Context(), e); err != nil {
			t.Fatalf("Append %d: %v", e.Seq, err)
		}
	}
}

// wantHead checks that Head returns what was recorded for e.
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

// walkAll returns every stored event in sequence order.
func walkAll(t *testing.T, s auditport.Store) []*audit.Event {
	t.Helper()
	var all []*audit.Event
	if err := s.Walk(t.Context(), auditport.Filter{}, func(e *audit.Event) bool { all = append(all, e); return true }); err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return all
}

// wantLinearChain checks that the stored chain is events 1…n, each linked to
// the one before and verifying, ending at the head.
func wantLinearChain(t *testing.T, s auditport.Store, n int) {
	t.Helper()
	head, err := s.Head(t.Context())
	porttestkit.MustNil(t, err, "Head")
	v := audit.Verifier{Head: head}
	all := walkAll(t, s)
	for _, e := range all {
		if brk := v.Next(e); brk != nil {
			t.Fatalf("the chain breaks at %d: %+v", e.Seq, brk)
		}
	}
	if brk := v.Finish(); brk != nil {
		t.Fatalf("the chain's end: %+v", brk)
	}
	if len(all) != n || v.Checked != int64(n) {
		t.Fatalf("the chain holds %d events, want %d", len(all), n)
	}
	wantHead(t, s, all[n-1])
}

// TestStore runs the Store contract. newReplicas must return n stores on one
// fresh, empty chain, as n processes would open it (memory adapters may return
// one store n times).
func TestStore(t *testing.T, newReplicas func(t *testing.T, n int) []auditport.Store) {
	newStore := func(t *testing.T) auditport.Store { return newReplicas(t, 1)[0] }

	t.Run("an_empty_store_has_no_head_and_no_events", func(t *testing.T) {
		s := newStore(t)
		if h, err := s.Head(t.Context()); h != nil || err != nil {
			t.Fatalf("Head = %+v, %v", h, err)
		}
		if all := walkAll(t, s); len(all) != 0 {
			t.Fatalf("Walk found %d events", len(all))
		}
		if got, total, err := s.List(t.Context(), auditport.Filter{}, 0, 10); err != nil || total != 0 || len(got) != 0 {
			t.Fatalf("List = %d events of %d, %v", len(got), total, err)
		}
	})

	t.Run("append_seals_after_the_last_event_and_round_trips_every_field", func(t *testing.T) {
		s := newStore(t)
		evs := chain(2)
		want := *evs[1]
		for _, e := range evs {
			e.Seq, e.PrevHash, e.Hash = 0, "", "" // the store seals
		}
		appendAll(t, s, evs)
		if evs[0].Seq != 1 || evs[1].Seq != 2 || evs[0].PrevHash != audit.GenesisHash || evs[1].PrevHash != evs[0].Hash {
			t.Fatalf("sealed as %d (prev %s), %d (prev %s)", evs[0].Seq, evs[0].PrevHash, evs[1].Seq, evs[1].PrevHash)
		}
		all := walkAll(t, s)
		if len(all) != 2 {
			t.Fatalf("Walk found %d events", len(all))
		}
		got, w := all[1], &want
		if got.Seq != w.Seq || got.ID != w.ID || !got.At.Equal(w.At) || got.ActorID != w.ActorID || got.Action != w.Action ||
			got.TargetType != w.TargetType || got.TargetID != w.TargetID || got.IP != w.IP || got.UserAgent != w.UserAgent ||
			got.RequestID != w.RequestID || got.Outcome != w.Outcome || fmt.Sprint(got.Details) != fmt.Sprint(w.Details) ||
			got.PrevHash != w.PrevHash || got.Hash != w.Hash || got.ComputeHash() != got.Hash {
			t.Fatalf("event 2 = %+v, want %+v", got, w)
		}
		if got.At.Location() != time.UTC {
			t.Errorf("At in %v, want UTC", got.At.Location())
		}
		wantHead(t, s, evs[1])
	})

	t.Run("events_without_details_round_trip", func(t *testing.T) {
		s := newStore(t)
		e := chain(1)[0]
		e.Details, e.ActorID, e.IP = nil, "", ""
		appendAll(t, s, []*audit.Event{e})
		got := walkAll(t, s)[0]
		if got.ComputeHash() != e.Hash || got.Hash != e.Hash {
			t.Fatalf("stored %+v does not hash as appended %+v", got, e)
		}
	})

	t.Run("concurrent_appends_keep_the_chain_linear", func(t *testing.T) {
		s := newStore(t)
		const n = 50
		evs := chain(n)
		errs := porttestkit.Concurrently(n, func(i int) error { return s.Append(t.Context(), evs[i]) })
		for i, err := range errs {
			porttestkit.MustNil(t, err, fmt.Sprint("Append ", i))
		}
		wantLinearChain(t, s, n)
	})

	t.Run("replicas_appending_at_once_keep_the_chain_linear", func(t *testing.T) {
		const replicas, each = 3, 15
		stores := newReplicas(t, replicas)
		evs := chain(replicas * each)
		errs := porttestkit.Concurrently(replicas*each, func(i int) error { return stores[i%replicas].Append(t.Context(), evs[i]) })
		for i, err := range errs {
			porttestkit.MustNil(t, err, fmt.Sprint("Append ", i))
		}
		for _, s := range stores {
			wantLinearChain(t, s, replicas*each)
			// chain's events take turns among three actors.
			for _, actor := range []string{"a0", "a1", "a2"} {
				if _, total, err := s.List(t.Context(), auditport.Filter{ActorID: actor}, 0, 1); err != nil || total != replicas*each/3 {
					t.Errorf("events of %s: %d, %v; want %d", actor, total, err, replicas*each/3)
				}
			}
		}
	})

	t.Run("list_is_newest_first_filtered_and_counted", func(t *testing.T) {
		s := newStore(t)
		evs := chain(9)
		appendAll(t, s, evs)
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
			{auditport.Filter{TargetType: "thing"}, "[9 8 7 6 5 4 3 2 1]"},
			{auditport.Filter{ActorID: "a1", Action: "test.0"}, "[4]"},
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
		appendAll(t, s, evs)
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
