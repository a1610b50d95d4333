package datasethttp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// shortReadTimeout gives the app's server a short ordinary read timeout, so
// that a test sees which requests it applies to (the upload timeout stays).
func shortReadTimeout(d time.Duration) apitest.Option {
	return apitest.WithFxOption(fx.Decorate(func(s *httpserver.Server) *httpserver.Server {
		s.App.Server().ReadTimeout = d
		return s
	}))
}

// exchange writes request on a new connection and reads until the server
// closes it or wait is over: the answer, and whether the server closed.
func exchange(t *testing.T, app *apitest.App, request string, wait time.Duration) (answer string, closed bool, took time.Duration) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(app.BaseURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	start := time.Now()
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(start.Add(wait))
	b, err := io.ReadAll(conn)
	var ne net.Error
	timedOut := errors.As(err, &ne) && ne.Timeout()
	return string(b), !timedOut, time.Since(start)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\r\n")
	return line
}

// slowChunks yields a multipart body a piece at a time with a pause before
// each, so that the whole takes longer than the ordinary read timeout.
type slowChunks struct {
	pieces [][]byte
	pause  time.Duration
}

func (s *slowChunks) Read(p []byte) (int, error) {
	if len(s.pieces) == 0 {
		return 0, io.EOF
	}
	time.Sleep(s.pause)
	n := copy(p, s.pieces[0])
	if n < len(s.pieces[0]) {
		s.pieces[0] = s.pieces[0][n:]
	} else {
		s.pieces = s.pieces[1:]
	}
	return n, nil
}

// TestUploadReadTimeout: the long read timeout of uploads is for an upload
// route whose caller is known and allowed; any other request — another route,
// no token, a bad one, a caller without the right — keeps the ordinary one,
// multipart or not.
func TestUploadReadTimeout(t *testing.T) {
	t.Parallel()
	const ordinary = time.Second
	app := apitest.Start(t, shortReadTimeout(ordinary))
	owner, other := newUser(app, "Olga Owner"), newUser(app, "Otto Other")
	private := createID(t, app, owner, map[string]string{"visibility": "private"})

	stalledAs := func(method, path, auth string) string {
		return method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + auth +
			"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n"
	}
	stalled := func(path, auth string) string { return stalledAs(http.MethodPost, path, auth) }
	fileHead := "Content-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n" + strings.Repeat("x", 9000)
	for name, req := range map[string]string{
		"upload_without_a_token":        stalled(dsBase+"/create", ""),
		"upload_with_a_bad_token":       stalled(dsBase+"/create", "Authorization: Bearer not-a-token\r\n"),
		"multipart_to_a_route_for_json": stalled("/api/v1/auth/login", ""),
		"multipart_to_an_unknown_route": stalled("/api/v1/nowhere", ""),
		// Past fasthttp's 8 KiB read-ahead, so that the handler runs and
		// refuses; what the client still owes is then read under the
		// ordinary timeout, not the upload's.
		"new_version_by_someone_not_allowed": stalledAs(http.MethodPut, dsPath(private, "/file"), "Authorization: Bearer "+other.Token+"\r\n") + fileHead,
		"upload_with_the_wrong_method":       stalled(dsPath(private, "/file"), "Authorization: Bearer "+owner.Token+"\r\n") + fileHead,
	} {
		t.Run(name+"_is_held_no_longer_than_the_ordinary_timeout", func(t *testing.T) {
			t.Parallel()
			answer, closed, took := exchange(t, app, req, 10*ordinary)
			if !closed {
				t.Fatalf("the connection was still open after %v (answer so far %q)", took, answer)
			}
		})
	}

	t.Run("an_allowed_upload_slower_than_the_ordinary_timeout_is_kept", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("title", "Slow but sure")
		fw, _ := mw.CreateFormFile("file", "slow.csv")
		// Larger than fasthttp's 8 KiB read-ahead, which happens before any
		// handler and so under the ordinary timeout.
		_, _ = fw.Write([]byte(strings.Repeat("a,b\n", 16000)))
		_ = mw.Close()
		data := buf.Bytes()
		third := len(data) / 3
		body := &slowChunks{pieces: [][]byte{data[:third], data[third : 2*third], data[2*third:]}, pause: 600 * time.Millisecond}
		r, err := send(t.Context(), t, app, http.MethodPost, dsBase+"/create", owner.Token, mw.FormDataContentType(), body, int64(len(data)))
		if err != nil {
			t.Fatalf("no answer: %v", err)
		}
		r.Expect(t, http.StatusCreated)
	})
}

