package mongostore

import (
	"sync"

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
}

type docLock struct {
	sync.Mutex
	users int // holders and waiters; the entry is dropped at zero
}

// NewDocLocks returns an empty lock table.
func NewDocLocks() *DocLocks { return &DocLocks{locks: map[string]*docLock{}} }

// Lock locks document id of collection c and returns the unlock function.
func (d *DocLocks) Lock(c *mongo.Collection, id string) (unlock func()) {
	key := c.Database().Name() + "." + c.Name() + "\x00" + id
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
