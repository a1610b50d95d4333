package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkResumableUploadPeakRSS measures the server's memory during four
// concurrent resumable uploads of 200 MiB each (tus, 8 MiB pieces): the peak
// RSS of the server process above its RSS at rest, reported as
// peak-MiB-above-idle (the goal is at most 64). It runs the real binary on
// the embedded store and the fs blob store; one run is the measurement:
//
//	go test -run '^$' -bench ResumableUploadPeakRSS -benchtime 1x ./cmd/civictrust/
func BenchmarkResumableUploadPeakRSS(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	const (
		uploads = 4
		size    = 200 << 20
		piece   = 8 << 20
	)
	env := baseEnv(b.TempDir())
	env["RATE_LIMITS"] = "off"
	p := startProc(b, "server", env)
	defer p.stop()
	c := p.client()
	c.http.Timeout = 10 * time.Minute
	token := c.login(b, testAdminEmail, testAdminPassword).expect(b, http.StatusOK, "login").str("access_token")
	pid := p.cmd.Process.Pid
	// Warm up every path once, then let the heap settle.
	if err := tusUpload(c, token, 1<<20, 1<<20, 0); err != nil {
		b.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	idle, err := rssKiB(pid, "VmRSS")
	if err != nil {
		b.Fatal(err)
	}
	_ = os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0) // VmHWM back to VmRSS, where allowed

	for range b.N {
		peak := idle
		stop := make(chan struct{})
		var sampler sync.WaitGroup
		sampler.Go(func() {
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			for {
				if v, err := rssKiB(pid, "VmRSS"); err == nil && v > peak {
					peak = v
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		})
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, uploads)
		for i := range uploads {
			wg.Go(func() { errs <- tusUpload(c, token, size, piece, uint64(i+1)) })
		}
		wg.Wait()
		close(stop)
		sampler.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
		if hwm, err := rssKiB(pid, "VmHWM"); err == nil && hwm > peak {
			peak = hwm
		}
		elapsed := time.Since(start)
		b.ReportMetric(float64(peak-idle)/1024, "peak-MiB-above-idle")
		b.ReportMetric(float64(idle)/1024, "idle-MiB")
		b.ReportMetric(float64(uploads*size)/(1<<20)/elapsed.Seconds(), "MiB/s")
	}
}

// tusUpload creates an upload of size pseudo-random bytes (from seed) and
// sends it in pieces.
func tusUpload(c client, token string, size, piece int, seed uint64) error {
	resp, err := tusRequest(c, http.MethodPost, "/api/v1/uploads/", token, map[string]string{
		"Upload-Length": strconv.Itoa(size), "Upload-Metadata": "filename YmVuY2guYmlu",
	}, nil)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("create: %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	src := rand.NewChaCha8([32]byte{byte(seed)})
	for offset := 0; offset < size; offset += piece {
		n := min(piece, size-offset)
		req, err := http.NewRequest(http.MethodPatch, c.base+loc, io.LimitReader(src, int64(n)))
		if err != nil {
			return err
		}
		req.ContentLength = int64(n)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Upload-Offset", strconv.Itoa(offset))
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		resp, err := c.http.Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			return fmt.Errorf("PATCH at %d: %d", offset, resp.StatusCode)
		}
	}
	return nil
}

// rssKiB reads a field of /proc/PID/status (VmRSS, VmHWM) in KiB.
func rssKiB(pid int, field string) (int64, error) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			if f := strings.Fields(v); len(f) > 0 {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}
