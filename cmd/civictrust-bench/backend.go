package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"sync"
	"time"
)

// errUnsupported marks a row the backend has no equivalent for.
var errUnsupported = errors.New("not offered by this backend")

// backend is the API of one server product, as a client sees it. Every
// method is one request (or, for setup, the few that prepare an empty
// server).
type backend interface {
	name() string
	// setup prepares an empty server for the workload and returns the
	// administrator's session.
	setup(ctx context.Context, adminEmail, adminPassword string) (*session, error)
	signUp(ctx context.Context, u person) (id string, err error)
	login(ctx context.Context, email, password string) (token, id string, err error)
	// createCommunity creates a community whose first member is its creator.
	createCommunity(ctx context.Context, owner *session, name string) (id string, err error)
	// addMember makes a user a member of a community, done by the
	// community's creator (or, where the backend has no such role, by the
	// administrator).
	addMember(ctx context.Context, owner *session, communityID, userID string) error
	createDataset(ctx context.Context, s *session, d datasetSpec) (id string, err error)
	getDataset(ctx context.Context, s *session, id string) error
	// listDatasets reads one page (1-based), and the total the list reports
	// into q.total when that is set (decoding costs the client CPU the
	// server shares, so timed requests skip it).
	listDatasets(ctx context.Context, s *session, q listQuery) error
	listUsers(ctx context.Context, admin *session, limit int) error
	actorEvents(ctx context.Context, admin *session, actorID string, limit int) error
	// auditEvents is how many audit events the store holds.
	auditEvents(ctx context.Context, admin *session) (int, error)
	// uploadRoutes are the ways a file can be uploaded, each measured.
	uploadRoutes() []uploadRoute
	download(ctx context.Context, s *session, datasetID string) (int64, error)
	deleteDataset(ctx context.Context, s *session, id string) error
}

// uploadRoute is one way of uploading a dataset's file (the multipart
// create; a resumable upload later).
type uploadRoute interface {
	label() string
	upload(ctx context.Context, s *session, path string) (datasetID string, err error)
}

// person is a user to sign up.
type person struct{ name, email, password string }

// datasetSpec is a dataset to create: metadata and a small file.
type datasetSpec struct {
	title, description, communityID, visibility string
	tags                                        []string
	fileName                                    string
	content                                     []byte
}

// listQuery is one page of the dataset list.
type listQuery struct {
	page, limit int
	q           string
	total       *int
}

// session is a signed-in user. Its token is renewed by logging in again
// before it could expire (access tokens live 15 minutes on civictrust).
type session struct {
	api             backend
	email, password string
	id              string

	mu    sync.Mutex
	token string
	at    time.Time
}

const tokenRenewal = 10 * time.Minute

func signIn(ctx context.Context, api backend, email, password string) (*session, error) {
	s := &session{api: api, email: email, password: password}
	if _, err := s.bearer(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *session) bearer(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" && time.Since(s.at) < tokenRenewal {
		return s.token, nil
	}
	token, id, err := s.api.login(ctx, s.email, s.password)
	if err != nil {
		return "", fmt.Errorf("login %s: %w", s.email, err)
	}
	s.token, s.id, s.at = token, id, time.Now()
	return token, nil
}

// client sends requests to one server over kept-alive connections.
type client struct {
	base string
	http *http.Client
}

func newClient(base string) *client {
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute, DisableCompression: true}
	return &client{base: base, http: &http.Client{Transport: tr}}
}

// request is one call; body is JSON-encoded unless it is an io.Reader.
type request struct {
	method, path, token string
	body                any
	contentType         string
	contentLength       int64
	want                int // the expected status
	out                 any // decode the JSON answer into this, if not nil
}

// do sends r and checks its status; the answer's body is read to the end.
// It returns how many body bytes came.
func (c *client) do(ctx context.Context, r request) (int64, error) {
	var body io.Reader
	contentType := r.contentType
	switch b := r.body.(type) {
	case nil:
	case io.Reader:
		body = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, err
		}
		body, contentType = bytes.NewReader(raw), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.base+r.path, body)
	if err != nil {
		return 0, err
	}
	if r.contentLength > 0 {
		req.ContentLength = r.contentLength
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	want := r.want
	if want == 0 {
		want = http.StatusOK
	}
	if resp.StatusCode != want {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return 0, fmt.Errorf("%s %s: status %d, want %d: %s", r.method, r.path, resp.StatusCode, want, bytes.TrimSpace(msg))
	}
	switch {
	case r.out != nil:
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, err
		}
		return int64(len(raw)), json.Unmarshal(raw, r.out)
	default:
		return io.Copy(io.Discard, resp.Body)
	}
}

// call is do for a session: it adds the session's token.
func (c *client) call(ctx context.Context, s *session, r request) (int64, error) {
	if s != nil {
		token, err := s.bearer(ctx)
		if err != nil {
			return 0, err
		}
		r.token = token
	}
	return c.do(ctx, r)
}

// multipartBody is a multipart/form-data body of fields and one file,
// streamed from memory or from a file on disk, with its exact length (as a
// browser sends it).
type multipartBody struct {
	contentType string
	length      int64
	reader      io.Reader
	closer      io.Closer
}

// newMultipartBody builds the body; the file's bytes come from content, or
// from the file at path when content is nil.
func newMultipartBody(fields [][2]string, fileField, fileName string, content []byte, path string) (*multipartBody, error) {
	var head bytes.Buffer
	w := multipart.NewWriter(&head)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, fileField, fileName))
	h.Set("Content-Type", "application/octet-stream")
	if _, err := w.CreatePart(h); err != nil {
		return nil, err
	}
	tail := "\r\n--" + w.Boundary() + "--\r\n"
	b := &multipartBody{contentType: w.FormDataContentType()}
	var file io.Reader
	var size int64
	if content != nil {
		file, size = bytes.NewReader(content), int64(len(content))
	} else {
		f, err := os.Open(path) //nolint:gosec // G304: a test file this command wrote
		if err != nil {
			return nil, err
		}
		st, err := f.Stat()
		if err != nil {
			_ = f.Close()
			return nil, err
		}
		file, size, b.closer = f, st.Size(), f
	}
	b.length = int64(head.Len()) + size + int64(len(tail))
	b.reader = io.MultiReader(&head, file, bytes.NewReader([]byte(tail)))
	return b, nil
}

func (b *multipartBody) close() {
	if b.closer != nil {
		_ = b.closer.Close()
	}
}
