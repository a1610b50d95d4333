package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// pageSize is the page of every list row.
const pageSize = 100

// readRow is one timed read path, measured at every size.
type readRow struct {
	key, label string
	// setup runs once per size before the row is timed (the deep page
	// needs the list's total).
	setup func(ctx context.Context, w *world) error
	op    func(ctx context.Context, w *world, client, i int) error
}

func readRows() []readRow {
	var deepPage atomic.Int64
	return []readRow{
		{key: "list", label: "list, page of 100, newest first",
			op: func(ctx context.Context, w *world, _, _ int) error {
				return w.api.listDatasets(ctx, w.reader(), listQuery{page: 1, limit: pageSize})
			}},
		{key: "deep", label: "a deep page of 100 (the middle page of the member's list)",
			setup: func(ctx context.Context, w *world) error {
				var total int
				if err := w.api.listDatasets(ctx, w.reader(), listQuery{page: 1, limit: 1, total: &total}); err != nil {
					return err
				}
				deepPage.Store(int64(total/(2*pageSize) + 1))
				return nil
			},
			op: func(ctx context.Context, w *world, _, _ int) error {
				return w.api.listDatasets(ctx, w.reader(), listQuery{page: int(deepPage.Load()), limit: pageSize})
			}},
		{key: "search", label: "search for a rare word (`q`), page of 100",
			op: func(ctx context.Context, w *world, _, _ int) error {
				return w.api.listDatasets(ctx, w.reader(), listQuery{page: 1, limit: pageSize, q: rareWord})
			}},
		{key: "get", label: "get by id",
			op: func(ctx context.Context, w *world, client, i int) error {
				w.mu.Lock()
				id := w.visible[(client*7919+i*104729)%len(w.visible)]
				w.mu.Unlock()
				return w.api.getDataset(ctx, w.reader(), id)
			}},
		{key: "users", label: "users page of 100 (admin)",
			op: func(ctx context.Context, w *world, _, _ int) error { return w.api.listUsers(ctx, w.admin, pageSize) }},
		{key: "audit", label: "audit events of one actor, 20 (admin)",
			op: func(ctx context.Context, w *world, _, _ int) error {
				return w.api.actorEvents(ctx, w.admin, w.reader().id, 20)
			}},
	}
}

// measureTarget seeds one server size by size and measures every row.
func measureTarget(ctx context.Context, s settings, api backend, srv *server, adminEmail, adminPassword string) (*report, error) {
	r := &report{target: api.name()}
	progress := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "%s %s: %s\n", time.Now().Format("15:04:05"), api.name(), fmt.Sprintf(format, args...))
	}
	admin, err := api.setup(ctx, adminEmail, adminPassword)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	t0 := time.Now()
	w, err := seedPeople(ctx, api, admin, s.users, s.seeders, s.clients)
	if err != nil {
		return nil, err
	}
	r.seedUsers = time.Since(t0)
	r.users = w.users
	progress("%d users and %d communities seeded in %s", w.users, communities, r.seedUsers.Round(time.Second))
	rows := readRows()
	for _, n := range s.sizes {
		t0 := time.Now()
		if err := w.seedDatasets(ctx, n, s.seeders); err != nil {
			return nil, err
		}
		sz := sizeResult{datasets: n, seeding: time.Since(t0), rows: map[string]rowResult{}}
		progress("%d datasets seeded in %s", n, sz.seeding.Round(time.Second))
		if n == s.sizes[0] {
			t0 := time.Now()
			events, err := w.topUpAuditEvents(ctx, s.auditEvents, s.seeders)
			switch {
			case errors.Is(err, errUnsupported):
			case err != nil:
				return nil, fmt.Errorf("audit events: %w", err)
			default:
				progress("%d audit events after %s of dataset views", events, time.Since(t0).Round(time.Second))
			}
		}
		if err := w.api.listDatasets(ctx, w.reader(), listQuery{page: 1, limit: 1, total: &sz.visible}); err != nil {
			return nil, err
		}
		for _, row := range rows {
			res, err := measureRow(ctx, s, w, row)
			if err != nil {
				return nil, fmt.Errorf("%s at %d: %w", row.key, n, err)
			}
			sz.rows[row.key] = res
			progress("%d: %s", n, res.describe(row.label))
		}
		// Counted after the rows: the get-by-id row adds an audit event per view.
		if sz.auditEvents, err = w.api.auditEvents(ctx, w.admin); err != nil && !errors.Is(err, errUnsupported) {
			return nil, err
		}
		r.sizes = append(r.sizes, sz)
	}
	if r.login, err = measureLogin(ctx, s, w); err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	progress("%s", r.login.describe("login"))
	if err := measureTransfers(ctx, s, w, srv, r, progress); err != nil {
		return nil, err
	}
	return r, nil
}

func measureRow(ctx context.Context, s settings, w *world, row readRow) (rowResult, error) {
	if row.setup != nil {
		if err := row.setup(ctx, w); err != nil {
			return rowResult{}, err
		}
	}
	op := func(ctx context.Context, client, i int) error { return row.op(ctx, w, client, i) }
	if err := op(ctx, 0, 0); errors.Is(err, errUnsupported) {
		return rowResult{unsupported: true}, nil
	}
	lat, err := timed(ctx, s.clients, s.warmup, s.duration, op)
	return rowResult{lat: lat}, err
}

