package datasethttp

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// linksPath is where download links point: outside /datasets, so that no
// token can be read as a dataset id.
const linksPath = "/api/v1/download-links"

// linkRoute is the public route a link is followed on; the token is the
// credential, checked by the service.
func (h *Handlers) linkRoute() httpserver.Route {
	return httpserver.Route{Method: fiber.MethodGet, Path: linksPath + "/:token", Access: httpserver.Public, Handler: h.followLink}
}

type downloadLinkResponse struct {
	URL       string `json:"url"`
	ExpiresAt string `json:"expires_at"`
}

// createLink signs a link to a version (the current one unless the body
// names one) of a dataset the caller may download.
func (h *Handlers) createLink(c *fiber.Ctx) error {
	version := 0
	if c.Request().Header.ContentLength() != 0 {
		b, err := httpserver.JSONBody(c)
		if err != nil {
			return err
		}
		v, _ := b.OptInt("version", 1)
		if err := b.Problems.Err(); err != nil {
			return err
		}
		if v != nil {
			version = *v
		}
	}
	l, err := h.svc.CreateDownloadLink(c.UserContext(), httpserver.Principal(c), id(c), version)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(downloadLinkResponse{
		URL: c.BaseURL() + linksPath + "/" + l.Token, ExpiresAt: httpserver.FormatTime(l.ExpiresAt),
	})
}

// followLink downloads the file of a link, without Authorization, as the
// user the link was made for: the request and the access log name them.
func (h *Handlers) followLink(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	// The token is a credential: no page the file opens may pass it on.
	c.Set("Referrer-Policy", "no-referrer")
	return serveDownload(c, func(version int, offset, length int64, open bool) (datasetport.Download, error) {
		dl, p, err := h.svc.OpenLink(c.UserContext(), token, offset, length, open)
		if p.UserID != "" {
			httpserver.SetPrincipal(c, p)
			m := kernel.RequestMetaFrom(c.UserContext())
			m.ActorID = p.UserID
			c.SetUserContext(kernel.WithRequestMeta(c.UserContext(), m))
		}
		return dl, err
	})
}
