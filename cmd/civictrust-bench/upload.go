package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/blob/fsblob"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// uploadRounds is how many times each transfer and its baseline run, taking
// turns: the disk's speed drifts (writeback, other tenants), and alternating
// lets the drift fall on both sides alike. Now and then this VM's host makes a
// single step, of either kind, several times slower than the same step in the
// other rounds (-steps prints each); the median round, which is reported, is
// not moved by one such step as a sum is.
const uploadRounds = 5

// warmupRounds run every step of the transfers before the counted rounds,
// and are not counted: in some runs here the server's first upload took up to
// half as long again as its later ones (-steps), which a server that has just
// started does once.
const warmupRounds = 1

// benchUpload compares streaming a large file through the service (fs blob
// driver, embedded store, server in its own process) with a plain copy of the
// same bytes on the same disk, and reads the server's peak resident memory.
//
//   - Upload: the client streams the file from disk (multipart, with a
//     Content-Length as browsers send it); the server writes it to a temporary
//     file, fsyncs and renames it. Baseline: copying the file to a new file on
//     the same disk and fsyncing it. A third row, the floor, sends the same
//     bytes the same way to a process that only stores them as an upload is
//     stored (floorReceiver): what any upload costs here before HTTP. A
//     fourth, the splicing floor, stores them with one copy instead of two
//     (spliceStore): what a design other than the would buy.
//   - Download: the client saves the body to a file on the same disk (what
//     `curl -o` does), through its buffer and, in a second row, by splicing
//     (downloadSplicing). Baseline: copying the stored bytes to a new file on
//     that disk. Neither side fsyncs. A third row reads the body into nothing,
//     against reading the file into nothing, for comparison.
//   - Concurrent uploads of smaller files against as many copies at once
//     (benchConcurrentUploads).
//
// Each baseline is the faster of the two ways a plain copy is made (see
// fastestCopy).
func benchUpload(sizeMiB int, concurrent int, concurrentMiB int, steps io.Writer) error {
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

	// This machine is a VM with free page reporting (virtio-balloon): memory
	// the guest frees goes back to the host, and writing into it again costs
	// more (docs/benchmarks.md). So every step starts right after a copy of
	// the file was written and deleted (warmPageCache), and every file a step
	// writes is deleted before the next: each transfer and each baseline
	// writes into pages just freed, as on a busy server.
	dst := filepath.Join(dir, "copy.bin")
	warmed := func(step func() error) func() error {
		return func() error {
			if err := warmPageCache(src, dir); err != nil {
				return err
			}
			return step()
		}
	}
	sum, err := fileSHA256(src)
	if err != nil {
		return err
	}
	receiver, err := startFloorReceiver(filepath.Join(dir, "floor"), false)
	if err != nil {
		return err
	}
	defer receiver.stop()
	splicer, err := startFloorReceiver(filepath.Join(dir, "floor-splicing"), true)
	if err != nil {
		return err
	}
	defer splicer.stop()
	var t transferTimes
	upload, floor, splicedFloor := &transferUse{name: "upload", log: steps}, &transferUse{name: "floor", log: steps}, &transferUse{name: "floor, splicing", log: steps}
	download, splicedDownload := &transferUse{name: "download", log: steps}, &transferUse{name: "download, splicing", log: steps}
	peakUpload := idle
	for round := range warmupRounds + uploadRounds {
		var id string
		steps := []func() error{
			func() error {
				took, err := fastestCopy(src, dst, true)
				t.copyWrite = append(t.copyWrite, took)
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
				return floor.measure(receiver.cmd.Process.Pid, func() error { return receiver.store(src, sum) })
			},
			func() error {
				return splicedFloor.measure(splicer.cmd.Process.Pid, func() error { return splicer.store(src, sum) })
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
				t.copyRead = append(t.copyRead, took)
				return err
			},
			func() error {
				err := download.measure(srv.cmd.Process.Pid, func() error { return srv.download(token, id, dst, size) })
				_ = os.Remove(dst)
				return err
			},
			func() error {
				err := splicedDownload.measure(srv.cmd.Process.Pid, func() error { return srv.downloadSplicing(token, id, dst, size) })
				_ = os.Remove(dst)
				return err
			},
			func() error { return timed(&t.readOnly, func() error { return readFileInto(io.Discard, src) }) },
			func() error { return timed(&t.downloadOnly, func() error { return srv.download(token, id, "", size) }) },
		}
		for i := range reads {
			if err := warmed(reads[(i+round)%len(reads)])(); err != nil {
				return err
			}
		}
		if err := srv.delete(token, id); err != nil {
			return err
		}
		if round < warmupRounds {
			t = transferTimes{}
			for _, u := range []*transferUse{upload, floor, splicedFloor, download, splicedDownload} {
				u.reset()
			}
		}
	}

	mib := float64(sizeMiB)
	row := func(name string, plain, transfer rounds) {
		p, h := plain.median().Seconds(), transfer.median().Seconds()
		fmt.Printf("| %s | %.0f | %.0f | %.2f× |\n", name, mib/p, mib/h, p/h)
	}
	fmt.Printf("## %d MiB upload and download, fs blob driver, server in its own process\n\n", sizeMiB)
	fmt.Printf("%d rounds after %d not counted, each transfer taking turns with its baseline; throughput of the median round of each.\n\n", uploadRounds, warmupRounds)
	fmt.Println("| | plain copy (MiB/s) | transfer (MiB/s) | ratio |")
	fmt.Println("|---|---|---|---|")
	row("upload through HTTP: file → server's disk, fsynced (baseline: copy + fsync)", t.copyWrite, upload.walls)
	row("floor: the same bytes over loopback TCP into the fs blob store, no HTTP (baseline: copy + fsync)", t.copyWrite, floor.walls)
	row("floor, splicing: the same, spliced into the file and hashed from the page cache (baseline: copy + fsync)", t.copyWrite, splicedFloor.walls)
	row("download through HTTP: server's disk → file (baseline: copy)", t.copyRead, download.walls)
	row("download through HTTP, the client splicing into the file (baseline: copy)", t.copyRead, splicedDownload.walls)
	row("download through HTTP into nothing (baseline: read into nothing)", t.readOnly, t.downloadOnly)
	fmt.Println()
	fmt.Printf("Upload through HTTP against the floor: %.2f×.\n\n", floor.walls.median().Seconds()/upload.walls.median().Seconds())
	gib := float64(sizeMiB*uploadRounds) / 1024
	fmt.Println("| CPU per GiB | server (or floor) process | client (this process) | the two cores busy (every process) |")
	fmt.Println("|---|---|---|---|")
	for _, u := range []*transferUse{upload, floor, splicedFloor, download, splicedDownload} {
		fmt.Printf("| %s | %.2f s | %.2f s | %.0f %% |\n", u.name, u.server.Seconds()/gib, u.client.Seconds()/gib, 100*u.busyShare())
	}
	fmt.Println()
	fmt.Printf("Server VmHWM: idle %d MiB, peak after the uploads %d MiB (+%d MiB).\n\n", idle>>10, peakUpload>>10, (peakUpload-idle)>>10)

	if concurrent > 0 {
		return benchConcurrentUploads(srv, token, dir, concurrent, concurrentMiB, idle)
	}
	return nil
}

