package httpserver

import (
	"bytes"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Requests refused on their header block alone, before fasthttp reads any of
// their body. fasthttp reads the first 8 KiB of a body (or the whole of a
// shorter one) before a handler runs, so a client that declares more than it
// sends would hold the connection until the read timeout, and a request whose
// framing is ambiguous would be read one way here and maybe another way by a
// proxy in front. HeaderReceived marks such a request and drops its body
// length, so that it reaches the middleware at once; the connection is closed
// after the answer.
const (
	// headerRefused carries the mark. A client that sends it itself only
	// gets its own request refused: it is deleted first.
	headerRefused = "X-Civictrust-Refused"
	// refusedFraming: two different Content-Length values, or Content-Length
	// with Transfer-Encoding (RFC 9112 §6.3: a request smuggling vector).
	refusedFraming = "framing"
	// refusedTooLarge: a declared Content-Length over the route's MaxBody.
	refusedTooLarge = "too_large"
)

// ErrAmbiguousFraming answers a request with conflicting length headers.
var ErrAmbiguousFraming = kernel.NewError(kernel.KindInvalid, "ambiguous_framing",
	"The request has conflicting Content-Length or Transfer-Encoding headers")

// bodyLimits finds the largest body a request's route takes.
type bodyLimits struct {
	def    int64
	routes []limitedRoute
	// floor is the smallest limit: a length within it needs no look-up.
	floor int64
}

type limitedRoute struct {
	method   string
	segments []string // ":name" matches any one segment
	max      int64
}

func newBodyLimits(def int64, routes []Route) bodyLimits {
	b := bodyLimits{def: def, floor: def}
	for _, r := range routes {
		if r.MaxBody > 0 {
			b.routes = append(b.routes, limitedRoute{method: r.Method, segments: splitPath(r.Path), max: r.MaxBody})
			b.floor = min(b.floor, r.MaxBody)
		}
	}
	return b
}

// limit is the MaxBody of the route method and path match, or the default.
// The path is the request target as sent; a target the router would read
// otherwise only falls back to the default, and the route's handler still
// checks the declared length itself.
func (b bodyLimits) limit(method, target []byte) int64 {
	if len(b.routes) == 0 {
		return b.def
	}
	segs := splitPath(requestPath(string(target)))
	for _, r := range b.routes {
		if r.method == string(method) && matchSegments(r.segments, segs) {
			return r.max
		}
	}
	return b.def
}

// requestPath is the path of a request target (origin or absolute form),
// without the query.
func requestPath(target string) string {
	if i := strings.Index(target, "://"); i >= 0 {
		target = target[i+3:]
		if j := strings.IndexByte(target, '/'); j >= 0 {
			target = target[j:]
		} else {
			target = "/"
		}
	}
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	return target
}

func splitPath(p string) []string {
	return strings.Split(strings.Trim(p, "/"), "/")
}

func matchSegments(tmpl, segs []string) bool {
	if len(tmpl) != len(segs) {
		return false
	}
	for i, t := range tmpl {
		if strings.HasPrefix(t, ":") {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if t != segs[i] {
			return false
		}
	}
	return true
}

// ambiguousFraming reports whether a raw header block holds Content-Length
// values that differ, or Content-Length and Transfer-Encoding together.
// fasthttp keeps the last Content-Length, or ignores Content-Length once it has
// seen Transfer-Encoding; a proxy may have read the first.
func ambiguousFraming(raw []byte) bool {
	var length []byte
	lengths, encodings := 0, 0
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(bytes.TrimSpace(name), []byte(fiber.HeaderContentLength)):
			if lengths > 0 && !bytes.Equal(value, length) {
				return true
			}
			length = value
			lengths++
		case bytes.EqualFold(bytes.TrimSpace(name), []byte(fiber.HeaderTransferEncoding)):
			encodings++
		}
	}
	return lengths > 0 && encodings > 0
}

// headerReceived is fasthttp's HeaderReceived hook: it marks the requests to
// refuse before their body is read. Every request keeps the server's read
// timeout; an upload handler lengthens it once the caller may upload
// (AllowSlowBody).
func (s *Server) headerReceived(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	h.Del(headerRefused)
	switch n := h.ContentLength(); {
	case ambiguousFraming(h.RawHeaders()):
		h.Set(headerRefused, refusedFraming)
		h.SetContentLength(0)
	case int64(n) > s.limits.floor && int64(n) > s.limits.limit(h.Method(), h.RequestURI()):
		h.Set(headerRefused, refusedTooLarge)
		h.SetContentLength(0)
	}
	return fasthttp.RequestConfig{}
}

// refusedEarly answers the requests headerReceived marked, closing their
// connection afterwards (their body is not read). A body too large for its
// route is answered by the route's guard, with the route's own error.
func refusedEarly(c *fiber.Ctx) error {
	switch string(c.Request().Header.Peek(headerRefused)) {
	case refusedFraming:
		CloseAfterAnswer(c)
		return ErrAmbiguousFraming
	case refusedTooLarge:
		CloseAfterAnswer(c)
	}
	return c.Next()
}

// declaredTooLarge reports whether the request declared a body longer than its
// route takes.
func declaredTooLarge(c *fiber.Ctx) bool {
	return string(c.Request().Header.Peek(headerRefused)) == refusedTooLarge
}

const localsSlowBody = "slow_body_timeout"

// AllowSlowBody gives the rest of the request body the server's upload read
// timeout instead of the ordinary one. Only an upload handler calls it, once
// the caller is authenticated and allowed to upload: before that, a client
// that sends slowly (or declares a body and never sends it) is cut off at the
// ordinary timeout like any other.
func AllowSlowBody(c *fiber.Ctx) {
	d, _ := c.Locals(localsSlowBody).(time.Duration)
	if d <= 0 {
		return
	}
	_ = c.Context().Conn().SetReadDeadline(time.Now().Add(d))
}