// measureLogin signs in with the password, each client as its own user.
func measureLogin(ctx context.Context, s settings, w *world) (rowResult, error) {
	lat, err := timed(ctx, s.clients, s.warmup, s.duration, func(ctx context.Context, client, _ int) error {
		p := w.loginUsers[client%len(w.loginUsers)]
		_, _, err := w.api.login(ctx, p.email, p.password)
		return err
	})
	return rowResult{lat: lat}, err
}

// measureTransfers uploads and downloads one large file three times (the
// median counts), then watches the server's memory during concurrent
// uploads through each upload route.
func measureTransfers(ctx context.Context, s settings, w *world, srv *server, r *report, progress func(string, ...any)) error {
	routes := w.api.uploadRoutes()
	path := filepath.Join(s.workDir, fmt.Sprintf("transfer-%dMiB.bin", s.transferMiB))
	if err := writeRandomFile(path, int64(s.transferMiB)<<20); err != nil {
		return err
	}
	defer func() { _ = os.Remove(path) }()
	var ups, downs []float64
	for range 3 {
		t0 := time.Now()
		id, err := routes[0].upload(ctx, w.reader(), path)
		if err != nil {
			return err
		}
		ups = append(ups, float64(s.transferMiB)/time.Since(t0).Seconds())
		t0 = time.Now()
		n, err := w.api.download(ctx, w.reader(), id)
		if err != nil {
			return fmt.Errorf("download: %w", err)
		}
		if n != int64(s.transferMiB)<<20 {
			return fmt.Errorf("download: %d bytes, want %d", n, int64(s.transferMiB)<<20)
		}
		downs = append(downs, float64(s.transferMiB)/time.Since(t0).Seconds())
		if err := w.api.deleteDataset(ctx, w.reader(), id); err != nil {
			return err
		}
	}
	r.uploadMiBs, r.downloadMiBs = median(ups), median(downs)
	r.transferRoute = routes[0].label()
	progress("upload %.0f MiB/s, download %.0f MiB/s (%d MiB)", r.uploadMiBs, r.downloadMiBs, s.transferMiB)
	if srv.pid == 0 {
		progress("memory: skipped (no process id)")
		return nil
	}
	big := filepath.Join(s.workDir, fmt.Sprintf("memory-%dMiB.bin", s.memoryMiB))
	if err := writeRandomFile(big, int64(s.memoryMiB)<<20); err != nil {
		return err
	}
	defer func() { _ = os.Remove(big) }()
	for _, route := range routes {
		m, err := measureMemory(ctx, s, w, srv.pid, route, big)
		if err != nil {
			return fmt.Errorf("memory, %s: %w", route.label(), err)
		}
		r.memory = append(r.memory, m)
		progress("memory, %s: idle %.0f MiB, peak %.0f MiB", route.label(), m.idleMiB, m.peakMiB)
	}
	return nil
}

// measureMemory runs concurrent uploads of the file at path while
// sampling the server's resident memory, and reads its peak (VmHWM, reset
// before the uploads).
func measureMemory(ctx context.Context, s settings, w *world, pid int, route uploadRoute, path string) (memoryResult, error) {
	idle, err := memoryKiB(pid, "VmRSS")
	if err != nil {
		return memoryResult{}, err
	}
	hwmReset := resetPeakRSS(pid)
	var peak atomic.Int64
	peak.Store(idle)
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if v, err := memoryKiB(pid, "VmRSS"); err == nil && v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	})
	ids := make([]string, s.memoryUploads)
	t0 := time.Now()
	err = inParallel(ctx, s.memoryUploads, s.memoryUploads, func(ctx context.Context, i int) error {
		id, err := route.upload(ctx, w.reader(), path)
		ids[i] = id
		return err
	})
	elapsed := time.Since(t0)
	close(stop)
	sampler.Wait()
	if err != nil {
		return memoryResult{}, err
	}
	if hwmReset {
		if hwm, err := memoryKiB(pid, "VmHWM"); err == nil && hwm > peak.Load() {
			peak.Store(hwm)
		}
	}
	for _, id := range ids {
		if err := w.api.deleteDataset(ctx, w.reader(), id); err != nil {
			return memoryResult{}, err
		}
	}
	return memoryResult{route: route.label(), uploads: s.memoryUploads, fileMiB: s.memoryMiB,
		idleMiB: float64(idle) / 1024, peakMiB: float64(peak.Load()) / 1024, hwm: hwmReset,
		mibPerSecond: float64(s.memoryUploads*s.memoryMiB) / elapsed.Seconds()}, nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// writeRandomFile writes size random bytes to path.
func writeRandomFile(path string, size int64) error {
	f, err := os.Create(path) //nolint:gosec // G304: in our own work folder
	if err != nil {
		return err
	}
	rng := rand.NewChaCha8([32]byte{1})
	buf := make([]byte, 1<<20)
	for left := size; left > 0; left -= int64(len(buf)) {
		chunk := buf[:min(int64(len(buf)), left)]
		_, _ = rng.Read(chunk)
		if _, err := f.Write(chunk); err != nil {
			_ = f.Close()
			return err
		}
	}
	return f.Close()
}
