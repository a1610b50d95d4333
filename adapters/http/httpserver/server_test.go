package httpserver_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
)

func newTestServer(t *testing.T, origins []string) *httpserver.Server {
	t.Helper()
	routes := []httpserver.Route{
		{Method: fiber.MethodGet, Path: "/api/v1/boom", Access: httpserver.Public, Handler: func(*fiber.Ctx) error { panic("secret detail") }},
		{Method: fiber.MethodPost, Path: "/api/v1/echo", Access: httpserver.Public, Handler: func(c *fiber.Ctx) error {
			b, err := httpserver.JSONBody(c)
			if err != nil {
				return err
			}
			name, _ := b.String("name")
			if err := b.Problems.Err(); err != nil {
				return err
			}
			return c.JSON(fiber.Map{"name": name})
		}},
		{Method: fiber.MethodGet, Path: "/api/v1/things", Access: httpserver.Public, Handler: func(c *fiber.Ctx) error { return c.JSON([]string{}) }},
	}
	return httpserver.New(httpserver.Options{Log: zerolog.Nop(), CORSOrigins: origins, Routes: routes})
}

func do(t *testing.T, s *httpserver.Server, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := s.App.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, _ := io.ReadAll(resp.Body)
	var body map[string]any
	_ = json.Unmarshal(data, &body)
	return resp, body
}

func TestServer(t *testing.T) {
	s := newTestServer(t, []string{"https://app.example.org"})

	t.Run("panic_is_a_generic_500_with_a_request_id", func(t *testing.T) {
		resp, body := do(t, s, httptest.NewRequest(http.MethodGet, "/api/v1/boom", nil))
		if resp.StatusCode != 500 || body["detail"] != "Internal Server Error" || len(body) != 1 {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
		if resp.Header.Get("X-Request-ID") == "" {
			t.Fatal("no request id")
		}
	})
	t.Run("server_keeps_serving_after_a_panic", func(t *testing.T) {
		resp, _ := do(t, s, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if resp.StatusCode != 200 {
			t.Fatal(resp.StatusCode)
		}
	})
	t.Run("request_id_is_echoed_and_security_headers_set", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/things", nil)
		req.Header.Set("X-Request-ID", "abc-123")
		resp, _ := do(t, s, req)
		for k, want := range map[string]string{"X-Request-Id": "abc-123", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
	})
	t.Run("trailing_slash_both_ways_without_redirect", func(t *testing.T) {
		for _, p := range []string{"/api/v1/things", "/api/v1/things/"} {
			resp, _ := do(t, s, httptest.NewRequest(http.MethodGet, p, nil))
			if resp.StatusCode != 200 {
				t.Errorf("%s → %d", p, resp.StatusCode)
			}
		}
	})
	t.Run("json_body_over_1_mib_is_413_in_the_contract_shape", func(t *testing.T) {
		// Over a real connection: the 413 is written before the connection
		// lingers and closes, which fiber's in-memory app.Test cannot show.
		srv := newTestServer(t, nil)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = srv.App.Listener(ln) }()
		t.Cleanup(func() { _ = srv.App.ShutdownWithTimeout(time.Second) })
		big := `{"name":"` + strings.Repeat("a", 4*httpserver.MaxJSONBody) + `"}`
		resp, err := http.Post("http://"+ln.Addr().String()+"/api/v1/echo", "application/json", strings.NewReader(big))
		if err != nil {
			t.Fatalf("the client did not get the answer: %v", err)
		}
		defer func() { _ = resp.Body.Close() }()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		if resp.StatusCode != 413 || body["code"] != "body_too_large" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
	t.Run("malformed_json_is_422_json_invalid", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/echo", strings.NewReader(`{"name":`))
		req.Header.Set("Content-Type", "application/json")
		resp, body := do(t, s, req)
		detail, _ := body["detail"].([]any)
		if resp.StatusCode != 422 || len(detail) != 1 || detail[0].(map[string]any)["type"] != "json_invalid" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
	t.Run("unknown_route_is_404_in_the_contract_shape", func(t *testing.T) {
		resp, body := do(t, s, httptest.NewRequest(http.MethodGet, "/api/v1/nope", nil))
		if resp.StatusCode != 404 || body["detail"] != "Not Found" || body["code"] != "not_found" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
	t.Run("cors_allows_configured_origins_only", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodOptions, "/api/v1/things", nil)
		req.Header.Set("Origin", "https://app.example.org")
		req.Header.Set("Access-Control-Request-Method", "GET")
		resp, _ := do(t, s, req)
		if resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.org" {
			t.Fatalf("allowed origin: %q", resp.Header.Get("Access-Control-Allow-Origin"))
		}
		req = httptest.NewRequest(http.MethodOptions, "/api/v1/things", nil)
		req.Header.Set("Origin", "https://evil.example.net")
		req.Header.Set("Access-Control-Request-Method", "GET")
		resp, _ = do(t, s, req)
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Fatalf("foreign origin allowed: %q", got)
		}
	})
	t.Run("readyz_turns_503_when_draining", func(t *testing.T) {
		d := newTestServer(t, nil)
		resp, _ := do(t, d, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if resp.StatusCode != 200 {
			t.Fatal(resp.StatusCode)
		}
		d.Drain()
		resp, body := do(t, d, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if resp.StatusCode != 503 || body["code"] == nil {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	})
}
