package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// readiness is one answer of /readyz: a status, or 0 when the connection failed.
type readiness struct {
	at     time.Time
	status int
}

// pollReadiness asks /readyz on a new connection every interval until stop is
// closed, and returns the answers once it has stopped.
func pollReadiness(base string, interval time.Duration, stop <-chan struct{}) func() []readiness {
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var mu sync.Mutex
	var seen []readiness
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			r := readiness{at: time.Now()}
			if resp, err := c.Get(base + "/readyz"); err == nil {
				r.status = resp.StatusCode
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
			mu.Lock()
			seen = append(seen, r)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(interval):
			}
		}
	}()
	return func() []readiness {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return seen
	}
}

// pacedReader yields size bytes at about rate bytes per second, and tells
// progress once half the bytes given by at have been read.
type pacedReader struct {
	size, rate, read, at int64
	start                time.Time
	reached              chan struct{}
	once                 sync.Once
}

func (r *pacedReader) Read(p []byte) (int, error) {
	if r.read >= r.size {
		return 0, io.EOF
	}
	if r.start.IsZero() {
		r.start = time.Now()
	}
	n := min(int64(len(p)), r.size-r.read, 256<<10)
	for i := range p[:n] {
		p[i] = byte('a' + (r.read+int64(i))%26)
	}
	r.read += n
	if r.read >= r.at {
		r.once.Do(func() { close(r.reached) })
	}
	// Sleep until the bytes read so far are due at rate.
	if due := r.start.Add(time.Duration(float64(r.read) / float64(r.rate) * float64(time.Second))); time.Until(due) > 0 {
		time.Sleep(time.Until(due))
	}
	return int(n), nil
}

// uploadOutcome is how the client saw the upload end.
type uploadOutcome struct {
	status int
	body   string
	err    error
}