// TestUploadBodyLimits: the limit is on the whole body, whatever its framing,
// and a declared length over it is refused before anything is read.
func TestUploadBodyLimits(t *testing.T) {
	t.Parallel()
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			t.Parallel()
			app := onDriver(t, driver, apitest.WithEnv("MAX_UPLOAD_BYTES", "1048576"))
			u, adm := newUser(app, "Lena Limit"), admin(app)
			empty := storeState(t, app)
			nothingKept := func(t *testing.T) {
				t.Helper()
				eventually(t, "the store back to empty", func() (bool, string) {
					s := storeState(t, app)
					return s == empty, fmt.Sprintf("%+v", s)
				})
				if n := datasetTotal(t, app, adm); n != 0 {
					t.Errorf("%d datasets, want none", n)
				}
			}

			t.Run("a_declared_length_over_the_limit_is_413_before_any_body_byte", func(t *testing.T) {
				answer, closed, took := exchange(t, app, "POST "+dsBase+"/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+u.Token+"\r\n"+
					"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 3145728\r\n\r\n", 30*time.Second)
				if firstLine(answer) != "HTTP/1.1 413 Request Entity Too Large" || !strings.Contains(answer, `"code":"file_too_large"`) {
					t.Fatalf("answer %q after %v, want 413 file_too_large", answer, took)
				}
				if !closed {
					t.Errorf("the connection stayed open after the 413")
				}
				nothingKept(t)
			})

			t.Run("a_small_file_then_a_large_chunked_part_is_413", func(t *testing.T) {
				var head bytes.Buffer
				mw := multipart.NewWriter(&head)
				fw, _ := mw.CreateFormFile("file", "tiny.bin")
				_, _ = fw.Write([]byte("tiny"))
				_, _ = mw.CreateFormField("padding") // its 3 MiB follow the prefix
				prefix := bytes.Clone(head.Bytes())
				head.Reset()
				_ = mw.Close()
				body := io.MultiReader(bytes.NewReader(prefix), io.LimitReader(zeros{}, 3*mib), bytes.NewReader(head.Bytes()))
				r, err := send(t.Context(), t, app, http.MethodPost, dsBase+"/create", u.Token, mw.FormDataContentType(), body, -1)
				if err != nil {
					t.Fatalf("no answer: %v", err)
				}
				wantError(t, r, http.StatusRequestEntityTooLarge, "file_too_large")
				nothingKept(t)
			})

			t.Run("a_chunked_file_over_the_limit_is_413", func(t *testing.T) {
				body, ct, _ := multipartBody(nil, "big.bin", io.LimitReader(zeros{}, 3*mib), 3*mib)
				r, err := send(t.Context(), t, app, http.MethodPost, dsBase+"/create", u.Token, ct, body, -1)
				if err != nil {
					t.Fatalf("no answer: %v", err)
				}
				wantError(t, r, http.StatusRequestEntityTooLarge, "file_too_large")
				nothingKept(t)
			})

			t.Run("a_chunked_upload_within_the_limit_is_kept", func(t *testing.T) {
				data := randomBytes(64 << 10)
				body, ct, _ := multipartBody(map[string]string{"title": "Chunked"}, "chunked.bin", bytes.NewReader(data), int64(len(data)))
				r, err := send(t.Context(), t, app, http.MethodPost, dsBase+"/create", u.Token, ct, body, -1)
				if err != nil {
					t.Fatalf("no answer: %v", err)
				}
				d := r.Expect(t, http.StatusCreated).JSON()
				if fileOf(d)["sha256"] != sha256Hex(data) {
					t.Errorf("stored %v", d)
				}
				app.Delete(dsPath(d["id"].(string)), u.Token).Expect(t, http.StatusNoContent)
				nothingKept(t)
			})

			t.Run("two_file_parts_are_422", func(t *testing.T) {
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				for _, name := range []string{"first.csv", "second.csv"} {
					fw, _ := mw.CreateFormFile("file", name)
					_, _ = fw.Write([]byte("a,b\n1,2\n"))
				}
				_ = mw.Close()
				for _, length := range []int64{int64(buf.Len()), -1} {
					r, err := send(t.Context(), t, app, http.MethodPost, dsBase+"/create", u.Token, mw.FormDataContentType(), bytes.NewReader(buf.Bytes()), length)
					if err != nil {
						t.Fatalf("no answer: %v", err)
					}
					want422(t, r, "value_error", "body", "file")
				}
				nothingKept(t)
			})
		})
	}
}

