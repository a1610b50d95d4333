package datasethttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// multipartOverhead is what a multipart envelope may add to the file itself
// (boundaries, part headers, the small metadata fields).
const multipartOverhead = 1 << 20

// readBufferSize is the buffer an upload is read through.
const readBufferSize = 256 << 10

// maxFieldBytes bounds one metadata form field.
const maxFieldBytes = 64 << 10

// errNotMultipart is answered like FastAPI: the file field is missing.
func missingFile() error {
	var p httpserver.Problems
	p.Missing(nil, "body", "file")
	return p.Err()
}

// upload is a parsed multipart request: the file on its way into a dataset
// (nil until the file part arrives) and the other fields.
type upload struct {
	file     datasetport.FileUpload
	fields   map[string]string
	problems httpserver.Problems
}

// abort drops the stored file unless it was committed; a handler defers it.
func (u *upload) abort(c *fiber.Ctx) {
	if u.file != nil {
		u.file.Abort(c.UserContext())
	}
}

// readUpload streams a multipart body: at the "file" part it begins the
// upload (the caller's rights checked with the fields sent ahead of it) and
// stores the file straight into the blob store (the service computes size
// and SHA-256 and enforces the size limit as soon as it is crossed); other
// parts are small fields. Nothing is buffered beyond a few kilobytes. The
// upload it returns is never nil: the handler defers its abort, whatever
// the error. t.DatasetID is the dataset a new version is for ("" for a new
// dataset).
func (h *Handlers) readUpload(c *fiber.Ctx, t datasetport.UploadTarget, fields ...string) (*upload, error) {
	u := &upload{fields: map[string]string{}}
	mediaType, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		return u, missingFile()
	}
	// The route's MaxBody refuses a declared length over the limit before the
	// body is read; this catches a request target the router reads otherwise.
	if n := c.Request().Header.ContentLength(); n > 0 && int64(n) > h.maxBody() {
		httpserver.CloseAfterAnswer(c) // do not read a body we refuse
		return u, tooLarge(h.maxUpload)
	}
	wanted := map[string]bool{}
	for _, f := range fields {
		wanted[f] = true
	}
	fail := func(err error) (*upload, error) {
		if kernel.KindOf(err) == kernel.KindTooLarge || errors.Is(err, errTwoFiles) {
			httpserver.CloseAfterAnswer(c) // the rest of the body is not read
		}
		return u, err
	}
	// The whole body counts, not only the file: a chunked body declares no
	// length, and other parts must not stream on without end either.
	body := httpserver.LimitedBody(c, h.maxBody(), tooLarge(h.maxUpload))
	// A large buffer under multipart's own 4 KiB one: the body is read from
	// the connection in big chunks (the blob store then writes in big chunks
	// too, whatever the size of the reads it gets).
	mr := multipart.NewReader(bufio.NewReaderSize(body, readBufferSize), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(bodyError(err))
		}
		name := part.FormName()
		switch {
		case name == "file" && u.file != nil:
			return fail(errTwoFiles)
		case name == "file":
			// Refuse before reading the file when the fields sent ahead of it
			// (or the route) already say the caller may not attach it.
			if t.DatasetID == "" {
				t.CommunityID = strings.ToLower(strings.TrimSpace(u.fields["community_id"]))
			}
			f, err := h.svc.BeginUpload(c.UserContext(), httpserver.Principal(c), t)
			if err != nil {
				return fail(err)
			}
			u.file = f
			// Only now, with the caller known and allowed, may the file take
			// as long as a slow connection needs.
			httpserver.AllowSlowBody(c)
			body := &bodyReader{r: part}
			if err := f.Store(c.UserContext(), body, part.FileName(), part.Header.Get(fiber.HeaderContentType)); err != nil {
				return fail(uploadError(err, body.err))
			}
		case wanted[name]:
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				return fail(bodyError(err))
			}
			if len(b) > maxFieldBytes || !utf8.Valid(b) {
				u.problems.Add("string_too_long", fmt.Sprintf("String should have at most %d characters", maxFieldBytes),
					nil, map[string]any{"max_length": maxFieldBytes}, "body", name)
				continue
			}
			u.fields[name] = string(b)
		default:
			// Unknown fields are ignored, as FastAPI ignores them — but read, bounded.
			if _, err := io.Copy(io.Discard, part); err != nil {
				return fail(bodyError(err))
			}
		}
		_ = part.Close()
	}
	if u.file == nil {
		u.problems.Missing(nil, "body", "file")
	}
	if err := u.problems.Err(); err != nil {
		return fail(err)
	}
	return u, nil
}

// maxBody is the largest upload body: the file and the multipart envelope.
func (h *Handlers) maxBody() int64 { return h.maxUpload + multipartOverhead }

// errTwoFiles is a body with a second "file" part: which one was meant?
var errTwoFiles = func() error {
	var p httpserver.Problems
	p.Add("value_error", "Value error, Send one file part only", nil, map[string]any{"error": map[string]any{}}, "body", "file")
	return p.Err()
}()

// bodyError is a body that could not be read: over the limit (413), or
// broken off or not multipart (400).
func bodyError(err error) error {
	var kerr *kernel.Error
	if errors.As(err, &kerr) && kerr.Kind == kernel.KindTooLarge {
		return kerr
	}
	return badMultipart(err)
}

func tooLarge(max int64) error {
	return kernel.NewError(kernel.KindTooLarge, "file_too_large",
		fmt.Sprintf("File too large: the limit is %d bytes", max))
}

// bodyReader remembers the error reading the request body gave, so that an
// upload the client broke off (400) is told apart from a blob store that
// failed to write (500): both reach the handler as a failed PutFile.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && b.err == nil {
		b.err = err
	}
	return n, err
}

// uploadError turns a broken body into a 400 and keeps every other error
// (domain errors keep their status; a blob store failure is a 500).
func uploadError(err, bodyErr error) error {
	if bodyErr != nil {
		return bodyError(bodyErr)
	}
	return err
}

// badMultipart is a body that ended early or is not valid multipart (a client
// that went away mid-upload gets this, if anything is still listening).
func badMultipart(cause error) error {
	return kernel.Wrap(kernel.NewError(kernel.KindInvalid, "malformed_upload", "The upload was interrupted or is not valid multipart/form-data"), cause)
}

// createInput turns the form fields into the service's input, collecting problems.
func (u *upload) createInput() datasetport.CreateInput {
	in := datasetport.CreateInput{
		Description: u.fields["description"], CommunityID: strings.ToLower(strings.TrimSpace(u.fields["community_id"])),
		License: strings.TrimSpace(u.fields["license"]), Tags: dataset.ParseTags(u.fields["tags"]),
	}
	if t, ok := u.fields["title"]; ok {
		u.problems.PlainLine("title", t)
		in.Title = &t
	}
	u.problems.PlainText("description", in.Description)
	u.problems.PlainLine("license", in.License)
	// A form sends its empty fields too (a browser, Swagger UI's Try it out):
	// an empty visibility is the default one.
	if raw, ok := u.fields["visibility"]; ok && strings.TrimSpace(raw) != "" {
		v, valid := dataset.ParseVisibility(raw)
		if !valid {
			u.problems.Add("enum", "Input should be 'public', 'community', 'restricted' or 'private'", raw,
				map[string]any{"expected": "'public', 'community', 'restricted' or 'private'"}, "body", "visibility")
		} else {
			in.Visibility = &v
		}
	}
	return in
}
