package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// helpSpellings are every way to ask for help or the version, and what the
// first line printed on stdout starts with.
var helpSpellings = []struct {
	args  []string
	first string
}{
	{[]string{"--help"}, "usage: civictrust [COMMAND]"},
	{[]string{"-h"}, "usage: civictrust [COMMAND]"},
	{[]string{"help"}, "usage: civictrust [COMMAND]"},
	{[]string{"serve", "--help"}, "usage: civictrust [serve]"},
	{[]string{"serve", "-h"}, "usage: civictrust [serve]"},
	{[]string{"help", "serve"}, "usage: civictrust [serve]"},
	{[]string{"admin", "--help"}, "usage: civictrust admin create"},
	{[]string{"admin", "create", "--help"}, "usage: civictrust admin create"},
	{[]string{"audit", "--help"}, "usage: civictrust audit verify"},
	{[]string{"audit", "verify", "--help"}, "usage: civictrust audit verify"},
	{[]string{"audit", "export", "-h"}, "usage: civictrust audit verify"},
	{[]string{"version"}, "civictrust "},
	{[]string{"--version"}, "civictrust "},
}

// emptyWorkingDir moves the test into a fresh working folder, with no
// configuration in the environment that could point elsewhere, and returns
// a check that nothing was created there.
func emptyWorkingDir(t *testing.T) func() {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	for _, k := range []string{"DATA_DIR", "MONGODB_URI", "JWT_KEYS_DIR", "MAIL_DIR", "BLOB_DIR"} {
		t.Setenv(k, "")
		_ = os.Unsetenv(k)
	}
	return func() {
		t.Helper()
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("%s was created in the working folder", e.Name())
		}
	}
}

func TestHelpAndVersionPrintAndExitWithoutStarting(t *testing.T) {
	for _, tc := range helpSpellings {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) {
			nothingCreated := emptyWorkingDir(t)
			var out, errOut bytes.Buffer
			code := run(tc.args, strings.NewReader(""), &out, &errOut)
			if code != 0 || !strings.HasPrefix(out.String(), tc.first) || errOut.Len() > 0 {
				t.Errorf("code %d, stdout %q, stderr %q; want 0 and stdout starting %q", code, out.String(), errOut.String(), tc.first)
			}
			nothingCreated()
		})
	}
}

func TestTheOverviewNamesEveryCommand(t *testing.T) {
	var out bytes.Buffer
	run([]string{"help"}, nil, &out, &out)
	for _, c := range commands() {
		if !strings.Contains(out.String(), "\n  "+c.name+" ") {
			t.Errorf("the overview does not list %s:\n%s", c.name, out.String())
		}
	}
}

func TestUnknownCommandsAndArgumentsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"--frobnicate"}, {"help", "frobnicate"}, {"serve", "now"}, {"admin"}, {"admin", "delete"}, {"audit"}, {"audit", "repair"}} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			nothingCreated := emptyWorkingDir(t)
			var out, errOut bytes.Buffer
			if code := run(args, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage: civictrust") || out.Len() > 0 {
				t.Errorf("code %d, stdout %q, stderr %q; want 2 and the usage on stderr", code, out.String(), errOut.String())
			}
			nothingCreated()
		})
	}
}

// The same through the built binary: exit statuses are what os.Exit gets.
func TestHelpAndVersionOfTheBinary(t *testing.T) {
	bin := serviceBinary(t)
	for _, tc := range helpSpellings {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(bin, tc.args...)
			cmd.Dir = dir
			cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			err := cmd.Run()
			if err != nil || !strings.HasPrefix(out.String(), tc.first) {
				t.Errorf("%v, stdout %q, stderr %q", err, out.String(), errOut.String())
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("%s created %s in the working folder", strings.Join(tc.args, " "), entries[0].Name())
			}
		})
	}
	cmd := exec.Command(bin, "frobnicate")
	cmd.Dir = t.TempDir()
	if err := cmd.Run(); cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 {
		t.Errorf("unknown command: %v, want exit status 2", err)
	}
}

// A store that cannot be reached stops the start with one short line that
// says why, printed once; the commands that open the store say the same.
func TestAFailedStartPrintsItsCauseOnceInOneLine(t *testing.T) {
	bin := serviceBinary(t)
	for _, args := range [][]string{{}, {"audit", "verify"}, {"admin", "create", "--email", "ada@example.org", "--name", "Ada"}} {
		t.Run("civictrust_"+strings.Join(args, "_"), func(t *testing.T) {
			cmd := exec.Command(bin, args...)
			cmd.Dir = t.TempDir()
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "MONGODB_URI=mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200", "LOG_FORMAT=console"}
			cmd.Stdin = strings.NewReader("Str0ng-Passw0rd\n")
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			_ = cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			lines := strings.Split(strings.TrimRight(errOut.String(), "\n"), "\n")
			if len(lines) != 1 {
				t.Fatalf("stderr has %d lines, want 1:\n%s", len(lines), errOut.String())
			}
			line := lines[0]
			if !strings.HasPrefix(line, "civictrust: cannot start: connect to the store") || !strings.Contains(line, "connection refused") || len(line) > 300 {
				t.Errorf("stderr %q (%d characters): want the cause first, in one short line", line, len(line))
			}
			if strings.Contains(line, "\x1b[") {
				t.Errorf("colours on a pipe: %q", line)
			}
		})
	}
}

// The running service names its build: /healthz and civictrust_build_info
// carry the version the binary was built with, and GET / leads to the docs.
func TestTheServiceReportsItsVersion(t *testing.T) {
	p := startProc(t, "service", baseEnv(t.TempDir()))
	defer p.stop()
	c := p.client()
	health := c.do(t, http.MethodGet, "/healthz", "", nil).expect(t, http.StatusOK, "healthz")
	if health.str("version") != testVersion || health.str("status") != "ok" {
		t.Errorf("/healthz: %s, want version %s", health.body, testVersion)
	}
	metricsText := string(client{base: p.metricsBase(), http: c.http}.do(t, http.MethodGet, "/metrics", "", nil).expect(t, http.StatusOK, "metrics").body)
	want := fmt.Sprintf(`civictrust_build_info{goversion=%q,version=%q} 1`, runtime.Version(), testVersion)
	if !strings.Contains(metricsText, want+"\n") {
		t.Errorf("/metrics lacks %s", want)
	}
	noFollow := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(p.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != "/docs" {
		t.Errorf("GET /: %d to %q, want 307 to /docs", resp.StatusCode, resp.Header.Get("Location"))
	}
}
