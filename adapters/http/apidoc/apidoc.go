// Package apidoc serves the service's OpenAPI 3.1 document at GET /api/v1/openapi.json
// and Swagger UI at GET /docs, both from the binary: no CDN is contacted.
//
// openapi.json is the contract: a superset of the original FastAPI service's document
// (same paths, operationIds and schema names), extended with what API.md adds. It is
// edited by hand (or by a throwaway script) and kept pretty-printed with two-space
// indentation; the tests check that it parses, keeps the seed, and follows the
// conventions every response is validated against.
package apidoc

import (
	"bytes"
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// DocumentPath is where the OpenAPI document is served.
const DocumentPath = "/api/v1/openapi.json"

//go:embed openapi.json
var document []byte

// Document returns a copy of the embedded OpenAPI 3.1 document (JSON).
func Document() []byte { return bytes.Clone(document) }

// Register mounts GET /api/v1/openapi.json and Swagger UI (GET /docs, /docs/ and
// /docs/*) on r, and sends GET / to /docs (307). The routes are public.
func Register(r fiber.Router) {
	r.Get("/", func(c *fiber.Ctx) error { return c.Redirect(docsPrefix, fiber.StatusTemporaryRedirect) })
	r.Get(DocumentPath, serveDocument)
	r.Get(docsPrefix, serveIndex)
	r.Get(docsPrefix+"/*", serveAsset)
}

func serveDocument(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(document)
}
