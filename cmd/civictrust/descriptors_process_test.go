//go:build linux

package main

import (
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openDescriptors counts the process's open files.
func openDescriptors(t *testing.T, pid int) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// Running out of file descriptors does not stop the server: with its limit
// lowered to a little above what it uses, far more idle connections than the
// limit allows are opened; accept fails with EMFILE for a while, and once the
// connections are gone /healthz answers 200 again and the service works.
func TestServerSurvivesDescriptorExhaustion(t *testing.T) {
	t.Parallel()
	env := baseEnv(t.TempDir())
	// The caps would shed before the descriptors run out: lift them, so that
	// accept itself fails.
	env["MAX_CONNECTIONS"] = "100000"
	env["MAX_CONNECTIONS_PER_ADDR"] = "0"
	p := startProc(t, "server", env)
	c := p.client()
	c.do(t, http.MethodGet, "/healthz", "", nil).expect(t, http.StatusOK, "healthz before")

	pid := p.cmd.Process.Pid
	const headroom = 40
	limit := uint64(openDescriptors(t, pid) + headroom)
	if err := unix.Prlimit(pid, unix.RLIMIT_NOFILE, &unix.Rlimit{Cur: limit, Max: limit}, nil); err != nil {
		t.Skipf("cannot lower the child's open-file limit: %v", err)
	}

	// Hold connections until the server's descriptors are all in use: the
	// kernel completes these handshakes whether or not the server accepts.
	var held []net.Conn
	defer func() {
		for _, conn := range held {
			_ = conn.Close()
		}
	}()
	for range 3 * headroom {
		conn, err := net.DialTimeout("tcp", strings.TrimPrefix(p.base, "http://"), 5*time.Second)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		held = append(held, conn)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.log(), "accept failed; retrying") {
		select {
		case <-p.exited:
			t.Fatalf("the server exited when its descriptors ran out: %v", p.err)
		default:
		}
		if strings.Contains(p.log(), "http server stopped") {
			t.Fatal("the server stopped serving when its descriptors ran out")
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server never ran out of descriptors (limit %d)", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}

	for _, conn := range held {
		_ = conn.Close()
	}
	held = nil

	quick := client{base: p.base, http: &http.Client{Timeout: 2 * time.Second}}
	deadline = time.Now().Add(20 * time.Second)
	for {
		r, err := quick.try(http.MethodGet, "/healthz", "", nil)
		if err == nil && r.status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz after the connections closed: %v, status %d", err, r.status)
		}
		time.Sleep(100 * time.Millisecond)
	}
	select {
	case <-p.exited:
		t.Fatalf("the process exited: %v", p.err)
	default:
	}
	c.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "login after the exhaustion")
	p.stop()
}
