package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// benchUpload compares streaming a large file through the service (fs blob
// driver, embedded store, server in its own process) with a plain copy of the
// same bytes on the same disk, and reads the server's peak resident memory.
func benchUpload(sizeMiB int, concurrent int, concurrentMiB int) error {
	dir, err := os.MkdirTemp("", "civictrust-bench-upload-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	bin := filepath.Join(dir, "civictrust")
	build := exec.Command("go", "build", "-o", bin, "./cmd/civictrust") //nolint:gosec // G204: a path in our own temp dir
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build the server: %w", err)
	}
	src := filepath.Join(dir, "source.bin")
	if err := writeRandomFile(src, int64(sizeMiB)<<20); err != nil {
		return err
	}

	// Baseline: copy the file to the same disk (write + fsync, like the fs
	// driver), then read the copy back.
	copyDst := filepath.Join(dir, "copy.bin")
	start := time.Now()
	if err := copyFile(src, copyDst); err != nil {
		return err
	}
	rawWrite := time.Since(start)
	start = time.Now()
	if err := readAll(copyDst); err != nil {
		return err
	}
	rawRead := time.Since(start)
	_ = os.Remove(copyDst)

	srv, err := startProcess(bin, dir, int64(sizeMiB+64)<<20)
	if err != nil {
		return err
	}
	defer srv.stop()
	token, err := srv.login()
	if err != nil {
		return err
	}
	idle, err := vmHWM(srv.cmd.Process.Pid)
	if err != nil {
		return err
	}
	start = time.Now()
	id, err := srv.upload(token, src)
	if err != nil {
		return err
	}
	upload := time.Since(start)
	peakUpload, _ := vmHWM(srv.cmd.Process.Pid)
	start = time.Now()
	n, err := srv.download(token, id)
	if err != nil {
		return err
	}
	if n != int64(sizeMiB)<<20 {
		return fmt.Errorf("downloaded %d bytes, want %d", n, int64(sizeMiB)<<20)
	}
	download := time.Since(start)

	mib := float64(sizeMiB)
	fmt.Printf("## %d MiB upload and download, fs blob driver, server in its own process\n\n", sizeMiB)
	fmt.Println("| | plain copy (MiB/s) | through HTTP (MiB/s) | ratio |")
	fmt.Println("|---|---|---|---|")
	fmt.Printf("| write / upload | %.0f | %.0f | %.2f× |\n", mib/rawWrite.Seconds(), mib/upload.Seconds(), rawWrite.Seconds()/upload.Seconds())
	fmt.Printf("| read / download | %.0f | %.0f | %.2f× |\n\n", mib/rawRead.Seconds(), mib/download.Seconds(), rawRead.Seconds()/download.Seconds())
	fmt.Printf("Server VmHWM: idle %d MiB, after the upload %d MiB (+%d MiB).\n\n", idle>>10, peakUpload>>10, (peakUpload-idle)>>10)

	if concurrent > 0 {
		small := filepath.Join(dir, "small.bin")
		if err := writeRandomFile(small, int64(concurrentMiB)<<20); err != nil {
			return err
		}
		before, _ := vmHWM(srv.cmd.Process.Pid)
		var wg sync.WaitGroup
		errs := make(chan error, concurrent)
		start = time.Now()
		for range concurrent {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := srv.upload(token, small); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		took := time.Since(start)
		close(errs)
		if err := <-errs; err != nil {
			return err
		}
		after, _ := vmHWM(srv.cmd.Process.Pid)
		fmt.Printf("## %d concurrent %d MiB uploads\n\n%.0f MiB/s in total; server VmHWM %d MiB before, %d MiB after (+%d MiB over the idle %d MiB).\n\n",
			concurrent, concurrentMiB, float64(concurrent*concurrentMiB)/took.Seconds(), before>>10, after>>10, (after-idle)>>10, idle>>10)
	}
	return nil
}

func writeRandomFile(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.NewChaCha8([32]byte{1, 2, 3})
	if _, err := io.CopyN(w, rng, size); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

func readAll(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	_, err = io.Copy(io.Discard, f)
	return err
}

// vmHWM returns the peak resident set size of a process in KiB.
func vmHWM(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.ParseInt(strings.Fields(v)[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmHWM for %d", pid)
}

type process struct {
	cmd     *exec.Cmd
	baseURL string
}

func startProcess(bin, dir string, maxUpload int64) (*process, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATA_DIR="+filepath.Join(dir, "data"), "HTTP_ADDR="+addr, "LOG_LEVEL=error",
		"RATE_LIMITS=off", "MAIL_DRIVER=file", "ADMIN_EMAIL=admin@example.org", "ADMIN_PASSWORD=Admin-Passw0rd",
		"MAX_UPLOAD_BYTES="+strconv.FormatInt(maxUpload, 10))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, baseURL: "http://" + addr}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(p.baseURL + "/readyz"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
	}
	p.stop()
	return nil, fmt.Errorf("the server did not become ready")
}

func (p *process) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
	}
}

func (p *process) login() (string, error) {
	body, _ := json.Marshal(map[string]string{"email": "admin@example.org", "password": "Admin-Passw0rd"})
	resp, err := http.Post(p.baseURL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("login: %d %w", resp.StatusCode, err)
	}
	return out.AccessToken, nil
}

// upload streams a file from disk as multipart without holding it in memory.
func (p *process) upload(token, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, err := mw.CreateFormFile("file", filepath.Base(path))
		if err == nil {
			_, err = io.Copy(part, f)
		}
		if err == nil {
			err = mw.Close()
		}
		_ = pw.CloseWithError(err)
	}()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, p.baseURL+"/api/v1/datasets/create", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	var out struct {
		ID string `json:"id"`
	}
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(data, &out) != nil {
		return "", fmt.Errorf("upload: %d %s", resp.StatusCode, data)
	}
	return out.ID, nil
}

func (p *process) download(token, id string) (int64, error) {
	req, _ := http.NewRequest(http.MethodGet, p.baseURL+"/api/v1/datasets/"+id+"/download", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("download: %d", resp.StatusCode)
	}
	return io.Copy(io.Discard, resp.Body)
}
