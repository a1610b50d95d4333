package httpserver

import (
	"bytes"
	"io"

	"github.com/gofiber/fiber/v2"
)

// RequestBody returns the request body as a stream. With StreamRequestBody on
// (see New) fasthttp hands large bodies over unread, so an upload is piped
// through the handler instead of being buffered; small bodies are in memory.
func RequestBody(c *fiber.Ctx) io.Reader {
	if s := c.Context().RequestBodyStream(); s != nil {
		return s
	}
	return bytes.NewReader(c.Request().Body())
}
