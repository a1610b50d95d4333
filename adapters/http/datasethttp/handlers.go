// Package datasethttp is the HTTP face of the datasets context: streamed
// uploads, versions, downloads with ranges and the access log.
package datasethttp

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// Handlers serves the dataset routes.
type Handlers struct {
	svc       datasetport.Service
	maxUpload int64
}

// New builds the handlers; maxUpload is MAX_UPLOAD_BYTES.
func New(svc datasetport.Service, maxUpload int64) *Handlers {
	return &Handlers{svc: svc, maxUpload: maxUpload}
}

// Routes lists the dataset routes; the datasets module gates all of them.
func (h *Handlers) Routes() []httpserver.Route {
	r := func(method, path string, fn fiber.Handler) httpserver.Route {
		return httpserver.Route{Method: method, Path: "/api/v1/datasets" + path, Access: httpserver.ModuleGuarded,
			Module: access.ModuleDatasets, Handler: fn}
	}
	upload := func(method, path string, fn fiber.Handler) httpserver.Route {
		route := r(method, path, fn)
		route.MaxBody, route.TooLarge = h.maxBody(), tooLarge(h.maxUpload)
		return route
	}
	routes := []httpserver.Route{
		upload(fiber.MethodPost, "/create", h.create),
		r(fiber.MethodGet, "", h.list),
		r(fiber.MethodGet, "/:dataset_id", h.get),
		r(fiber.MethodPut, "/:dataset_id", h.update),
		r(fiber.MethodDelete, "/:dataset_id", h.delete),
		r(fiber.MethodGet, "/:dataset_id/download", h.download),
		upload(fiber.MethodPut, "/:dataset_id/file", h.newVersion),
		r(fiber.MethodGet, "/:dataset_id/versions", h.versions),
		r(fiber.MethodGet, "/:dataset_id/access-log", h.accessLog),
		noStore(r(fiber.MethodPost, "/:dataset_id/download-link", h.createLink)),
	}
	routes = append(routes, h.tusRoutes()...)
	return append(routes, h.linkRoute())
}

func id(c *fiber.Ctx) string { return strings.Clone(c.Params("dataset_id")) }

func (h *Handlers) create(c *fiber.Ctx) error {
	u, err := h.readUpload(c, datasetport.UploadTarget{}, "title", "description", "community_id", "visibility", "tags", "license")
	defer u.abort(c)
	if err != nil {
		return err
	}
	in := u.createInput()
	if err := u.problems.Err(); err != nil {
		return err
	}
	d, err := u.file.Commit(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toDatasetResponse(d))
}

func (h *Handlers) newVersion(c *fiber.Ctx) error {
	u, err := h.readUpload(c, datasetport.UploadTarget{DatasetID: id(c)})
	defer u.abort(c)
	if err != nil {
		return err
	}
	d, err := u.file.Commit(c.UserContext(), datasetport.CreateInput{})
	if err != nil {
		return err
	}
	return c.JSON(toDatasetResponse(d))
}

func (h *Handlers) list(c *fiber.Ctx) error {
	var probs httpserver.Problems
	page := httpserver.QueryPage(c, &probs)
	limit := httpserver.QueryInt(c, &probs, "limit", 20, 1, 100)
	f := datasetport.Filter{
		Query:       strings.TrimSpace(strings.Clone(c.Query("q"))),
		CommunityID: strings.Clone(c.Query("community_id")),
		OwnerID:     strings.Clone(c.Query("owner_id")),
		Tag:         strings.ToLower(strings.TrimSpace(strings.Clone(c.Query("tag")))),
	}
	if raw := c.Query("visibility"); raw != "" {
		v, ok := dataset.ParseVisibility(raw)
		if !ok {
			probs.Add("enum", "Input should be 'public', 'community', 'restricted' or 'private'", strings.Clone(raw), nil, "query", "visibility")
		}
		f.Visibility = v
	}
	if err := probs.Err(); err != nil {
		return err
	}
	ds, total, err := h.svc.List(c.UserContext(), httpserver.Principal(c), f, page, limit)
	if err != nil {
		return err
	}
	return c.JSON(httpserver.NewListEnvelope("Datasets retrieved successfully",
		httpserver.Responses(ds, toDatasetResponse), page, limit, total))
}

