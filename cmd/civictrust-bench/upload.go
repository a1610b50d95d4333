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

	"github.com/civicdatatrust/civictrust/adapters/blob/fsblob"
)

// uploadRounds is how many times each transfer and its baseline run, taking
// turns: the disk's speed drifts (writeback, other tenants), and alternating
// lets the drift fall on both sides alike.
const uploadRounds = 3

// benchUpload compares streaming a large file through the service (fs blob
// driver, embedded store, server in its own process) with a plain copy of the
// same bytes on the same disk, and reads the server's peak resident memory.
//
//   - Upload: the client streams the file from disk (multipart, with a
//     Content-Length as browsers send it); the server writes it to a temporary
//     file, fsyncs and renames it. Baseline: copying the file to a new file on
//     the same disk and fsyncing it. A third row, the floor, sends the same
//     bytes the same way to a process that only stores them as an upload is
//     stored (floorReceiver): what any upload costs here before HTTP.
//   - Download: the client saves the body to a file on the same disk (what
//     `curl -o` does). Baseline: copying the stored bytes to a new file on that
//     disk. Neither side fsyncs. A second row reads the body into nothing,
//     against reading the file into nothing, for comparison.
//
// Each baseline is the faster of the two ways a plain copy is made (see
// fastestCopy).
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
	size := int64(sizeMiB) << 20
	src := filepath.Join(dir, "source.bin")
	if err := writeRandomFile(src, size); err != nil {
		return err
	}
	srv, err := startProcess(bin, dir, size+64<<20)
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

	// This machine is a VM with free page reporting (virtio-balloon): pages
	// the guest frees go back to the host within seconds, and writing into
	// such memory again is slower than writing into pages just freed: with
	// every step's time printed on its own, the floor was much slower right
	// after the upload, which keeps its file, than right after a step that
	// deleted its file (docs/benchmarks.md). So every step starts right after a copy of the file was written and deleted
	// (warmPageCache), and every file a step writes is deleted before the
	// next: each transfer and each baseline writes into pages just freed, as
	// on a busy server.
	dst := filepath.Join(dir, "copy.bin")
	warmed := func(step func() error) func() error {
		return func() error {
			if err := warmPageCache(src, dir); err != nil {
				return err
			}
			return step()
		}
	}
	receiver, err := startFloorReceiver(filepath.Join(dir, "floor"))
	if err != nil {
		return err
	}
	defer receiver.stop()
	var t transferTimes
	var upload, floor, download transferUse
	peakUpload := idle
	for round := range uploadRounds {
		var id string
		steps := []func() error{
			func() error {
				took, err := fastestCopy(src, dst, true)
				t.copyWrite += took
				return err
			},
			func() error {
				return upload.measure(srv.cmd.Process.Pid, func() error {
					var err error
					id, err = srv.upload(token, src)
					return err
				})
			},
			func() error {
				return floor.measure(receiver.cmd.Process.Pid, func() error { return receiver.store(src) })
			},
		}
		for i := range steps { // each round starts with another step
			if err := warmed(steps[(i+round)%len(steps)])(); err != nil {
				return err
			}
		}
		if hwm, err := vmHWM(srv.cmd.Process.Pid); err == nil {
			peakUpload = max(peakUpload, hwm)
		}
		reads := []func() error{
			func() error {
				took, err := fastestCopy(src, dst, false)
				t.copyRead += took
				return err
			},
			func() error {
				err := download.measure(srv.cmd.Process.Pid, func() error { return srv.download(token, id, dst, size) })
				_ = os.Remove(dst)
				return err
			},
			func() error { return timed(&t.readOnly, func() error { return readFileInto(io.Discard, src) }) },
			func() error { return timed(&t.downloadOnly, func() error { return srv.download(token, id, "", size) }) },
		}
		if round%2 == 1 {
			reads[0], reads[1], reads[2], reads[3] = reads[1], reads[0], reads[3], reads[2]
		}
		for _, step := range reads {
			if err := warmed(step)(); err != nil {
				return err
			}
		}
		if err := srv.delete(token, id); err != nil {
			return err
		}
	}

	mib := float64(sizeMiB * uploadRounds)
	row := func(name string, plain, http time.Duration) {
		fmt.Printf("| %s | %.0f | %.0f | %.2f× |\n", name, mib/plain.Seconds(), mib/http.Seconds(), plain.Seconds()/http.Seconds())
	}
	fmt.Printf("## %d MiB upload and download, fs blob driver, server in its own process\n\n", sizeMiB)
	fmt.Printf("%d rounds, each transfer taking turns with its baseline; throughput over all rounds.\n\n", uploadRounds)
	fmt.Println("| | plain copy (MiB/s) | through HTTP (MiB/s) | ratio |")
	fmt.Println("|---|---|---|---|")
	row("upload: file → server's disk, fsynced (baseline: copy + fsync)", t.copyWrite, upload.wall)
	row("floor: the same bytes over loopback TCP into the fs blob store, no HTTP (baseline: copy + fsync)", t.copyWrite, floor.wall)
	row("download: server's disk → file (baseline: copy)", t.copyRead, download.wall)
	row("download into nothing (baseline: read into nothing)", t.readOnly, t.downloadOnly)
	fmt.Println()
	fmt.Printf("Upload through HTTP against the floor: %.2f×.\n\n", floor.wall.Seconds()/upload.wall.Seconds())
	gib := float64(sizeMiB*uploadRounds) / 1024
	fmt.Println("| CPU per GiB | server (or floor) process | client (this process) | the two cores busy (every process) |")
	fmt.Println("|---|---|---|---|")
	for _, u := range []struct {
		name string
		use  transferUse
	}{{"upload through HTTP", upload}, {"floor", floor}, {"download to a file", download}} {
		fmt.Printf("| %s | %.2f s | %.2f s | %.0f %% |\n", u.name, u.use.server.Seconds()/gib, u.use.client.Seconds()/gib, 100*u.use.busyShare())
	}
	fmt.Println()
	fmt.Printf("Server VmHWM: idle %d MiB, peak after the uploads %d MiB (+%d MiB).\n\n", idle>>10, peakUpload>>10, (peakUpload-idle)>>10)

	if concurrent > 0 {
		small := filepath.Join(dir, "small.bin")
		if err := writeRandomFile(small, int64(concurrentMiB)<<20); err != nil {
			return err
		}
		if err := warmPageCache(src, dir); err != nil {
			return err
		}
		before, _ := vmHWM(srv.cmd.Process.Pid)
		var wg sync.WaitGroup
		errs := make(chan error, concurrent)
		start := time.Now()
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

// warmPageCache writes a copy of src next to it and removes it: the pages the
// next step writes into were just touched and freed.
func warmPageCache(src, dir string) error {
	warm := filepath.Join(dir, "warm.bin")
	err := copyFile(src, warm, false, false)
	_ = os.Remove(warm)
	return err
}

// transferTimes add up the rounds of each transfer.
type transferTimes struct {
	copyWrite, copyRead, readOnly, downloadOnly time.Duration
}

func timed(total *time.Duration, fn func() error) error {
	start := time.Now()
	err := fn()
	*total += time.Since(start)
	return err
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

// fastestCopy copies src to dst both ways a plain copy is made — in the
// kernel as cp does, and through a 1 MiB buffer as dd bs=1M does — removing
// the copy after each, and returns the faster time: the baseline is the best
// a plain copy did.
func fastestCopy(src, dst string, sync bool) (time.Duration, error) {
	best := time.Duration(0)
	for _, inKernel := range []bool{true, false} {
		start := time.Now()
		err := copyFile(src, dst, sync, inKernel)
		took := time.Since(start)
		_ = os.Remove(dst)
		if err != nil {
			return 0, err
		}
		if best == 0 || took < best {
			best = took
		}
	}
	return best, nil
}

// copyFile copies src to a new file dst, in the kernel (copy_file_range,
// as cp does) or through a 1 MiB buffer, then fsyncs it when sync is set.
func copyFile(src, dst string, sync, inKernel bool) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if inKernel {
		_, err = io.Copy(out, in)
	} else {
		_, err = io.CopyBuffer(writerOnly{out}, readerOnly{in}, make([]byte, transferBuffer))
	}
	if err != nil {
		_ = out.Close()
		return err
	}
	if sync {
		if err := out.Sync(); err != nil {
			_ = out.Close()
			return err
		}
	}
	return out.Close()
}

// floorReceiver is the process the floor's bytes are sent to (see
// receiveInto); it lives through all the rounds, as the server does.
type floorReceiver struct {
	cmd   *exec.Cmd
	addr  string
	lines *bufio.Scanner
}

func startFloorReceiver(dir string) (*floorReceiver, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "-receive-into", dir) //nolint:gosec // G204: this program, and a path in our own temp dir
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	f := &floorReceiver{cmd: cmd, lines: bufio.NewScanner(out)}
	if !f.lines.Scan() {
		f.stop()
		return nil, fmt.Errorf("floor receiver: no address: %w", f.lines.Err())
	}
	f.addr = f.lines.Text()
	return f, nil
}

