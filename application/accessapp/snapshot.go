package accessapp

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// reloadBackoff is how long after a failed reload requests use the last
// snapshot without trying the store again.
const reloadBackoff = time.Second

// reloadState remembers the last failed reload of the snapshot.
type reloadState struct {
	attempts atomic.Uint64 // finished reload attempts; read without reloadMu
	err      error         // the last attempt's error, nil after a success
	failedAt time.Time
}

// current returns a snapshot no older than maxAge. Once the snapshot is half
// that old, the request that notices starts a reload in the background and,
// like every request until it is done, goes on with the snapshot it has:
// requests wait for a reload only when none finished in time. (Before, every
// request of the process queued behind the store's reply once per maxAge.)
// While the store is down it
// keeps serving the last one rather than failing every request, without making
// requests queue behind one another's reload attempts (each would wait for the
// store's timeout in turn):
//
//   - the request that tries a reload, and those that waited for that attempt,
//     share its outcome; when the store is unavailable they fail with that error
//     (their own store calls would fail after the same wait anyway), so none
//     waits twice;
//   - for reloadBackoff after a failure, requests get the last snapshot at once.
func (s *Service) current(ctx context.Context) (*snapshot, error) {
	if snap := s.loaded(); snap != nil {
		if age := s.deps.Clock.Now().Sub(snap.loadedAt); age < s.maxAge {
			if age >= s.maxAge/2 {
				s.refreshAhead()
			}
			return snap, nil
		}
	}
	seen := s.reloads.attempts.Load()
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	now := s.deps.Clock.Now()
	snap := s.loaded()
	if snap != nil && now.Sub(snap.loadedAt) < s.maxAge {
		return snap, nil
	}
	if err := s.reloads.err; err != nil {
		if s.reloads.attempts.Load() != seen {
			return fallback(snap, err) // the attempt this request waited for failed
		}
		if snap != nil && now.Sub(s.reloads.failedAt) < reloadBackoff {
			return snap, nil
		}
	}
	if err := s.tryReloadLocked(ctx, now); err != nil {
		return fallback(snap, err)
	}
	return s.loaded(), nil
}

// tryReloadLocked reloads the snapshot and records the attempt (reloadState).
func (s *Service) tryReloadLocked(ctx context.Context, now time.Time) error {
	err := s.reloadLocked(ctx)
	s.reloads.attempts.Add(1)
	if err != nil {
		s.reloads.err, s.reloads.failedAt = err, now
		return err
	}
	s.reloads.err = nil
	return nil
}

// backgroundReloadTimeout bounds a reload no request waits for.
const backgroundReloadTimeout = 10 * time.Second

// refreshAhead starts a reload of the snapshot that no request waits for,
// unless one is running or the service is closed. It counts as any reload:
// requests that find the snapshot expired while it runs wait for it and share
// its outcome, and after a failure it waits out the backoff too.
func (s *Service) refreshAhead() {
	if !s.refreshing.CompareAndSwap(false, true) {
		return
	}
	s.backgroundMu.Lock()
	defer s.backgroundMu.Unlock()
	if s.background.Err() != nil { // closed
		s.refreshing.Store(false)
		return
	}
	s.inBackground.Add(1)
	go func() {
		defer s.inBackground.Done()
		defer s.refreshing.Store(false)
		ctx, cancel := context.WithTimeout(s.background, backgroundReloadTimeout)
		defer cancel()
		s.reloadMu.Lock()
		defer s.reloadMu.Unlock()
		now := s.deps.Clock.Now()
		if snap := s.loaded(); snap != nil && now.Sub(snap.loadedAt) < s.maxAge/2 {
			return // reloaded meanwhile
		}
		if s.reloads.err != nil && now.Sub(s.reloads.failedAt) < reloadBackoff {
			return
		}
		_ = s.tryReloadLocked(ctx, now) // a failure is recorded for the next requests
	}()
}

// fallback is what a failed reload leaves: the last snapshot, unless there is
// none or the store is unavailable.
func fallback(snap *snapshot, err error) (*snapshot, error) {
	if snap == nil || kernel.KindOf(err) == kernel.KindUnavailable {
		return nil, err
	}
	return snap, nil
}
