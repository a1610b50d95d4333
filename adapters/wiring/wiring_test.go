package wiring_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apidoc"
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/adapters/wiring"
	"github.com/civicdatatrust/civictrust/configs"
)

func testConfig(t *testing.T) configs.Config {
	t.Helper()
	env := map[string]string{"DATA_DIR": t.TempDir(), "HTTP_ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0", "LOG_LEVEL": "error"}
	cfg, err := configs.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// The graphs must be complete: a missing provider fails here, not at boot.
func TestGraphsAreComplete(t *testing.T) {
	t.Run("service_on_the_embedded_store", func(t *testing.T) {
		if err := fx.ValidateApp(wiring.Service(testConfig(t))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("cli_on_the_embedded_store", func(t *testing.T) {
		if err := fx.ValidateApp(wiring.CLI(testConfig(t))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("cli_on_mongodb", func(t *testing.T) {
		cfg := testConfig(t)
		cfg.MongoDBURI = "mongodb://127.0.0.1:1"
		if err := fx.ValidateApp(wiring.CLI(cfg)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("test_graph_on_memory_store", func(t *testing.T) {
		if err := fx.ValidateApp(fx.Supply(testConfig(t)), wiring.Core(), wiring.MemoryStore(), wiring.HTTP()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("test_graph_on_mongo_store", func(t *testing.T) {
		if err := fx.ValidateApp(fx.Supply(testConfig(t)), wiring.Core(), wiring.MongoStore(), wiring.HTTP()); err != nil {
			t.Fatal(err)
		}
	})
}

// pendingOperations are seed operations documented in the OpenAPI document whose
// implementation belongs to an open issue. The list must only shrink.
var pendingOperations = map[string]string{}

// publicRoutes is the short list of routes that need no token. Adding to it is a
// security decision: the test below fails on any other unguarded route.
var publicRoutes = []string{
	"GET /healthz",
	"GET /readyz",
	"GET /.well-known/jwks.json",
	"GET /api/v1/openapi.json",
	"POST /api/v1/auth/signup",
	"POST /api/v1/auth/login",
	"POST /api/v1/auth/refresh",
	"POST /api/v1/auth/password-reset-request",
	"POST /api/v1/auth/password-reset",
	"POST /api/v1/auth/verify-email",
	"GET /api/v1/register/data-uses",
	// tus: what the server supports, asked before any upload.
	"OPTIONS /api/v1/uploads",
	"OPTIONS /api/v1/uploads/",
	"OPTIONS /api/v1/uploads/:upload_id",
	// A download link is its own credential (a signed, short-lived token).
	"GET /api/v1/download-links/:token",
}

var docPathParam = regexp.MustCompile(`\{([^}]+)\}`)

// normalize turns "/api/v1/users/{user_id}/" and "/api/v1/users/:user_id" into one key.
func normalize(method, path string) string {
	path = docPathParam.ReplaceAllString(path, ":$1")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	return strings.ToUpper(method) + " " + path
}

func newServer(t *testing.T) *httpserver.Server {
	t.Helper()
	var srv *httpserver.Server
	app := fx.New(fx.Supply(testConfig(t)), wiring.Core(), wiring.MemoryStore(), wiring.HTTP(), fx.Populate(&srv), fx.NopLogger)
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestEveryRouteIsDocumentedAndEveryOperationRouted(t *testing.T) {
	srv := newServer(t)
	routed := map[string]bool{}
	all := srv.App.GetRoutes(true)
	hasGet := map[string]bool{}
	for _, r := range all {
		if r.Method == http.MethodGet {
			hasGet[r.Path] = true
		}
	}
	for _, r := range all {
		// Swagger UI's pages (and GET /, which leads to them) are no API
		// operations; Fiber routes HEAD with every GET.
		if r.Method == http.MethodHead && hasGet[r.Path] || r.Method == "USE" || strings.HasPrefix(r.Path, "/docs") || r.Path == "/" {
			continue
		}
		routed[normalize(r.Method, r.Path)] = true
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(apidoc.Document(), &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options":
				documented[normalize(method, path)] = true
			}
		}
	}
	var undocumented, unrouted []string
	for k := range routed {
		if !documented[k] {
			undocumented = append(undocumented, k)
		}
	}
	for k := range documented {
		if !routed[k] && pendingOperations[k] == "" {
			unrouted = append(unrouted, k)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(unrouted)
	if len(undocumented) > 0 {
		t.Errorf("routes missing from the OpenAPI document:\n  %s", strings.Join(undocumented, "\n  "))
	}
	if len(unrouted) > 0 {
		t.Errorf("documented operations that are not routed:\n  %s", strings.Join(unrouted, "\n  "))
	}
	for k := range pendingOperations {
		if routed[k] {
			t.Errorf("%s is routed now: remove it from pendingOperations", k)
		}
	}
}

// No unguarded route can be added by accident: every route declares a module or
// is signed-in only, except the short public list.
func TestOnlyListedRoutesArePublic(t *testing.T) {
	srv := newServer(t)
	for _, r := range srv.Routes() {
		key := normalize(r.Method, r.Path)
		switch r.Access {
		case httpserver.Public:
			if !slices.Contains(publicRoutes, key) {
				t.Errorf("%s is public but not on the public list", key)
			}
		case httpserver.ModuleGuarded:
			if r.Module == "" {
				t.Errorf("%s is module-guarded without a module", key)
			}
		case httpserver.SignedIn:
			if !strings.HasPrefix(r.Path, "/api/v1/auth/") && !strings.HasPrefix(r.Path, "/api/v1/access/") {
				t.Errorf("%s needs only a token; every route outside /auth and /access must name its module", key)
			}
		}
	}
}
