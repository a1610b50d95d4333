package accessapp

import (
	"context"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// reloadBackoff is how long after a failed reload requests use the last
// snapshot without trying the store again.
const reloadBackoff = time.Second

// unknownReloadInterval bounds the reloads that a reference to an unknown
// role causes (a sign-up naming any role it likes): at most one per interval.
const unknownReloadInterval = 250 * time.Millisecond

// current returns the snapshot, reloading it first when it is older than
// maxAge (the periodic reload did not succeed in time). While the store is
// down it keeps serving the last one rather than failing every request:
// requests at the same moment share one reload attempt; for reloadBackoff
// after a failure they get the last snapshot without trying; a failure for
// want of the store fails the request (its own store calls would fail too).
func (s *Service) current(ctx context.Context) (*snapshot, error) {
	snap := s.loaded()
	now := s.deps.Clock.Now()
	if snap != nil && now.Sub(snap.loadedAt) < s.maxAge {
		return snap, nil
	}
	if failed := s.failedAt.Load(); snap != nil && failed != nil && now.Sub(*failed) < reloadBackoff {
		return snap, nil
	}
	if err := s.reload(ctx); err != nil {
		return fallback(snap, err)
	}
	return s.loaded(), nil
}

// reloadForUnknown reloads snap for a reference it does not know, unless it
// was loaded less than unknownReloadInterval ago.
func (s *Service) reloadForUnknown(ctx context.Context, snap *snapshot) (*snapshot, error) {
	if s.deps.Clock.Now().Sub(snap.loadedAt) < unknownReloadInterval {
		return snap, nil
	}
	if err := s.reload(ctx); err != nil {
		return fallback(snap, err)
	}
	return s.loaded(), nil
}

// fallback is what a failed reload leaves: the last snapshot, unless there is
// none or the store is unavailable.
func fallback(snap *snapshot, err error) (*snapshot, error) {
	if snap == nil || kernel.KindOf(err) == kernel.KindUnavailable {
		return nil, err
	}
	return snap, nil
}
