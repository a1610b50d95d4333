package communityhttp

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/image/webp"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// putLogo takes a multipart upload whose "file" part is the logo. The service
// checks the caller's rights first, then calls readLogo.
func (h *Handlers) putLogo(c *fiber.Ctx) error {
	v, err := h.svc.SetLogo(c.UserContext(), httpserver.Principal(c), param(c, "community_id"), func() (communityport.Logo, error) {
		data, err := readUpload(c, "file", community.MaxLogoBytes)
		if err != nil {
			return communityport.Logo{}, err
		}
		h.decodeSlots <- struct{}{}
		defer func() { <-h.decodeSlots }()
		ct, err := checkImage(data)
		if err != nil {
			return communityport.Logo{}, err
		}
		return communityport.Logo{ContentType: ct, Data: data}, nil
	})
	if err != nil {
		return err
	}
	return c.JSON(toCommunityResponse(v))
}

// logoEnvelope is what the multipart framing around a logo may add to it.
const logoEnvelope = 64 << 10

// maxLogoBody is the largest logo upload body.
const maxLogoBody = community.MaxLogoBytes + logoEnvelope

// readUpload streams a multipart body and returns the contents of the part
// named field, holding at most limit+1 bytes of it: a longer part is
// ErrLogoTooLarge as soon as the limit is crossed, and so is a body longer
// than the part and its envelope (whatever the framing: chunked bodies
// declare no length). A second part named field is a 422. Fiber's c.FormFile
// is not used because it buffers every part first.
func readUpload(c *fiber.Ctx, field string, limit int64) ([]byte, error) {
	data, err := readPart(c, field, limit)
	if err != nil && (kernel.KindOf(err) == kernel.KindTooLarge || errors.Is(err, errTwoParts)) {
		httpserver.CloseAfterAnswer(c) // the rest of the body is not read
	}
	return data, err
}

func readPart(c *fiber.Ctx, field string, limit int64) ([]byte, error) {
	mediaType, params, err := mime.ParseMediaType(string(c.Request().Header.ContentType()))
	if err != nil || !strings.EqualFold(mediaType, "multipart/form-data") || params["boundary"] == "" {
		return nil, httpserver.ErrUnsupportedMedia
	}
	body := httpserver.LimitedBody(c, limit+logoEnvelope, community.ErrLogoTooLarge)
	mr := multipart.NewReader(body, params["boundary"])
	var data []byte
	found := false
	for {
		part, err := mr.NextPart()
		switch {
		case errors.Is(err, io.EOF) && found:
			return data, nil
		case errors.Is(err, io.EOF):
			var probs httpserver.Problems
			probs.Missing(nil, "body", field)
			return nil, probs.Err()
		case body.Crossed():
			return nil, community.ErrLogoTooLarge
		case err != nil:
			return nil, malformedMultipart()
		}
		if part.FormName() != field {
			continue // NextPart skips the rest of it without keeping it
		}
		if found {
			return nil, errTwoParts
		}
		data, err = io.ReadAll(io.LimitReader(part, limit+1))
		switch {
		case int64(len(data)) > limit || body.Crossed():
			return nil, community.ErrLogoTooLarge
		case err != nil:
			return nil, malformedMultipart()
		}
		found = true
	}
}

// errTwoParts is a body with a second file part: which one was meant?
var errTwoParts = func() error {
	var probs httpserver.Problems
	probs.Add("value_error", "Value error, Send one file part only", nil, map[string]any{"error": map[string]any{}}, "body", "file")
	return probs.Err()
}()

func malformedMultipart() error {
	var probs httpserver.Problems
	probs.Add("value_error", "Value error, The multipart body could not be read", nil, map[string]any{"error": map[string]any{}}, "body")
	return probs.Err()
}

// imageFormat is one accepted image format: how to recognise it by content
// and how to read its header and pixels.
type imageFormat struct {
	contentType  string
	matches      func(data []byte) bool
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
}

var imageFormats = []imageFormat{
	{community.LogoPNG, func(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }, png.DecodeConfig, png.Decode},
	{community.LogoJPEG, func(b []byte) bool { return bytes.HasPrefix(b, []byte("\xff\xd8\xff")) }, jpeg.DecodeConfig, jpeg.Decode},
	{community.LogoWebP, func(b []byte) bool {
		return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
	}, webp.DecodeConfig, webp.Decode},
}

// checkImage recognises a PNG, JPEG or WebP image by its content (never by a
// file name or a declared type) and returns its media type. The dimensions are
// read from the header first, so that a decompression bomb (a small file that
// claims a huge canvas) is refused before any pixel is decoded; only then is
// the whole image decoded, so that a truncated or corrupt one is refused too.
func checkImage(data []byte) (string, error) {
	for _, f := range imageFormats {
		if !f.matches(data) {
			continue
		}
		cfg, err := f.decodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
			return "", community.ErrLogoCorrupt
		}
		if cfg.Width > community.MaxLogoSide || cfg.Height > community.MaxLogoSide {
			return "", community.ErrLogoDimensions
		}
		if _, err := f.decode(bytes.NewReader(data)); err != nil {
			return "", community.ErrLogoCorrupt
		}
		return f.contentType, nil
	}
	return "", community.ErrLogoType
}

// getLogo serves the logo's exact bytes with its media type and a strong ETag
// (its SHA-256); a matching If-None-Match gets 304 without reading the blob.
func (h *Handlers) getLogo(c *fiber.Ctx) error {
	f, err := h.svc.Logo(c.UserContext(), httpserver.Principal(c), param(c, "community_id"))
	if err != nil {
		return err
	}
	etag := `"` + f.ETag + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	rc, err := f.Open(c.UserContext())
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }()
	data, err := io.ReadAll(io.LimitReader(rc, community.MaxLogoBytes+1))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	return c.Send(data)
}

// etagMatches applies If-None-Match's weak comparison: "*" or any listed tag
// equal to etag, with or without W/.
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}