// benchConcurrentUploads uploads concurrent files of mib MiB at once, taking
// turns over the rounds with as many plain copies + fsync at once (the faster
// of the two ways, see fastest), and reports both throughputs and the
// server's peak resident memory.
func benchConcurrentUploads(srv *process, token, dir string, concurrent, mib int, idle int64) error {
	small := filepath.Join(dir, "small.bin")
	if err := writeRandomFile(small, int64(mib)<<20); err != nil {
		return err
	}
	before, _ := vmHWM(srv.cmd.Process.Pid)
	var copies, uploads rounds
	for round := range warmupRounds + uploadRounds {
		steps := []func() error{
			func() error {
				dst := func(i int) string { return filepath.Join(dir, fmt.Sprintf("copy-%d.bin", i)) }
				took, err := fastest(func(inKernel bool) error {
					_, err := allAtOnce(concurrent, func(i int) error { return copyFile(small, dst(i), true, inKernel) })
					return err
				}, func() {
					for i := range concurrent {
						_ = os.Remove(dst(i))
					}
				})
				copies = append(copies, took)
				return err
			},
			func() error {
				ids := make([]string, concurrent)
				took, err := allAtOnce(concurrent, func(i int) error {
					var err error
					ids[i], err = srv.upload(token, small)
					return err
				})
				uploads = append(uploads, took)
				for _, id := range ids {
					if id != "" {
						err = errors.Join(err, srv.delete(token, id))
					}
				}
				return err
			},
		}
		for i := range steps {
			if err := warmPageCache(small, dir); err != nil {
				return err
			}
			if err := steps[(i+round)%len(steps)](); err != nil {
				return err
			}
		}
		if round < warmupRounds {
			copies, uploads = nil, nil
		}
	}
	after, _ := vmHWM(srv.cmd.Process.Pid)
	total := float64(concurrent * mib)
	fmt.Printf("## %d concurrent %d MiB uploads\n\n", concurrent, mib)
	fmt.Printf("%d rounds after %d not counted, taking turns with %d plain copies + fsync at once; throughput of the median round of each.\n\n", uploadRounds, warmupRounds, concurrent)
	fmt.Println("| | plain copies + fsync (MiB/s) | uploads through HTTP (MiB/s) | ratio |")
	fmt.Println("|---|---|---|---|")
	fmt.Printf("| %d × %d MiB at once | %.0f | %.0f | %.2f× |\n\n", concurrent, mib, total/copies.median().Seconds(), total/uploads.median().Seconds(), copies.median().Seconds()/uploads.median().Seconds())
	fmt.Printf("Server VmHWM: %d MiB before, %d MiB after (+%d MiB over the idle %d MiB).\n\n", before>>10, after>>10, (after-idle)>>10, idle>>10)
	return nil
}

