package httpserver

import (
	"errors"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rs/zerolog"
)

// ListenerOptions bound what a listener accepts.
type ListenerOptions struct {
	// MaxConns caps the open connections in all (MAX_CONNECTIONS); 0: no cap.
	MaxConns int
	// MaxConnsPerAddr caps the open connections of one client address, an
	// IPv6 client's /64 counting as one address (MAX_CONNECTIONS_PER_ADDR);
	// 0: no cap.
	MaxConnsPerAddr int
	// Exempt are the peers without a per-address cap (TRUSTED_PROXIES: a
	// proxy carries many clients' connections). They count toward MaxConns.
	Exempt []netip.Prefix
	Log    zerolog.Logger
}

// Backoff of a failing accept, as net/http's Server.Serve does it: from
// acceptRetryFirst, doubling, at most acceptRetryMax.
const (
	acceptRetryFirst = 5 * time.Millisecond
	acceptRetryMax   = time.Second
)

// acceptLogEvery spaces the log lines of a listener that keeps failing.
const acceptLogEvery = 10 * time.Second

// shedWriteTimeout bounds writing the answer to a connection over a cap.
const shedWriteTimeout = 100 * time.Millisecond

// Listener wraps a net.Listener so that the server keeps serving through
// resource exhaustion: an accept that fails for want of descriptors or memory
// is retried with backoff (fasthttp's own loop stops serving for good on such
// an error), and a connection over a cap is answered 503 and closed at once
// instead of being served.
type Listener struct {
	net.Listener
	o ListenerOptions

	closed    chan struct{}
	closeOnce sync.Once

	open   atomic.Int64
	mu     sync.Mutex
	byAddr map[netip.Prefix]int

	lastLog   time.Time
	failures  int64
	shedTotal atomic.Int64
}

// NewListener wraps ln.
func NewListener(ln net.Listener, o ListenerOptions) *Listener {
	return &Listener{Listener: ln, o: o, closed: make(chan struct{}), byAddr: map[netip.Prefix]int{}}
}

// Accept returns the next connection within the caps. It fails only once the
// listener is closed, or on an error that retrying cannot cure.
func (l *Listener) Accept() (net.Conn, error) {
	var delay time.Duration
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			if !retryable(err) {
				return nil, err
			}
			delay = min(max(2*delay, acceptRetryFirst), acceptRetryMax)
			l.logFailure(err, delay)
			select {
			case <-time.After(delay):
				continue
			case <-l.closed:
				return nil, net.ErrClosed
			}
		}
		delay = 0
		if conn, ok := l.admit(c); ok {
			return conn, nil
		}
	}
}

// Close closes the listener and ends a pending retry.
func (l *Listener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// Open reports how many accepted connections are open.
func (l *Listener) Open() int64 { return l.open.Load() }

// Shed reports how many connections were closed for being over a cap.
func (l *Listener) Shed() int64 { return l.shedTotal.Load() }

// retryable reports whether an accept error is one of resources (descriptors,
// buffers, memory) or a connection that went away before it was accepted:
// the listener itself is fine and a later accept can succeed.
func retryable(err error) bool {
	if errors.Is(err, net.ErrClosed) {
		return false
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
			syscall.EINTR, syscall.EAGAIN, syscall.ECONNABORTED, syscall.ECONNRESET, syscall.ETIMEDOUT:
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (l *Listener) logFailure(err error, delay time.Duration) {
	l.mu.Lock()
	l.failures++
	now := time.Now()
	if now.Sub(l.lastLog) < acceptLogEvery {
		l.mu.Unlock()
		return
	}
	n := l.failures
	l.failures, l.lastLog = 0, now
	l.mu.Unlock()
	l.o.Log.Error().Err(err).Int64("failures", n).Dur("retry_in", delay).Int64("open_connections", l.open.Load()).
		Msg("accept failed; retrying")
}

// admit counts c against the caps and wraps it, or sheds it.
func (l *Listener) admit(c net.Conn) (net.Conn, bool) {
	key, capped := l.addrKey(c)
	if n := l.open.Add(1); l.o.MaxConns > 0 && n > int64(l.o.MaxConns) {
		l.open.Add(-1)
		l.shed(c)
		return nil, false
	}
	if capped {
		l.mu.Lock()
		if l.byAddr[key] >= l.o.MaxConnsPerAddr {
			l.mu.Unlock()
			l.open.Add(-1)
			l.shed(c)
			return nil, false
		}
		l.byAddr[key]++
		l.mu.Unlock()
	}
	return &countedConn{Conn: c, release: func() { l.release(key, capped) }}, true
}

func (l *Listener) release(key netip.Prefix, capped bool) {
	l.open.Add(-1)
	if !capped {
		return
	}
	l.mu.Lock()
	if l.byAddr[key]--; l.byAddr[key] <= 0 {
		delete(l.byAddr, key)
	}
	l.mu.Unlock()
}

// addrKey is the per-address counter of c's peer: the address, or its /64
// for IPv6. capped is false when there is no per-address cap for it.
func (l *Listener) addrKey(c net.Conn) (key netip.Prefix, capped bool) {
	if l.o.MaxConnsPerAddr <= 0 {
		return netip.Prefix{}, false
	}
	ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
	if err != nil {
		return netip.Prefix{}, false // not an IP peer (a Unix socket in tests)
	}
	a := ap.Addr().Unmap()
	if isTrusted(a, l.o.Exempt) {
		return netip.Prefix{}, false
	}
	return ClientPrefix(a), true
}

// ClientPrefix is what counts as one client address: an IPv4 address, or an
// IPv6 address's /64 (the block one subscriber gets, and can draw addresses
// from at will).
func ClientPrefix(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	bits := a.BitLen()
	if a.Is6() {
		bits = 64
	}
	p, _ := a.WithZone("").Prefix(bits)
	return p
}

// shedBody is the answer to a connection over a cap, in the contract's shape.
const shedBody = `{"detail":"Too many open connections; try again later","code":"too_many_connections"}`

var shedAnswer = []byte("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n" +
	"Connection: close\r\nContent-Length: " + strconv.Itoa(len(shedBody)) + "\r\n\r\n" + shedBody)

// shed answers 503 and closes: the client learns to retry, and the server
// keeps no state for it.
func (l *Listener) shed(c net.Conn) {
	l.shedTotal.Add(1)
	_ = c.SetWriteDeadline(time.Now().Add(shedWriteTimeout))
	_, _ = c.Write(shedAnswer)
	_ = c.Close()
}

// countedConn gives its slot back when closed (once, however often Close is
// called).
type countedConn struct {
	net.Conn
	closed  atomic.Bool
	release func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	if c.closed.CompareAndSwap(false, true) {
		c.release()
	}
	return err
}

// CloseWrite shuts the write side, when the connection has one (TCP).
func (c *countedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
