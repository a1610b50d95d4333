package audit_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

func chain(n int) []*audit.Event {
	var prev *audit.Event
	out := make([]*audit.Event, 0, n)
	at := time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC)
	for i := range n {
		e := &audit.Event{ID: kernel.NewID(at), At: at.Add(time.Duration(i) * time.Second), ActorID: "u1", Action: "auth.login",
			TargetType: "user", TargetID: "u1", IP: "192.0.2.1", UserAgent: "ua", RequestID: "r", Outcome: audit.Success,
			Details: map[string]string{"b": "2", "a": "1"}}
		e.Seal(prev)
		out = append(out, e)
		prev = e
	}
	return out
}

func walk(v *audit.Verifier, evs []*audit.Event) *audit.Break {
	for _, e := range evs {
		if b := v.Next(e); b != nil {
			return b
		}
	}
	return v.Finish()
}

func TestSealLinksEventsFromGenesis(t *testing.T) {
	t.Parallel()
	evs := chain(3)
	if evs[0].Seq != 1 || evs[0].PrevHash != audit.GenesisHash || evs[1].PrevHash != evs[0].Hash || evs[2].Seq != 3 {
		t.Fatalf("bad links: %+v", evs)
	}
	if len(evs[0].Hash) != 64 || evs[0].Hash == evs[1].Hash {
		t.Fatalf("hashes %q %q", evs[0].Hash, evs[1].Hash)
	}
}

func TestHashCoversEveryFieldAndDetailOrderDoesNotMatter(t *testing.T) {
	t.Parallel()
	base := chain(1)[0]
	same := *base
	same.Details = map[string]string{"a": "1", "b": "2"}
	if same.ComputeHash() != base.Hash {
		t.Fatal("detail order changed the hash")
	}
	edits := map[string]func(e *audit.Event){
		"seq": func(e *audit.Event) { e.Seq++ }, "id": func(e *audit.Event) { e.ID = "x" },
		"at":    func(e *audit.Event) { e.At = e.At.Add(time.Millisecond) },
		"actor": func(e *audit.Event) { e.ActorID = "u2" }, "action": func(e *audit.Event) { e.Action = "auth.logout" },
		"target_type": func(e *audit.Event) { e.TargetType = "role" }, "target_id": func(e *audit.Event) { e.TargetID = "u2" },
		"ip": func(e *audit.Event) { e.IP = "192.0.2.2" }, "user_agent": func(e *audit.Event) { e.UserAgent = "ub" },
		"request_id": func(e *audit.Event) { e.RequestID = "s" }, "outcome": func(e *audit.Event) { e.Outcome = audit.Failure },
		"details":   func(e *audit.Event) { e.Details = map[string]string{"a": "1"} },
		"prev_hash": func(e *audit.Event) { e.PrevHash = strings.Repeat("1", 64) },
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := *base
			edit(&e)
			if e.ComputeHash() == base.Hash {
				t.Fatalf("editing %s kept the hash", name)
			}
		})
	}
}

func TestVerifierNamesTheFirstBrokenEvent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tamper func(evs []*audit.Event) ([]*audit.Event, *audit.Event)
		seq    int64
		reason string
	}{
		{"untouched", func(evs []*audit.Event) ([]*audit.Event, *audit.Event) { return evs, evs[9] }, 0, ""},
		{"edited", func(evs []*audit.Event) ([]*audit.Event, *audit.Event) {
			evs[4].Outcome = audit.Denied
			return evs, evs[9]
		}, 5, "edited"},
		{"edited_and_rehashed", func(evs []*audit.Event) ([]*audit.Event, *audit.Event) {
			evs[4].Outcome = audit.Denied
			evs[4].Hash = evs[4].ComputeHash()
			return evs, evs[9]
		}, 6, "prev_hash"},
		{"deleted", func(evs []*audit.Event) ([]*audit.Event, *audit.Event) {
			return append(evs[:3:3], evs[4:]...), evs[9]
		}, 5, "missing"},
		{"reordered", func(evs []*audit.Event) ([]*audit.Event, *audit.Event) {
			evs[2], evs[3] = evs[3], evs[2]
			return evs, evs[9]
		}, 4, "out of order"},
		{"last_deleted", func(evs []*audit.Event) ([]*audit.Event, *audit.Event) { return evs[:9], evs[9] }, 10, "removed"},
		{"tail_deleted", func(evs []*audit.Event) ([]*audit.Event, *audit.Event) { return evs[:6], evs[9] }, 7, "removed"},
		{"last_rewritten", func(evs []*audit.Event) ([]*audit.Event, *audit.Event) {
			head := *evs[9]
			evs[9].ActorID = "u2"
			evs[9].Hash = evs[9].ComputeHash()
			return evs, &head
		}, 10, "rewritten"},
		{"no_head_recorded", func(evs []*audit.Event) ([]*audit.Event, *audit.Event) { return evs[:9], nil }, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			evs, head := c.tamper(chain(10))
			var h *audit.Event
			if head != nil {
				h = &audit.Event{Seq: head.Seq, ID: head.ID, At: head.At, Hash: head.Hash}
			}
			v := audit.Verifier{Head: h}
			b := walk(&v, evs)
			switch {
			case c.seq == 0 && b != nil:
				t.Fatalf("unexpected break %+v", b)
			case c.seq == 0:
				return
			case b == nil:
				t.Fatal("not detected")
			case b.Seq != c.seq || !strings.Contains(b.Reason, c.reason):
				t.Fatalf("break %+v, want seq %d reason ~%q", b, c.seq, c.reason)
			}
			if c.name == "last_deleted" && b.ID != head.ID {
				t.Fatalf("the removed last event is named by the head: %q, want %q", b.ID, head.ID)
			}
			if c.name == "tail_deleted" && b.ID != "" {
				t.Fatalf("a removed event the head does not name has no id: %q", b.ID)
			}
		})
	}
}

