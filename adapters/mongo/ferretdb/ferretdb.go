// Package ferretdb runs FerretDB (v1.24, SQLite backend) in process: the
// MongoDB-compatible engine the Mongo adapters' tests run on when no MongoDB
// is at hand (see mongotest), and the way to read a data folder of the
// earlier embedded store. It is test tooling: the server never imports it
// (TestTheServerHasNoFerretDB).
//
// FerretDB is not faithful to MongoDB. capabilities_test.go pins the
// differences that contract cases are skipped for on it (mongotest lists
// them); the adapters follow MongoDB and are never shaped around them.
package ferretdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/rs/zerolog"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Listener kinds accepted in Options.Listen.
const (
	// ListenUnix serves on a Unix domain socket (the default): only this
	// machine can connect, and no port is taken.
	ListenUnix = "unix"
	// ListenTCP serves on a loopback TCP address so another process (a CLI,
	// mongosh) can share the store.
	ListenTCP = "tcp"
)

// socketName is the socket's file name inside Options.Dir.
const socketName = "ferretdb.sock"

// maxSocketPath is the longest Unix socket path used: sockaddr_un.sun_path is
// 108 bytes on Linux and 104 on the BSDs and macOS, including the final NUL.
const maxSocketPath = 103

// readyTimeout bounds the wait for the first successful ping.
const readyTimeout = 15 * time.Second

// Options configures Start.
type Options struct {
	// Dir holds the SQLite files (one per database); it is created with mode
	// 0o700 when missing. Required.
	Dir string
	// Listen is ListenUnix (the default when empty) or ListenTCP.
	Listen string
	// TCPAddr is the address to listen on with ListenTCP; empty means
	// 127.0.0.1:0 (a free loopback port).
	TCPAddr string
	// Logger receives FerretDB's warnings and errors; lower levels (and its
	// dumps of failed commands) are dropped. The zero value discards everything.
	Logger zerolog.Logger
}

// newMu serialises ferretdb.New, which writes a package variable of FerretDB
// (version.Get().Package), so that stores started in parallel (tests) do not
// race. It guards FerretDB's global, not state of this package.
var newMu sync.Mutex

// Store is a running in-process FerretDB. Stop it to close the SQLite files.
type Store struct {
	dir      string // the SQLite files
	uri      string
	cancel   context.CancelFunc
	done     chan struct{}
	stopOnce sync.Once
}

// Start opens (or creates) the store in opts.Dir, starts serving it and
// returns once the listener answers a ping. ctx bounds only the start-up;
// the store runs until Stop.
func Start(ctx context.Context, opts Options) (*Store, error) {
	if opts.Dir == "" {
		return nil, errors.New("ferretdb: Options.Dir is required")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("ferretdb: resolve dir: %w", err)
	}
	// FerretDB puts the directory into a SQLite URI without escaping it.
	if strings.ContainsAny(dir, "?#") {
		return nil, fmt.Errorf("ferretdb: dir %q must not contain '?' or '#'", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("ferretdb: create dir: %w", err)
	}

	var listener ferretdb.ListenerConfig
	var socket string
	switch opts.Listen {
	case "", ListenUnix:
		socket = socketPath(dir)
		if len(socket) > maxSocketPath {
			return nil, fmt.Errorf("ferretdb: socket path %q is too long", socket)
		}
		if err := removeStaleSocket(socket); err != nil {
			return nil, err
		}
		listener.Unix = socket
	case ListenTCP:
		listener.TCP = opts.TCPAddr
		if listener.TCP == "" {
			listener.TCP = "127.0.0.1:0"
		}
	default:
		return nil, fmt.Errorf("ferretdb: unknown Listen %q (want %q or %q)", opts.Listen, ListenUnix, ListenTCP)
	}

	newMu.Lock()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  listener,
		Logger:    newSlogLogger(opts.Logger),
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	newMu.Unlock()
	if err != nil {
		// When listening fails (say a TCP address in use), FerretDB v1.24 returns
		// without closing the SQLite backend it opened; nothing here can close it.
		return nil, fmt.Errorf("ferretdb: start FerretDB: %w", err)
	}

	uri := f.MongoDBURI() // the listener is bound by New, so this does not block
	if socket != "" {
		// The driver wants the socket path, URL-escaped, as the host.
		uri = "mongodb://" + url.PathEscape(socket) + "/"
	}

	// cancel is kept in the Store and called by Stop.
	runCtx, cancel := context.WithCancel(context.Background()) //nolint:gosec // G118: see above
	s := &Store{dir: dir, uri: uri, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = f.Run(runCtx) // always nil; it returns once runCtx is canceled
	}()

	if err := s.waitReady(ctx); err != nil {
		stopCtx, stopCancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer stopCancel()
		_ = s.Stop(stopCtx)
		return nil, err
	}
	return s, nil
}

// URI returns the MongoDB connection string for the driver.
func (s *Store) URI() string { return s.uri }

// Stop stops serving, waits for open connections to end (FerretDB gives
// connected clients up to 3 s) and closes the SQLite files. ctx bounds the wait;
// calling Stop again only waits again.
func (s *Store) Stop(ctx context.Context) error {
	s.stopOnce.Do(s.cancel)
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("ferretdb: stop: %w", ctx.Err())
	}
}

// waitReady pings the store until it answers, ctx ends or readyTimeout passes.
func (s *Store) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()

	client, err := mongo.Connect(options.Client().ApplyURI(s.uri).SetServerSelectionTimeout(readyTimeout))
	if err != nil {
		return fmt.Errorf("ferretdb: connect to FerretDB: %w", err)
	}
	defer func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer dcancel()
		_ = client.Disconnect(dctx)
	}()

	pinged := make(chan error, 1)
	go func() { pinged <- client.Ping(ctx, nil) }()
	select {
	case err = <-pinged:
	case <-s.done:
		cancel()
		<-pinged //nolint:errcheck // the ping no longer matters: the store stopped
		err = errors.New("stopped before it was ready")
	}
	if err != nil {
		return fmt.Errorf("ferretdb: FerretDB did not become ready: %w", err)
	}
	return nil
}

// Serving reports whether a store (of this process or another one) serves
// dir on its Unix socket: the earlier embedded server still running on a
// data folder, which must be stopped before its files are read.
func Serving(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	c, err := net.DialTimeout("unix", socketPath(abs), time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// socketPath returns the socket for dir: inside it when the path is short
// enough for a Unix socket, else in the temporary directory under a name
// derived from dir (so a stale socket of an earlier run is found again).
func socketPath(dir string) string {
	p := filepath.Join(dir, socketName)
	if len(p) <= maxSocketPath {
		return p
	}
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join(os.TempDir(), "ferretdb-"+hex.EncodeToString(sum[:8])+".sock")
}

// removeStaleSocket deletes a socket file left by a run that did not stop
// cleanly. It refuses to delete a socket that still accepts connections (a
// live store on the same dir) or a file that is not a socket.
func removeStaleSocket(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ferretdb: check socket: %w", err)
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("ferretdb: %s exists and is not a socket", path)
	}
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		_ = c.Close()
		return fmt.Errorf("ferretdb: %s is in use: another store is serving this dir", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("ferretdb: remove stale socket: %w", err)
	}
	return nil
}
