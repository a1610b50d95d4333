package fsblob_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/blob/fsblob"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/platformport/platformporttest"
)

func TestBlobStore(t *testing.T) {
	platformporttest.TestBlobStore(t, func(t *testing.T) platformport.BlobStore {
		s, err := fsblob.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}, platformporttest.SuiteOptions{
		MaxFileSize: 16 << 20,
		Count: func(t *testing.T, s platformport.BlobStore) int {
			return countFiles(t, s.(*fsblob.Store).Root())
		},
	})
}

// countFiles counts every file under root, the temporary ones included.
func countFiles(t *testing.T, root string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLayout(t *testing.T) {
	root := t.TempDir()
	s, err := fsblob.New(root)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Put(context.Background(), bytes.NewReader([]byte("hello")), 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, info.Key[:2], info.Key))
	if err != nil {
		t.Fatalf("blob not at <root>/<key[:2]>/<key>: %v", err)
	}
	if string(got) != "hello" {
		t.Errorf("file holds %q", got)
	}
	tmp, err := os.ReadDir(filepath.Join(root, ".tmp"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tmp) != 0 {
		t.Errorf(".tmp holds %d files after a Put", len(tmp))
	}
}

func TestNewRemovesStaleTemporaryFiles(t *testing.T) {
	root := t.TempDir()
	if _, err := fsblob.New(root); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(root, ".tmp")
	stale := filepath.Join(tmp, "put-stale")
	fresh := filepath.Join(tmp, "put-fresh")
	other := filepath.Join(tmp, "not-ours")
	for _, name := range []string{stale, fresh, other} {
		if err := os.WriteFile(name, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	for _, name := range []string{stale, other} {
		if err := os.Chtimes(name, old, old); err != nil {
			t.Fatal(err)
		}
	}

	if _, err := fsblob.New(root); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a temporary file untouched for 2 h survived New: %v", err)
	}
	for _, name := range []string{fresh, other} {
		if _, err := os.Stat(name); err != nil {
			t.Errorf("New removed %s: %v", filepath.Base(name), err)
		}
	}
}

func TestNewRequiresRoot(t *testing.T) {
	if _, err := fsblob.New(""); err == nil {
		t.Error("New(\"\") succeeded")
	}
}

func BenchmarkPut64MiB(b *testing.B) {
	s, err := fsblob.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	data := make([]byte, 64<<20)
	for i := range data {
		data[i] = byte(i * 31)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		info, err := s.Put(ctx, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := s.Delete(ctx, info.Key); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

func TestStagingStore(t *testing.T) {
	platformporttest.TestStagingStore(t, func(t *testing.T) platformporttest.StagedStore {
		s, err := fsblob.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}, platformporttest.StagingOptions{
		MaxFileSize: 16 << 20,
		Count: func(t *testing.T, s platformporttest.StagedStore) int {
			return countFiles(t, s.(*fsblob.Store).Root())
		},
	})
}

// A stage is a file of .uploads named by its key until it is committed.
func TestStagesLiveInUploads(t *testing.T) {
	root := t.TempDir()
	s, err := fsblob.New(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	key, err := s.CreateStage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteStage(ctx, key, 0, bytes.NewReader([]byte("part")), 0); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(root, ".uploads", key)); err != nil || string(got) != "part" {
		t.Fatalf("stage file: %q, %v", got, err)
	}
	if _, err := s.CommitStage(ctx, key, 4); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".uploads", key)); !os.IsNotExist(err) {
		t.Errorf("the stage file is still there after the commit: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(root, key[:2], key)); err != nil || string(got) != "part" {
		t.Errorf("blob file: %q, %v", got, err)
	}
}
