// Package mongotest gives tests a fresh MongoDB database: on the store named by
// MONGODB_TEST_URI when it is set, else on an embedded FerretDB started once
// per test binary.
package mongotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/embedded"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
)

// EnvURI names the variable that points the tests at a real MongoDB.
const EnvURI = "MONGODB_TEST_URI"

// shared is the store every test of the binary uses, started on first use.
// Test-only state: a package-level once is the simplest way to share one
// store across the tests of a binary, and the store is left running until the
// process exits (its files stay in the temporary directory).
var shared struct {
	once sync.Once
	uri  string
	err  error
}

// URI returns the MongoDB URI the tests use, starting the embedded store on
// first use; it fails t when the store cannot be started.
func URI(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		if uri := os.Getenv(EnvURI); uri != "" {
			shared.uri = uri
			return
		}
		dir, err := os.MkdirTemp("", "civictrust-mongotest-")
		if err != nil {
			shared.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := embedded.Start(ctx, embedded.Options{
			Dir:    dir,
			Logger: zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).Level(zerolog.WarnLevel).With().Timestamp().Logger(),
		})
		if err != nil {
			shared.err = err
			return
		}
		shared.uri = s.URI()
	})
	if shared.err != nil {
		t.Fatalf("mongotest: start the embedded store: %v", shared.err)
	}
	return shared.uri
}

// ClientOptions are what test clients change in the production client
// settings: nothing, but under the race detector, which makes the embedded
// store ten times slower or more, a longer operation timeout, so that a
// healthy store under load is not taken for one that went away (the
// production 4 s failed the audit chain's concurrent appends under -race).
func ClientOptions() []mongostore.ConnectOption {
	if !RaceDetector {
		return nil
	}
	return []mongostore.ConnectOption{func(o *options.ClientOptions) { o.SetTimeout(time.Minute) }}
}

// Database returns a new, empty database with a unique name, reached through
// mongostore.Connect with the production client settings (see ClientOptions).
// It is dropped and its client closed when the test ends.
func Database(t testing.TB) *mongo.Database {
	t.Helper()
	uri := URI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := mongostore.Connect(ctx, uri, databaseName(t.Name()), ClientOptions()...)
	if err != nil {
		t.Fatalf("mongotest: connect: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.DB().Drop(ctx); err != nil {
			t.Errorf("mongotest: drop database %s: %v", c.DB().Name(), err)
		}
		if err := c.Close(ctx); err != nil {
			t.Errorf("mongotest: close: %v", err)
		}
	})
	return c.DB()
}

// databaseName derives a valid, unique database name (at most 63 characters
// of [A-Za-z0-9_-], the strictest rule among MongoDB and FerretDB) from a
// test name, so that a leftover database says which test made it.
func databaseName(testName string) string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // never fails
	suffix := "_" + hex.EncodeToString(b[:])

	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			return r
		default:
			return '_'
		}
	}, testName)
	const maxLen = 63
	if keep := maxLen - len("t_") - len(suffix); len(clean) > keep {
		clean = clean[len(clean)-keep:] // the end of a subtest name says the most
	}
	return "t_" + clean + suffix
}

// ForEachLockTable runs fn once per kind of lock table the service uses: the
// one for a store other replicas write to (MongoDB), and the sole writer's
// (the embedded store), whose compare-and-sets go by _id alone under the
// lock. A repository's contract suite must hold with both.
func ForEachLockTable(t *testing.T, fn func(t *testing.T, newLocks func() *mongostore.DocLocks)) {
	t.Helper()
	t.Run("replicas", func(t *testing.T) { fn(t, mongostore.NewDocLocks) })
	t.Run("sole_writer", func(t *testing.T) { fn(t, mongostore.NewSoleWriterDocLocks) })
}

// Reconnect returns db reached through a client of its own, as another
// process would reach it; the client is closed when the test ends.
func Reconnect(t testing.TB, db *mongo.Database) *mongo.Database {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := mongostore.Connect(ctx, URI(t), db.Name(), ClientOptions()...)
	if err != nil {
		t.Fatalf("mongotest: connect: %v", err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c.DB()
}

// OnFerretDB reports whether the tests run on the in-process FerretDB rather
// than a MongoDB named by MONGODB_TEST_URI.
func OnFerretDB() bool { return os.Getenv(EnvURI) == "" }

// Unfaithful maps the name of a contract case (the last part of its test
// name) to the limitation of FerretDB that keeps it from running the case
// faithfully.
type Unfaithful map[string]string

// Skip skips t when it is one of the cases and the tests run on FerretDB:
// adapters call it from the constructor a contract suite calls at the start
// of every case. On a real MongoDB every case runs.
func (u Unfaithful) Skip(t testing.TB) {
	t.Helper()
	if !OnFerretDB() {
		return
	}
	name := t.Name()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if reason, ok := u[name]; ok {
		t.Skip("FerretDB: " + reason)
	}
}