// upload streams a multipart dataset upload of content to base. It returns
// once it has stopped reading content, so that the caller may look at it.
func upload(base, token, filename string, content io.Reader) uploadOutcome {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	written := make(chan struct{})
	defer func() {
		// The answer may come before the whole body was sent (a 503 while
		// shutting down): stop the writer, and wait for it.
		_ = pr.CloseWithError(io.ErrClosedPipe)
		<-written
	}()
	go func() {
		defer close(written)
		part, err := mw.CreateFormFile("file", filename)
		if err == nil {
			_, err = io.Copy(part, content)
		}
		if err == nil {
			err = mw.Close()
		}
		_ = pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/datasets/create", pr)
	if err != nil {
		return uploadOutcome{err: err}
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		return uploadOutcome{err: err}
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return uploadOutcome{status: resp.StatusCode, body: string(b)}
}

// blobFiles counts the stored blobs under dir (not the uploads in progress in
// .tmp) and the files left in .tmp.
func blobFiles(t *testing.T, dir string) (blobs, tmp int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		if rel, _ := filepath.Rel(dir, path); strings.HasPrefix(rel, ".tmp"+string(filepath.Separator)) {
			tmp++
		} else {
			blobs++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return blobs, tmp
}

// SIGTERM during a 200 MiB upload: /readyz turns 503 while the listener still
// serves; an upload that can finish within SHUTDOWN_TIMEOUT completes, the 200
// MiB one that cannot is aborted without leaving a blob or a dataset behind;
// and the process exits within SHUTDOWN_TIMEOUT (plus the few seconds an
// aborted request gets to clean up).
func TestSIGTERMDuringA200MiBUpload(t *testing.T) {
	t.Parallel()
	const (
		bigSize   = 200 << 20
		bigRate   = 10 << 20 // bytes a second: 20 s in all, longer than the grace
		smallSize = 40 << 20
		smallRate = 8 << 20 // 5 s in all, started 1 s before SIGTERM
		grace     = 10 * time.Second
		exitSlop  = 5 * time.Second
	)
	dataDir := t.TempDir()
	env := baseEnv(dataDir)
	env["MAX_UPLOAD_BYTES"] = fmt.Sprint(256 << 20)
	env["SHUTDOWN_TIMEOUT"] = grace.String()
	// SHUTDOWN_READINESS_DELAY keeps its default (2s).
	p := startProc(t, "service", env)
	c := p.client()
	token := c.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "login").str("access_token")

	send := func(name string, r *pacedReader) <-chan uploadOutcome {
		done := make(chan uploadOutcome, 1)
		go func() { done <- upload(p.base, token, name, r) }()
		select {
		case <-r.reached:
		case <-time.After(30 * time.Second):
			t.Fatalf("the upload of %s did not get going", name)
		}
		return done
	}
	big := &pacedReader{size: bigSize, rate: bigRate, at: 30 << 20, reached: make(chan struct{})}
	bigDone := send("big.csv", big)
	small := &pacedReader{size: smallSize, rate: smallRate, at: smallRate, reached: make(chan struct{})}
	smallDone := send("small.csv", small)

	stopPolling := make(chan struct{})
	readinessLog := pollReadiness(p.base, 25*time.Millisecond, stopPolling)
	time.Sleep(100 * time.Millisecond) // a few ready answers first
	term := time.Now()
	p.signal(syscall.SIGTERM)

	var exitAfter time.Duration
	select {
	case <-p.exited:
		exitAfter = time.Since(term)
	case <-time.After(grace + 3*exitSlop):
		t.Fatalf("the process did not exit within %v of SIGTERM", grace+3*exitSlop)
	}
	close(stopPolling)
	if p.err != nil {
		t.Errorf("exit status after SIGTERM: %v", p.err)
	}
	t.Logf("exited %v after SIGTERM", exitAfter.Round(time.Millisecond))
	if exitAfter > grace+exitSlop {
		t.Errorf("exited %v after SIGTERM, want within SHUTDOWN_TIMEOUT (%v) + %v", exitAfter, grace, exitSlop)
	}

	t.Run("readiness_turns_503_before_the_listener_closes", func(t *testing.T) {
		seq := readinessLog()
		var summary []string
		count := 0
		first503, firstDown := -1, -1
		for i, r := range seq {
			count++
			if i == len(seq)-1 || seq[i+1].status != r.status {
				summary = append(summary, fmt.Sprintf("%d×%d", r.status, count))
				count = 0
			}
			switch {
			case r.status == http.StatusServiceUnavailable && first503 < 0:
				first503 = i
			case r.status == 0 && firstDown < 0:
				firstDown = i
			case r.status == http.StatusOK && first503 >= 0:
				t.Errorf("/readyz answered 200 again %v after SIGTERM", r.at.Sub(term))
			}
		}
		t.Logf("/readyz around SIGTERM (0 = connection refused): %s", strings.Join(summary, " "))
		switch {
		case first503 < 0:
			t.Error("/readyz never answered 503")
		case firstDown >= 0 && firstDown < first503:
			t.Error("the listener closed before /readyz answered 503")
		case firstDown < 0:
			t.Error("the listener never closed while polled")
		default:
			t.Logf("503 from %v, connection refused from %v after SIGTERM",
				seq[first503].at.Sub(term).Round(time.Millisecond), seq[firstDown].at.Sub(term).Round(time.Millisecond))
		}
	})

	bigOut, smallOut := <-bigDone, <-smallDone
	t.Logf("200 MiB upload: status %d, error %v, %d MiB sent", bigOut.status, bigOut.err, big.read>>20)
	t.Logf("40 MiB upload: status %d, error %v", smallOut.status, smallOut.err)
	t.Run("the_upload_that_fits_in_the_grace_completes", func(t *testing.T) {
		if smallOut.err != nil || smallOut.status != http.StatusCreated {
			t.Errorf("status %d, error %v, body %s; want 201", smallOut.status, smallOut.err, smallOut.body)
		}
	})
	t.Run("the_200_MiB_upload_is_aborted", func(t *testing.T) {
		aborted := bigOut.err != nil || (bigOut.status == http.StatusServiceUnavailable && strings.Contains(bigOut.body, `"shutting_down"`))
		if !aborted {
			t.Errorf("status %d, body %s: want 503 shutting_down or a dropped connection", bigOut.status, bigOut.body)
		}
		if !strings.Contains(p.log(), "requests in flight were aborted") {
			t.Error("the log does not say that the shutdown aborted a request")
		}
	})

	t.Run("no_blob_or_dataset_is_left_half_done", func(t *testing.T) {
		blobs, tmp := blobFiles(t, filepath.Join(dataDir, "blobs"))
		if blobs != 1 || tmp != 0 {
			t.Errorf("%d blobs and %d temporary files after shutdown, want 1 (the completed upload) and 0", blobs, tmp)
		}
		// Start again on the same DATA_DIR: the store agrees with the blobs.
		env["SHUTDOWN_READINESS_DELAY"] = "0s"
		again := startProc(t, "service, restarted", env)
		defer again.stop()
		ac := again.client()
		tok := ac.login(t, testAdminEmail, testAdminPassword).expect(t, http.StatusOK, "login after restart").str("access_token")
		list := ac.do(t, http.MethodGet, "/api/v1/datasets", tok, nil).expect(t, http.StatusOK, "list datasets").json()
		data, _ := list["data"].([]any)
		if len(data) != 1 {
			t.Fatalf("%d datasets after shutdown, want 1 (the completed upload): %v", len(data), list)
		}
		d, _ := data[0].(map[string]any)
		f, _ := d["file"].(map[string]any)
		if f["filename"] != "small.csv" || f["size"] != float64(smallSize) {
			t.Errorf("the dataset kept is %v, want small.csv of %d bytes", f, smallSize)
		}
		id, _ := d["id"].(string)
		r := ac.do(t, http.MethodGet, "/api/v1/datasets/"+id+"/download", tok, nil).expect(t, http.StatusOK, "download")
		if len(r.body) != smallSize {
			t.Errorf("downloaded %d bytes, want %d", len(r.body), smallSize)
		}
	})
}
