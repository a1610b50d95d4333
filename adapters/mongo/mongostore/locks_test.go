package mongostore

import (
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// collections returns two collections of a client that never dials: the lock
// table only uses their names.
func collections(t *testing.T) (users, sessions *mongo.Collection) {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI("mongodb://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Disconnect(t.Context()) })
	db := c.Database("civictrust")
	return db.Collection("users"), db.Collection("sessions")
}

func TestTheSoleWriterRemembersTheVersionsItWrote(t *testing.T) {
	users, sessions := collections(t)
	d := NewSoleWriterDocLocks()
	if d.Current(users, "a", 1) {
		t.Fatal("a version never written is current")
	}
	d.Stored(users, "a", 3, nil)
	if !d.Current(users, "a", 3) {
		t.Fatal("the version just written is not current")
	}
	for _, c := range []struct {
		c       *mongo.Collection
		id      string
		version int64
	}{{users, "a", 2}, {users, "a", 4}, {users, "b", 3}, {sessions, "a", 3}} {
		if d.Current(c.c, c.id, c.version) {
			t.Errorf("%s %q v%d is current after writing users \"a\" v3", c.c.Name(), c.id, c.version)
		}
	}
	d.Stored(users, "a", 4, nil)
	if d.Current(users, "a", 3) || !d.Current(users, "a", 4) {
		t.Fatal("a newer write did not replace the older version")
	}
	d.Forget(users, "a")
	if d.Current(users, "a", 4) {
		t.Fatal("a forgotten version is still current")
	}
}

// Where other processes write too, nothing is ever current: only the
// compare-and-set on the version can tell.
func TestReplicasNeverTrustAVersion(t *testing.T) {
	users, _ := collections(t)
	d := NewDocLocks()
	d.Stored(users, "a", 3, nil)
	if d.Current(users, "a", 3) {
		t.Fatal("a replica's lock table says a version is current")
	}
}

func TestRememberedVersionsAreBounded(t *testing.T) {
	users, _ := collections(t)
	d := NewSoleWriterDocLocks()
	for i := range maxStoredVersions + 500 {
		d.Stored(users, fmt.Sprint(i), 1, nil)
	}
	if n := len(d.stored); n != maxStoredVersions {
		t.Fatalf("%d versions remembered, want at most %d", n, maxStoredVersions)
	}
	last := fmt.Sprint(maxStoredVersions + 499)
	if !d.Current(users, last, 1) {
		t.Fatal("the latest write was not remembered")
	}
	d.Stored(users, last, 2, nil) // an update of a remembered document evicts nothing
	if n := len(d.stored); n != maxStoredVersions {
		t.Fatalf("%d versions remembered after an update, want %d", n, maxStoredVersions)
	}
}

// Latest gives back what the last write kept, and nothing older: a later write
// that kept nothing, or a forgotten document, leaves no copy behind.
func TestTheSoleWriterKeepsOnlyTheLatestCopy(t *testing.T) {
	users, sessions := collections(t)
	d := NewSoleWriterDocLocks()
	if _, ok := d.Latest(users, "a"); ok {
		t.Fatal("a copy of a document never written")
	}
	d.Stored(users, "a", 1, "v1")
	d.Stored(users, "a", 2, "v2")
	if doc, ok := d.Latest(users, "a"); !ok || doc != "v2" {
		t.Fatalf("Latest = %v, %v; want v2", doc, ok)
	}
	if _, ok := d.Latest(sessions, "a"); ok {
		t.Fatal("a copy under another collection's document of the same id")
	}
	d.Stored(users, "a", 3, nil)
	if doc, ok := d.Latest(users, "a"); ok {
		t.Fatalf("Latest = %v after a write that kept nothing; want none", doc)
	}
	d.Stored(users, "a", 4, "v4")
	d.Forget(users, "a")
	if doc, ok := d.Latest(users, "a"); ok {
		t.Fatalf("Latest = %v after Forget; want none", doc)
	}

	replica := NewDocLocks()
	replica.Stored(users, "a", 1, "v1")
	if _, ok := replica.Latest(users, "a"); ok {
		t.Fatal("a replica's lock table kept a copy")
	}
}
