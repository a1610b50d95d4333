package datasethttp

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// download streams a version of the file: Range → 206 (one range), If-None-Match → 304,
// ETag is the quoted SHA-256, Content-Disposition follows RFC 6266.
func (h *Handlers) download(c *fiber.Ctx) error {
	var probs httpserver.Problems
	version := httpserver.QueryInt(c, &probs, "version", 0, 1, -1)
	if err := probs.Err(); err != nil {
		return err
	}
	ctx, p := c.UserContext(), httpserver.Principal(c)
	return serveDownload(c, func(v int, offset, length int64, open bool) (datasetport.Download, error) {
		if v == 0 {
			v = version
		}
		return h.svc.Open(ctx, p, id(c), v, offset, length, open)
	})
}

// opener opens version (0: the one asked for) of the file a download is of,
// from offset for length bytes (-1: to the end); open false only checks.
type opener func(version int, offset, length int64, open bool) (datasetport.Download, error)

// serveDownload answers a download: the checks first, then the file.
func serveDownload(c *fiber.Ctx, open opener) error {
	dl, err := open(0, 0, -1, false)
	if err != nil {
		return err
	}
	f := dl.Version.File
	etag := `"` + f.SHA256 + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	offset, length, partial, ok := parseRange(c.Get(fiber.HeaderRange), f.Size)
	if !ok {
		c.Set(fiber.HeaderContentRange, fmt.Sprintf("bytes */%d", f.Size))
		return dataset.ErrRangeNotSatisfied
	}
	dl, err = open(dl.Version.Number, offset, length, true)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(f.Filename))
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	status := fiber.StatusOK
	if partial {
		status = fiber.StatusPartialContent
		c.Set(fiber.HeaderContentRange, fmt.Sprintf("bytes %d-%d/%d", dl.Offset, dl.Offset+dl.Length-1, f.Size))
	}
	c.Status(status)
	// fasthttp copies from the stream as it writes and closes it afterwards.
	c.Context().SetBodyStream(dl.Body, int(dl.Length))
	return nil
}

// etagMatches implements If-None-Match with weak comparison (RFC 9110 §13.1.2).
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// parseRange reads a single "bytes=" range. A missing, malformed or multi-range
// header means the whole file (a server may ignore Range); ok=false is a range
// that cannot be satisfied (416).
func parseRange(header string, size int64) (offset, length int64, partial, ok bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(header), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, -1, false, true
	}
	startS, endS, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, -1, false, true
	}
	if startS == "" { // suffix: the last n bytes
		n, err := strconv.ParseInt(endS, 10, 64)
		if err != nil || n < 0 {
			return 0, -1, false, true
		}
		if n == 0 || size == 0 {
			return 0, 0, false, false
		}
		n = min(n, size)
		return size - n, n, true, true
	}
	start, err := strconv.ParseInt(startS, 10, 64)
	if err != nil || start < 0 {
		return 0, -1, false, true
	}
	if start >= size {
		return 0, 0, false, false
	}
	end := size - 1
	if endS != "" {
		e, err := strconv.ParseInt(endS, 10, 64)
		if err != nil || e < start {
			return 0, -1, false, true
		}
		end = min(e, size-1)
	}
	return start, end - start + 1, true, true
}

// contentDisposition is "attachment" with an ASCII fallback name and the exact
// name as RFC 5987 filename* (RFC 6266 §4.3).
func contentDisposition(name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii.String(), rfc5987(name))
}

// rfc5987 percent-encodes every byte that is not an attr-char.
func rfc5987(s string) string {
	const attrChars = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(attrChars, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
