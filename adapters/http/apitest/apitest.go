// Package apitest boots the whole service (the production fx graph on the
// embedded SQLite store, or MongoDB when MONGODB_URI is set) and drives it
// over real HTTP.
// Every response is validated against the OpenAPI document.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/adapters/wiring"
	"github.com/civicdatatrust/civictrust/configs"
)

// Admin credentials every test app is bootstrapped with.
const (
	AdminEmail    = "admin@example.org"
	AdminPassword = "Admin-Passw0rd"
)

// App is a running service.
type App struct {
	t       testing.TB
	env     map[string]string
	Config  configs.Config
	BaseURL string
	// MetricsURL is the metrics listener's base URL ("" when METRICS_ADDR is off).
	MetricsURL string
	Client     *http.Client
	fxOpts     []fx.Option
	fxApp      *fx.App
	server     *httpserver.Server
	db         *mongo.Database
	sqlite     *sqlitestore.DB
	// SkipValidation turns off OpenAPI validation (for deliberately odd requests).
	SkipValidation bool
}

// Option changes the environment or the fx graph an app starts with.
type Option func(s *settings)

// settings are what the options change.
type settings struct {
	env map[string]string
	fx  []fx.Option
}

// WithEnv sets one configuration variable.
func WithEnv(key, value string) Option { return func(s *settings) { s.env[key] = value } }

// OnMongo runs the app on MongoDB instead of the embedded store: a fresh
// database on the test engine (mongotest: FerretDB, or the MongoDB that
// MONGODB_TEST_URI names), dropped when the test ends.
func OnMongo(t testing.TB) Option {
	db := mongotest.Database(t)
	uri := mongotest.URI(t)
	return func(s *settings) {
		s.env["MONGODB_URI"] = uri
		s.env["MONGODB_DATABASE"] = db.Name()
	}
}

// WithFxOption adds an option to the app's fx graph, e.g. an fx.Decorate that
// wraps a port with a failing adapter:
//
//	apitest.WithFxOption(fx.Decorate(func(b platformport.BlobStore) platformport.BlobStore {
//		return memblob.Failing(b, 1024)
//	}))
func WithFxOption(o fx.Option) Option { return func(s *settings) { s.fx = append(s.fx, o) } }

// Start boots a fresh service in a temporary DATA_DIR and stops it at cleanup.
func Start(t testing.TB, opts ...Option) *App {
	t.Helper()
	a := newApp(t, opts)
	a.start()
	t.Cleanup(a.Stop)
	return a
}

func newApp(t testing.TB, opts []Option) *App {
	env := map[string]string{
		"DATA_DIR":       t.TempDir(),
		"HTTP_ADDR":      "127.0.0.1:0",
		"METRICS_ADDR":   "127.0.0.1:0",
		"MAIL_DRIVER":    "file",
		"ADMIN_EMAIL":    AdminEmail,
		"ADMIN_PASSWORD": AdminPassword,
		"LOG_LEVEL":      "error",
		"RATE_LIMITS":    "off",
		// No load balancer polls a test app's /readyz: stop at once.
		"SHUTDOWN_READINESS_DELAY": "0s",
	}
	s := settings{env: env}
	for _, o := range opts {
		o(&s)
	}
	return &App{t: t, env: env, fxOpts: s.fx, Client: &http.Client{Timeout: 60 * time.Second}}
}

// TryStart is Start that returns an error instead of failing the test, so that
// it may run in a goroutine other than the test's (apps started at once).
// On success the app is stopped at cleanup.
func TryStart(t testing.TB, opts ...Option) (*App, error) {
	a := newApp(t, opts)
	if err := a.boot(); err != nil {
		return nil, err
	}
	t.Cleanup(a.Stop)
	return a, nil
}

// storeHandles are the running app's store, whichever it is.
type storeHandles struct {
	fx.In
	Mongo  *mongo.Database `optional:"true"`
	SQLite *sqlitestore.DB `optional:"true"`
}

// Database is the running app's MongoDB database, nil on the embedded store:
// for tests that look at what the store holds.
func (a *App) Database() *mongo.Database { return a.db }

// SQLite is the running app's embedded store (nil when MONGODB_URI is set):
// for tests that look at what the store holds.
func (a *App) SQLite() *sqlitestore.DB { return a.sqlite }

// Server is the running app's HTTP server (its route table, for tests that
// walk every route).
func (a *App) Server() *httpserver.Server { return a.server }

func (a *App) start() {
	a.t.Helper()
	if err := a.boot(); err != nil {
		a.t.Fatalf("%v", err)
	}
}

