package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	defaultAdminEmail    = "admin@example.org"
	defaultAdminPassword = "Admin-Passw0rd-1"
)

// server is a server process under test.
type server struct {
	url  string
	pid  int // 0 when the process is not ours to watch
	stop func()
}

// startCivictrust runs the service as `make run` does, on the embedded
// store in a fresh folder, with rate limits off (the seeding would hit them)
// and no metrics listener (its port may be taken on a shared machine).
func startCivictrust(ctx context.Context, bin, work string) (*server, error) {
	dir := filepath.Join(work, "civictrust")
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	return startProcess(ctx, dir, "http://"+addr, "/readyz", bin, nil, []string{
		"HTTP_ADDR=" + addr, "DATA_DIR=" + filepath.Join(dir, "data"), "MONGODB_URI=", "RATE_LIMITS=off", "METRICS_ADDR=",
		"ADMIN_EMAIL=" + defaultAdminEmail, "ADMIN_PASSWORD=" + defaultAdminPassword, "MAIL_DRIVER=log",
	})
}

// startPocketBase creates PocketBase's superuser with its own command, then
// serves a fresh data folder. Dev mode (every SQL statement printed) is
// switched off explicitly: PocketBase turns it on by itself for a binary
// under the temporary folder, where `go run` leaves its builds.
func startPocketBase(ctx context.Context, bin, work string) (*server, error) {
	dir := filepath.Join(work, "pocketbase")
	data := filepath.Join(dir, "pb_data")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	upsert := exec.CommandContext(ctx, bin, "superuser", "upsert", defaultAdminEmail, defaultAdminPassword, "--dir", data) //nolint:gosec // G204: the binary named on the command line
	if out, err := upsert.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pocketbase superuser upsert: %w: %s", err, out)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	return startProcess(ctx, dir, "http://"+addr, "/api/health", bin, []string{"serve", "--http", addr, "--dir", data, "--dev=false"}, nil)
}

// freeAddr is a loopback address with a port nothing listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String(), nil
}

// startProcess starts bin in dir (its output going to dir/server.log) and
// waits until base+ready answers 200.
func startProcess(ctx context.Context, dir, base, ready, bin string, args, env []string) (*server, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(dir, "server.log")) //nolint:gosec // G304: in our own work folder
	if err != nil {
		return nil, err
	}
	bin, err = filepath.Abs(bin)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...) //nolint:gosec // G204: the binary named on the command line
	cmd.Dir = dir                     // no .env of the caller's folder
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); _ = logFile.Close(); close(exited) }()
	srv := &server{url: base, pid: cmd.Process.Pid}
	srv.stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+ready, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return srv, nil
			}
		}
		select {
		case <-exited:
			return nil, fmt.Errorf("%s exited at start; see %s", filepath.Base(bin), filepath.Join(dir, "server.log"))
		case <-ctx.Done():
			srv.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			srv.stop()
			return nil, errors.New("the server did not become ready within 2 minutes")
		}
	}
}

// memoryKiB reads a field of /proc/PID/status (VmRSS, VmHWM) in KiB.
func memoryKiB(pid int, field string) (int64, error) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// resetPeakRSS sets the process's VmHWM back to its current VmRSS (Linux:
// writing 5 to clear_refs); false when that is not allowed here.
func resetPeakRSS(pid int) bool {
	return os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0) == nil
}
