package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests in this file run the real binary as separate processes: built once
// with `go build`, started with a clean environment, stopped with signals.

// builtBinary is the civictrust binary shared by the tests of this package
// (test-only state: one build per test binary, removed by TestMain).
type builtBinary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

var binary builtBinary

// testVersion is the version the test binary is built with.
const testVersion = "v0.0.0-test"

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		_ = os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// serviceBinary builds the binary on first use.
func serviceBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the service binary")
	}
	binary.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			binary.err = err
			return
		}
		if binary.dir, binary.err = os.MkdirTemp("", "civictrust-bin-"); binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "civictrust")
		cmd := exec.Command(goTool, "build", "-ldflags", "-X main.version="+testVersion, "-o", binary.path, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			binary.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// proc is one running service process.
type proc struct {
	t       testing.TB
	name    string
	cmd     *exec.Cmd
	base    string      // http://host:port
	metrics chan string // the metrics listener's http://host:port, sent once it listens
	mu      sync.Mutex
	logs    bytes.Buffer
	exited  chan struct{}
	err     error // the exit status, once exited is closed
}

// startProc starts the binary with env (and nothing else from the test's
// environment) and returns once it listens.
func startProc(t testing.TB, name string, env map[string]string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, exited: make(chan struct{}), metrics: make(chan string, 1)}
	p.cmd = exec.Command(serviceBinary(t))
	p.cmd.Dir = t.TempDir() // no stray .env file
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			p.mu.Lock()
			p.logs.Write(line)
			p.logs.WriteByte('\n')
			p.mu.Unlock()
			var entry struct {
				Message string `json:"message"`
				Addr    string `json:"addr"`
			}
			if json.Unmarshal(line, &entry) == nil && entry.Message == "metrics listening" {
				select {
				case p.metrics <- "http://" + entry.Addr:
				default:
				}
			}
			if json.Unmarshal(line, &entry) == nil && entry.Message == "listening" {
				select {
				case addr <- entry.Addr:
				default:
				}
			}
		}
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("%s's log:\n%s", p.name, p.log())
		}
	})
	select {
	case a := <-addr:
		p.base = "http://" + a
	case <-p.exited:
		t.Fatalf("%s exited before listening: %v\n%s", name, p.err, p.log())
	case <-time.After(90 * time.Second):
		t.Fatalf("%s did not listen within 90 s\n%s", name, p.log())
	}
	return p
}

// metricsBase waits for the metrics listener, which may log after the API's
// listener, and returns its http://host:port.
func (p *proc) metricsBase() string {
	p.t.Helper()
	select {
	case base := <-p.metrics:
		p.metrics <- base
		return base
	case <-p.exited:
		p.t.Fatalf("%s exited before its metrics listener listened: %v", p.name, p.err)
	case <-time.After(30 * time.Second):
		p.t.Fatalf("%s's metrics listener did not listen within 30 s", p.name)
	}
	return ""
}

func (p *proc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// signal sends sig to the process.
func (p *proc) signal(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("signal %s: %v", p.name, err)
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop() {
	p.t.Helper()
	p.signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		if p.err != nil {
			p.t.Errorf("%s exited with %v", p.name, p.err)
		}
	case <-time.After(30 * time.Second):
		p.t.Fatalf("%s did not exit within 30 s of SIGTERM", p.name)
	}
}

// reply is a finished request.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.body, &m)
	return m
}

func (r reply) str(key string) string {
	s, _ := r.json()[key].(string)
	return s
}

// expect fails the test unless the reply has the status.
func (r reply) expect(t testing.TB, status int, what string) reply {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.status, status, r.body)
	}
	return r
}

// client talks to one process.
type client struct {
	base string
	http *http.Client
}

func (p *proc) client() client {
	return client{base: p.base, http: &http.Client{Timeout: 30 * time.Second}}
}

func (c client) do(t testing.TB, method, path, token string, body any) reply {
	t.Helper()
	r, err := c.try(method, path, token, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func (c client) try(method, path, token string, body any) (reply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

func (c client) login(t testing.TB, email, password string) reply {
	t.Helper()
	return c.do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]any{"email": email, "password": password})
}

const (
	testAdminEmail    = "admin@example.org"
	testAdminPassword = "Admin-Passw0rd"
)

// baseEnv is what every process of these tests gets.
func baseEnv(dataDir string) map[string]string {
	return map[string]string{
		"DATA_DIR":       dataDir,
		"HTTP_ADDR":      "127.0.0.1:0",
		"METRICS_ADDR":   "127.0.0.1:0",
		"MAIL_DRIVER":    "file",
		"ADMIN_EMAIL":    testAdminEmail,
		"ADMIN_PASSWORD": testAdminPassword,
		"LOG_LEVEL":      "info",
		"LOG_FORMAT":     "json",
	}
}

// isContractError reports whether body is {"detail": "<sentence>", "code": "<code>"}.
func isContractError(body []byte, code string) bool {
	var e map[string]any
	if json.Unmarshal(body, &e) != nil || len(e) != 2 {
		return false
	}
	d, _ := e["detail"].(string)
	c, _ := e["code"].(string)
	return d != "" && c == code && !strings.Contains(d, "\n")
}
