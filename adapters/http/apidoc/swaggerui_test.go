package apidoc_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/apidoc"
)

func newApp() *fiber.App {
	app := fiber.New()
	apidoc.Register(app)
	return app
}

func get(t *testing.T, app *fiber.App, target string) (*http.Response, []byte) {
	t.Helper()
	resp, err := app.Test(httptest.NewRequest(http.MethodGet, target, nil), -1)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func Test_openapi_json_is_served(t *testing.T) {
	resp, body := get(t, newApp(), "/api/v1/openapi.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	if !bytes.Equal(body, apidoc.Document()) {
		t.Error("body differs from Document()")
	}
}

var assetRef = regexp.MustCompile(`(?:src|href)="([^"]*)"`)

func Test_docs_page_loads_local_assets_only(t *testing.T) {
	app := newApp()
	for _, target := range []string{"/docs", "/docs/", "/docs/index.html"} {
		t.Run(target, func(t *testing.T) {
			resp, body := get(t, app, target)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
			html := string(body)
			if strings.Contains(html, "http://") || strings.Contains(html, "https://") {
				t.Error("page refers to an absolute URL")
			}
			for _, want := range []string{`src="/docs/swagger-ui-bundle.js"`, `href="/docs/swagger-ui.css"`, "/api/v1/openapi.json"} {
				if !strings.Contains(html, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			refs := assetRef.FindAllStringSubmatch(html, -1)
			if len(refs) == 0 {
				t.Fatal("no assets referenced")
			}
			for _, m := range refs {
				if !strings.HasPrefix(m[1], "/docs/") {
					t.Errorf("asset %q is not under /docs/", m[1])
					continue
				}
				if r, _ := get(t, app, m[1]); r.StatusCode != http.StatusOK {
					t.Errorf("asset %s: status %d", m[1], r.StatusCode)
				}
			}
		})
	}
}

func Test_docs_assets_have_the_right_content_type(t *testing.T) {
	app := newApp()
	for _, tc := range []struct{ path, typ string }{
		{"/docs/swagger-ui-bundle.js", "text/javascript"},
		{"/docs/swagger-initializer.js", "text/javascript"},
		{"/docs/swagger-ui.css", "text/css"},
		{"/docs/index.css", "text/css"},
		{"/docs/favicon-32x32.png", "image/png"},
		{"/docs/oauth2-redirect.html", "text/html"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, app, tc.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.typ) {
				t.Errorf("Content-Type %q, want %s", ct, tc.typ)
			}
			if len(body) == 0 {
				t.Error("empty body")
			}
		})
	}
}

func Test_docs_initializer_points_at_the_document(t *testing.T) {
	_, body := get(t, newApp(), "/docs/swagger-initializer.js")
	js := string(body)
	if !strings.Contains(js, "/api/v1/openapi.json") || strings.Contains(js, "petstore") {
		t.Errorf("initializer does not load the service's document:\n%s", js)
	}
	if strings.Contains(js, "http://") || strings.Contains(js, "https://") {
		t.Error("initializer refers to an absolute URL")
	}
}

func Test_unknown_docs_asset_is_not_found(t *testing.T) {
	app := newApp()
	for _, target := range []string{"/docs/nope.js", "/docs/..%2fapidoc.go", "/docs/../apidoc.go"} {
		if resp, _ := get(t, app, target); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, resp.StatusCode)
		}
	}
}
