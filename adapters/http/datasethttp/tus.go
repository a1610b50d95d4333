package datasethttp

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// Resumable uploads speak tus 1.0 (https://tus.io/protocols/resumable-upload)
// with the creation, creation-with-upload, termination, expiration and
// checksum extensions, so that the tus client libraries work unchanged. The
// life cycle itself is the service's (CreateUpload, WriteUpload, …): these
// handlers only translate headers.

// uploadsPath is where resumable uploads live.
const uploadsPath = "/api/v1/uploads"

// tus headers.
const (
	headerTusResumable     = "Tus-Resumable"
	headerTusVersion       = "Tus-Version"
	headerTusExtension     = "Tus-Extension"
	headerTusMaxSize       = "Tus-Max-Size"
	headerTusChecksumAlgos = "Tus-Checksum-Algorithm"
	headerUploadLength     = "Upload-Length"
	headerUploadOffset     = "Upload-Offset"
	headerUploadMetadata   = "Upload-Metadata"
	headerUploadExpires    = "Upload-Expires"
	headerUploadChecksum   = "Upload-Checksum"
	headerUploadDefer      = "Upload-Defer-Length"
	headerDatasetLocation  = "Dataset-Location"
	headerDatasetID        = "Dataset-Id"

	tusVersion    = "1.0.0"
	tusExtensions = "creation,creation-with-upload,termination,expiration,checksum"
	offsetStream  = "application/offset+octet-stream"
)

// statusChecksumMismatch is tus's answer to a piece that does not match its
// Upload-Checksum (checksum extension).
const statusChecksumMismatch = 460

// metadataFields are the Upload-Metadata keys an upload takes: the create
// form's fields, the file's name and type, or dataset_id for a new version.
var metadataFields = map[string]bool{
	"filename": true, "filetype": true, "title": true, "description": true, "community_id": true,
	"visibility": true, "tags": true, "license": true, "dataset_id": true,
}

// tusRoutes are the resumable upload routes. OPTIONS is public (it tells
// what the server supports, as tus says); the others need the datasets
// module, like POST /datasets/create.
func (h *Handlers) tusRoutes() []httpserver.Route {
	guarded := func(method, path string, fn fiber.Handler) httpserver.Route {
		return httpserver.Route{Method: method, Path: uploadsPath + path, Access: httpserver.ModuleGuarded,
			Module: access.ModuleDatasets, Handler: fn, NoStore: true,
			MaxBody: h.maxUpload, TooLarge: tooLarge(h.maxUpload)}
	}
	options := func(path string) httpserver.Route {
		return httpserver.Route{Method: fiber.MethodOptions, Path: uploadsPath + path, Access: httpserver.Public, Handler: h.tusOptions}
	}
	return []httpserver.Route{
		options(""), options("/"), options("/:upload_id"),
		guarded(fiber.MethodPost, "", h.tusCreate),
		guarded(fiber.MethodPost, "/", h.tusCreate),
		guarded(fiber.MethodHead, "/:upload_id", h.tusHead),
		guarded(fiber.MethodPatch, "/:upload_id", h.tusPatch),
		guarded(fiber.MethodDelete, "/:upload_id", h.tusDelete),
	}
}

func uploadID(c *fiber.Ctx) string { return strings.Clone(c.Params("upload_id")) }

// tusOptions tells what the server supports.
func (h *Handlers) tusOptions(c *fiber.Ctx) error {
	c.Set(headerTusResumable, tusVersion)
	c.Set(headerTusVersion, tusVersion)
	c.Set(headerTusExtension, tusExtensions)
	c.Set(headerTusMaxSize, strconv.FormatInt(h.maxUpload, 10))
	c.Set(headerTusChecksumAlgos, "sha256")
	return c.SendStatus(fiber.StatusNoContent)
}

// Errors of tus requests.
var (
	errUploadLengthMissing = kernel.NewError(kernel.KindInvalid, "upload_length_missing", "Upload-Length is required")
	errUploadLengthInvalid = kernel.NewError(kernel.KindInvalid, "upload_length_invalid", "Upload-Length must be a non-negative integer")
	errUploadOffsetMissing = kernel.NewError(kernel.KindInvalid, "upload_offset_missing", "Upload-Offset is required")
	errUploadOffsetInvalid = kernel.NewError(kernel.KindInvalid, "upload_offset_invalid", "Upload-Offset must be a non-negative integer")
	errDeferLength         = kernel.NewError(kernel.KindInvalid, "upload_defer_length_unsupported", "Upload-Defer-Length is not supported: send Upload-Length")
	errMetadata            = kernel.NewError(kernel.KindInvalid, "upload_metadata_invalid", "Upload-Metadata must be comma-separated pairs of a key and a base64 value, each key once")
	errChecksumAlgorithm   = kernel.NewError(kernel.KindInvalid, "checksum_algorithm_unsupported", "Upload-Checksum: only sha256 is supported")
	errChecksumInvalid     = kernel.NewError(kernel.KindInvalid, "checksum_invalid", "Upload-Checksum: the sha256 digest must be 32 bytes in base64")
)

