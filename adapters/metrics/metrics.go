// Package metrics is the service's Prometheus instrumentation: HTTP requests by
// route template and status, authentication and upload outcomes, store and
// blob-store latency. Collectors live on a registry the composition root
// creates (never the global default one); GET /metrics serves it as text.
//
// Nothing here is imported by the domain or the application: outcomes are
// read from what crosses the adapters — the status of the login, refresh and
// upload routes, the user repository's updates that lock an account, the blob
// store's calls and the Mongo driver's command events.
package metrics

import (
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// Metric names, as documented in docs/operations.md.
const (
	HTTPRequestsTotal      = "civictrust_http_requests_total"
	HTTPRequestDuration    = "civictrust_http_request_duration_seconds"
	HTTPInFlightRequests   = "civictrust_http_in_flight_requests"
	LoginsTotal            = "civictrust_logins_total"
	LockoutsTotal          = "civictrust_lockouts_total"
	TokenRefreshesTotal    = "civictrust_token_refreshes_total"
	UploadsTotal           = "civictrust_uploads_total"
	UploadBytesTotal       = "civictrust_upload_bytes_total"
	StoreOperationDuration = "civictrust_store_operation_duration_seconds"
	BlobOperationDuration  = "civictrust_blob_operation_duration_seconds"
)

// UnmatchedRoute is the route label of every request that matched no route:
// raw paths never become labels, so the number of series stays bounded.
const UnmatchedRoute = "unmatched"

// Routes whose answers are counted as outcomes.
const (
	LoginRoute      = "POST /api/v1/auth/login"
	RefreshRoute    = "POST /api/v1/auth/refresh"
	UploadRoute     = "POST /api/v1/datasets/create"
	NewVersionRoute = "PUT /api/v1/datasets/:dataset_id/file"
	LogoRoute       = "PUT /api/v1/communities/:community_id/logo"
)

// OutcomeRoutes lists the routes above, for tests that check they exist.
func OutcomeRoutes() []string {
	return []string{LoginRoute, RefreshRoute, UploadRoute, NewVersionRoute, LogoRoute}
}

// Outcomes of logins, token refreshes and uploads (label values).
const (
	OutcomeSuccess     = "success"
	OutcomeFailure     = "failure"      // 401: wrong credentials, bad or reused refresh token
	OutcomeLocked      = "locked"       // 423
	OutcomeDisabled    = "disabled"     // 403
	OutcomeRateLimited = "rate_limited" // 429
	OutcomeInvalid     = "invalid"      // 400, 404, 415, 422: the request was refused
	OutcomeTooLarge    = "too_large"    // 413
	OutcomeUnavailable = "unavailable"  // 503: the store is away
	OutcomeError       = "error"        // any other answer (500)
)

// Buckets in seconds.
var (
	httpBuckets  = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120}
	storeBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}
)

// Metrics holds the service's collectors. It is safe for concurrent use.
type Metrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	inFlight    prometheus.Gauge
	logins      *prometheus.CounterVec
	lockouts    prometheus.Counter
	refreshes   *prometheus.CounterVec
	uploads     *prometheus.CounterVec
	uploadBytes prometheus.Counter
	store       *prometheus.HistogramVec
	blob        *prometheus.HistogramVec

	routesOnce sync.Once
	routes     map[string]bool // "METHOD /template" of every registered route
}

// New creates the collectors and registers them on reg.
func New(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: HTTPRequestsTotal, Help: "HTTP requests answered, by method, route template and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: HTTPRequestDuration, Help: "Time to answer an HTTP request, by method, route template and status.",
			Buckets: httpBuckets,
		}, []string{"method", "route", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: HTTPInFlightRequests, Help: "HTTP requests being served.",
		}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: LoginsTotal, Help: "Login attempts by outcome (success, failure, locked, disabled, rate_limited, invalid, unavailable, error).",
		}, []string{"outcome"}),
		lockouts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: LockoutsTotal, Help: "Accounts locked after consecutive failed logins.",
		}),
		refreshes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: TokenRefreshesTotal, Help: "Token refreshes by outcome (success, failure, rate_limited, invalid, unavailable, error).",
		}, []string{"outcome"}),
		uploads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: UploadsTotal, Help: "File uploads (dataset files and versions, community logos) by outcome (success, too_large, invalid, unavailable, error).",
		}, []string{"outcome"}),
		uploadBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: UploadBytesTotal, Help: "Bytes of uploaded files written to the blob store.",
		}),
		store: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: StoreOperationDuration, Help: "Store round trips: MongoDB commands by name, or the embedded store's reads and write transactions (failed ones included).",
			Buckets: storeBuckets,
		}, []string{"operation"}),
		blob: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: BlobOperationDuration, Help: "Blob store calls by operation (put: a whole upload; open: until the first byte can be read; delete).",
			Buckets: httpBuckets,
		}, []string{"operation"}),
	}
	for _, c := range []prometheus.Collector{
		m.requests, m.duration, m.inFlight, m.logins, m.lockouts, m.refreshes, m.uploads, m.uploadBytes, m.store, m.blob,
	} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	// Series that exist from the start, so that rates work before the first event.
	for _, o := range []string{OutcomeSuccess, OutcomeFailure, OutcomeLocked, OutcomeRateLimited} {
		m.logins.WithLabelValues(o)
	}
	for _, o := range []string{OutcomeSuccess, OutcomeFailure} {
		m.refreshes.WithLabelValues(o)
	}
	for _, o := range []string{OutcomeSuccess, OutcomeTooLarge} {
		m.uploads.WithLabelValues(o)
	}
	return m, nil
}

