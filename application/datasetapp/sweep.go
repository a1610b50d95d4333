package datasetapp

import (
	"context"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// sweepBatch bounds the uploads one sweep looks at; the next sweep goes on.
const sweepBatch = 100

// SweepUploads deletes the uploads past their expiry: an unfinished one's
// bytes, then its record (a finished one's bytes are its dataset's). Any
// number of replicas may sweep at once: each takes an upload's lease before
// it deletes anything, and an upload still held (a request writing at the
// moment it expired stops at its next renewal) is left to the next sweep.
// Then it aborts the stages older than any upload can be, which a crash
// between a stage and its record left. It returns how many uploads it
// deleted.
func (s *Service) SweepUploads(ctx context.Context) (int, error) {
	if err := s.resumable(); err != nil {
		return 0, err
	}
	now := s.deps.Clock.Now()
	expired, err := s.deps.Uploads.Expired(ctx, now, sweepBatch)
	if err != nil {
		return 0, err
	}
	holder := newHolder()
	n := 0
	var errs []error
	for _, u := range expired {
		took := false
		_, err := s.deps.Uploads.Update(ctx, u.ID, func(x *dataset.Upload) error {
			took = x.Take(holder, now, uploadLease)
			return nil
		})
		switch {
		case errors.Is(err, dataset.ErrUploadNotFound), err == nil && !took:
			continue // swept elsewhere, or still held
		case err != nil:
			errs = append(errs, err)
			continue
		}
		if u.Result == nil {
			if err := s.deps.Staging.AbortStage(ctx, u.StageKey); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if err := s.deps.Uploads.Delete(ctx, u.ID); err != nil && !errors.Is(err, dataset.ErrUploadNotFound) {
			errs = append(errs, err)
			continue
		}
		n++
	}
	if _, err := s.deps.Staging.SweepStages(ctx, now.Add(-s.set.UploadExpiry-uploadLease)); err != nil {
		errs = append(errs, err)
	}
	return n, errors.Join(errs...)
}

// sweepTimeout bounds one sweep, so that a stuck store cannot hold the job.
const sweepTimeout = 5 * time.Minute

// StartUploadSweeper runs SweepUploads now (which sweeps the stages a crash
// left: the folder of partial uploads, at start) and then every interval,
// in the background, until Stop.
func (s *Service) StartUploadSweeper(every time.Duration) *kernel.Job {
	return kernel.StartJob(every, sweepTimeout, func(ctx context.Context) {
		if _, err := s.SweepUploads(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.report(ctx, "sweep expired uploads", err)
		}
	})
}

// SweepEvery is how often a service whose uploads expire after expiry sweeps
// them: a tenth of the expiry, between a second and ten minutes, so that an
// abandoned upload's bytes go soon after it expires.
func SweepEvery(expiry time.Duration) time.Duration {
	return min(max(expiry/10, time.Second), 10*time.Minute)
}
