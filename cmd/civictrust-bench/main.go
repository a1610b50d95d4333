// Command civictrust-bench measures what users of the API see. It starts a
// server process on an empty data folder, seeds it through its HTTP API
// (users, communities, datasets of mixed visibility), then times the read
// paths at each size with a few concurrent clients, logins, file transfers,
// and the server's memory during concurrent uploads. The same runs against
// PocketBase, the backend docs/benchmarks.md compares with, through
// PocketBase's own API.
//
//	go run ./cmd/civictrust-bench [-civictrust bin/civictrust] [-pocketbase PATH] [-sizes 1000,10000,100000] [-duration 10s]
//	go run ./cmd/civictrust-bench -target pocketbase -url http://127.0.0.1:8090 -admin-email E -admin-password P [-pid N]
//
// With -url the server is one already running on an empty store (started
// with RATE_LIMITS=off); -pid names its process for the memory row.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	targetCivictrust = "civictrust"
	targetPocketBase = "pocketbase"
)

// settings are the flags of one run.
type settings struct {
	sizes         []int
	users         int
	auditEvents   int
	clients       int
	duration      time.Duration
	warmup        time.Duration
	seeders       int
	transferMiB   int
	memoryMiB     int
	memoryUploads int
	workDir       string
}

func main() {
	os.Exit(run())
}

func run() int {
	civictrustBin := flag.String("civictrust", "bin/civictrust", "server binary to start and measure (empty: skip)")
	pocketbaseBin := flag.String("pocketbase", "", "PocketBase binary to start and measure side by side (empty: skip)")
	target := flag.String("target", "", "with -url: the API the running server speaks, civictrust or pocketbase")
	url := flag.String("url", "", "measure a server that is already running on an empty store instead of starting one")
	pid := flag.Int("pid", 0, "with -url: the server's process id, for the memory row (0: skip it)")
	adminEmail := flag.String("admin-email", defaultAdminEmail, "with -url: the administrator (superuser on PocketBase)")
	adminPassword := flag.String("admin-password", defaultAdminPassword, "with -url: the administrator's password")
	sizes := flag.String("sizes", "1000,10000,100000", "comma-separated dataset counts, seeded one after another")
	var s settings
	flag.IntVar(&s.users, "users", 10000, "users signed up before the first size")
	flag.IntVar(&s.auditEvents, "audit-events", 100000, "audit events the store holds before the first size is measured (topped up with dataset views)")
	flag.IntVar(&s.clients, "clients", 4, "concurrent clients of every timed row")
	flag.DurationVar(&s.duration, "duration", 10*time.Second, "length of each timed row")
	flag.DurationVar(&s.warmup, "warmup", time.Second, "untimed load before each row")
	flag.IntVar(&s.seeders, "seeders", 8, "concurrent clients while seeding")
	flag.IntVar(&s.transferMiB, "transfer-mib", 100, "size of the uploaded and downloaded file")
	flag.IntVar(&s.memoryMiB, "memory-mib", 200, "size of each file of the concurrent uploads of the memory row")
	flag.IntVar(&s.memoryUploads, "memory-uploads", 4, "concurrent uploads of the memory row")
	flag.StringVar(&s.workDir, "work", "", "folder for the servers' data and the test files (default: a new temporary folder, removed at the end)")
	flag.Parse()

	var err error
	if s.sizes, err = parseSizes(*sizes); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if s.workDir == "" {
		if s.workDir, err = os.MkdirTemp("", "civictrust-bench-"); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
		defer func() { _ = os.RemoveAll(s.workDir) }()
	}

	var targets []targetRun
	switch {
	case *url != "":
		targets = append(targets, targetRun{name: *target, url: strings.TrimRight(*url, "/"), pid: *pid,
			adminEmail: *adminEmail, adminPassword: *adminPassword})
	default:
		if *civictrustBin != "" {
			targets = append(targets, targetRun{name: targetCivictrust, bin: *civictrustBin})
		}
		if *pocketbaseBin != "" {
			targets = append(targets, targetRun{name: targetPocketBase, bin: *pocketbaseBin})
		}
	}
	if len(targets) == 0 {
		fmt.Fprintln(os.Stderr, "bench: nothing to measure (give -civictrust, -pocketbase or -url)")
		return 2
	}
	started := time.Now()
	fmt.Printf("# civictrust-bench %s: %d clients, %s per row, sizes %s\n\n", time.Now().UTC().Format(time.RFC3339), s.clients, s.duration, *sizes)
	var reports []*report
	for _, t := range targets {
		r, err := t.measure(ctx, s)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench: %s: %v\n", t.name, err)
			return 1
		}
		reports = append(reports, r)
		if err := r.printDetail(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
	}
	if err := printSummary(os.Stdout, s, reports); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	fmt.Printf("\nWhole run: %s.\n", time.Since(started).Round(time.Second))
	return 0
}

func parseSizes(raw string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(raw, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad size %q in -sizes", f)
		}
		if len(out) > 0 && n <= out[len(out)-1] {
			return nil, errors.New("-sizes must grow: each size is seeded on top of the one before")
		}
		out = append(out, n)
	}
	return out, nil
}

// targetRun is one server to measure: started from bin, or running at url.
type targetRun struct {
	name, bin, url            string
	pid                       int
	adminEmail, adminPassword string
}

// measure starts (or reaches) the server, seeds it size after size and
// measures every row.
func (t targetRun) measure(ctx context.Context, s settings) (*report, error) {
	srv := &server{url: t.url, pid: t.pid}
	if t.bin != "" {
		var err error
		switch t.name {
		case targetCivictrust:
			srv, err = startCivictrust(ctx, t.bin, s.workDir)
		case targetPocketBase:
			srv, err = startPocketBase(ctx, t.bin, s.workDir)
		}
		if err != nil {
			return nil, err
		}
		defer srv.stop()
		t.adminEmail, t.adminPassword = defaultAdminEmail, defaultAdminPassword
	}
	c := newClient(srv.url)
	var api backend
	switch t.name {
	case targetCivictrust:
		api = &civictrustAPI{c: c}
	case targetPocketBase:
		api = &pocketbaseAPI{c: c}
	default:
		return nil, fmt.Errorf("unknown target %q (civictrust or pocketbase)", t.name)
	}
	return measureTarget(ctx, s, api, srv, t.adminEmail, t.adminPassword)
}
