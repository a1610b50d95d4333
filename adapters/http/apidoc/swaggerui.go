package apidoc

import (
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	swaggerfiles "github.com/swaggo/files/v2"
)

const docsPrefix = "/docs"

// indexHTML replaces the distribution's index.html, which loads the petstore example.
// It has no inline script (the page works under a strict Content-Security-Policy): the
// initializer below reads the document's URL from data-url.
const indexHTML = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Civic Data Trust API</title>
    <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css">
    <link rel="stylesheet" type="text/css" href="/docs/index.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui" data-url="` + DocumentPath + `"></div>
    <script src="/docs/swagger-ui-bundle.js" charset="utf-8"></script>
    <script src="/docs/swagger-initializer.js" charset="utf-8"></script>
  </body>
</html>
`

// initializerJS replaces the distribution's swagger-initializer.js. validatorUrl is
// off so that the page never calls validator.swagger.io; showExtensions shows
// each operation's x-error-codes.
const initializerJS = `window.addEventListener("load", function () {
  var el = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: el.getAttribute("data-url") || "` + DocumentPath + `",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    showExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
`

// assetTypes are the Content-Types of the distribution's files; the service sends
// X-Content-Type-Options: nosniff, so they must be right.
var assetTypes = map[string]string{
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".html": fiber.MIMETextHTMLCharsetUTF8,
	".png":  "image/png",
	".map":  fiber.MIMEApplicationJSON,
}

func contentType(name string) string {
	ext := path.Ext(name)
	if t, ok := assetTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return fiber.MIMEOctetStream
}

// assets caches files read from the embedded distribution: fs.ReadFile on an embed.FS
// copies, and swagger-ui-bundle.js is 1.4 MB.
var assets sync.Map // name → []byte

func readAsset(name string) ([]byte, error) {
	if b, ok := assets.Load(name); ok {
		return b.([]byte), nil
	}
	b, err := fs.ReadFile(swaggerfiles.FS, name)
	if err != nil {
		return nil, err
	}
	v, _ := assets.LoadOrStore(name, b)
	return v.([]byte), nil
}

func serveIndex(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.SendString(indexHTML)
}

func serveAsset(c *fiber.Ctx) error {
	// Params point into fasthttp's reused buffer; the name may become a map key.
	name := strings.Clone(c.Params("*"))
	switch name {
	case "", "index.html":
		return serveIndex(c)
	case "swagger-initializer.js":
		c.Set(fiber.HeaderContentType, contentType(name))
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.SendString(initializerJS)
	}
	b, err := readAsset(name)
	if err != nil {
		// missing, a directory, or an invalid path such as "../x": all not found
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, contentType(name))
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(b)
}