// TestAmbiguousFraming: a request whose length headers disagree is refused
// and its connection closed, so that what follows on it is never served as
// a request of its own (RFC 9112 §6.3).
func TestAmbiguousFraming(t *testing.T) {
	t.Parallel()
	app := apitest.Start(t)
	// Smuggled: a second request hidden in what one reading takes for the body.
	smuggled := "GET /api/v1/users HTTP/1.1\r\nHost: x\r\n\r\n"
	login := `{"email":"admin@example.org","password":"x"}`
	for name, headers := range map[string]string{
		"two_content_lengths":    fmt.Sprintf("Content-Length: %d\r\nContent-Length: %d\r\n", len(login), len(login)+len(smuggled)),
		"content_length_chunked": fmt.Sprintf("Content-Length: %d\r\nTransfer-Encoding: chunked\r\n", len(login)),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := login + smuggled
			if strings.Contains(headers, "chunked") {
				body = fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(login), login) + smuggled
			}
			answer, closed, _ := exchange(t, app, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
				headers+"\r\n"+body, 30*time.Second)
			if firstLine(answer) != "HTTP/1.1 400 Bad Request" || !strings.Contains(answer, `"code":"ambiguous_framing"`) {
				t.Fatalf("answer %q, want 400 ambiguous_framing", answer)
			}
			if !closed {
				t.Error("the connection stayed open")
			}
			if n := strings.Count(answer, "HTTP/1.1 "); n != 1 {
				t.Errorf("%d answers on the connection, want 1: %q", n, answer)
			}
		})
	}
}

// deleteBeforeOpen runs a hook once, the next time a blob is opened: the
// moment a download has loaded the dataset but not yet opened its file.
type deleteBeforeOpen struct {
	platformport.BlobStore
	hook *atomic.Pointer[func()]
}

func (b deleteBeforeOpen) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if f := b.hook.Swap(nil); f != nil {
		(*f)()
	}
	return b.BlobStore.Open(ctx, key, offset, length)
}

// TestDownloadRacingADelete: a dataset deleted while its download starts is
// a 404, as it would be a moment later — not a 500.
func TestDownloadRacingADelete(t *testing.T) {
	t.Parallel()
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			t.Parallel()
			hook := &atomic.Pointer[func()]{}
			app := onDriver(t, driver,
				apitest.WithFxOption(fx.Decorate(func(b platformport.BlobStore) platformport.BlobStore {
					return deleteBeforeOpen{BlobStore: b, hook: hook}
				})))
			u := newUser(app, "Dee Deleter")
			id := createID(t, app, u, nil)
			del := func() { app.Delete(dsPath(id), u.Token).Expect(t, http.StatusNoContent) }
			hook.Store(&del)
			r := app.Get(dsPath(id, "/download"), u.Token)
			wantError(t, r, http.StatusNotFound, "dataset_not_found")
			if hook.Load() != nil {
				t.Fatal("the download never opened the blob")
			}
		})
	}
}
