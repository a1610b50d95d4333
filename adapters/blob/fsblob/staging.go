package fsblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

var _ platformport.StagingStore = (*Store)(nil)

// stagesDir is the directory, under the root, that holds the stages of
// uploads in pieces: one file per stage, named by its key, which CommitStage
// renames into place as the blob of the same key. With the root on a volume
// the replicas share, any of them takes the next piece.
const stagesDir = ".uploads"

// stagePath is the file of a (valid) stage key.
func (s *Store) stagePath(key string) string { return filepath.Join(s.stages, key) }

// CreateStage creates an empty stage file.
func (s *Store) CreateStage(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	key := blobio.NewKey()
	f, err := os.OpenFile(s.stagePath(key), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("fsblob: create stage: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("fsblob: create stage: %w", err)
	}
	if err := syncDir(s.stages); err != nil {
		_ = os.Remove(s.stagePath(key))
		return "", err
	}
	return key, nil
}

// WriteStage cuts the stage file at offset and appends what r yields, then
// flushes it to disk: what it reports staged is durable.
func (s *Store) WriteStage(ctx context.Context, key string, offset int64, r io.Reader, maxBytes int64) (int64, error) {
	if !blobio.IsKey(key) {
		return 0, platformport.ErrBlobNotFound
	}
	if offset < 0 {
		return 0, fmt.Errorf("fsblob: negative offset %d", offset)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	f, err := os.OpenFile(s.stagePath(key), os.O_WRONLY, 0) // #nosec G304 -- key is 32 hex digits, checked above
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, platformport.ErrBlobNotFound
		}
		return 0, fmt.Errorf("fsblob: open stage: %w", err)
	}
	n, err := s.appendAt(ctx, f, offset, r, maxBytes)
	if cerr := f.Close(); cerr != nil && err == nil {
		return 0, fmt.Errorf("fsblob: close stage: %w", cerr)
	}
	return n, err
}

// appendAt writes r to f from offset on and syncs f; on a failure to write
// or sync it reports nothing staged (the caller writes again from offset).
func (s *Store) appendAt(ctx context.Context, f *os.File, offset int64, r io.Reader, maxBytes int64) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("fsblob: stat stage: %w", err)
	}
	if offset > fi.Size() {
		return 0, platformport.ErrStageOffset
	}
	if err := f.Truncate(offset); err != nil {
		return 0, fmt.Errorf("fsblob: cut stage: %w", err)
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, fmt.Errorf("fsblob: seek stage: %w", err)
	}
	n, rerr := blobio.Stage(ctx, &writebackFile{f: f, written: offset, started: offset}, r, maxBytes)
	var werr *writeError
	if errors.As(rerr, &werr) {
		return 0, rerr
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("fsblob: sync stage: %w", err)
	}
	return n, rerr
}

// CommitStage flushes the stage and renames it into place.
func (s *Store) CommitStage(ctx context.Context, key string, size int64) (string, error) {
	if !blobio.IsKey(key) {
		return "", platformport.ErrBlobNotFound
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	dir, final := s.path(key)
	f, err := os.OpenFile(s.stagePath(key), os.O_WRONLY, 0) // #nosec G304 -- key is 32 hex digits, checked above
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(final); serr == nil {
			return key, nil // committed already
		}
		return "", platformport.ErrBlobNotFound
	}
	if err != nil {
		return "", fmt.Errorf("fsblob: open stage: %w", err)
	}
	err = checkAndSync(f, size)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("fsblob: close stage: %w", cerr)
	}
	if err != nil {
		return "", err
	}
	created, err := mkdir(dir)
	if err != nil {
		return "", fmt.Errorf("fsblob: create shard directory: %w", err)
	}
	if created {
		if err := syncDir(s.root); err != nil {
			return "", err
		}
	}
	if err := os.Rename(s.stagePath(key), final); err != nil {
		return "", fmt.Errorf("fsblob: move stage into place: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return "", err
	}
	return key, syncDir(s.stages)
}

// checkAndSync checks that f holds size bytes and flushes it.
func checkAndSync(f *os.File, size int64) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("fsblob: stat stage: %w", err)
	}
	if fi.Size() != size {
		return platformport.ErrStageIncomplete
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsblob: sync stage: %w", err)
	}
	return nil
}

// AbortStage removes the stage file.
func (s *Store) AbortStage(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !blobio.IsKey(key) {
		return nil
	}
	if err := os.Remove(s.stagePath(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("fsblob: delete stage: %w", err)
	}
	return nil
}

// SweepStages removes the stage files not written to since before.
func (s *Store) SweepStages(ctx context.Context, before time.Time) (int, error) {
	entries, err := os.ReadDir(s.stages)
	if err != nil {
		return 0, fmt.Errorf("fsblob: list %s: %w", s.stages, err)
	}
	n := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if !e.Type().IsRegular() || !blobio.IsKey(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil || !fi.ModTime().Before(before) {
			continue // removed meanwhile, or recent
		}
		if err := os.Remove(filepath.Join(s.stages, e.Name())); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // another replica swept it
			}
			return n, fmt.Errorf("fsblob: remove stage: %w", err)
		}
		n++
	}
	return n, nil
}