// allAtOnce runs fn(0) … fn(n-1) at once and returns how long they took
// together and the first error.
func allAtOnce(n int, fn func(i int) error) (time.Duration, error) {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	return time.Since(start), errors.Join(errs...)
}

// fileSHA256 is the hex SHA-256 of the file at path.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// warmPageCache writes a copy of src next to it and removes it: the pages the
// next step writes into were just touched and freed.
func warmPageCache(src, dir string) error {
	warm := filepath.Join(dir, "warm.bin")
	err := copyFile(src, warm, false, false)
	_ = os.Remove(warm)
	return err
}

// transferTimes are the rounds of the steps that transferUse does not measure.
type transferTimes struct {
	copyWrite, copyRead, readOnly, downloadOnly rounds
}

func timed(times *rounds, fn func() error) error {
	start := time.Now()
	err := fn()
	*times = append(*times, time.Since(start))
	return err
}

// rounds are the times one step took, a round each.
type rounds []time.Duration

// median is the middle time (the mean of the two middle ones for an even
// count): one round the host made slow moves it less than it moves a sum.
func (r rounds) median() time.Duration {
	if len(r) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(r))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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

// fastest times copy both ways a plain copy is made — in the kernel as cp
// does, and through a 1 MiB buffer as dd bs=1M does — running remove after
// each, untimed, and returns the faster time: the baseline is the best a plain
// copy did.
func fastest(copy func(inKernel bool) error, remove func()) (time.Duration, error) {
	best := time.Duration(0)
	for _, inKernel := range []bool{true, false} {
		start := time.Now()
		err := copy(inKernel)
		took := time.Since(start)
		remove()
		if err != nil {
			return 0, err
		}
		if best == 0 || took < best {
			best = took
		}
	}
	return best, nil
}

