package httpserver

import (
	"bytes"
	"errors"
	"io"

	"github.com/gofiber/fiber/v2"
)

// RequestBody returns the request body as a stream. With StreamRequestBody on
// (see New) fasthttp hands large bodies over unread, so an upload is piped
// through the handler instead of being buffered; small bodies are in memory.
// Every call on a request returns the same reader.
func RequestBody(c *fiber.Ctx) io.Reader {
	s := c.Context().RequestBodyStream()
	if s == nil {
		return bytes.NewReader(c.Request().Body())
	}
	if b, ok := c.Locals(localsBody).(*streamedBody); ok {
		return b
	}
	b := &streamedBody{r: s}
	c.Locals(localsBody, b)
	return b
}

const localsBody = "request_body"

// streamedBody remembers that its stream ended. fasthttp's stream of a
// chunked body does not: read again after its end, it parses the next
// request's bytes as a chunk size, waiting for them on a keep-alive
// connection until the read timeout.
type streamedBody struct {
	r    io.Reader
	done bool
}

func (b *streamedBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	n, err := b.r.Read(p)
	if errors.Is(err, io.EOF) {
		b.done = true
	}
	return n, err
}

// LimitedBody is RequestBody read through a limit on the whole body: once more
// than max bytes arrive, reads fail with tooLarge. Whatever the framing — a
// chunked body declares no length, and a declared one is only checked up
// front — no handler reads more than max bytes of it.
func LimitedBody(c *fiber.Ctx, max int64, tooLarge error) *BodyLimit {
	return &BodyLimit{r: RequestBody(c), left: max, tooLarge: tooLarge}
}

// BodyLimit is LimitedBody's reader.
type BodyLimit struct {
	r        io.Reader
	left     int64
	tooLarge error
	crossed  bool
}

func (b *BodyLimit) Read(p []byte) (int, error) {
	if b.crossed {
		return 0, b.tooLarge
	}
	if b.left <= 0 {
		// Exactly max bytes is fine: only a further byte crosses the limit.
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n > 0 {
			b.crossed = true
			return 0, b.tooLarge
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// Crossed reports whether the body went over the limit.
func (b *BodyLimit) Crossed() bool { return b.crossed }
