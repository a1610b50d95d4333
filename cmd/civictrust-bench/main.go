// Command civictrust-bench measures the service against baselines run on the
// same machine in the same run (load tool and server share the CPUs, so only
// ratios are meaningful). `make bench` runs it; results go in docs/benchmarks.md.
//
//	go run ./cmd/civictrust-bench [-duration 1m] [-only login,me,enforcement,audit,upload] [-upload-mib 1024] [-steps]
//	    [-conns 8,32] [-side both|baseline|measured]
//
// -only also takes me-store and me-embedded, each one of me's two set-ups.
// -conns and -side narrow a run down for profiling one thing at a time (see
// docs/benchmarks.md).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/embedded"
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/wiring"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

func main() {
	duration := flag.Duration("duration", time.Minute, "length of each side of a comparison (in alternating 2 s slices)")
	only := flag.String("only", "login,me,enforcement,audit,upload", "comma-separated measurements to run")
	uploadMiB := flag.Int("upload-mib", 1024, "size of the large upload in MiB")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (server and load) to this file")
	traceFile := flag.String("trace", "", "write an execution trace of the whole run to this file (go tool trace)")
	receiver := flag.String("receive-into", "", "internal: run as the upload floor's receiving process, storing into this directory")
	steps := flag.Bool("steps", false, "print each upload or download step's time and CPU as it goes, on standard error")
	splicing := flag.Bool("receive-splicing", false, "internal: with -receive-into, splice into the file and hash from the page cache")
	conns := flag.String("conns", "8,32", "comma-separated connection counts of the login, /auth/me and audit comparisons")
	side := flag.String("side", sideBoth, "both, or only the baseline or only the measured side of the login, /auth/me, enforcement and audit comparisons, run in both turns (to profile one side; the uploads ignore it)")
	flag.Parse()
	p, err := newPlan(*duration, *conns, *side)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	// As `civictrust` does on the embedded store (what every measurement
	// here runs on, but the upload's server, which does it itself).
	procs := embedded.SpareProcessor(os.LookupEnv)
	if *receiver != "" {
		if err := receiveInto(*receiver, *splicing); err != nil {
			fmt.Fprintln(os.Stderr, "receive-into:", err)
			os.Exit(1)
		}
		return
	}
	if *cpuProfile != "" {
		record(*cpuProfile, pprof.StartCPUProfile)
		defer pprof.StopCPUProfile()
	}
	if *traceFile != "" {
		record(*traceFile, trace.Start)
		defer trace.Stop()
	}
	fmt.Printf("# civictrust-bench %s, %d CPUs, GOMAXPROCS=%d, %s each\n\n", time.Now().UTC().Format(time.RFC3339), cpus, procs, *duration)
	for _, m := range strings.Split(*only, ",") {
		var err error
		switch strings.TrimSpace(m) {
		case "login":
			err = benchLogin(p)
		case "me":
			err = benchMe(p, meFromStore(), meEmbedded())
		case "me-store":
			err = benchMe(p, meFromStore())
		case "me-embedded":
			err = benchMe(p, meEmbedded())
		case "upload":
			var log io.Writer
			if *steps {
				log = os.Stderr
			}
			err = benchUpload(*uploadMiB, 4, max(*uploadMiB/10, 1), log)
		case "enforcement":
			err = benchEnforcement(p)
		case "audit":
			err = benchAudit(p)
		default:
			err = fmt.Errorf("unknown measurement %q", m)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			pprof.StopCPUProfile()
			trace.Stop()
			os.Exit(1)
		}
	}
}

