package datasethttp_test

// Helpers shared by the dataset *_e2e_test.go files.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/blob/gridfsblob"
	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

const (
	dsBase = "/api/v1/datasets"
)

var (
	seq atomic.Int64
)

// user is a signed-in user.
type user struct {
	Name, ID, Token string
}

// newUser signs up and signs in a member.
func newUser(app *apitest.App, name string) user {
	tok := app.Member(fmt.Sprintf("%s %d", name, seq.Add(1)))
	return user{Name: name, ID: tok.UserID, Token: tok.Access}
}

// admin signs in as the bootstrap administrator (a global admin).
func admin(app *apitest.App) user {
	tok := app.Admin()
	return user{Name: "Administrator", ID: tok.UserID, Token: tok.Access}
}

// newCommunity creates a community whose admin is the caller.
func newCommunity(t *testing.T, app *apitest.App, creator user, name string) string {
	t.Helper()
	r := app.Post("/api/v1/communities", creator.Token, map[string]any{"name": fmt.Sprintf("%s %d", name, seq.Add(1))})
	r.Expect(t, http.StatusCreated)
	return r.Str("id")
}

// addMember adds u to a community (as "member" or "admin").
func addMember(t *testing.T, app *apitest.App, communityAdmin user, communityID string, u user, role string) {
	t.Helper()
	app.Post("/api/v1/communities/"+communityID+"/members", communityAdmin.Token,
		map[string]any{"user_id": u.ID, "role": role}).Expect(t, http.StatusCreated)
}

func dsPath(id string, rest ...string) string { return dsBase + "/" + id + strings.Join(rest, "") }

// upload creates a dataset from content with the form fields.
func upload(t *testing.T, app *apitest.App, u user, fields map[string]string, filename string, content []byte) *apitest.Response {
	t.Helper()
	return app.Upload(http.MethodPost, dsBase+"/create", u.Token, fields, filename, bytes.NewReader(content))
}

// create uploads a dataset and checks the 201 answer's shape.
func create(t *testing.T, app *apitest.App, u user, fields map[string]string, filename string, content []byte) map[string]any {
	t.Helper()
	d := upload(t, app, u, fields, filename, content).Expect(t, http.StatusCreated).JSON()
	checkDataset(t, d)
	return d
}

// createID uploads a small dataset and returns its id.
func createID(t *testing.T, app *apitest.App, u user, fields map[string]string) string {
	t.Helper()
	return create(t, app, u, fields, "data.csv", []byte(fmt.Sprintf("n\n%d\n", seq.Add(1))))["id"].(string)
}

// newVersion uploads content as the next version of a dataset.
func newVersion(t *testing.T, app *apitest.App, u user, id, filename string, content []byte) *apitest.Response {
	t.Helper()
	return app.Upload(http.MethodPut, dsPath(id, "/file"), u.Token, nil, filename, bytes.NewReader(content))
}

// checkDataset checks the fields every DatasetResponse has.
func checkDataset(t *testing.T, d map[string]any) {
	t.Helper()
	if id, _ := d["id"].(string); !apitest.IDRE.MatchString(id) {
		t.Errorf("id %v", d["id"])
	}
	for _, k := range []string{"created_at", "updated_at"} {
		if s, _ := d[k].(string); !apitest.TimeRE.MatchString(s) {
			t.Errorf("%s %v", k, d[k])
		}
	}
	if _, ok := d["tags"].([]any); !ok {
		t.Errorf("tags %v", d["tags"])
	}
	f, _ := d["file"].(map[string]any)
	if sum, _ := f["sha256"].(string); len(sum) != 64 {
		t.Errorf("file %v", d["file"])
	}
}

// fileOf returns the "file" object of a dataset or version.
func fileOf(d map[string]any) map[string]any {
	f, _ := d["file"].(map[string]any)
	return f
}

