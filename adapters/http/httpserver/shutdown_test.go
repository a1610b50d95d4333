package httpserver_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
)

// serve starts a server with one public route and returns its base URL.
func serve(t *testing.T, handler fiber.Handler) (*httpserver.Server, string) {
	t.Helper()
	srv := httpserver.New(httpserver.Options{
		Log:    zerolog.Nop(),
		Routes: []httpserver.Route{{Method: fiber.MethodGet, Path: "/work", Access: httpserver.Public, Handler: handler}},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.App.Listener(ln) }()
	return srv, "http://" + ln.Addr().String()
}

func get(t *testing.T, url string) (*http.Response, map[string]any) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &body)
	return resp, body
}

func TestShutdown(t *testing.T) {
	t.Parallel()

	t.Run("readiness_answers_503_while_requests_are_still_served", func(t *testing.T) {
		t.Parallel()
		srv, base := serve(t, func(c *fiber.Ctx) error { return c.SendString("ok") })
		done := make(chan error, 1)
		go func() {
			done <- srv.Shutdown(context.Background(), httpserver.ShutdownOptions{Timeout: 5 * time.Second, ReadinessDelay: 500 * time.Millisecond})
		}()
		time.Sleep(100 * time.Millisecond)
		resp, body := get(t, base+"/readyz")
		if resp.StatusCode != http.StatusServiceUnavailable || body["code"] != "shutting_down" {
			t.Errorf("/readyz during the delay: %d %v, want 503 shutting_down", resp.StatusCode, body)
		}
		if resp, _ := get(t, base+"/work"); resp.StatusCode != http.StatusOK || !resp.Close {
			t.Errorf("a request during the delay: %d (close %v), want 200 asking to close the connection", resp.StatusCode, resp.Close)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if _, err := net.DialTimeout("tcp", base[len("http://"):], time.Second); err == nil {
			t.Error("the listener still accepts after Shutdown")
		}
	})

	t.Run("a_connection_that_never_sends_a_request_does_not_hold_it", func(t *testing.T) {
		t.Parallel()
		srv, base := serve(t, func(c *fiber.Ctx) error { return c.SendString("ok") })
		idle, err := net.Dial("tcp", base[len("http://"):])
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = idle.Close() }()
		time.Sleep(50 * time.Millisecond)
		start := time.Now()
		if err := srv.Shutdown(context.Background(), httpserver.ShutdownOptions{Timeout: 10 * time.Second}); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("Shutdown took %v with an unused connection open, want about a second", took)
		}
	})

	t.Run("a_request_still_running_after_the_timeout_is_cancelled", func(t *testing.T) {
		t.Parallel()
		started := make(chan struct{})
		srv, base := serve(t, func(c *fiber.Ctx) error {
			close(started)
			<-c.UserContext().Done() // an upload that does not finish in time
			return c.UserContext().Err()
		})
		answer := make(chan int, 1)
		go func() {
			resp, err := http.Get(base + "/work")
			if err != nil {
				answer <- 0
				return
			}
			_ = resp.Body.Close()
			if resp.Header.Get("Retry-After") == "" {
				answer <- -resp.StatusCode
				return
			}
			answer <- resp.StatusCode
		}()
		<-started
		start := time.Now()
		if err := srv.Shutdown(context.Background(), httpserver.ShutdownOptions{Timeout: 300 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("Shutdown took %v, want the 300 ms timeout and a moment", took)
		}
		if status := <-answer; status != http.StatusServiceUnavailable {
			t.Errorf("the cancelled request answered %d (negative: no Retry-After), want 503 with Retry-After", status)
		}
	})
}