// record creates path and starts a recorder (CPU profile, execution trace)
// writing to it, or ends the run.
func record(path string, start func(io.Writer) error) {
	f, err := os.Create(path)
	if err == nil {
		err = start(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type service struct {
	app     *fx.App
	baseURL string
	db      *mongo.Database
	cfg     configs.Config
	hasher  identityport.PasswordHasher // the one logins verify with
}

// start boots the production graph on a fresh embedded store; extra options
// may decorate it (enforcement off).
func start(extra ...fx.Option) (*service, error) {
	dir, err := os.MkdirTemp("", "civictrust-bench-")
	if err != nil {
		return nil, err
	}
	env := map[string]string{"DATA_DIR": dir, "HTTP_ADDR": "127.0.0.1:0", "METRICS_ADDR": "off", "LOG_LEVEL": "error", "RATE_LIMITS": "off",
		"ADMIN_EMAIL": "admin@example.org", "ADMIN_PASSWORD": "Admin-Passw0rd", "MAIL_DRIVER": "file",
		"HASH_CONCURRENCY": strconv.Itoa(cpus)} // as `civictrust` resolves it, before its spare processor
	cfg, err := configs.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, "")
	if err != nil {
		return nil, err
	}
	var ln *wiring.Listener
	var client *mongostore.Client
	var hasher identityport.PasswordHasher
	opts := append([]fx.Option{fx.Supply(cfg), wiring.Core(), wiring.MongoStore(), wiring.HTTP(), fx.Populate(&ln, &client, &hasher), fx.NopLogger}, extra...)
	app := fx.New(opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		return nil, err
	}
	return &service{app: app, baseURL: "http://" + ln.Addr().String(), db: client.DB(), cfg: cfg, hasher: hasher}, nil
}

func (s *service) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = s.app.Stop(ctx)
	_ = os.RemoveAll(s.cfg.DataDir)
}

// cpus is how many CPUs this process may use: the runtime's GOMAXPROCS,
// read before main adds the embedded store's spare processor.
var cpus = runtime.GOMAXPROCS(0)

// loadClient is the load generator's HTTP client: fasthttp's, which costs
// the shared CPUs about a third of what net/http's does per request (the
// role wrk plays elsewhere), so that more of them is left to the server.
var loadClient = &fasthttp.Client{MaxConnsPerHost: 1024, ReadTimeout: time.Minute, WriteTimeout: time.Minute}

func (s *service) call(method, path, token string, body any) (int, []byte, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(s.baseURL + path)
	req.Header.SetMethod(method)
	if body != nil {
		b, _ := json.Marshal(body)
		req.SetBody(b)
		req.Header.SetContentType("application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if err := loadClient.Do(req, resp); err != nil {
		return 0, nil, err
	}
	return resp.StatusCode(), bytes.Clone(resp.Body()), nil
}

// rate runs fn in n goroutines for d and returns completed operations per second.
func rate(n int, d time.Duration, fn func() error) (float64, error) {
	var done atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := fn(); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok && err != nil {
		return 0, err
	}
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}

func expect(status int, body []byte, err error, want int) error {
	if err != nil {
		return err
	}
	if status != want {
		return fmt.Errorf("status %d, want %d: %s", status, want, body)
	}
	return nil
}

func benchLogin(p plan) error {
	s, err := start()
	if err != nil {
		return err
	}
	defer s.stop()
	login := map[string]string{"email": "admin@example.org", "password": "Admin-Passw0rd"}
	// The service's own hasher: the same slots and the same reused working
	// memory (the same pages, so the same luck with the caches) as the logins.
	encoded, err := s.hasher.Hash(context.Background(), "Admin-Passw0rd")
	if err != nil {
		return err
	}
	fmt.Println("## Login throughput vs raw argon2id verify (m=19 MiB, t=2, p=1)")
	fmt.Println()
	fmt.Println("| connections | raw verify/s | POST /auth/login req/s | ratio | interval | CPU per verify | CPU per login | cores busy (verify / login) |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	var r comparison
	for _, n := range p.conns {
		r, err = p.alternate(n, func() error {
			ok, _, err := s.hasher.Verify(context.Background(), "Admin-Passw0rd", encoded)
			if !ok && err == nil {
				err = fmt.Errorf("verify failed")
			}
			return err
		}, func() error {
			st, body, err := s.call(http.MethodPost, "/api/v1/auth/login", "", login)
			return expect(st, body, err, http.StatusOK)
		})
		if err != nil {
			return err
		}
		fmt.Printf("| %d | %.1f | %.1f | %.2f× | %s | %s | %s | %.0f %% / %.0f %% |\n", n, r.offRate, r.onRate, r.onRate/r.offRate, r.ratioInterval(),
			r.offCPU.Round(10*time.Microsecond), r.onCPU.Round(10*time.Microsecond), 100*r.offBusy, 100*r.onBusy)
	}
	fmt.Printf("\n%s\n\n", r.note())
	return nil
}

func (s *service) adminToken() (string, string, error) {
	st, body, err := s.call(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": "admin@example.org", "password": "Admin-Passw0rd"})
	if err := expect(st, body, err, http.StatusOK); err != nil {
		return "", "", err
	}
	var out struct {
		AccessToken string `json:"access_token"`
		User        struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return "", "", err
	}
	return out.AccessToken, out.User.ID, nil
}

// meSetup is one way of running the service for benchMe.
type meSetup struct {
	name  string
	extra []fx.Option
}

// meFromStore reads the user from the store on every request: the service
// started with the lock table of a store other processes share, which keeps
// no copies.
func meFromStore() meSetup {
	return meSetup{"from the store (as on MongoDB)", []fx.Option{fx.Decorate(func(*mongostore.DocLocks) *mongostore.DocLocks { return mongostore.NewDocLocks() })}}
}

// meEmbedded runs the service as on the embedded store by default.
func meEmbedded() meSetup { return meSetup{"from what this process wrote (embedded default)", nil} }

// meRows prints benchMe's rows for one set-up of the service, at each of the
// plan's connection counts, and returns the last comparison.
func meRows(p plan, setup meSetup) (comparison, error) {
	s, err := start(setup.extra...)
	if err != nil {
		return comparison{}, err
	}
	defer s.stop()
	token, userID, err := s.adminToken()
	if err != nil {
		return comparison{}, err
	}
	oid, _ := mongostore.ObjectID(userID)
	users := s.db.Collection("users")
	var r comparison
	for _, n := range p.conns {
		r, err = p.alternate(n, func() error {
			var doc bson.M
			return users.FindOne(context.Background(), bson.D{{Key: "_id", Value: oid}}).Decode(&doc)
		}, func() error {
			st, body, err := s.call(http.MethodGet, "/api/v1/auth/me", token, nil)
			return expect(st, body, err, http.StatusOK)
		})
		if err != nil {
			return r, err
		}
		fmt.Printf("| %s | %d | %.0f | %.0f | %.2f× | %s | %s | %s | %.0f %% / %.0f %% |\n", setup.name, n, r.offRate, r.onRate, r.onRate/r.offRate, r.ratioInterval(),
			r.offCPU.Round(time.Microsecond), r.onCPU.Round(time.Microsecond), 100*r.offBusy, 100*r.onBusy)
	}
	return r, nil
}

// benchMe compares GET /auth/me with a raw FindOne of the same user, twice:
// with the user read from the store on every request, as on MongoDB (a lock
// table for a store other processes share: no kept copies), which is what the
// goal is about (the token check must add no round trip); and as the embedded
// store runs by default, answering users this process wrote from what it
// wrote (mongostore.DocLocks.Latest), without any round trip.
func benchMe(p plan, setups ...meSetup) error {
	fmt.Println("## GET /api/v1/auth/me vs a raw driver FindOne by _id (same store, same concurrency)")
	fmt.Println()
	fmt.Println("| the user is read | connections | raw FindOne/s | GET /auth/me req/s | ratio | interval | CPU per FindOne | CPU per request | cores busy (FindOne / request) |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	var r comparison
	for _, setup := range setups {
		var err error
		if r, err = meRows(p, setup); err != nil {
			return err
		}
	}
	fmt.Printf("\n%s\n\n", r.note())
	return nil
}

// allowAll is enforcement switched off: every principal may use every module.
type allowAll struct{}

func (allowAll) Authorize(_ context.Context, p kernel.Principal) (kernel.Principal, error) {
	p.RoleNames = []string{access.RoleAdmin}
	return p, nil
}

func benchEnforcement(p plan) error {
	on, err := start()
	if err != nil {
		return err
	}
	defer on.stop()
	off, err := start(fx.Decorate(func(httpserver.Authorizer) httpserver.Authorizer { return allowAll{} }))
	if err != nil {
		return err
	}
	defer off.stop()
	tokens := map[*service]string{}
	for _, s := range []*service{on, off} {
		if tokens[s], _, err = s.adminToken(); err != nil {
			return err
		}
	}
	r, err := p.sideBySide(off, on, 32, func(s *service) error {
		st, body, err := s.call(http.MethodGet, "/api/v1/auth/me", tokens[s], nil)
		return expect(st, body, err, http.StatusOK)
	})
	if err != nil {
		return err
	}
	fmt.Println("## Enforcement on vs off, GET /api/v1/auth/me at 32 connections")
	fmt.Println()
	fmt.Println("| enforcement off req/s | enforcement on req/s | cost | interval | CPU/request off | CPU/request on | CPU cost |")
	fmt.Println("|---|---|---|---|---|---|---|")
	fmt.Printf("| %.0f | %.0f | %.1f%% | %s | %s | %s | %.1f%% |\n\n", r.offRate, r.onRate, r.rateCost(), r.costInterval(),
		r.offCPU.Round(time.Microsecond), r.onCPU.Round(time.Microsecond), r.cpuCost())
	fmt.Printf("%s\n\n", r.note())
	return nil
}

// comparison is the outcome of alternate: "off" is the first side (the
// baseline), "on" the second.
type comparison struct {
	side            string // the plan's: both, or the one side that ran in both turns
	rounds          int
	slice           time.Duration
	offRate, onRate float64
	ratios          []float64     // each round's on/off throughput, its two slices back to back
	offCPU, onCPU   time.Duration // this process's CPU time per request
	offBusy, onBusy float64       // this process's CPU time over the wall time of the available cores
}

func (c comparison) rateCost() float64 { return 100 * (c.offRate - c.onRate) / c.offRate }

// interval is the 95 % confidence interval of the mean of the rounds' on/off
// ratios; ok is false for a single round, which bounds nothing.
func (c comparison) interval() (lo, hi float64, ok bool) {
	_, lo, hi = meanInterval(c.ratios)
	return lo, hi, !math.IsInf(lo, 0)
}

// ratioInterval is interval as "lo–hi×", or "—".
func (c comparison) ratioInterval() string {
	if lo, hi, ok := c.interval(); ok {
		return fmt.Sprintf("%.2f–%.2f×", lo, hi)
	}
	return "—"
}

// costInterval is interval as a cost in percent of the off side's
// throughput, "lo to hi %", or "—".
func (c comparison) costInterval() string {
	if lo, hi, ok := c.interval(); ok {
		return fmt.Sprintf("%.1f to %.1f %%", 100*(1-hi), 100*(1-lo))
	}
	return "—"
}

// note is the line under a comparison's table: how it was made and what its
// interval is.
func (c comparison) note() string {
	only := ""
	if c.side != sideBoth {
		only = fmt.Sprintf(" Only the %s side ran, in both turns: every ratio compares it with itself.", c.side)
	}
	return fmt.Sprintf("(Alternating %d slices of %s per side.%s Interval: the 95 %% confidence interval (Student's t) of the mean of the rounds' ratios, a round being one slice of each side.)",
		c.rounds, c.slice, only)
}

func (c comparison) cpuCost() float64 {
	return 100 * float64(c.onCPU-c.offCPU) / float64(c.offCPU)
}

// sideBySide runs fn against two services that take turns (see alternate).
func (p plan) sideBySide(off, on *service, n int, fn func(s *service) error) (comparison, error) {
	return p.alternate(n, func() error { return fn(off) }, func() error { return fn(on) })
}

// alternate runs off and on in n goroutines each, taking turns in short
// slices (the order alternating), so that load from elsewhere on the machine
// and the store's own drift fall on both alike; each side gets d in all.
// Besides throughput it measures this process's CPU time per operation (the
// load generator's share included), which other processes do not disturb,
// and how busy that kept the cores: a side below 100 % left a core idle.
// With p.side set to one side, that side runs in both turns.
func (p plan) alternate(n int, off, on func() error) (comparison, error) {
	switch p.side {
	case sideBaseline:
		on = off
	case sideMeasured:
		off = on
	}
	c := comparison{slice: min(p.d, 2*time.Second), side: p.side}
	c.rounds = max(1, int(p.d/c.slice))
	var reqs, secs [2]float64
	var cpu [2]time.Duration
	for r := range c.rounds {
		var roundRate [2]float64
		for k := range 2 {
			side := (k + r) % 2
			fn := []func() error{off, on}[side]
			c0, t0 := processCPU(), time.Now()
			v, err := rate(n, c.slice, fn)
			if err != nil {
				return c, err
			}
			el := time.Since(t0).Seconds()
			cpu[side] += processCPU() - c0
			reqs[side] += v * el
			secs[side] += el
			roundRate[side] = v
		}
		c.ratios = append(c.ratios, roundRate[1]/roundRate[0])
	}
	c.offRate, c.onRate = reqs[0]/secs[0], reqs[1]/secs[1]
	c.offCPU, c.onCPU = cpu[0]/time.Duration(max(reqs[0], 1)), cpu[1]/time.Duration(max(reqs[1], 1))
	cores := float64(cpus)
	c.offBusy, c.onBusy = cpu[0].Seconds()/(secs[0]*cores), cpu[1].Seconds()/(secs[1]*cores)
	return c, nil
}

// noAudit is the audit trail switched off: appends vanish.
type noAudit struct{}

func (noAudit) Append(_ context.Context, e audit.Event) (*audit.Event, error) { return &e, nil }

// benchAudit measures what the audit trail costs a login: POST /auth/login
// (one auth.login event each, written before the answer) with the trail on,
// and with auditport.Log decorated into a no-op. Both services run side by
// side and take turns in short slices (the order alternating), so that load
// from elsewhere on the machine drifts over both alike; each side gets d in
// all. Besides throughput it reports this process's CPU time per login (the
// load generator's share included, the same on both sides), which other
// processes on the machine do not disturb.
func benchAudit(p plan) error {
	on, err := start()
	if err != nil {
		return err
	}
	defer on.stop()
	off, err := start(fx.Decorate(func(auditport.Log) auditport.Log { return noAudit{} }))
	if err != nil {
		return err
	}
	defer off.stop()
	login := map[string]string{"email": "admin@example.org", "password": "Admin-Passw0rd"}
	fmt.Println("## Audit trail on vs off, POST /api/v1/auth/login")
	fmt.Println()
	fmt.Println("| connections | audit off req/s | audit on req/s | cost | interval | CPU/login off | CPU/login on | CPU cost |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	var r comparison
	for _, n := range p.conns {
		if r, err = p.sideBySide(off, on, n, func(s *service) error {
			st, body, err := s.call(http.MethodPost, "/api/v1/auth/login", "", login)
			return expect(st, body, err, http.StatusOK)
		}); err != nil {
			return err
		}
		fmt.Printf("| %d | %.1f | %.1f | %.1f%% | %s | %s | %s | %.1f%% |\n", n, r.offRate, r.onRate, r.rateCost(), r.costInterval(),
			r.offCPU.Round(10*time.Microsecond), r.onCPU.Round(10*time.Microsecond), r.cpuCost())
	}
	fmt.Printf("\n%s\n\n", r.note())
	return nil
}
