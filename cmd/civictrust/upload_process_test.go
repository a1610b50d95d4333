package main

import (
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// stagedBytes is what the fs blob store's stages of resumable uploads hold.
func stagedBytes(t *testing.T, dataDir string) (files int, size int64) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dataDir, "blobs", ".uploads"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			files++
			size += info.Size()
		}
	}
	return files, size
}

// tusRequest sends a tus request with the token.
func tusRequest(c client, method, path, token string, header map[string]string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Tus-Resumable", "1.0.0")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.http.Do(req)
}

// TestAKilledServerLeavesNoUploadOnceExpired: a server killed (SIGKILL, no
// stop hook) in the middle of a PATCH leaves a partial stage and its
// record; once restarted and past the upload's expiry, the sweep deletes
// both. The expiry is short here; the sweep also waits for the lease the
// dead request held to run out.
func TestAKilledServerLeavesNoUploadOnceExpired(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := baseEnv(dir)
	env["SHUTDOWN_READINESS_DELAY"] = "0s"
	env["RATE_LIMITS"] = "off"
	env["UPLOAD_EXPIRY"] = "2s"
	p := startProc(t, "server", env)
	c := p.client()
	admin := c.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "login").str("access_token")

	const size = 32 << 20
	resp, err := tusRequest(c, http.MethodPost, "/api/v1/uploads/", admin, map[string]string{"Upload-Length": strconv.Itoa(size)}, nil)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %v %v", resp, err)
	}
	_ = resp.Body.Close()
	loc := resp.Header.Get("Location")

	// A PATCH that sends 4 MiB and then waits: the server is killed meanwhile.
	pr, pw := io.Pipe()
	go func() {
		piece := make([]byte, 1<<20)
		for range 4 {
			if _, err := pw.Write(piece); err != nil {
				return
			}
		}
	}()
	patched := make(chan struct{})
	go func() {
		defer close(patched)
		req, _ := http.NewRequest(http.MethodPatch, c.base+loc, pr)
		req.ContentLength = size
		req.Header.Set("Authorization", "Bearer "+admin)
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Upload-Offset", "0")
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, n := stagedBytes(t, dir); n >= 1<<20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the PATCH staged nothing within 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := p.cmd.Process.Kill(); err != nil { // SIGKILL: no stop hook runs
		t.Fatal(err)
	}
	<-p.exited
	_ = pw.Close()
	<-patched
	if files, n := stagedBytes(t, dir); files != 1 || n == 0 {
		t.Fatalf("after the kill the stages hold %d files, %d bytes", files, n)
	}

	p = startProc(t, "server, restarted", env)
	defer p.stop()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "civictrust.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	// The dead request's lease (30 s) must run out before a sweep may take
	// the upload.
	deadline = time.Now().Add(75 * time.Second)
	for {
		files, n := stagedBytes(t, dir)
		var records int
		if err := db.QueryRow(`SELECT count(*) FROM dataset_uploads`).Scan(&records); err != nil {
			t.Fatal(err)
		}
		if files == 0 && records == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("75 s after the restart: %d stage files (%d bytes), %d upload records", files, n, records)
		}
		time.Sleep(250 * time.Millisecond)
	}
	c = p.client()
	admin = c.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "login after the restart").str("access_token")
	resp, err = tusRequest(c, http.MethodHead, loc, admin, nil, nil)
	if err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("HEAD of the swept upload: %v %v", resp, err)
	}
	_ = resp.Body.Close()
}
