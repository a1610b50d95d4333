package httpserver

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// ShutdownOptions say how Shutdown drains the server.
type ShutdownOptions struct {
	// Timeout bounds the whole graceful part: the readiness delay, then the
	// wait for requests in flight (SHUTDOWN_TIMEOUT).
	Timeout time.Duration
	// ReadinessDelay is how long /readyz answers 503 while the listener still
	// serves, so that load balancers polling it stop sending traffic before
	// the listener closes (SHUTDOWN_READINESS_DELAY). It is part of Timeout.
	ReadinessDelay time.Duration
	// AbortGrace is how long requests still running when Timeout is over get
	// to clean up once their context is cancelled; zero means DefaultAbortGrace.
	AbortGrace time.Duration
}

// DefaultAbortGrace is ShutdownOptions.AbortGrace when it is zero.
const DefaultAbortGrace = 3 * time.Second

// lifecycle gives every request the server's base context (cancelled by
// Shutdown when the grace is over) and, once the server drains, asks clients
// to close keep-alive connections so that they reconnect elsewhere. A request
// that failed because Shutdown cancelled it answers 503 "shutting_down".
func (s *Server) lifecycle(c *fiber.Ctx) error {
	s.conns.used(c.Context().Conn())
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	c.SetUserContext(s.base)
	if s.slowBody > 0 {
		c.Locals(localsSlowBody, s.slowBody)
	}
	if s.draining.Load() {
		c.Response().SetConnectionClose()
	}
	err := c.Next()
	if err != nil && s.base.Err() != nil && errors.Is(err, context.Canceled) {
		c.Response().SetConnectionClose()
		c.Set(fiber.HeaderRetryAfter, "5")
		return c.Status(fiber.StatusServiceUnavailable).JSON(ErrorBody{Detail: "Shutting down", Code: "shutting_down"})
	}
	return err
}

// withBefore runs before ahead of a route's handler.
func withBefore(r Route, before func(*fiber.Ctx, Route) error) fiber.Handler {
	if before == nil {
		return r.Handler
	}
	h := r.Handler
	return func(c *fiber.Ctx) error {
		if err := before(c, r); err != nil {
			return err
		}
		return h(c)
	}
}

// Shutdown stops the server gracefully:
//
//  1. /readyz answers 503 and responses ask for "Connection: close", while
//     everything is still served for ReadinessDelay;
//  2. the listener closes, and requests in flight get the rest of Timeout;
//  3. requests still running then have their context cancelled (an upload
//     stops and removes what it wrote) and get AbortGrace to finish.
//
// It returns once no handler runs any more or AbortGrace is over; ctx bounds
// it all.
func (s *Server) Shutdown(ctx context.Context, o ShutdownOptions) error {
	if o.AbortGrace <= 0 {
		o.AbortGrace = DefaultAbortGrace
	}
	start := time.Now()
	s.Drain()
	if d := min(o.ReadinessDelay, o.Timeout); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	gctx, cancel := context.WithDeadline(ctx, start.Add(o.Timeout))
	go s.conns.closeUnused(gctx, unusedConnGrace)
	err := s.App.ShutdownWithContext(gctx)
	cancel()
	if err == nil || !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		s.abort()
		s.log.Info().Dur("took", time.Since(start)).Msg("http server stopped")
		return err
	}
	aborted := s.inFlight.Load()
	s.abort()
	deadline := time.Now().Add(o.AbortGrace)
	for s.inFlight.Load() > 0 && time.Now().Before(deadline) {
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			deadline = time.Now()
		}
	}
	s.log.Warn().Int64("aborted", aborted).Int64("still_running", s.inFlight.Load()).Dur("grace", o.Timeout).
		Msg("shutdown grace over: requests in flight were aborted")
	return nil
}

// unusedConnGrace is how long a connection may stay open during Shutdown
// without sending its first request.
const unusedConnGrace = time.Second

// unusedConns tracks the connections on which no request has reached a
// handler yet. fasthttp counts such a connection as active from the moment it
// is accepted (net/http counts it as idle until its first byte), so a client
// that opened a spare connection and never used it — Go's transport and
// browsers do — would hold Shutdown for the whole grace. Shutdown closes them.
type unusedConns struct {
	mu    sync.Mutex
	since map[net.Conn]time.Time
}

// trackConn is the fasthttp ConnState hook.
func (s *Server) trackConn(c net.Conn, state fasthttp.ConnState) {
	u := &s.conns
	u.mu.Lock()
	defer u.mu.Unlock()
	switch state {
	case fasthttp.StateNew:
		if u.since == nil {
			u.since = map[net.Conn]time.Time{}
		}
		u.since[c] = time.Now()
	case fasthttp.StateClosed, fasthttp.StateHijacked:
		delete(u.since, c)
	}
}

// used records that a request on c reached a handler.
func (u *unusedConns) used(c net.Conn) {
	u.mu.Lock()
	delete(u.since, c)
	u.mu.Unlock()
}

// closeUnused closes, until ctx is done, the connections that have been open
// for grace without a request.
func (u *unusedConns) closeUnused(ctx context.Context, grace time.Duration) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		u.mu.Lock()
		for c, since := range u.since {
			if time.Since(since) >= grace {
				_ = c.Close()
				delete(u.since, c)
			}
		}
		u.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
