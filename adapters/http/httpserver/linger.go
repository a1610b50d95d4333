package httpserver

import (
	"bufio"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
)

// How long a refused upload's connection is kept open, discarding what the
// client still sends, so that it reads the answer before the connection closes.
const (
	lingerTotal = 10 * time.Second // at most this long in all
	lingerIdle  = 2 * time.Second  // and no longer than this without a byte
)

// CloseAfterAnswer answers a request whose body is not read to its end (an
// upload over the limit) and then closes the connection gracefully: the
// answer, with "Connection: close", is written first, then the write side is
// shut, then whatever the client is still sending is discarded for a while.
//
// Closing at once would be wrong: unread bytes make the kernel reset the
// connection, and a reset can destroy the answer before the client reads it,
// so the client sees "connection reset" instead of the 413 (a client still
// busy sending its body is the usual case). Lingering is what nginx and
// net/http do. fasthttp does not: it closes a Connection: close connection
// right after the answer, so the answer is written here, from a hijacked
// connection.
func CloseAfterAnswer(c *fiber.Ctx) {
	fctx := c.Context()
	fctx.HijackSetNoResponse(true)
	fctx.Hijack(func(conn net.Conn) {
		fctx.Response.Header.SetConnectionClose()
		bw := bufio.NewWriter(conn)
		if err := fctx.Response.Write(bw); err != nil || bw.Flush() != nil {
			return
		}
		raw := conn
		if u, ok := conn.(interface{ UnsafeConn() net.Conn }); ok {
			raw = u.UnsafeConn() // fasthttp's hijack wrapper
		}
		if cw, ok := raw.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite() // a TCP connection, or the Listener's wrapper of one
		}
		deadline := time.Now().Add(lingerTotal)
		buf := make([]byte, 32<<10)
		for now := time.Now(); now.Before(deadline); now = time.Now() {
			next := now.Add(lingerIdle)
			if next.After(deadline) {
				next = deadline
			}
			_ = conn.SetReadDeadline(next)
			if _, err := conn.Read(buf); err != nil {
				return // the client closed, or went quiet: fasthttp closes the connection
			}
		}
	})
}
