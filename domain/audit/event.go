// Package audit is the tamper-evident record of who did what: events chained
// by hashes so that an edited, deleted or reordered event is detected.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"time"
)

// Outcomes.
const (
	Success = "success"
	Failure = "failure"
	Denied  = "denied"
)

// GenesisHash is the prev_hash of the first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Event is one entry of the audit trail.
type Event struct {
	Seq        int64 // position in the chain, from 1
	ID         string
	At         time.Time
	ActorID    string
	Action     string // e.g. auth.login, dataset.download
	TargetType string
	TargetID   string
	IP         string
	UserAgent  string
	RequestID  string
	Outcome    string
	Details    map[string]string // small, never secrets
	PrevHash   string
	Hash       string
}

// canonical is the event's hashed content: a fixed field order, times in UTC
// with milliseconds, details sorted by key (encoding/json sorts map keys).
func (e *Event) canonical() []byte {
	keys := make([]string, 0, len(e.Details))
	for k := range e.Details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	details := make([][2]string, 0, len(keys))
	for _, k := range keys {
		details = append(details, [2]string{k, e.Details[k]})
	}
	b, _ := json.Marshal([]any{
		strconv.FormatInt(e.Seq, 10), e.ID, e.At.UTC().Format("2006-01-02T15:04:05.000Z"), e.ActorID, e.Action,
		e.TargetType, e.TargetID, e.IP, e.UserAgent, e.RequestID, e.Outcome, details,
	})
	return b
}

// ComputeHash is SHA-256(canonical encoding of the event + prev_hash), hex.
func (e *Event) ComputeHash() string {
	h := sha256.New()
	h.Write(e.canonical())
	h.Write([]byte(e.PrevHash))
	return hex.EncodeToString(h.Sum(nil))
}

// Seal links the event after prev (nil for the first event) and computes its hash.
func (e *Event) Seal(prev *Event) {
	e.Seq, e.PrevHash = 1, GenesisHash
	if prev != nil {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	e.Hash = e.ComputeHash()
}

// SealAfter is what a new event is sealed after: the last stored event, or
// the head record (the end of the chain as recorded when it was appended)
// when that is as far along or further. A tail removed or rewritten in the
// store then stays visible: the next event links to what was recorded, not
// to what an intruder left, and never takes a removed event's number.
func SealAfter(last, head *Event) *Event {
	if head != nil && (last == nil || head.Seq >= last.Seq) {
		return head
	}
	return last
}

// Break is the first broken link of a chain.
type Break struct {
	Seq    int64
	ID     string
	At     time.Time
	Reason string
}

// Verifier checks a chain event by event, in sequence order.
//
// A walk alone cannot see a removed or rewritten tail: the last event has no
// successor whose prev_hash would disagree. Head anchors the tail: the end of
// the chain as the store recorded it when it last appended (seq, id, at and
// hash). Next then checks the event at Head.Seq against the recorded hash, and
// Finish reports a chain that ends before Head.
type Verifier struct {
	// Head is the recorded end of the chain, nil when none was recorded.
	Head    *Event
	prev    *Event
	Checked int64
}

// Next checks e against the event before it; it returns the break, if any.
func (v *Verifier) Next(e *Event) *Break {
	wantSeq, wantPrev := int64(1), GenesisHash
	if v.prev != nil {
		wantSeq, wantPrev = v.prev.Seq+1, v.prev.Hash
	}
	brk := func(reason string) *Break { return &Break{Seq: e.Seq, ID: e.ID, At: e.At, Reason: reason} }
	switch {
	case e.Seq != wantSeq:
		return brk("sequence " + strconv.FormatInt(e.Seq, 10) + " follows " + strconv.FormatInt(wantSeq-1, 10) + ": an event is missing or out of order")
	case e.PrevHash != wantPrev:
		return brk("prev_hash does not match the previous event's hash: an event before it was removed, reordered or edited")
	case e.ComputeHash() != e.Hash:
		return brk("hash does not match the event's content: the event was edited")
	case v.Head != nil && e.Seq == v.Head.Seq && e.Hash != v.Head.Hash:
		return brk("hash differs from the one recorded when the event was appended: the event was rewritten")
	}
	c := *e
	v.prev = &c
	v.Checked++
	return nil
}

// Finish is called after the last event: it reports a chain that ends before
// the recorded head (its last events were removed).
func (v *Verifier) Finish() *Break {
	last := int64(0)
	if v.prev != nil {
		last = v.prev.Seq
	}
	if v.Head == nil || v.Head.Seq <= last {
		return nil
	}
	b := &Break{Seq: last + 1, Reason: "event " + strconv.FormatInt(last+1, 10) + " is missing: the chain ends at " +
		strconv.FormatInt(last, 10) + " but event " + strconv.FormatInt(v.Head.Seq, 10) + " was appended: events were removed from the end"}
	if b.Seq == v.Head.Seq {
		b.ID, b.At = v.Head.ID, v.Head.At
	}
	return b
}

// Last returns a copy of the last event that passed, nil when none did.
func (v *Verifier) Last() *Event {
	if v.prev == nil {
		return nil
	}
	c := *v.prev
	return &c
}
