package mongostore

import (
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// DocLocks serialises read-modify-write cycles on one document within this
// process. On MongoDB a filtered update ({_id, version}) is atomic, so the
// compare-and-set alone is safe across replicas. The embedded FerretDB (SQLite)
// store evaluates the filter and writes the document in two steps (a query, then
// an UPDATE by _id), so concurrent compare-and-sets on one version can all match
// and updates are lost; the same holds for $addToSet and $inc. The embedded
// store serves a single process, so a per-document lock shared by every
// repository of the process closes that window. Create one per process (wiring
// does) and hand it to every repository.
type DocLocks struct {
	mu    sync.Mutex
	locks map[string]*docLock
	// soleWriter: this process is the only one writing to the store (the
	// embedded store, which refuses a second process), see VersionFilter.
	soleWriter bool
	// stored is what this process last wrote of each document, for the sole
	// writer only (see Current and Latest); at most maxStoredVersions entries.
	stored map[string]storedCopy
}

// storedCopy is a document as this process last wrote it.
type storedCopy struct {
	version int64
	doc     any // what the writer kept of it (see Stored), or nil
}

// maxStoredVersions bounds how many documents Stored remembers; a document
// that is not remembered is read again, which is only slower.
const maxStoredVersions = 10_000

type docLock struct {
	sync.Mutex
	users int // holders and waiters; the entry is dropped at zero
}

// NewDocLocks returns an empty lock table for a store other processes may
// write to as well (MongoDB).
func NewDocLocks() *DocLocks { return &DocLocks{locks: map[string]*docLock{}} }

// NewSoleWriterDocLocks returns an empty lock table for a store only this
// process writes to: the embedded store (see VersionFilter).
func NewSoleWriterDocLocks() *DocLocks {
	return &DocLocks{locks: map[string]*docLock{}, soleWriter: true, stored: map[string]storedCopy{}}
}

// SoleWriter reports whether this process is the store's only writer.
func (d *DocLocks) SoleWriter() bool { return d.soleWriter }

// VersionFilter is the filter of a compare-and-set that replaces document
// id, read with version in its field (the document's counter of changes:
// "version", "revision"), while its lock is held.
//
// For a store other processes write to, it is {_id, field: version}: MongoDB applies
// it atomically, which keeps replicas from overwriting each other. For the
// sole writer it is {_id} alone: a read-modify-write that read the document
// while holding its lock (the callers' rule) knows the version cannot have
// moved; and the embedded store looks documents up without decoding the whole
// collection only for a lone _id (a session update among 5,000 sessions:
// 267 ms with the version in the filter, 1.1 ms without; see
// BenchmarkSessionsOnTheEmbeddedStore in identitymongo). A document deleted
// meanwhile still matches nothing.
func (d *DocLocks) VersionFilter(id any, field string, version int64) bson.D {
	if d.soleWriter {
		return bson.D{{Key: "_id", Value: id}}
	}
	return bson.D{{Key: "_id", Value: id}, {Key: field, Value: version}}
}

// Stored records that this process has just written version of document id
// of c, while holding its lock, and keeps doc with it when not nil: what the
// writer wants Latest to give back (an immutable value, such as the encoded
// document). Only the sole writer remembers (see Current and Latest).
func (d *DocLocks) Stored(c *mongo.Collection, id string, version int64, doc any) {
	if !d.soleWriter {
		return
	}
	key := lockKey(c, id)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.stored[key]; !ok && len(d.stored) >= maxStoredVersions {
		for k := range d.stored { // any one: map iteration order is random
			delete(d.stored, k)
			break
		}
	}
	d.stored[key] = storedCopy{version: version, doc: doc}
}

// Forget drops what Stored recorded for document id of c: after deleting it,
// or after a write whose outcome is unknown (an error may come after the
// store applied it).
func (d *DocLocks) Forget(c *mongo.Collection, id string) {
	if !d.soleWriter {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.stored, lockKey(c, id))
}

// Current reports whether version is the version of document id of c that
// this process last wrote. For the sole writer holding the document's lock,
// that means the store still holds it: a copy read at that version before the
// lock was taken is what a read under the lock would return, so a
// read-modify-write may start from it instead of reading again. It is always
// false for a store other processes write to, where the compare-and-set on the
// version (VersionFilter) is what protects such a copy.
func (d *DocLocks) Current(c *mongo.Collection, id string, version int64) bool {
	if !d.soleWriter {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.stored[lockKey(c, id)]
	return ok && s.version == version
}

// Latest returns what the sole writer kept of document id of c when it last
// wrote it (see Stored). Nothing else writes to its store, so that is what the
// store holds: under the document's lock, exactly; without it, a write of this
// process may be under way, and the answer is the state before it, as a read
// of the store a moment earlier would have been. It is always false for a
// store other processes write to.
func (d *DocLocks) Latest(c *mongo.Collection, id string) (doc any, ok bool) {
	if !d.soleWriter {
		return nil, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.stored[lockKey(c, id)]
	return s.doc, ok && s.doc != nil
}

func lockKey(c *mongo.Collection, id string) string {
	return c.Database().Name() + "." + c.Name() + "\x00" + id
}

// Lock locks document id of collection c and returns the unlock function.
func (d *DocLocks) Lock(c *mongo.Collection, id string) (unlock func()) {
	key := lockKey(c, id)
	d.mu.Lock()
	l := d.locks[key]
	if l == nil {
		l = &docLock{}
		d.locks[key] = l
	}
	l.users++
	d.mu.Unlock()

	l.Lock()
	return func() {
		l.Unlock()
		d.mu.Lock()
		if l.users--; l.users == 0 {
			delete(d.locks, key)
		}
		d.mu.Unlock()
	}
}