func TestNormalizeKeepsEventsSmallAndValid(t *testing.T) {
	t.Parallel()
	e := audit.NewEvent(kernel.RequestMeta{IP: "192.0.2.1", UserAgent: strings.Repeat("é", 1000) + "\xff", RequestID: "r", ActorID: "u1"},
		"auth.login", "user", "u1")
	e.Details = map[string]string{}
	for i := range 40 {
		e.Details[strings.Repeat("k", i+1)] = strings.Repeat("v", 1000)
	}
	e.Normalize()
	if e.ActorID != "u1" || e.Outcome != audit.Success || e.IP != "192.0.2.1" {
		t.Fatalf("meta not copied: %+v", e)
	}
	if len(e.UserAgent) > 512 || !utf8.ValidString(e.UserAgent) {
		t.Fatalf("user agent %d bytes, valid %t", len(e.UserAgent), utf8.ValidString(e.UserAgent))
	}
	if len(e.Details) > 16 {
		t.Fatalf("%d details", len(e.Details))
	}
	for k, v := range e.Details {
		if len(k) > 256 || len(v) > 256 {
			t.Fatalf("detail %d/%d bytes", len(k), len(v))
		}
	}
}

func TestOutcomeOf(t *testing.T) {
	t.Parallel()
	forbidden := kernel.NewError(kernel.KindForbidden, "not_allowed", "No")
	cases := []struct {
		err     error
		outcome string
		reason  string
		ok      bool
	}{
		{nil, audit.Success, "", true},
		{forbidden, audit.Denied, "not_allowed", true},
		{kernel.Wrap(forbidden, errString("cause")), audit.Denied, "not_allowed", true},
		{kernel.ErrNotFound, "", "", false},
		{kernel.ErrConflict, "", "", false},
		{errString("boom"), "", "", false},
	}
	for _, c := range cases {
		o, r, ok := audit.OutcomeOf(c.err)
		if o != c.outcome || r != c.reason || ok != c.ok {
			t.Errorf("OutcomeOf(%v) = %q %q %t", c.err, o, r, ok)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestSealAfter(t *testing.T) {
	t.Parallel()
	ev := func(seq int64, hash string) *audit.Event { return &audit.Event{Seq: seq, Hash: hash} }
	cases := []struct {
		name       string
		last, head *audit.Event
		want       *audit.Event
	}{
		{"an_empty_chain", nil, nil, nil},
		{"the_last_event_when_the_head_lags", ev(5, "e5"), ev(4, "h4"), ev(5, "e5")},
		{"the_head_when_the_tail_was_removed", ev(3, "e3"), ev(5, "h5"), ev(5, "h5")},
		{"the_head_when_the_last_event_was_rewritten", ev(5, "rewritten"), ev(5, "h5"), ev(5, "h5")},
		{"the_head_when_every_event_was_removed", nil, ev(2, "h2"), ev(2, "h2")},
		{"the_last_event_without_a_head", ev(1, "e1"), nil, ev(1, "e1")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := audit.SealAfter(c.last, c.head)
			if (got == nil) != (c.want == nil) || (got != nil && (got.Seq != c.want.Seq || got.Hash != c.want.Hash)) {
				t.Fatalf("SealAfter = %+v, want %+v", got, c.want)
			}
		})
	}
}
