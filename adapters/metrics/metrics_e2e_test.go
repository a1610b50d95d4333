package metrics_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/metrics"
)

// scrape reads GET /metrics on the metrics listener through the Prometheus
// text parser.
func scrape(t *testing.T, a *apitest.App) map[string]*dto.MetricFamily {
	t.Helper()
	if a.MetricsURL == "" {
		t.Fatal("the app has no metrics listener")
	}
	resp, err := http.Get(a.MetricsURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d, %v", resp.StatusCode, err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want text/plain", ct)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the text parser refuses /metrics: %v", err)
	}
	return mfs
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// value sums the counters (or histogram counts) of family whose labels match.
func value(mfs map[string]*dto.MetricFamily, family string, labels map[string]string) float64 {
	var sum float64
	for _, m := range mfs[family].GetMetric() {
		ok := true
		for k, v := range labels {
			if label(m, k) != v {
				ok = false
			}
		}
		if !ok {
			continue
		}
		switch {
		case m.Counter != nil:
			sum += m.GetCounter().GetValue()
		case m.Histogram != nil:
			sum += float64(m.GetHistogram().GetSampleCount())
		case m.Gauge != nil:
			sum += m.GetGauge().GetValue()
		}
	}
	return sum
}

func randomID(t *testing.T) string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

var hexID = regexp.MustCompile(`[0-9a-f]{24}`)