func (f *floorReceiver) stop() {
	_ = f.cmd.Process.Kill()
	_ = f.cmd.Wait()
}

// store is the floor an upload stands on here: src is sent over a loopback
// TCP connection as the upload client sends it (read and written through the
// client's buffer) to the receiving process, which stores it as an upload is
// stored, and returns once it reports the file stored.
func (f *floorReceiver) store(src string) error {
	c, err := net.Dial("tcp", f.addr)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()
	sent := readFileInto(c, src)
	_ = c.(*net.TCPConn).CloseWrite()
	if !f.lines.Scan() || f.lines.Text() != "stored" {
		return fmt.Errorf("floor receiver: %q: %w", f.lines.Text(), f.lines.Err())
	}
	return sent
}

// receiveInto is the floor's receiving process (-receive-into dir): it prints
// the address it listens on, then, for each connection, stores what it sends
// into an fs blob store at dir — the same reads, SHA-256, writes, writeback
// and fsync as an upload, without HTTP, multipart, authentication or the
// dataset's record — prints "stored", and deletes the blob.
func receiveInto(dir string) error {
	store, err := fsblob.New(dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer func() { _ = ln.Close() }()
	fmt.Println(ln.Addr())
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		info, err := store.Put(context.Background(), c, 0)
		_ = c.Close()
		if err != nil {
			return err
		}
		fmt.Println("stored")
		if err := store.Delete(context.Background(), info.Key); err != nil {
			return err
		}
	}
}

