// Package fsblob keeps blobs as files under a root directory.
//
// A blob with key k lives at <root>/<k[0:2]>/<k>. An upload is written to a
// temporary file in <root>/.tmp while it is counted and hashed, flushed to
// disk, then renamed into place: a blob is visible under its key only once it
// is complete and durable, and a failed upload leaves nothing behind. Files a
// crash left in .tmp are removed by New once they are an hour old.
//
// Uploads that arrive in pieces are staged in <root>/.uploads (see
// staging.go) and renamed into place the same way when complete.
package fsblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

var _ platformport.BlobStore = (*Store)(nil)

const (
	// tmpDir is the directory, under the root, that holds uploads in progress.
	tmpDir = ".tmp"
	// tmpPattern names the temporary files (os.CreateTemp replaces the *).
	tmpPattern = "put-*"
	// staleAfter is the age (time since the last write) after which New
	// removes a temporary file: it was left by a crash, since an upload in
	// progress writes to its file continually.
	staleAfter = time.Hour
	// dirPerm is the permission of the directories the store creates; files
	// are created 0600 by os.CreateTemp: only the service's user reads them.
	dirPerm = 0o750
)

// Store is a BlobStore on the local filesystem. Keys are 32 lower-case hex
// digits. It is safe for concurrent use, also by several processes sharing
// one root.
type Store struct {
	root   string
	tmp    string
	stages string
}

// New returns a store rooted at root, creating the directory when missing,
// and removes the temporary files of uploads a crash interrupted (those not
// written to for an hour).
func New(root string) (*Store, error) {
	if root == "" {
		return nil, errors.New("fsblob: root directory is required")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("fsblob: root %q: %w", root, err)
	}
	s := &Store{root: abs, tmp: filepath.Join(abs, tmpDir), stages: filepath.Join(abs, stagesDir)}
	for _, dir := range []string{s.tmp, s.stages} {
		if err := os.MkdirAll(dir, dirPerm); err != nil {
			return nil, fmt.Errorf("fsblob: create %s: %w", dir, err)
		}
	}
	if err := s.removeStale(time.Now().Add(-staleAfter)); err != nil {
		return nil, err
	}
	return s, nil
}

// Root returns the store's root directory (absolute).
func (s *Store) Root() string { return s.root }

// Put streams r into a temporary file, then moves the complete file into
// place under a new key.
func (s *Store) Put(ctx context.Context, r io.Reader, maxBytes int64) (info platformport.BlobInfo, err error) {
	if err := ctx.Err(); err != nil {
		return platformport.BlobInfo{}, err
	}
	f, err := os.CreateTemp(s.tmp, tmpPattern)
	if err != nil {
		return platformport.BlobInfo{}, fmt.Errorf("fsblob: create temporary file: %w", err)
	}
	tmpName := f.Name()
	closed := false
	defer func() {
		if err == nil {
			return
		}
		if !closed {
			_ = f.Close()
		}
		_ = os.Remove(tmpName)
	}()

	copied, err := blobio.Copy(ctx, &writebackFile{f: f}, r, maxBytes)
	if err != nil {
		return platformport.BlobInfo{}, err
	}
	if err := f.Sync(); err != nil {
		return platformport.BlobInfo{}, fmt.Errorf("fsblob: sync temporary file: %w", err)
	}
	closed = true
	if err := f.Close(); err != nil {
		return platformport.BlobInfo{}, fmt.Errorf("fsblob: close temporary file: %w", err)
	}
	// The last chance to give up: after the rename the blob is stored.
	if err := ctx.Err(); err != nil {
		return platformport.BlobInfo{}, err
	}

	key := blobio.NewKey()
	dir, final := s.path(key)
	created, err := mkdir(dir)
	if err != nil {
		return platformport.BlobInfo{}, fmt.Errorf("fsblob: create shard directory: %w", err)
	}
	if created {
		// Make the new directory's entry in the root durable.
		if err := syncDir(s.root); err != nil {
			return platformport.BlobInfo{}, err
		}
	}
	// A rename replaces an existing file; with 128 random bits per key two
	// uploads never draw the same one.
	if err := os.Rename(tmpName, final); err != nil {
		return platformport.BlobInfo{}, fmt.Errorf("fsblob: move blob into place: %w", err)
	}
	if err := syncDir(dir); err != nil {
		// The rename may not be durable: take the blob back rather than
		// report a failure while keeping it.
		_ = os.Remove(final)
		return platformport.BlobInfo{}, err
	}
	return platformport.BlobInfo{Key: key, Size: copied.Size, SHA256: copied.SHA256}, nil
}

