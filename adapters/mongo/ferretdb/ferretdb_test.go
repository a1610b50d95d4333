package ferretdb_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/ferretdb"
)

// start starts a store with opts (Logger set to the test's output) and stops it at cleanup.
func start(t *testing.T, opts ferretdb.Options) *ferretdb.Store {
	t.Helper()
	opts.Logger = zerolog.New(zerolog.NewTestWriter(t))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := ferretdb.Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { stop(t, s) })
	return s
}

func stop(t *testing.T, s *ferretdb.Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Errorf("Stop: %v", err)
	}
}

// connect returns a driver client for uri, disconnected at cleanup.
func connect(t *testing.T, uri string) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(10 * time.Second))
	if err != nil {
		t.Fatalf("Connect(%s): %v", uri, err)
	}
	t.Cleanup(func() { disconnect(t, c) })
	return c
}

func disconnect(t *testing.T, c *mongo.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Disconnect(ctx); err != nil && !errors.Is(err, mongo.ErrClientDisconnected) {
		t.Errorf("Disconnect: %v", err)
	}
}

type note struct {
	ID   string `bson:"_id"`
	Text string `bson:"text"`
}

func TestStore(t *testing.T) {
	t.Run("data_survives_a_restart_on_the_same_dir", func(t *testing.T) {
		dir := t.TempDir()
		ctx := context.Background()

		s := start(t, ferretdb.Options{Dir: dir})
		c := connect(t, s.URI())
		coll := c.Database("app").Collection("notes")
		if _, err := coll.InsertOne(ctx, note{ID: "n1", Text: "hello"}); err != nil {
			t.Fatalf("InsertOne: %v", err)
		}
		var got note
		if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "n1"}}).Decode(&got); err != nil {
			t.Fatalf("FindOne: %v", err)
		}
		if got.Text != "hello" {
			t.Fatalf("read back %+v", got)
		}
		disconnect(t, c)
		stop(t, s)

		s2 := start(t, ferretdb.Options{Dir: dir})
		c2 := connect(t, s2.URI())
		got = note{}
		err := c2.Database("app").Collection("notes").FindOne(ctx, bson.D{{Key: "_id", Value: "n1"}}).Decode(&got)
		if err != nil {
			t.Fatalf("FindOne after restart: %v", err)
		}
		if got.Text != "hello" {
			t.Fatalf("after restart read back %+v", got)
		}
	})

	t.Run("missing_dir_is_created_private", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "b")
		s := start(t, ferretdb.Options{Dir: dir})
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o700 {
			t.Errorf("dir mode = %o, want 700", perm)
		}
		if !strings.HasPrefix(s.URI(), "mongodb://%2F") {
			t.Errorf("URI = %q, want an escaped socket path", s.URI())
		}
	})

	t.Run("stale_socket_file_does_not_prevent_a_start", func(t *testing.T) {
		dir := t.TempDir()
		sock := filepath.Join(dir, "ferretdb.sock")
		l, err := net.Listen("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		l.(*net.UnixListener).SetUnlinkOnClose(false) // what a crash leaves behind
		_ = l.Close()
		if _, err := os.Lstat(sock); err != nil {
			t.Fatalf("stale socket not in place: %v", err)
		}

		s := start(t, ferretdb.Options{Dir: dir})
		if err := connect(t, s.URI()).Ping(context.Background(), nil); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})

	t.Run("live_socket_is_not_taken_over", func(t *testing.T) {
		dir := t.TempDir()
		start(t, ferretdb.Options{Dir: dir})
		s, err := ferretdb.Start(context.Background(), ferretdb.Options{Dir: dir, Logger: zerolog.Nop()})
		if err == nil {
			stop(t, s)
			t.Fatal("second Start on a served dir succeeded")
		}
	})

	t.Run("long_dir_falls_back_to_a_socket_in_the_temp_dir", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), strings.Repeat("d", 60), strings.Repeat("e", 60))
		s := start(t, ferretdb.Options{Dir: dir})
		if strings.Contains(s.URI(), "ddddd") {
			t.Errorf("URI %q uses the long dir", s.URI())
		}
		if err := connect(t, s.URI()).Ping(context.Background(), nil); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})

	t.Run("tcp_listener_serves_loopback", func(t *testing.T) {
		s := start(t, ferretdb.Options{Dir: t.TempDir(), Listen: ferretdb.ListenTCP})
		if !strings.HasPrefix(s.URI(), "mongodb://127.0.0.1:") {
			t.Errorf("URI = %q", s.URI())
		}
		if err := connect(t, s.URI()).Ping(context.Background(), nil); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})

	t.Run("stores_start_in_parallel", func(t *testing.T) {
		for i := range 3 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				s := start(t, ferretdb.Options{Dir: t.TempDir()})
				if err := connect(t, s.URI()).Ping(context.Background(), nil); err != nil {
					t.Fatalf("Ping: %v", err)
				}
			})
		}
	})

	t.Run("unknown_listen_is_rejected", func(t *testing.T) {
		if _, err := ferretdb.Start(context.Background(), ferretdb.Options{Dir: t.TempDir(), Listen: "udp"}); err == nil {
			t.Fatal("Start accepted Listen=udp")
		}
	})
}

// FerretDB is a test engine: the server's binary must not contain it.
func TestTheServerHasNoFerretDB(t *testing.T) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	list := exec.Command("go", "list", "-deps", "./cmd/civictrust")
	list.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/civictrust: %v", err)
	}
	for dep := range strings.SplitSeq(string(out), "\n") {
		if strings.Contains(strings.ToLower(dep), "ferretdb") {
			t.Errorf("the server depends on %s", dep)
		}
	}
}