// boot loads the configuration and starts the fx app; it never fails the test.
func (a *App) boot() error {
	cfg, err := configs.Load(func(k string) (string, bool) { v, ok := a.env[k]; return v, ok }, "")
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	a.Config = cfg
	var ln *wiring.Listener
	var mln *wiring.MetricsListener
	var srv *httpserver.Server
	var stores storeHandles
	graph := wiring.Service(cfg)
	if len(a.fxOpts) > 0 {
		// The service's graph becomes a module, so that the test's options may
		// decorate a type the graph decorates already (fx allows one decorator
		// of a type per scope; the root's applies on top of the module's).
		graph = fx.Options(fx.Module("civictrust", graph), fx.NopLogger, fx.Options(a.fxOpts...))
	}
	app := fx.New(
		graph,
		fx.Populate(&ln, &mln, &srv),
		fx.Invoke(func(h storeHandles) { stores = h }),
		fx.StartTimeout(2*time.Minute),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	a.fxApp = app
	a.server = srv
	a.db, a.sqlite = stores.Mongo, stores.SQLite
	a.BaseURL = "http://" + ln.Addr().String()
	a.MetricsURL = ""
	if mln.Listener != nil {
		a.MetricsURL = "http://" + mln.Addr().String()
	}
	return nil
}

// Stop stops the service (idempotent).
func (a *App) Stop() {
	if a.fxApp == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.fxApp.Stop(ctx); err != nil {
		a.t.Errorf("stop: %v", err)
	}
	a.fxApp = nil
}

// Restart stops the service and starts it again on the same DATA_DIR.
func (a *App) Restart() {
	a.t.Helper()
	a.Stop()
	a.start()
}

// Response is a finished exchange.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value.
func (r *Response) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Array decodes a JSON array body.
func (r *Response) Array() []map[string]any {
	var out []map[string]any
	_ = json.Unmarshal(r.Body, &out)
	return out
}

// Str returns a top-level string field.
func (r *Response) Str(key string) string {
	s, _ := r.JSON()[key].(string)
	return s
}

// Req describes a request; Body may be a string/[]byte (sent as is) or any value (sent as JSON).
type Req struct {
	Method  string
	Path    string
	Token   string
	Body    any
	Header  map[string]string
	Context context.Context
}

// Do sends a request and validates the response against the OpenAPI document.
func (a *App) Do(r Req) *Response {
	a.t.Helper()
	var body io.Reader
	var raw []byte
	switch b := r.Body.(type) {
	case io.Reader:
		body = b
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			a.t.Fatalf("marshal: %v", err)
		}
	}
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	ctx := r.Context
	if ctx == nil {
		ctx = context.Background()
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, a.BaseURL+r.Path, body)
	if err != nil {
		a.t.Fatalf("request: %v", err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	resp, err := a.Client.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("read body: %v", err)
	}
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
	if !a.SkipValidation {
		if problems := ValidateResponse(r.Method, r.Path, out); len(problems) > 0 {
			a.t.Errorf("%s %s → %d does not match the OpenAPI document:\n  %s\n  body: %s",
				r.Method, r.Path, out.Status, strings.Join(problems, "\n  "), truncate(data, 600))
		}
	}
	return out
}

// Get sends a GET (the other verbs below are the same conveniences).
func (a *App) Get(path, token string) *Response {
	a.t.Helper()
	return a.Do(Req{Method: http.MethodGet, Path: path, Token: token})
}

// Post sends JSON.
func (a *App) Post(path, token string, body any) *Response {
	a.t.Helper()
	return a.Do(Req{Method: http.MethodPost, Path: path, Token: token, Body: body})
}

// Put sends JSON.
func (a *App) Put(path, token string, body any) *Response {
	a.t.Helper()
	return a.Do(Req{Method: http.MethodPut, Path: path, Token: token, Body: body})
}

// Delete sends a DELETE.
func (a *App) Delete(path, token string) *Response {
	a.t.Helper()
	return a.Do(Req{Method: http.MethodDelete, Path: path, Token: token})
}

// Expect fails the test unless the response has the status.
func (r *Response) Expect(t testing.TB, status int) *Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body: %s", r.Status, status, truncate(r.Body, 1000))
	}
	return r
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// Tokens are a signed-in user's credentials.
type Tokens struct {
	Access  string
	Refresh string
	UserID  string
}

// Signup registers a member and returns its id.
func (a *App) Signup(name, email, password string) string {
	a.t.Helper()
	r := a.Post("/api/v1/auth/signup", "", map[string]any{"name": name, "email": email, "password": password, "role": "member"})
	r.Expect(a.t, http.StatusCreated)
	return r.Str("id")
}

// Login signs in and returns the tokens.
func (a *App) Login(email, password string) Tokens {
	a.t.Helper()
	r := a.Post("/api/v1/auth/login", "", map[string]any{"email": email, "password": password})
	r.Expect(a.t, http.StatusOK)
	user, _ := r.JSON()["user"].(map[string]any)
	id, _ := user["id"].(string)
	return Tokens{Access: r.Str("access_token"), Refresh: r.Str("refresh_token"), UserID: id}
}

// Admin signs in as the bootstrap administrator.
func (a *App) Admin() Tokens {
	a.t.Helper()
	return a.Login(AdminEmail, AdminPassword)
}

// Member signs up and signs in a new member with a unique email.
func (a *App) Member(name string) Tokens {
	a.t.Helper()
	email := fmt.Sprintf("%s-%d@example.org", strings.ToLower(strings.ReplaceAll(name, " ", ".")), time.Now().UnixNano())
	a.Signup(name, email, "Member-Passw0rd")
	return a.Login(email, "Member-Passw0rd")
}

// MailDir is where the file mailer writes.
func (a *App) MailDir() string { return a.Config.MailDir }
