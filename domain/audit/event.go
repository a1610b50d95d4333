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

// Break is the first broken link of a chain.
type Break struct {
	Seq    int64
	ID     string
	At     time.Time
	Reason string
}

// Verifier checks a chain event by event, in sequence order.
type Verifier struct {
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
	}
	c := *e
	v.prev = &c
	v.Checked++
	return nil
}