func TestMetrics(t *testing.T) {
	t.Parallel()
	a := apitest.Start(t)
	admin := a.Admin()

	// 100 distinct user ids, and unmatched paths with ids in them.
	for range 100 {
		a.Get("/api/v1/users/"+randomID(t), admin.Access).Expect(t, http.StatusNotFound)
	}
	a.SkipValidation = true
	for range 20 {
		a.Get("/no/such/route/"+randomID(t), "").Expect(t, http.StatusNotFound)
	}
	a.SkipValidation = false
	// Login outcomes, a lockout, a refresh, an upload.
	member := a.Member("Metered Member")
	a.Post("/api/v1/auth/refresh", "", map[string]any{"refresh_token": member.Refresh}).Expect(t, http.StatusOK)
	a.Post("/api/v1/auth/refresh", "", map[string]any{"refresh_token": "nonsense"}).Expect(t, http.StatusUnauthorized)
	me := a.Get("/api/v1/auth/me", member.Access).Expect(t, http.StatusOK)
	email := me.Str("email")
	for range 5 {
		a.Post("/api/v1/auth/login", "", map[string]any{"email": email, "password": "Wrong-Passw0rd"}).Expect(t, http.StatusUnauthorized)
	}
	a.Post("/api/v1/auth/login", "", map[string]any{"email": email, "password": "Member-Passw0rd"}).Expect(t, http.StatusLocked)
	content := bytes.Repeat([]byte("a,b\n1,2\n"), 1000)
	a.Upload(http.MethodPost, "/api/v1/datasets/create", admin.Access, map[string]string{"title": "Metered"}, "m.csv", bytes.NewReader(content)).
		Expect(t, http.StatusCreated)

	mfs := scrape(t, a)

	t.Run("every_documented_metric_is_exposed", func(t *testing.T) {
		for _, name := range []string{
			metrics.HTTPRequestsTotal, metrics.HTTPRequestDuration, metrics.HTTPInFlightRequests,
			metrics.LoginsTotal, metrics.LockoutsTotal, metrics.TokenRefreshesTotal, metrics.UploadsTotal,
			metrics.UploadBytesTotal, metrics.StoreOperationDuration, metrics.BlobOperationDuration,
			metrics.BuildInfo,
			"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_cpu_seconds_total",
		} {
			if mfs[name] == nil {
				t.Errorf("%s is missing", name)
			}
		}
	})

	t.Run("build_info_names_the_version", func(t *testing.T) {
		ms := mfs[metrics.BuildInfo].GetMetric()
		if len(ms) != 1 || ms[0].GetGauge().GetValue() != 1 || label(ms[0], "version") != "dev" || label(ms[0], "goversion") != runtime.Version() {
			t.Errorf("%s = %v, want one gauge at 1 with version dev and goversion %s", metrics.BuildInfo, ms, runtime.Version())
		}
	})

	t.Run("the_public_port_serves_no_metrics", func(t *testing.T) {
		a.SkipValidation = true
		defer func() { a.SkipValidation = false }()
		a.Get("/metrics", "").Expect(t, http.StatusNotFound)
		a.Get("/metrics/", "").Expect(t, http.StatusNotFound)
	})

	t.Run("the_metrics_listener_serves_only_metrics", func(t *testing.T) {
		for _, path := range []string{"/healthz", "/api/v1/auth/me", "/"} {
			resp, err := http.Get(a.MetricsURL + path)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s on the metrics listener: %d, want 404", path, resp.StatusCode)
			}
		}
	})

	t.Run("route_labels_are_templates_never_raw_paths", func(t *testing.T) {
		var templates []string
		for _, r := range a.Server().App.GetRoutes(true) {
			templates = append(templates, r.Path)
		}
		for _, family := range []string{metrics.HTTPRequestsTotal, metrics.HTTPRequestDuration} {
			routes := map[string]bool{}
			for _, m := range mfs[family].GetMetric() {
				route := label(m, "route")
				routes[route] = true
				if hexID.MatchString(route) || (route != metrics.UnmatchedRoute && !slices.Contains(templates, route)) {
					t.Errorf("%s has route label %q: not a route template", family, route)
				}
			}
			if len(routes) > 30 {
				t.Errorf("%s has %d route labels after 120 distinct paths", family, len(routes))
			}
		}
		if n := value(mfs, metrics.HTTPRequestsTotal, map[string]string{"method": "GET", "route": "/api/v1/users/:user_id", "status": "404"}); n != 100 {
			t.Errorf("GET /api/v1/users/:user_id 404 counted %v times, want 100", n)
		}
		if n := value(mfs, metrics.HTTPRequestDuration, map[string]string{"route": "/api/v1/users/:user_id"}); n != 100 {
			t.Errorf("latency of /api/v1/users/:user_id observed %v times, want 100", n)
		}
		if n := value(mfs, metrics.HTTPRequestsTotal, map[string]string{"route": metrics.UnmatchedRoute, "status": "404"}); n != 20 {
			t.Errorf("unmatched 404s counted %v times, want 20", n)
		}
	})

	t.Run("authentication_and_upload_outcomes_are_counted", func(t *testing.T) {
		for _, c := range []struct {
			family string
			labels map[string]string
			min    float64
		}{
			{metrics.LoginsTotal, map[string]string{"outcome": metrics.OutcomeSuccess}, 2},
			{metrics.LoginsTotal, map[string]string{"outcome": metrics.OutcomeFailure}, 5},
			{metrics.LoginsTotal, map[string]string{"outcome": metrics.OutcomeLocked}, 1},
			{metrics.LockoutsTotal, nil, 1},
			{metrics.TokenRefreshesTotal, map[string]string{"outcome": metrics.OutcomeSuccess}, 1},
			{metrics.TokenRefreshesTotal, map[string]string{"outcome": metrics.OutcomeFailure}, 1},
			{metrics.UploadsTotal, map[string]string{"outcome": metrics.OutcomeSuccess}, 1},
			{metrics.UploadBytesTotal, nil, float64(len(content))},
			{metrics.BlobOperationDuration, map[string]string{"operation": "put"}, 1},
			{metrics.StoreOperationDuration, map[string]string{"operation": "read"}, 1},
			{metrics.StoreOperationDuration, map[string]string{"operation": "write"}, 1},
		} {
			if got := value(mfs, c.family, c.labels); got < c.min {
				t.Errorf("%s%v = %v, want at least %v", c.family, c.labels, got, c.min)
			}
		}
		if got := value(mfs, metrics.LockoutsTotal, nil); got != 1 {
			t.Errorf("%s = %v after one lockout, want 1", metrics.LockoutsTotal, got)
		}
	})
}

// The routes whose answers become outcomes exist: a renamed route would
// otherwise stop being counted silently.
func TestOutcomeRoutesExist(t *testing.T) {
	t.Parallel()
	a := apitest.Start(t)
	var routed []string
	for _, r := range a.Server().Routes() {
		routed = append(routed, r.Method+" "+r.Path)
	}
	for _, k := range metrics.OutcomeRoutes() {
		if !slices.Contains(routed, k) {
			t.Errorf("%s is counted but not routed", k)
		}
	}
}

// METRICS_ADDR set to nothing: no metrics listener, and still none on the
// public port.
func TestMetricsListenerOff(t *testing.T) {
	t.Parallel()
	a := apitest.Start(t, apitest.WithEnv("METRICS_ADDR", ""))
	if a.MetricsURL != "" {
		t.Errorf("a metrics listener at %s", a.MetricsURL)
	}
	a.SkipValidation = true
	a.Get("/metrics", "").Expect(t, http.StatusNotFound)
}