// tusVersionUnsupported is the answer (412) to another tus version than 1.0.0.
var tusVersionUnsupported = httpserver.ErrorBody{Detail: "Only tus 1.0.0 is supported: send Tus-Resumable: 1.0.0", Code: "tus_version_unsupported"}

// tusVersionOK answers 412 with the versions supported when the request is
// not tus 1.0.0 (tus core protocol); it sets Tus-Resumable on every answer.
func tusVersionOK(c *fiber.Ctx) bool {
	c.Set(headerTusResumable, tusVersion)
	if c.Get(headerTusResumable) == tusVersion {
		return true
	}
	c.Set(headerTusVersion, tusVersion)
	_ = c.Status(fiber.StatusPreconditionFailed).JSON(tusVersionUnsupported)
	return false
}

// parseMetadata reads Upload-Metadata: comma-separated pairs of a key and
// its value in base64 (a key alone has an empty value).
func parseMetadata(raw string) (map[string]string, error) {
	out := map[string]string{}
	if strings.TrimSpace(raw) == "" {
		return out, nil
	}
	for pair := range strings.SplitSeq(raw, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(pair), " ")
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
		_, seen := out[key]
		if key == "" || err != nil || seen {
			return nil, errMetadata
		}
		out[key] = string(b)
	}
	return out, nil
}

// headerInt reads a non-negative integer header: missing when it is absent,
// invalid when it is not such an integer.
func headerInt(c *fiber.Ctx, name string, missing, invalid error) (int64, error) {
	raw := c.Get(name)
	if raw == "" {
		return 0, missing
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return 0, invalid
	}
	return n, nil
}

// tusCreate creates an upload (creation) and, when the request carries
// bytes, writes them as its first piece (creation-with-upload).
func (h *Handlers) tusCreate(c *fiber.Ctx) error {
	if !tusVersionOK(c) {
		return nil
	}
	if c.Get(headerUploadDefer) != "" {
		return errDeferLength
	}
	size, err := headerInt(c, headerUploadLength, errUploadLengthMissing, errUploadLengthInvalid)
	if err != nil {
		return err
	}
	raw := strings.Clone(c.Get(headerUploadMetadata))
	md, err := parseMetadata(raw)
	if err != nil {
		return err
	}
	in := datasetport.ResumableInput{
		Filename: md["filename"], DeclaredType: md["filetype"], Metadata: raw, Size: size,
	}
	if in.Filename == "" {
		in.Filename = "upload"
	}
	if id := strings.TrimSpace(md["dataset_id"]); id != "" {
		in.Target.DatasetID = id
	} else {
		u := &upload{fields: map[string]string{}}
		for k, v := range md {
			if metadataFields[k] && k != "filename" && k != "filetype" && k != "dataset_id" {
				u.fields[k] = v
			}
		}
		in.New = u.createInput()
		if err := u.problems.Err(); err != nil {
			return err
		}
	}
	var first *datasetport.Piece
	body := &bodyReader{}
	if c.Request().Header.ContentLength() != 0 {
		if !isOffsetStream(c) {
			return errNotOffsetStream
		}
		// Bytes already: only now, with the caller allowed, may they take
		// as long as a slow connection needs.
		httpserver.AllowSlowBody(c)
		body.r = httpserver.LimitedBody(c, h.maxUpload, tooLarge(h.maxUpload))
		first = &datasetport.Piece{Offset: 0, Length: int64(c.Request().Header.ContentLength()), Body: body}
		if first.Checksum, err = pieceChecksum(c); err != nil {
			return err
		}
	}
	st, err := h.svc.CreateUpload(c.UserContext(), httpserver.Principal(c), in, first)
	if st.Upload != nil {
		c.Set(fiber.HeaderLocation, uploadsPath+"/"+st.Upload.ID)
	}
	if err != nil {
		return h.tusWriteError(c, st, uploadError(err, body.err))
	}
	h.tusState(c, st)
	c.Status(fiber.StatusCreated)
	return nil
}

