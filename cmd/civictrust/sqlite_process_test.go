package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// runBinary runs the binary once with env (and nothing else from the test's
// environment) and returns its exit code and output.
func runBinary(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(serviceBinary(t), args...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run %v: %v", args, err)
	}
	return code, out.String(), errOut.String()
}

// Two servers and the command line on one database file: the unique email
// and the audit chain hold across the processes, and the CLI works while the
// servers run.
func TestServersAndTheCLIShareOneDatabaseFile(t *testing.T) {
	t.Parallel()
	env := baseEnv(t.TempDir())
	env["SHUTDOWN_READINESS_DELAY"] = "0s"
	env["RATE_LIMITS"] = "off"
	a := startProc(t, "server A", env) // first: it generates the signing key B reads
	b := startProc(t, "server B", env)
	defer a.stop()
	defer b.stop()
	clients := []client{a.client(), b.client()}

	t.Run("one_email_signed_up_at_once_on_both_makes_one_user", func(t *testing.T) {
		const n = 20
		statuses := porttestkit.AtOnce(n, func(i int) int {
			r, err := clients[i%2].try(http.MethodPost, "/api/v1/auth/signup", "", map[string]any{
				"name": "Twin Member", "email": "twin@example.org", "password": "Member-Passw0rd", "role": "member"})
			if err != nil {
				return -1
			}
			return r.status
		})
		created := 0
		for i, s := range statuses {
			switch s {
			case http.StatusCreated:
				created++
			case http.StatusConflict:
			default:
				t.Errorf("signup %d: status %d", i, s)
			}
		}
		if created != 1 {
			t.Fatalf("%d of %d sign-ups of one email succeeded, want 1", created, n)
		}
	})

	t.Run("the_audit_chain_stays_linear_under_writes_from_both", func(t *testing.T) {
		const each = 40
		var wg sync.WaitGroup
		var failed atomic.Int64
		for i := range 2 * each {
			wg.Go(func() {
				c := clients[i%2]
				r, err := c.try(http.MethodPost, "/api/v1/auth/signup", "", map[string]any{
					"name": "Busy Member", "email": fmt.Sprintf("busy-%d@example.org", i), "password": "Member-Passw0rd", "role": "member"})
				if err != nil || r.status != http.StatusCreated {
					failed.Add(1)
					return
				}
				if r, err := c.try(http.MethodPost, "/api/v1/auth/login", "", map[string]any{
					"email": fmt.Sprintf("busy-%d@example.org", i), "password": "Member-Passw0rd"}); err != nil || r.status != http.StatusOK {
					failed.Add(1)
				}
			})
		}
		wg.Wait()
		if failed.Load() > 0 {
			t.Fatalf("%d requests failed", failed.Load())
		}
		// Verified by a third process while both servers run.
		code, out, errOut := runBinary(t, env, "", "audit", "verify")
		if code != 0 || !strings.Contains(out, "chain intact") {
			t.Fatalf("audit verify: code %d, out %q, err %q", code, out, errOut)
		}
		var events int
		if _, err := fmt.Sscanf(out[strings.Index(out, "chain intact"):], "chain intact: %d events", &events); err != nil || events < 4*each {
			t.Fatalf("%q: want at least %d events (a sign-up and a login each)", out, 4*each)
		}
	})

	t.Run("admin_create_works_while_the_servers_run", func(t *testing.T) {
		code, out, errOut := runBinary(t, env, "Second-Adm1n-Password\n", "admin", "create", "--email", "second@example.org", "--name", "Second Admin")
		if code != 0 {
			t.Fatalf("admin create: code %d, out %q, err %q", code, out, errOut)
		}
		for _, c := range clients {
			c.login(t, "second@example.org", "Second-Adm1n-Password").expect(t, http.StatusOK, "the new admin logs in")
		}
	})
}

// The server killed in the middle of writes leaves nothing half-written: the
// database is intact, the audit chain verifies, every dataset and user the
// restarted server lists is whole, and each has the audit event of its
// creation (and each such event its record): the two are written together.
func TestAKilledServerLeavesNothingHalfWritten(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := baseEnv(dir)
	env["SHUTDOWN_READINESS_DELAY"] = "0s"
	env["RATE_LIMITS"] = "off"
	p := startProc(t, "server", env)
	c := p.client()
	admin := c.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "login").str("access_token")

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var wg sync.WaitGroup
	var done atomic.Int64
	for w := range 6 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				var err error
				if w%2 == 0 {
					_, err = c.try(http.MethodPost, "/api/v1/auth/signup", "", map[string]any{
						"name": "Crash Member", "email": fmt.Sprintf("crash-%d-%d@example.org", w, i), "password": "Member-Passw0rd", "role": "member"})
				} else {
					err = uploadDataset(c, admin, fmt.Sprintf("crash %d %d", w, i), bytes.Repeat([]byte("x,y\n"), 1<<14))
				}
				if err == nil {
					done.Add(1)
				}
			}
		})
	}
	for done.Load() < 30 {
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.cmd.Process.Kill(); err != nil { // SIGKILL: no stop hook runs
		t.Fatal(err)
	}
	<-p.exited
	stop()
	wg.Wait()

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "civictrust.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var integrity string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity check: %q, %v", integrity, err)
	}
	for _, q := range []string{
		`SELECT count(*) FROM datasets d WHERE NOT EXISTS (SELECT 1 FROM dataset_versions v WHERE v.dataset_id = d.id AND v.number = d.version)`,
		`SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id)`,
		`SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM audit_events e
			WHERE e.target_type = 'user' AND e.target_id = u.id AND e.action IN ('auth.signup', 'user.create'))`,
		`SELECT count(*) FROM audit_events e WHERE e.action = 'auth.signup' AND e.outcome = 'success'
			AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.target_id)`,
		`SELECT count(*) FROM datasets d WHERE NOT EXISTS (SELECT 1 FROM audit_events e
			WHERE e.target_type = 'dataset' AND e.target_id = d.id AND e.action = 'dataset.create')`,
		`SELECT count(*) FROM audit_events e WHERE e.action = 'dataset.create'
			AND NOT EXISTS (SELECT 1 FROM datasets d WHERE d.id = e.target_id)`,
	} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d half-written records (%v): %s", n, err, q)
		}
	}
	_ = db.Close()

	code, out, errOut := runBinary(t, env, "", "audit", "verify")
	if code != 0 {
		t.Fatalf("audit verify after the crash: code %d, out %q, err %q", code, out, errOut)
	}
	p = startProc(t, "server, restarted", env)
	defer p.stop()
	c = p.client()
	admin = c.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "login after the restart").str("access_token")
	list := c.do(t, http.MethodGet, "/api/v1/datasets?limit=100", admin, nil).expect(t, http.StatusOK, "list").json()
	for _, d := range list["data"].([]any) {
		id := d.(map[string]any)["id"].(string)
		c.do(t, http.MethodGet, "/api/v1/datasets/"+id+"/download", admin, nil).expect(t, http.StatusOK, "download "+id)
	}
	t.Logf("%d writes answered before the kill; %s", done.Load(), strings.TrimSpace(out))
}

// uploadDataset creates a dataset from content.
func uploadDataset(c client, token, title string, content []byte) error {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("title", title)
	fw, err := w.CreateFormFile("file", "data.csv")
	if err != nil {
		return err
	}
	_, _ = fw.Write(content)
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, c.base+"/api/v1/datasets/create", &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