// Middleware measures every request (httpserver.Options.Observe): it must
// wrap the request-context middleware so that it sees the final status.
func (m *Metrics) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		method := methodLabel(c.Method())
		route := m.routeLabel(c)
		code := strconv.Itoa(status)
		m.requests.WithLabelValues(method, route, code).Inc()
		m.duration.WithLabelValues(method, route, code).Observe(time.Since(start).Seconds())
		switch method + " " + route {
		case LoginRoute:
			m.logins.WithLabelValues(loginOutcome(status)).Inc()
		case RefreshRoute:
			m.refreshes.WithLabelValues(refreshOutcome(status)).Inc()
		case UploadRoute, NewVersionRoute, LogoRoute:
			m.uploads.WithLabelValues(uploadOutcome(status)).Inc()
		}
		return err
	}
}

// routeLabel is the template of the route that answered, or UnmatchedRoute.
// After c.Next, c.Route() is the last route that matched: a real route, or a
// middleware (path "/") when none did — so only registered (method, template)
// pairs are used as labels.
func (m *Metrics) routeLabel(c *fiber.Ctx) string {
	m.routesOnce.Do(func() {
		m.routes = map[string]bool{}
		for _, r := range c.App().GetRoutes(true) { // true: without middleware
			m.routes[r.Method+" "+r.Path] = true
		}
	})
	r := c.Route()
	// The root route (GET /) and the middleware share the path "/": a
	// request for any other path that ends there matched no route.
	if r.Path == "/" && c.Path() != "/" {
		return UnmatchedRoute
	}
	if m.routes[r.Method+" "+r.Path] {
		return r.Path
	}
	return UnmatchedRoute
}

// methodLabel returns a constant for every method (the request's own string
// points into a buffer fasthttp reuses).
func methodLabel(m string) string {
	switch m {
	case fiber.MethodGet:
		return fiber.MethodGet
	case fiber.MethodHead:
		return fiber.MethodHead
	case fiber.MethodPost:
		return fiber.MethodPost
	case fiber.MethodPut:
		return fiber.MethodPut
	case fiber.MethodPatch:
		return fiber.MethodPatch
	case fiber.MethodDelete:
		return fiber.MethodDelete
	case fiber.MethodOptions:
		return fiber.MethodOptions
	default:
		return "OTHER"
	}
}

func loginOutcome(status int) string {
	switch status {
	case fiber.StatusOK:
		return OutcomeSuccess
	case fiber.StatusUnauthorized:
		return OutcomeFailure
	case fiber.StatusLocked:
		return OutcomeLocked
	case fiber.StatusForbidden:
		return OutcomeDisabled
	}
	return commonOutcome(status)
}

func refreshOutcome(status int) string {
	switch status {
	case fiber.StatusOK:
		return OutcomeSuccess
	case fiber.StatusUnauthorized:
		return OutcomeFailure
	}
	return commonOutcome(status)
}

func uploadOutcome(status int) string {
	switch {
	case status >= 200 && status < 300:
		return OutcomeSuccess
	case status == fiber.StatusRequestEntityTooLarge:
		return OutcomeTooLarge
	}
	return commonOutcome(status)
}

func commonOutcome(status int) string {
	switch {
	case status == fiber.StatusTooManyRequests:
		return OutcomeRateLimited
	case status == fiber.StatusServiceUnavailable:
		return OutcomeUnavailable
	case status >= 400 && status < 500:
		return OutcomeInvalid
	default:
		return OutcomeError
	}
}
