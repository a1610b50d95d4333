package httpserver_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// slowReader yields its content a chunk at a time with a pause before each.
type slowReader struct {
	chunks []string
	pause  time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.pause)
	n := copy(p, r.chunks[0])
	r.chunks = r.chunks[1:]
	return n, nil
}

// tokenAuth accepts the bearer token "good" and nothing else.
type tokenAuth struct{}

func (tokenAuth) Authenticate(_ context.Context, tok string) (kernel.Principal, error) {
	if tok != "good" {
		return kernel.Principal{}, kernel.NewError(kernel.KindUnauthenticated, "invalid_token", "Invalid token")
	}
	return kernel.Principal{UserID: "u1"}, nil
}

func (tokenAuth) Authorize(_ context.Context, p kernel.Principal) (kernel.Principal, error) {
	return p, nil
}

var errUploadTooLarge = kernel.NewError(kernel.KindTooLarge, "file_too_large", "File too large")

// headServer serves routes that show how requests are refused on their header:
// /up (signed in, calls AllowSlowBody before it reads the body, takes at most
// 1 KiB), /drain (public, reads its body under the ordinary timeout) and
// /small (public, no body limit of its own).
func headServer(t *testing.T) string {
	t.Helper()
	drain := func(c *fiber.Ctx) error {
		n, err := io.Copy(io.Discard, httpserver.RequestBody(c))
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"read": n})
	}
	slow := func(c *fiber.Ctx) error {
		httpserver.AllowSlowBody(c)
		return drain(c)
	}
	s := httpserver.New(httpserver.Options{
		Log: zerolog.Nop(), ReadTimeout: 500 * time.Millisecond, UploadReadTimeout: 10 * time.Second,
		BodyLimit: 64 << 10, Authn: tokenAuth{}, Authz: tokenAuth{},
		Routes: []httpserver.Route{
			{Method: fiber.MethodPost, Path: "/up/:id", Access: httpserver.SignedIn, Handler: slow, MaxBody: 1 << 10, TooLarge: errUploadTooLarge},
			{Method: fiber.MethodPost, Path: "/drain", Access: httpserver.Public, Handler: drain},
			{Method: fiber.MethodPost, Path: "/small", Access: httpserver.Public, Handler: drain},
		},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.App.Listener(ln) }()
	t.Cleanup(func() { _ = s.App.ShutdownWithTimeout(time.Second) })
	return ln.Addr().String()
}

// rawExchange writes head (and body) on a new connection, then reads until
// the server closes it or wait is over. It returns what was read and whether
// the server closed the connection.
func rawExchange(t *testing.T, addr, request string, wait time.Duration) (answer string, closed bool, took time.Duration) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	start := time.Now()
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(start.Add(wait))
	b, err := io.ReadAll(conn)
	var ne net.Error
	timedOut := errors.As(err, &ne) && ne.Timeout()
	return string(b), !timedOut, time.Since(start)
}

func statusLine(answer string) string {
	line, _, _ := strings.Cut(answer, "\r\n")
	return line
}

func TestReadTimeouts(t *testing.T) {
	t.Parallel()
	addr := headServer(t)
	post := func(path, token, contentType string) (int, error) {
		body := &slowReader{chunks: []string{"--b\r\n", strings.Repeat("x", 100), "\r\n--b--\r\n"}, pause: 400 * time.Millisecond}
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+path, body)
		req.Header.Set("Content-Type", contentType)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		_ = resp.Body.Close()
		return resp.StatusCode, nil
	}

	t.Run("an_allowed_upload_outlives_the_ordinary_read_timeout", func(t *testing.T) {
		t.Parallel()
		if status, err := post("/up/1", "good", "multipart/form-data; boundary=b"); err != nil || status != http.StatusOK {
			t.Fatalf("slow upload: status %d, error %v", status, err)
		}
	})

	t.Run("a_multipart_body_elsewhere_keeps_the_ordinary_timeout", func(t *testing.T) {
		t.Parallel()
		status, err := post("/drain", "", "multipart/form-data; boundary=b")
		if err == nil && status == http.StatusOK {
			t.Fatal("a slow multipart body on a route that takes no upload outlived the read timeout")
		}
	})

	t.Run("a_slow_json_body_keeps_the_ordinary_timeout", func(t *testing.T) {
		t.Parallel()
		status, err := post("/drain", "", "application/json")
		if err == nil && status == http.StatusOK {
			t.Fatal("a slow JSON body outlived the read timeout")
		}
	})

	// A declared body that never comes, before the token is checked: held no
	// longer than the ordinary timeout, whatever the content type says.
	for name, auth := range map[string]string{"without_a_token": "", "with_a_bad_token": "Authorization: Bearer bad\r\n"} {
		t.Run("an_upload_"+name+"_that_sends_no_body_is_cut_at_the_ordinary_timeout", func(t *testing.T) {
			t.Parallel()
			_, closed, took := rawExchange(t, addr, "POST /up/1 HTTP/1.1\r\nHost: x\r\n"+auth+
				"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000\r\n\r\n--b\r\n", 5*time.Second)
			if !closed {
				t.Fatalf("the connection was still open after %v", took)
			}
		})
	}
}

