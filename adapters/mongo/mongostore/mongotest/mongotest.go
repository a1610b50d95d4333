// Package mongotest gives tests a fresh MongoDB database: on the MongoDB named
// by MONGODB_TEST_URI when it is set, else on an in-process FerretDB started
// once per test binary (see package ferretdb), which cannot run every contract
// case faithfully: adapters skip those on it (Unfaithful) and every case runs
// on a real MongoDB.
package mongotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/ferretdb"
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

// storeDirPattern names the temporary folders of the tests' stores.
const storeDirPattern = "civictrust-mongotest-"

// removeStaleStores deletes the store folders of earlier test binaries: a
// binary cannot remove its own, whose store runs until the process exits.
// A folder an hour old belongs to no test binary still running.
func removeStaleStores() {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), storeDirPattern+"*"))
	for _, dir := range old {
		if st, err := os.Stat(dir); err == nil && time.Since(st.ModTime()) > time.Hour {
			_ = os.RemoveAll(dir)
		}
	}
}

// URI returns the MongoDB URI the tests use, starting FerretDB on first use
// when MONGODB_TEST_URI is not set; it fails t when it cannot be started.
func URI(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		if uri := os.Getenv(EnvURI); uri != "" {
			shared.uri = uri
			return
		}
		removeStaleStores()
		dir, err := os.MkdirTemp("", storeDirPattern)
		if err != nil {
			shared.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := ferretdb.Start(ctx, ferretdb.Options{
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
		t.Fatalf("mongotest: start FerretDB: %v", shared.err)
	}
	return shared.uri
}

// ClientOptions are what test clients change in the production client
// settings: nothing, but under the race detector, which makes FerretDB ten
// times slower or more, a longer operation timeout, so that a healthy store
// under load is not taken for one that went away.
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

// The limitations of FerretDB that cases are skipped for, as Unfaithful's
// reasons; package ferretdb's TestLimitations shows each of them.
const (
	// TwoStepUpdates: an update evaluates its filter, then writes the
	// document by _id, so that concurrent compare-and-sets on one version
	// can all apply and concurrent $inc or $addToSet can lose each other.
	TwoStepUpdates = "an update evaluates its filter and writes in two steps: concurrent compare-and-sets (and $inc, $addToSet) on one document can all apply"
	// NoTransactions: multi-document transactions are refused (a command
	// carrying startTransaction fails to parse).
	NoTransactions = "multi-document transactions are refused"
	// UpdateBreakingUniqueIndex: an update (not an insert) that breaks a
	// unique index fails with InternalError (1), not DuplicateKey (11000).
	UpdateBreakingUniqueIndex = "an update that breaks a unique index fails with InternalError (code 1), not DuplicateKey (11000)"
	// DuplicateKeyWithoutPattern: a duplicate-key error does not say which
	// unique index it broke.
	DuplicateKeyWithoutPattern = "a duplicate-key error does not name the index's keys (keyPattern)"
	// IndexOptionsChangeAccepted: re-creating an index under its name with
	// other options succeeds and changes nothing.
	IndexOptionsChangeAccepted = "re-creating an index under its name with other options is accepted silently"
)

// SkipOnFerretDB skips t on FerretDB, which cannot run it faithfully because
// of limitation (one of the constants above): for an adapter's own tests, as
// Unfaithful is for contract cases.
func SkipOnFerretDB(t testing.TB, limitation string) {
	t.Helper()
	if OnFerretDB() {
		t.Skip("FerretDB: " + limitation)
	}
}

// Indexed returns a new database (see Database) with indexes created as the
// service creates them at start.
func Indexed(t testing.TB, indexes ...mongostore.Index) *mongo.Database {
	t.Helper()
	db := Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := mongostore.EnsureIndexes(ctx, db, indexes); err != nil {
		t.Fatalf("mongotest: EnsureIndexes: %v", err)
	}
	return db
}
