package httpserver_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
)

// serveOn starts a server with a /ping route on a wrapped listener.
func serveOn(t *testing.T, ln net.Listener) string {
	t.Helper()
	s := httpserver.New(httpserver.Options{Log: zerolog.Nop(), Routes: []httpserver.Route{
		{Method: fiber.MethodGet, Path: "/ping", Access: httpserver.Public, Handler: func(c *fiber.Ctx) error { return c.SendString("pong") }},
	}})
	done := make(chan error, 1)
	go func() { done <- s.App.Listener(ln) }()
	t.Cleanup(func() {
		_ = s.App.ShutdownWithTimeout(time.Second)
		<-done
	})
	return ln.Addr().String()
}

// ping sends GET /ping on conn and returns the status line.
func ping(t *testing.T, conn net.Conn) string {
	t.Helper()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return "write: " + err.Error()
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "read: " + err.Error()
	}
	return strings.TrimSpace(line)
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// failingListener fails its first accepts with err, then accepts for real.
type failingListener struct {
	net.Listener
	mu    sync.Mutex
	fails int
	err   error
}

func (l *failingListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.fails > 0 {
		l.fails--
		l.mu.Unlock()
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: l.err}
	}
	l.mu.Unlock()
	return l.Listener.Accept()
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func TestListener(t *testing.T) {
	t.Parallel()

	t.Run("accept_out_of_descriptors_is_retried_and_serving_goes_on", func(t *testing.T) {
		t.Parallel()
		raw := &failingListener{Listener: listen(t), fails: 8, err: syscall.EMFILE}
		addr := serveOn(t, httpserver.NewListener(raw, httpserver.ListenerOptions{Log: zerolog.Nop()}))
		if got := ping(t, dial(t, addr)); got != "HTTP/1.1 200 OK" {
			t.Fatalf("after 8 EMFILE accepts: %q, want 200", got)
		}
	})

	t.Run("an_error_retrying_cannot_cure_stops_accepting", func(t *testing.T) {
		t.Parallel()
		raw := &failingListener{Listener: listen(t), fails: 1, err: syscall.EINVAL}
		l := httpserver.NewListener(raw, httpserver.ListenerOptions{Log: zerolog.Nop()})
		if _, err := l.Accept(); !errors.Is(err, syscall.EINVAL) {
			t.Fatalf("Accept = %v, want EINVAL", err)
		}
		_ = l.Close()
	})

	t.Run("close_ends_a_pending_retry", func(t *testing.T) {
		t.Parallel()
		raw := &failingListener{Listener: listen(t), fails: 1 << 30, err: syscall.EMFILE}
		l := httpserver.NewListener(raw, httpserver.ListenerOptions{Log: zerolog.Nop()})
		done := make(chan error, 1)
		go func() { _, err := l.Accept(); done <- err }()
		time.Sleep(50 * time.Millisecond)
		_ = l.Close()
		select {
		case err := <-done:
			if !errors.Is(err, net.ErrClosed) {
				t.Errorf("Accept after Close = %v, want net.ErrClosed", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Accept kept retrying after Close")
		}
	})

	t.Run("connections_over_the_total_cap_get_503_and_are_closed", func(t *testing.T) {
		t.Parallel()
		l := httpserver.NewListener(listen(t), httpserver.ListenerOptions{MaxConns: 2, Log: zerolog.Nop()})
		addr := serveOn(t, l)
		a, b := dial(t, addr), dial(t, addr)
		if ping(t, a) != "HTTP/1.1 200 OK" || ping(t, b) != "HTTP/1.1 200 OK" {
			t.Fatal("the first two connections are not served")
		}
		over := dial(t, addr)
		if got := ping(t, over); got != "HTTP/1.1 503 Service Unavailable" {
			t.Errorf("third connection: %q, want 503", got)
		}
		_ = a.Close()
		waitFor(t, func() bool { return l.Open() == 1 }, "the closed connection to free its slot")
		if got := ping(t, dial(t, addr)); got != "HTTP/1.1 200 OK" {
			t.Errorf("after one closed: %q, want 200", got)
		}
		if l.Shed() != 1 {
			t.Errorf("Shed = %d, want 1", l.Shed())
		}
	})

	t.Run("the_per_address_cap_sheds_one_address_only", func(t *testing.T) {
		t.Parallel()
		l := httpserver.NewListener(listen(t), httpserver.ListenerOptions{MaxConnsPerAddr: 1, Log: zerolog.Nop()})
		addr := serveOn(t, l)
		first := dial(t, addr)
		if ping(t, first) != "HTTP/1.1 200 OK" {
			t.Fatal("first connection not served")
		}
		if got := ping(t, dial(t, addr)); got != "HTTP/1.1 503 Service Unavailable" {
			t.Errorf("second connection from 127.0.0.1: %q, want 503", got)
		}
		// Another address (127.0.0.2 is loopback on Linux) has its own count.
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
		other, err := d.Dial("tcp", addr)
		if err != nil {
			t.Skipf("cannot dial from 127.0.0.2: %v", err)
		}
		defer func() { _ = other.Close() }()
		if got := ping(t, other); got != "HTTP/1.1 200 OK" {
			t.Errorf("connection from 127.0.0.2: %q, want 200", got)
		}
	})

	t.Run("trusted_proxies_have_no_per_address_cap", func(t *testing.T) {
		t.Parallel()
		l := httpserver.NewListener(listen(t), httpserver.ListenerOptions{
			MaxConnsPerAddr: 1, Exempt: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, Log: zerolog.Nop(),
		})
		addr := serveOn(t, l)
		for i := range 3 {
			if got := ping(t, dial(t, addr)); got != "HTTP/1.1 200 OK" {
				t.Errorf("connection %d from the proxy: %q, want 200", i+1, got)
			}
		}
	})

	t.Run("the_server_sees_the_wrapped_connections_as_usual", func(t *testing.T) {
		t.Parallel()
		addr := serveOn(t, httpserver.NewListener(listen(t), httpserver.ListenerOptions{MaxConns: 10, MaxConnsPerAddr: 10, Log: zerolog.Nop()}))
		resp, err := http.Get("http://" + addr + "/ping")
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}

func TestClientPrefix(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.7":             "203.0.113.7/32",
		"::ffff:203.0.113.7":      "203.0.113.7/32",
		"2001:db8:1:2:3:4:5:6":    "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":    "2001:db8:1:2::/64",
		"fe80::1%eth0":            "fe80::/64",
		"2001:db8:1:3::1":         "2001:db8:1:3::/64",
		"::1":                     "::/64",
		"2001:db8:ffff:ffff:ff::": "2001:db8:ffff:ffff::/64",
	} {
		if got := httpserver.ClientPrefix(netip.MustParseAddr(in)).String(); got != want {
			t.Errorf("ClientPrefix(%s) = %s, want %s", in, got, want)
		}
	}
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