// fastestCopy is fastest for one copy of src to dst.
func fastestCopy(src, dst string, sync bool) (time.Duration, error) {
	return fastest(func(inKernel bool) error { return copyFile(src, dst, sync, inKernel) },
		func() { _ = os.Remove(dst) })
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

func startFloorReceiver(dir string, splicing bool) (*floorReceiver, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "-receive-into", dir, "-receive-splicing="+strconv.FormatBool(splicing)) //nolint:gosec // G204: this program, and a path in our own temp dir
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
// stored, and returns once it reports the file stored with the SHA-256 sum.
func (f *floorReceiver) store(src, sum string) error {
	c, err := net.Dial("tcp", f.addr)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()
	sent := readFileInto(c, src)
	_ = c.(*net.TCPConn).CloseWrite()
	if !f.lines.Scan() || f.lines.Text() != "stored "+sum {
		return fmt.Errorf("floor receiver: %q, want the SHA-256 %s: %w", f.lines.Text(), sum, f.lines.Err())
	}
	return sent
}

// receiveInto is the floor's receiving process (-receive-into dir): it prints
// the address it listens on, then, for each connection, stores what it sends
// into an fs blob store at dir — the same reads, SHA-256, writes, writeback
// and fsync as an upload, without HTTP, multipart, authentication or the
// dataset's record — prints "stored" and the SHA-256, and deletes the blob.
// With splicing it stores by spliceStore instead.
func receiveInto(dir string, splicing bool) error {
	var store *fsblob.Store // the floor's; the splicing floor writes into dir itself
	var err error
	if splicing {
		err = os.MkdirAll(dir, 0o750)
	} else {
		store, err = fsblob.New(dir)
	}
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
		var sum string
		if splicing {
			sum, err = spliceStore(c, dir)
		} else {
			var info platformport.BlobInfo
			if info, err = store.Put(context.Background(), c, 0); err == nil {
				sum = info.SHA256
				err = store.Delete(context.Background(), info.Key)
			}
		}
		_ = c.Close()
		if err != nil {
			return err
		}
		fmt.Println("stored", sum)
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
// With a log, each step's own numbers are written to it as they come.
type transferUse struct {
	name           string
	log            io.Writer
	walls          rounds
	server, client time.Duration
	busy, total    int64 // /proc/stat ticks
}

// measure runs fn and adds what it took, pid being the server's process.
func (u *transferUse) measure(pid int, fn func() error) error {
	rBefore, errBefore := procCPU(pid)
	cBefore := processCPU()
	busyBefore, totalBefore := machineCPU()
	start := time.Now()
	err := fn()
	wall := time.Since(start)
	busyAfter, totalAfter := machineCPU()
	cAfter := processCPU()
	rAfter, errAfter := procCPU(pid)
	if err == nil && errBefore == nil && errAfter == nil {
		u.server += rAfter - rBefore
	}
	u.walls = append(u.walls, wall)
	u.client += cAfter - cBefore
	u.busy += busyAfter - busyBefore
	u.total += totalAfter - totalBefore
	if u.log != nil {
		_, _ = fmt.Fprintf(u.log, "step %s: %.2f s, CPU: server (or floor) %.2f s, client %.2f s\n",
			u.name, wall.Seconds(), (rAfter - rBefore).Seconds(), (cAfter - cBefore).Seconds())
	}
	return err
}

// reset forgets what was added so far.
func (u *transferUse) reset() {
	*u = transferUse{name: u.name, log: u.log}
}

func (u *transferUse) busyShare() float64 {
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
	cmd.Env = append(os.Environ(), "DATA_DIR="+filepath.Join(dir, "data"), "HTTP_ADDR="+addr, "METRICS_ADDR=off", "LOG_LEVEL=error",
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

// downloadSplicing saves dataset id's file to path as the cheapest client
// this machine can run: the request written by hand, and the body spliced from
// the socket into the file in the kernel (*os.File.ReadFrom with a TCP
// connection), never copied through this process. A client on another
// machine costs the server's cores nothing; this one still costs them the
// kernel's copy into the page cache, as the plain copy does.
func (p *process) downloadSplicing(token, id, path string, want int64) error {
	host := strings.TrimPrefix(p.baseURL, "http://")
	c, err := net.Dial("tcp", host)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()
	if _, err := fmt.Fprintf(c, "GET /api/v1/datasets/%s/download HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", id, host, token); err != nil {
		return err
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return err
	}
	// The connection first: closing the body reads what is left of it, which
	// is spliced away below.
	defer func() { _ = c.Close(); _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK || resp.ContentLength != want || len(resp.TransferEncoding) > 0 {
		return fmt.Errorf("download: %d, %d bytes announced (%v), want %d", resp.StatusCode, resp.ContentLength, resp.TransferEncoding, want)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	head, _ := br.Peek(br.Buffered()) // the body's first bytes, read with the headers
	if _, err := f.Write(head); err != nil {
		return err
	}
	n, err := f.ReadFrom(io.LimitReader(c, want-int64(len(head))))
	if err != nil {
		return err
	}
	if int64(len(head))+n != want {
		return fmt.Errorf("downloaded %d bytes, want %d", int64(len(head))+n, want)
	}
	return nil
}