// readFileInto writes the file at path to w through the client's buffer.
func readFileInto(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	_, err = io.CopyBuffer(writerOnly{w}, readerOnly{f}, make([]byte, transferBuffer))
	return err
}

// transferBuffer is the client's copy buffer: large, as download tools use.
const transferBuffer = 1 << 20

// writerOnly hides a writer's ReadFrom, and readerOnly a reader's WriteTo
// (*os.File has both), so that io.CopyBuffer uses the buffer.
type writerOnly struct{ w io.Writer }

func (w writerOnly) Write(p []byte) (int, error) { return w.w.Write(p) }

type readerOnly struct{ r io.Reader }

func (r readerOnly) Read(p []byte) (int, error) { return r.r.Read(p) }

// transferClient sends and receives bodies through large buffers.
var transferClient = &http.Client{Transport: &http.Transport{WriteBufferSize: transferBuffer, ReadBufferSize: transferBuffer}}

// transferUse adds up what the steps of one kind took: their wall time, the
// CPU of the server (or of the floor's receiving process) and of the client
// (this process), and the machine's busy and total time over all its CPUs.
type transferUse struct {
	wall, server, client time.Duration
	busy, total          int64 // /proc/stat ticks
}

// measure runs fn and adds what it took, pid being the server's process.
func (u *transferUse) measure(pid int, fn func() error) error {
	rBefore, errBefore := procCPU(pid)
	cBefore := processCPU()
	busyBefore, totalBefore := machineCPU()
	start := time.Now()
	err := fn()
	u.wall += time.Since(start)
	busyAfter, totalAfter := machineCPU()
	cAfter := processCPU()
	rAfter, errAfter := procCPU(pid)
	if err == nil && errBefore == nil && errAfter == nil {
		u.server += rAfter - rBefore
	}
	u.client += cAfter - cBefore
	u.busy += busyAfter - busyBefore
	u.total += totalAfter - totalBefore
	return err
}