func (h *Handlers) get(c *fiber.Ctx) error {
	d, err := h.svc.Get(c.UserContext(), httpserver.Principal(c), id(c))
	if err != nil {
		return err
	}
	return c.JSON(toDatasetResponse(d))
}

func (h *Handlers) update(c *fiber.Ctx) error {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return err
	}
	var in datasetport.UpdateInput
	if t, ok := b.OptString("title"); ok && t != nil {
		if strings.TrimSpace(*t) == "" {
			b.Problems.Add("string_too_short", "String should have at least 1 character", *t, map[string]any{"min_length": 1}, "body", "title")
		} else {
			b.Problems.PlainLine("title", *t)
		}
		in.Title = t
	}
	if d, ok := b.OptString("description"); ok {
		if d != nil {
			b.Problems.PlainText("description", *d)
		}
		in.Description = d
	}
	if l, ok := b.OptString("license"); ok {
		if l != nil {
			b.Problems.PlainLine("license", *l)
		}
		in.License = l
	}
	if v, ok := b.OptString("visibility"); ok && v != nil {
		vis, valid := dataset.ParseVisibility(*v)
		if !valid {
			b.Problems.Add("enum", "Input should be 'public', 'community', 'restricted' or 'private'", *v, nil, "body", "visibility")
		}
		in.Visibility = &vis
	}
	if tags, ok := b.StringList("tags", false, 0); ok && tags != nil {
		in.Tags = &tags
	}
	if err := b.Problems.Err(); err != nil {
		return err
	}
	d, err := h.svc.Update(c.UserContext(), httpserver.Principal(c), id(c), in)
	if err != nil {
		return err
	}
	return c.JSON(toDatasetResponse(d))
}

func (h *Handlers) delete(c *fiber.Ctx) error {
	if err := h.svc.Delete(c.UserContext(), httpserver.Principal(c), id(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handlers) versions(c *fiber.Ctx) error {
	var probs httpserver.Problems
	page := httpserver.QueryPage(c, &probs)
	limit := httpserver.QueryInt(c, &probs, "limit", 20, 1, 100)
	if err := probs.Err(); err != nil {
		return err
	}
	d, err := h.svc.Versions(c.UserContext(), httpserver.Principal(c), id(c))
	if err != nil {
		return err
	}
	// Newest first, paged in memory: a dataset's history is one document.
	versions := d.Versions()
	all := make([]versionResponse, 0, len(versions))
	for i := len(versions) - 1; i >= 0; i-- {
		v := versions[i]
		all = append(all, versionResponse{Version: v.Number, File: toFileResponse(v.File), CreatedBy: v.CreatedBy, CreatedAt: httpserver.FormatTime(v.CreatedAt)})
	}
	start := min(kernel.PageOffset(page, limit), len(all))
	end := min(start+limit, len(all))
	return c.JSON(httpserver.NewListEnvelope("Versions retrieved successfully", all[start:end], page, limit, int64(len(all))))
}

func (h *Handlers) accessLog(c *fiber.Ctx) error {
	var probs httpserver.Problems
	page := httpserver.QueryPage(c, &probs)
	limit := httpserver.QueryInt(c, &probs, "limit", 20, 1, 100)
	if err := probs.Err(); err != nil {
		return err
	}
	entries, total, err := h.svc.AccessLog(c.UserContext(), httpserver.Principal(c), id(c), page, limit)
	if err != nil {
		return err
	}
	return c.JSON(httpserver.NewListEnvelope("Access log retrieved successfully",
		httpserver.Responses(entries, toAccessEventResponse), page, limit, total))
}

// noStore marks a route whose answer is a credential.
func noStore(r httpserver.Route) httpserver.Route {
	r.NoStore = true
	return r
}
