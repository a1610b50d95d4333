package httpserver

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

const (
	localsRequestID = "request_id"
	localsPrincipal = "principal"
)

// RequestID returns the request's id (echoed from X-Request-ID or generated).
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localsRequestID).(string)
	return id
}

// Principal is the authenticated caller of the request; the zero value
// (no user) on a public route.
func Principal(c *fiber.Ctx) kernel.Principal {
	p, _ := c.Locals(localsPrincipal).(kernel.Principal)
	return p
}

// SetPrincipal records the authenticated caller on the request.
func SetPrincipal(c *fiber.Ctx, p kernel.Principal) { c.Locals(localsPrincipal, p) }

func validRequestID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r == '_' || r == '.' || r == ':' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// requestContext assigns the request id, sets the security headers, recovers
// panics into a generic 500 and logs one line per request.
func requestContext(log zerolog.Logger, errHandler fiber.ErrorHandler) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		start := time.Now()
		id := c.Get(fiber.HeaderXRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		} else {
			id = strings.Clone(id) // fasthttp reuses header buffers
		}
		c.Locals(localsRequestID, id)
		c.Set(fiber.HeaderXRequestID, id)
		baseHeaders(c)

		func() {
			defer func() {
				if r := recover(); r != nil {
					log.Error().Str("request_id", id).Str("panic", fmt.Sprint(r)).Bytes("stack", debug.Stack()).Msg("panic")
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			err = c.Next()
		}()
		if err != nil {
			if herr := errHandler(c, err); herr != nil {
				_ = c.Status(fiber.StatusInternalServerError).JSON(ErrorBody{Detail: "Internal Server Error"})
			}
			err = nil
		}
		drainOrClose(c)
		ev := log.Info()
		status := c.Response().StatusCode()
		if status >= 500 {
			ev = log.Error()
		}
		p := Principal(c)
		ev.Str("method", c.Method()).
			Str("route", c.Route().Path).
			Int("status", status).
			Float64("latency_ms", float64(time.Since(start).Microseconds())/1000).
			Str("request_id", id).
			Str("user_id", p.UserID).
			Str("ip", c.IP()).
			Msg("request")
		return nil
	}
}

// baseHeaders sets the security headers, and a request id when there is none
// yet (a request fasthttp refused before the middleware ran).
func baseHeaders(c *fiber.Ctx) {
	if len(c.Response().Header.Peek(fiber.HeaderXRequestID)) == 0 {
		id := newRequestID()
		c.Locals(localsRequestID, id)
		c.Set(fiber.HeaderXRequestID, id)
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set("Referrer-Policy", "no-referrer")
}

// ClientIP is the caller's address: the peer, or the last untrusted hop of
// X-Forwarded-For when the peer is a trusted proxy.
func ClientIP(c *fiber.Ctx, trusted []netip.Prefix) string {
	peer, err := netip.ParseAddr(c.Context().RemoteIP().String())
	if err != nil {
		return c.IP()
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		a = a.Unmap()
		if !isTrusted(a, trusted) {
			return a.String()
		}
		peer = a
	}
	return peer.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// maxDrain is how much of an unread request body is read and dropped to keep
// the connection reusable; past it the connection is closed instead.
const maxDrain = 64 << 10

// drainOrClose makes sure the next request on a keep-alive connection starts at
// a request boundary: bodies are streamed, so a handler may leave one unread.
func drainOrClose(c *fiber.Ctx) {
	if c.Context().RequestBodyStream() == nil {
		return
	}
	// A body that does not end (too long, broken off, timed out) leaves the
	// connection in the middle of it: close it rather than read the rest as
	// the next request.
	if n, err := io.CopyN(io.Discard, RequestBody(c), maxDrain+1); n > maxDrain || err != nil && !errors.Is(err, io.EOF) {
		c.Response().SetConnectionClose()
	}
}
