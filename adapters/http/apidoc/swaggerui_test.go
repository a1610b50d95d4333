package apidoc_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
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

func Test_root_redirects_to_the_docs(t *testing.T) {
	resp, _ := get(t, newApp(), "/")
	if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != "/docs" {
		t.Errorf("GET /: %d to %q, want 307 to /docs", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Swagger UI's "Try it out" fills each form field with a sample of its
// schema ("string" for a string) and sends every field that is not empty: an
// optional field must offer an empty example, or the upload sends
// community_id=string and gets a 404.
func Test_optional_form_fields_start_empty_in_try_it_out(t *testing.T) {
	var d struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]formSchema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(apidoc.Document(), &d); err != nil {
		t.Fatal(err)
	}
	forms := 0
	for path, item := range d.Paths {
		for method, raw := range item {
			var op struct {
				RequestBody struct {
					Content map[string]struct {
						Schema formSchema `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue
			}
			mp, ok := op.RequestBody.Content["multipart/form-data"]
			if !ok {
				continue
			}
			forms++
			s := mp.Schema
			if name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/"); ok {
				s = d.Components.Schemas[name]
			}
			for field, p := range s.Properties {
				if slices.Contains(s.Required, field) {
					continue
				}
				if p.Format == "binary" {
					continue
				}
				if len(p.Examples) == 0 || p.Examples[0] != "" {
					t.Errorf("%s %s: optional form field %s has examples %v, want [\"\"]", method, path, field, p.Examples)
				}
			}
		}
	}
	if forms < 3 {
		t.Errorf("only %d multipart operations", forms)
	}
}

type formSchema struct {
	Ref        string   `json:"$ref"`
	Required   []string `json:"required"`
	Properties map[string]struct {
		Format   string `json:"format"`
		Examples []any  `json:"examples"`
	} `json:"properties"`
}