// tusHead reports how far an upload got.
func (h *Handlers) tusHead(c *fiber.Ctx) error {
	if !tusVersionOK(c) {
		return nil
	}
	st, err := h.svc.UploadStatus(c.UserContext(), httpserver.Principal(c), uploadID(c))
	if err != nil {
		return err
	}
	c.Set(headerUploadLength, strconv.FormatInt(st.Upload.Size, 10))
	if st.Upload.Metadata != "" {
		c.Set(headerUploadMetadata, st.Upload.Metadata)
	}
	h.tusState(c, st)
	c.Status(fiber.StatusOK)
	return nil
}

// tusPatch appends a piece at Upload-Offset.
func (h *Handlers) tusPatch(c *fiber.Ctx) error {
	if !tusVersionOK(c) {
		return nil
	}
	if !isOffsetStream(c) {
		return errNotOffsetStream
	}
	offset, err := headerInt(c, headerUploadOffset, errUploadOffsetMissing, errUploadOffsetInvalid)
	if err != nil {
		return err
	}
	checksum, err := pieceChecksum(c)
	if err != nil {
		return err
	}
	// The caller is authenticated and allowed by now: the piece may take as
	// long as a slow connection needs.
	httpserver.AllowSlowBody(c)
	body := &bodyReader{r: httpserver.LimitedBody(c, h.maxUpload, tooLarge(h.maxUpload))}
	length := int64(c.Request().Header.ContentLength())
	if length < 0 {
		length = -1
	}
	piece := datasetport.Piece{Offset: offset, Length: length, Body: body, Checksum: checksum}
	st, err := h.svc.WriteUpload(c.UserContext(), httpserver.Principal(c), uploadID(c), piece)
	if err != nil {
		return h.tusWriteError(c, st, uploadError(err, body.err))
	}
	h.tusState(c, st)
	return c.SendStatus(fiber.StatusNoContent)
}

// tusDelete ends an upload and deletes its bytes (termination).
func (h *Handlers) tusDelete(c *fiber.Ctx) error {
	if !tusVersionOK(c) {
		return nil
	}
	if err := h.svc.AbortUpload(c.UserContext(), httpserver.Principal(c), uploadID(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// tusState sets the headers of an upload's state: its offset, its expiry
// while unfinished, and the dataset it became once whole.
func (h *Handlers) tusState(c *fiber.Ctx, st datasetport.UploadState) {
	u := st.Upload
	c.Set(headerUploadOffset, strconv.FormatInt(u.Offset, 10))
	if u.Result != nil {
		c.Set(headerDatasetID, u.Result.DatasetID)
		c.Set(headerDatasetLocation, "/api/v1/datasets/"+u.Result.DatasetID)
		return
	}
	c.Set(headerUploadExpires, u.ExpiresAt.UTC().Format(http.TimeFormat))
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// tusWriteError answers a piece that failed: with the offset recorded when
// some of it counted, and 460 for a checksum that does not match.
func (h *Handlers) tusWriteError(c *fiber.Ctx, st datasetport.UploadState, err error) error {
	if st.Upload != nil {
		c.Set(headerUploadOffset, strconv.FormatInt(st.Upload.Offset, 10))
	}
	if kernel.KindOf(err) == kernel.KindTooLarge {
		httpserver.CloseAfterAnswer(c) // the rest of the body is not read
	}
	if errors.Is(err, dataset.ErrChecksumMismatch) {
		return c.Status(statusChecksumMismatch).JSON(httpserver.ErrorBody{
			Detail: dataset.ErrChecksumMismatch.Message, Code: dataset.ErrChecksumMismatch.Code,
		})
	}
	return err
}

// errNotOffsetStream is a piece sent as anything but tus's media type.
var errNotOffsetStream = httpserver.ErrUnsupportedMedia.WithMessage("A piece of an upload is sent as Content-Type: " + offsetStream)

func isOffsetStream(c *fiber.Ctx) bool {
	mt, _, _ := strings.Cut(c.Get(fiber.HeaderContentType), ";")
	return strings.EqualFold(strings.TrimSpace(mt), offsetStream)
}

// pieceChecksum reads Upload-Checksum ("sha256 <base64 digest>"); nil when
// the request has none.
func pieceChecksum(c *fiber.Ctx) (*datasetport.Checksum, error) {
	raw := strings.TrimSpace(c.Get(headerUploadChecksum))
	if raw == "" {
		return nil, nil
	}
	algo, value, _ := strings.Cut(raw, " ")
	if !strings.EqualFold(algo, "sha256") {
		return nil, errChecksumAlgorithm
	}
	sum, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
	if err != nil || len(sum) != sha256.Size {
		return nil, errChecksumInvalid
	}
	return &datasetport.Checksum{Hash: sha256.New(), Sum: sum}, nil
}