func (u transferUse) busyShare() float64 {
	if u.total == 0 {
		return 0
	}
	return float64(u.busy) / float64(u.total)
}

// clockTicks is Linux's USER_HZ, the unit of /proc's CPU times.
const clockTicks = 100

// procCPU returns the CPU time (user and system) process pid has used.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// After the command name in parentheses: state, then 10 fields, then
	// utime and stime (fields 14 and 15 of proc(5)).
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// machineCPU returns the busy and total time of all CPUs so far, in ticks:
// busy is everything but idle and iowait.
func machineCPU() (busy, total int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line) // "cpu" user nice system idle iowait irq softirq steal …
	for i, f := range fields[1:] {
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil || i >= 8 { // guest times are already in user and nice
			break
		}
		total += v
		if i != 3 && i != 4 {
			busy += v
		}
	}
	return busy, total
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

// upload streams a file from disk as multipart without holding it in memory,
// announcing its length as browsers do. The request is written by hand on a
// connection of its own, so that the file goes out exactly as in
// storeOverLoopback (through the client's buffer) and the two differ only on
// the server's side.
func (p *process) upload(token, path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if _, err := mw.CreateFormFile("file", filepath.Base(path)); err != nil {
		return "", err
	}
	headLen := head.Len()
	if err := mw.Close(); err != nil {
		return "", err
	}
	tail := bytes.Clone(head.Bytes()[headLen:])
	head.Truncate(headLen)
	host := strings.TrimPrefix(p.baseURL, "http://")
	c, err := net.Dial("tcp", host)
	if err != nil {
		return "", err
	}
	defer func() { _ = c.Close() }()
	_, err = fmt.Fprintf(c, "POST /api/v1/datasets/create HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
		host, token, mw.FormDataContentType(), int64(headLen)+st.Size()+int64(len(tail)), head.Bytes())
	if err == nil {
		err = readFileInto(c, path)
	}
	if err == nil {
		_, err = c.Write(tail)
	}
	if err != nil {
		return "", err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
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

// delete deletes dataset id (and so its file).
func (p *process) delete(token, id string) error {
	req, _ := http.NewRequest(http.MethodDelete, p.baseURL+"/api/v1/datasets/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := transferClient.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("delete: %d", resp.StatusCode)
	}
	return nil
}

// download saves dataset id's file to path ("": reads it into nothing) and
// checks its length.
func (p *process) download(token, id, path string, want int64) error {
	req, _ := http.NewRequest(http.MethodGet, p.baseURL+"/api/v1/datasets/"+id+"/download", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := transferClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download: %d", resp.StatusCode)
	}
	sink := writerOnly{io.Discard}
	if path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		sink = writerOnly{f}
	}
	n, err := io.CopyBuffer(sink, resp.Body, make([]byte, transferBuffer))
	if err != nil {
		return err
	}
	if n != want {
		return fmt.Errorf("downloaded %d bytes, want %d", n, want)
	}
	return nil
}