// list decodes an envelope list: its data and pagination.
func list(t *testing.T, r *apitest.Response) ([]map[string]any, map[string]any) {
	t.Helper()
	r.Expect(t, http.StatusOK)
	var env struct {
		Status     string           `json:"status"`
		Data       []map[string]any `json:"data"`
		Pagination map[string]any   `json:"pagination"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Status != "success" || env.Data == nil {
		t.Fatalf("list body %s (%v)", r.Body, err)
	}
	return env.Data, env.Pagination
}

// listIDs lists datasets and returns their ids in order.
func listIDs(t *testing.T, app *apitest.App, u user, query string) []string {
	t.Helper()
	data, _ := list(t, app.Get(dsBase+"?"+query, u.Token))
	return idsOf(data)
}

func idsOf(data []map[string]any) []string {
	out := make([]string, 0, len(data))
	for _, d := range data {
		id, _ := d["id"].(string)
		out = append(out, id)
	}
	return out
}

func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// wantError checks a non-422 error answer: status and code.
func wantError(t *testing.T, r *apitest.Response, status int, code string) {
	t.Helper()
	r.ExpectCode(t, status, code)
}

// want422 checks that a 422 lists a problem of type typ at loc.
func want422(t *testing.T, r *apitest.Response, typ string, loc ...any) {
	t.Helper()
	r.ExpectProblem(t, typ, loc...)
}

// randomBytes returns n random bytes.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// blobFiles counts the files of the fs blob store: stored blobs, and
// temporary files of uploads in progress (under .tmp).
func blobFiles(t *testing.T, app *apitest.App) (blobs, tmp int) {
	t.Helper()
	root := app.Config.BlobDir
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		if strings.HasPrefix(rel, ".tmp"+string(filepath.Separator)) {
			tmp++
		} else {
			blobs++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	return blobs, tmp
}

// gridfsCounts counts the GridFS files documents and chunks in the app's database.
func gridfsCounts(t *testing.T, app *apitest.App) (files, chunks int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	files, err := gridfsblob.CountFiles(ctx, app.Database())
	if err != nil {
		t.Fatalf("CountFiles: %v", err)
	}
	chunks, err = gridfsblob.CountChunks(ctx, app.Database())
	if err != nil {
		t.Fatalf("CountChunks: %v", err)
	}
	return files, chunks
}

// stored is what the blob store holds, whatever the driver: for fs the blob
// files and the temporary ones, for gridfs the files documents and the chunks.
type stored struct{ a, b int64 }

func storeState(t *testing.T, app *apitest.App) stored {
	t.Helper()
	if app.Config.BlobDriver == "gridfs" {
		f, c := gridfsCounts(t, app)
		return stored{f, c}
	}
	b, tmp := blobFiles(t, app)
	return stored{int64(b), int64(tmp)}
}

// eventually polls cond for up to five seconds.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %s after 5s", what, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// datasetTotal is the number of datasets a global admin sees.
func datasetTotal(t *testing.T, app *apitest.App, adm user) int64 {
	t.Helper()
	_, pg := list(t, app.Get(dsBase+"?limit=1", adm.Token))
	n, _ := pg["total"].(float64)
	return int64(n)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// stallingReader yields n bytes of src, then blocks until ctx is done.
type stallingReader struct {
	ctx     context.Context
	src     io.Reader
	left    int64
	stalled chan struct{}
}

func (s *stallingReader) Read(p []byte) (int, error) {
	if s.left <= 0 {
		select {
		case <-s.stalled:
		default:
			close(s.stalled)
		}
		<-s.ctx.Done()
		return 0, s.ctx.Err()
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.src.Read(p)
	s.left -= int64(n)
	return n, err
}

// multipartBody frames content (contentLen bytes) as the "file" part of a
// multipart/form-data body after the fields, and returns the body with its
// exact length, so that a request can declare it in Content-Length.
func multipartBody(fields map[string]string, filename string, content io.Reader, contentLen int64) (body io.Reader, contentType string, length int64) {
	var head, tail bytes.Buffer
	mw := multipart.NewWriter(&head)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	_, _ = mw.CreateFormFile("file", filename)
	prefix := bytes.Clone(head.Bytes())
	head.Reset()
	_ = mw.Close() // the closing boundary, written to head: take it as the tail
	tail.Write(head.Bytes())
	return io.MultiReader(bytes.NewReader(prefix), content, &tail), mw.FormDataContentType(),
		int64(len(prefix)) + contentLen + int64(tail.Len())
}

// send makes a request outside apitest.Do, so that a transport error (a
// connection dropped on purpose) is returned rather than failing the test;
// length < 0 sends the body chunked. A response is validated against the
// OpenAPI document.
func send(ctx context.Context, t *testing.T, app *apitest.App, method, path, token, contentType string, body io.Reader, length int64) (*apitest.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, app.BaseURL+path, body)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	req.ContentLength = length
	if length < 0 {
		req.ContentLength = -1
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := app.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	r := &apitest.Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
	if problems := apitest.ValidateResponse(method, path, r); len(problems) > 0 {
		t.Errorf("%s %s → %d does not match the OpenAPI document: %v", method, path, r.Status, problems)
	}
	return r, nil
}
