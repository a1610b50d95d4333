// Package storeport declares how a whole store is read and written record by
// record: for backups (`civictrust store export|import`) and for moving a
// trust between the embedded store and MongoDB (`civictrust store copy`).
package storeport

import (
	"context"
	"io"
	"sort"
)

// Kind names what a record is.
type Kind string

// The kinds of records.
const (
	KindRole          Kind = "role"           // *access.Role
	KindModule        Kind = "module"         // *access.Module
	KindUser          Kind = "user"           // *identity.User
	KindSession       Kind = "session"        // *identity.Session
	KindToken         Kind = "one_time_token" // *identity.OneTimeToken
	KindCommunity     Kind = "community"      // *community.Community
	KindMembership    Kind = "membership"     // *community.Membership
	KindJoinRequest   Kind = "join_request"   // *community.JoinRequest
	KindDataset       Kind = "dataset"        // *dataset.Dataset, with every version
	KindTerms         Kind = "terms"          // *governance.Terms
	KindConsent       Kind = "consent"        // *governance.Consent
	KindAccessRequest Kind = "access_request" // *governance.AccessRequest
	KindGrant         Kind = "grant"          // *governance.Grant
	KindNoticeClaim   Kind = "notice_claim"   // *governance.NoticeClaim
	KindAuditHead     Kind = "audit_head"     // *audit.Event: only Seq, ID, At and Hash
	KindAuditEvent    Kind = "audit_event"    // *audit.Event, sealed
)

// Kinds lists every kind in the order stores give their sections, exports
// write them and imports read them: the audit head before the events, so that
// an export of a running service records a head no further than the events
// it holds.
func Kinds() []Kind {
	return []Kind{KindRole, KindModule, KindUser, KindSession, KindToken, KindCommunity, KindMembership,
		KindJoinRequest, KindDataset, KindTerms, KindConsent, KindAccessRequest, KindGrant, KindNoticeClaim,
		KindAuditHead, KindAuditEvent}
}

// Store is every section of one store.
type Store interface {
	// Sections are the store's sections, in the order of Kinds.
	Sections() []Section
	// View runs fn with a context under which the sections read one
	// consistent snapshot, as far as the store offers one.
	View(ctx context.Context, fn func(ctx context.Context) error) error
}

// Section is every record of one kind in one store. Records are the domain's
// values (pointers to the types named beside each Kind), exactly as stored:
// ids, versions and audit seals included.
type Section interface {
	Kind() Kind
	// Count is the number of records.
	Count(ctx context.Context) (int64, error)
	// Each calls fn for every record, in a stable order (audit events in
	// sequence order), until fn fails.
	Each(ctx context.Context, fn func(v any) error) error
	// Insert writes records as they are into a store that holds none of
	// them yet: one batch, all or nothing.
	Insert(ctx context.Context, vs []any) error
}

// Writer receives a store's content: an export file, or another store.
type Writer interface {
	// Record takes one record of kind.
	Record(kind Kind, v any) error
	// Blob takes the file stored under key, read from r, whose SHA-256 is sum.
	Blob(key, sum string, r io.Reader) error
}

// Reader gives a store's content back, item by item, io.EOF at its end.
type Reader interface {
	Next() (Item, error)
}

// Item is a record, or a file (Blob set).
type Item struct {
	Kind  Kind
	Value any
	Blob  *Blob
}

// Blob is a file: its key in the store it came from, its SHA-256, and its
// bytes, to be read before the next item.
type Blob struct {
	Key    string
	SHA256 string
	Data   io.Reader
}

// InKindOrder returns the sections in the order of Kinds (sections of kinds
// Kinds does not name last, in the order given).
func InKindOrder(sections []Section) []Section {
	rank := map[Kind]int{}
	for i, k := range Kinds() {
		rank[k] = i + 1
	}
	out := append([]Section(nil), sections...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank[out[i].Kind()], rank[out[j].Kind()]
		if ri == 0 {
			ri = len(rank) + 1
		}
		if rj == 0 {
			rj = len(rank) + 1
		}
		return ri < rj
	})
	return out
}