func TestRequestsRefusedOnTheirHeader(t *testing.T) {
	t.Parallel()
	addr := headServer(t)

	t.Run("a_declared_length_over_the_routes_limit_is_answered_at_once", func(t *testing.T) {
		t.Parallel()
		// No body byte is sent: the answer must not wait for one.
		answer, closed, took := rawExchange(t, addr, "POST /up/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n"+
			"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n", 5*time.Second)
		if statusLine(answer) != "HTTP/1.1 413 Request Entity Too Large" || !strings.Contains(answer, `"code":"file_too_large"`) {
			t.Fatalf("answer %q after %v, want the route's 413", answer, took)
		}
		if took > 400*time.Millisecond {
			t.Errorf("the 413 took %v: the server waited for the body", took)
		}
		if !closed || !strings.Contains(strings.ToLower(answer), "connection: close") {
			t.Errorf("the connection stays open after the 413 (closed %v): %q", closed, answer)
		}
	})

	t.Run("the_route_is_found_in_any_form_of_the_target", func(t *testing.T) {
		t.Parallel()
		for _, target := range []string{"/up/2/", "/up/2?x=1", "http://x/up/2?x=1"} {
			answer, _, _ := rawExchange(t, addr, "POST "+target+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n"+
				"Content-Length: 2000\r\n\r\n", 5*time.Second)
			if !strings.Contains(answer, `"code":"file_too_large"`) {
				t.Errorf("%s: answer %q, want the route's 413", target, answer)
			}
		}
	})

	t.Run("a_declared_length_over_the_servers_limit_is_413_on_any_route", func(t *testing.T) {
		t.Parallel()
		answer, _, took := rawExchange(t, addr, "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n", 5*time.Second)
		if statusLine(answer) != "HTTP/1.1 413 Request Entity Too Large" || !strings.Contains(answer, `"code":"body_too_large"`) {
			t.Fatalf("answer %q after %v", answer, took)
		}
		if took > 400*time.Millisecond {
			t.Errorf("the 413 took %v: the server waited for the body", took)
		}
	})

	t.Run("a_length_within_the_limit_is_read", func(t *testing.T) {
		t.Parallel()
		answer, _, _ := rawExchange(t, addr, "POST /up/7 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\nConnection: close\r\n"+
			"Content-Length: 5\r\n\r\nhello", 5*time.Second)
		if statusLine(answer) != "HTTP/1.1 200 OK" || !strings.Contains(answer, `{"read":5}`) {
			t.Fatalf("answer %q", answer)
		}
	})

	smuggling := map[string]string{
		"two_different_content_lengths":       "Content-Length: 5\r\nContent-Length: 10\r\n\r\nhello",
		"content_length_and_chunked":          "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
		"chunked_then_content_length":         "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
		"content_length_and_another_encoding": "content-length: 5\r\nTRANSFER-ENCODING: gzip, chunked\r\n\r\nhello",
	}
	for name, rest := range smuggling {
		t.Run(name+"_is_400_and_the_connection_closed", func(t *testing.T) {
			t.Parallel()
			// A second request follows on the same connection: it must never be served.
			second := "POST /drain HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
			answer, closed, took := rawExchange(t, addr, "POST /drain HTTP/1.1\r\nHost: x\r\n"+rest+second, 5*time.Second)
			if statusLine(answer) != "HTTP/1.1 400 Bad Request" || !strings.Contains(answer, `"code":"ambiguous_framing"`) {
				t.Fatalf("answer %q", answer)
			}
			if !closed {
				t.Errorf("the connection was open after %v", took)
			}
			if strings.Count(answer, "HTTP/1.1 ") != 1 {
				t.Errorf("more than one answer on the connection: %q", answer)
			}
		})
	}

	t.Run("the_same_content_length_twice_is_one_length", func(t *testing.T) {
		t.Parallel()
		answer, _, _ := rawExchange(t, addr, "POST /drain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"+
			"Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 5*time.Second)
		if statusLine(answer) != "HTTP/1.1 200 OK" || !strings.Contains(answer, `{"read":5}`) {
			t.Fatalf("answer %q", answer)
		}
	})

	t.Run("a_client_cannot_mark_its_own_request", func(t *testing.T) {
		t.Parallel()
		answer, _, _ := rawExchange(t, addr, "POST /drain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"+
			"X-Civictrust-Refused: framing\r\nContent-Length: 2\r\n\r\nok", 5*time.Second)
		if statusLine(answer) != "HTTP/1.1 200 OK" {
			t.Fatalf("answer %q", answer)
		}
	})
}

// A chunked body is answered once it ends, not when the read timeout expires:
// the connection stays open for the next request, and reading past the body's
// end must not wait for that request's bytes.
func TestChunkedBodyIsAnsweredWhenItEnds(t *testing.T) {
	t.Parallel()
	const readTimeout = 5 * time.Second
	drain := func(c *fiber.Ctx) error {
		n, err := io.Copy(io.Discard, httpserver.RequestBody(c))
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"read": n})
	}
	ignore := func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"read": 0}) }
	s := httpserver.New(httpserver.Options{Log: zerolog.Nop(), ReadTimeout: readTimeout, Routes: []httpserver.Route{
		{Method: fiber.MethodPost, Path: "/drain", Access: httpserver.Public, Handler: drain},
		{Method: fiber.MethodPost, Path: "/ignore", Access: httpserver.Public, Handler: ignore},
	}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.App.Listener(ln) }()
	t.Cleanup(func() { _ = s.App.ShutdownWithTimeout(time.Second) })
	for _, path := range []string{"/drain", "/ignore"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = conn.Close() }()
			start := time.Now()
			_, _ = io.WriteString(conn, "POST "+path+" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
			_ = conn.SetReadDeadline(start.Add(2 * readTimeout))
			line, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil || strings.TrimSpace(line) != "HTTP/1.1 200 OK" {
				t.Fatalf("answer %q, %v", line, err)
			}
			if took := time.Since(start); took > readTimeout/2 {
				t.Errorf("answered after %v: the server waited for the read timeout (%v)", took, readTimeout)
			}
		})
	}
}
