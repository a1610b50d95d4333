package kernel_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

func TestAJobRunsAtOnceThenEveryIntervalUntilStopped(t *testing.T) {
	var runs atomic.Int32
	ran := make(chan struct{}, 10)
	j := kernel.StartJob(10*time.Millisecond, time.Second, func(ctx context.Context) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("a run's context has no deadline")
		}
		runs.Add(1)
		ran <- struct{}{}
	})
	for range 3 {
		select {
		case <-ran:
		case <-time.After(5 * time.Second):
			t.Fatalf("the job ran %d times, want 3", runs.Load())
		}
	}
	if err := j.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := runs.Load()
	time.Sleep(30 * time.Millisecond)
	if runs.Load() != after {
		t.Fatal("the job ran after Stop returned")
	}
	if err := j.Stop(context.Background()); err != nil {
		t.Fatalf("a second Stop: %v", err)
	}
}

func TestStopWaitsForTheRunUnderWayOrForItsContext(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	j := kernel.StartJob(time.Hour, time.Hour, func(ctx context.Context) {
		close(started)
		select {
		case <-release:
		case <-ctx.Done():
			<-release
		}
	})
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := j.Stop(ctx); err == nil {
		t.Fatal("Stop returned while a run was under way")
	}
	close(release)
	if err := j.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}