// writebackEvery is how much of an upload is written before the kernel is
// asked to start putting it on disk (see writebackFile).
const writebackEvery = 16 << 20

// writebackFile writes to f and, every writebackEvery bytes, starts the disk
// writeback of what was written: the disk works while the rest of the upload
// arrives, instead of all at once in the fsync that ends Put (which then
// waited for the whole file at the disk's speed).
type writebackFile struct {
	f       *os.File
	written int64 // bytes written so far
	started int64 // bytes whose writeback was started
}

func (w *writebackFile) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		return n, &writeError{err: err}
	}
	w.written += int64(n)
	if w.written-w.started >= writebackEvery {
		startWriteback(w.f, w.started, w.written-w.started)
		w.started = w.written
	}
	return n, nil
}

// writeError is a failed write to a file of the store (a full disk), told
// apart from a failure of the upload's reader.
type writeError struct{ err error }

func (e *writeError) Error() string { return "fsblob: write file: " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// Open opens the blob's file and positions it at offset; the reader stops
// after length bytes (length < 0: at the end of the file).
func (s *Store) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !blobio.IsKey(key) {
		return nil, platformport.ErrBlobNotFound
	}
	if offset < 0 {
		return nil, fmt.Errorf("fsblob: negative offset %d", offset)
	}
	_, name := s.path(key)
	f, err := os.Open(name) // #nosec G304 -- key is 32 hex digits, checked above
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, platformport.ErrBlobNotFound
		}
		return nil, fmt.Errorf("fsblob: open blob: %w", err)
	}
	if offset > 0 {
		// Seeking past the end is allowed: reads then give io.EOF at once.
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("fsblob: seek blob: %w", err)
		}
	}
	if length < 0 {
		return f, nil
	}
	return &section{Reader: io.LimitReader(f, length), f: f}, nil
}

// Delete removes the blob's file; a missing or malformed key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !blobio.IsKey(key) {
		return nil
	}
	_, name := s.path(key)
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("fsblob: delete blob: %w", err)
	}
	return nil
}

// path returns the shard directory and the file name of a (valid) key.
func (s *Store) path(key string) (dir, name string) {
	dir = filepath.Join(s.root, key[:2])
	return dir, filepath.Join(dir, key)
}

// removeStale removes the temporary files last written before cutoff.
func (s *Store) removeStale(cutoff time.Time) error {
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return fmt.Errorf("fsblob: list %s: %w", s.tmp, err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), strings.TrimSuffix(tmpPattern, "*")) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		if fi.ModTime().Before(cutoff) {
			if err := os.Remove(filepath.Join(s.tmp, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("fsblob: remove stale temporary file: %w", err)
			}
		}
	}
	return nil
}

// mkdir creates dir (its parent exists) and reports whether it created it.
func mkdir(dir string) (bool, error) {
	err := os.Mkdir(dir, dirPerm)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrExist):
		return false, nil
	default:
		return false, err
	}
}

// syncDir flushes a directory, making the entries created in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir) // #nosec G304 -- a directory of the store
	if err != nil {
		return fmt.Errorf("fsblob: open directory for sync: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("fsblob: sync directory %s: %w", dir, err)
	}
	return nil
}

// section reads part of an open file and closes the file.
type section struct {
	io.Reader // an *io.LimitedReader over f
	f         *os.File
}

// Close closes the file.
func (s *section) Close() error { return s.f.Close() }

// WriteTo hands the limited file to the destination's ReadFrom: a TCP
// connection then sends it with sendfile(2), without copying through user space.
func (s *section) WriteTo(w io.Writer) (int64, error) {
	if rf, ok := w.(io.ReaderFrom); ok {
		return rf.ReadFrom(s.Reader)
	}
	return io.Copy(w, s.Reader)
}
