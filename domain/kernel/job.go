package kernel

import (
	"context"
	"time"
)

// Job runs a task now and then every interval, in the background, until it
// is stopped: the shape of every periodic job of the service (the upload
// sweeper, the grant notices).
type Job struct {
	stop context.CancelFunc
	done chan struct{}
}

// StartJob starts run now and then every interval; each run gets a context
// that ends after timeout, so that a stuck store cannot hold the job, or
// when the job is stopped.
func StartJob(every, timeout time.Duration, run func(ctx context.Context)) *Job {
	ctx, cancel := context.WithCancel(context.Background())
	j := &Job{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(j.done)
		defer cancel()
		ticker := time.NewTicker(every)
		defer ticker.Stop()
		for {
			runCtx, stop := context.WithTimeout(ctx, timeout)
			run(runCtx)
			stop()
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
		}
	}()
	return j
}

// Stop ends the job and waits for a run under way, or for ctx.
func (j *Job) Stop(ctx context.Context) error {
	j.stop() // idempotent
	select {
	case <-j.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
