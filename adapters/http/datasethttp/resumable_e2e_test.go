package datasethttp_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/application/datasetapp"
)

// Resumable uploads (tus 1.0) over a real listener.

const uploadsBase = "/api/v1/uploads/"

// tusMetadata encodes Upload-Metadata: key and base64 value pairs.
func tusMetadata(kv map[string]string) string {
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, k+" "+base64.StdEncoding.EncodeToString([]byte(kv[k])))
	}
	return strings.Join(pairs, ",")
}

func tusHeaders(extra map[string]string) map[string]string {
	h := map[string]string{"Tus-Resumable": "1.0.0"}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

// tusCreate creates an upload of size bytes and returns its path.
func tusCreate(t *testing.T, app *apitest.App, u user, size int, md map[string]string) string {
	t.Helper()
	r := app.Do(apitest.Req{Method: http.MethodPost, Path: uploadsBase, Token: u.Token, Header: tusHeaders(map[string]string{
		"Upload-Length": strconv.Itoa(size), "Upload-Metadata": tusMetadata(md),
	})}).Expect(t, http.StatusCreated)
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, uploadsBase) || r.Header.Get("Tus-Resumable") != "1.0.0" {
		t.Fatalf("creation answered Location %q, Tus-Resumable %q", loc, r.Header.Get("Tus-Resumable"))
	}
	if _, err := http.ParseTime(r.Header.Get("Upload-Expires")); err != nil {
		t.Errorf("Upload-Expires %q: %v", r.Header.Get("Upload-Expires"), err)
	}
	return loc
}

// tusOffset asks HEAD for the upload's offset.
func tusOffset(t *testing.T, app *apitest.App, u user, loc string) int {
	t.Helper()
	r := app.Do(apitest.Req{Method: http.MethodHead, Path: loc, Token: u.Token, Header: tusHeaders(nil)}).Expect(t, http.StatusOK)
	n, err := strconv.Atoi(r.Header.Get("Upload-Offset"))
	if err != nil {
		t.Fatalf("HEAD Upload-Offset %q", r.Header.Get("Upload-Offset"))
	}
	return n
}

// tusPatch sends a piece at offset.
func tusPatch(app *apitest.App, u user, loc string, offset int, piece []byte, extra map[string]string) *apitest.Response {
	h := tusHeaders(map[string]string{"Upload-Offset": strconv.Itoa(offset), "Content-Type": "application/offset+octet-stream"})
	for k, v := range extra {
		h[k] = v
	}
	return app.Do(apitest.Req{Method: http.MethodPatch, Path: loc, Token: u.Token, Body: piece, Header: h})
}

// cutPatch starts a PATCH of piece at offset on a raw connection, sends the
// first sent bytes of it and cuts the connection: a phone losing its signal.
func cutPatch(t *testing.T, app *apitest.App, u user, loc string, offset int, piece []byte, sent int) {
	t.Helper()
	base, _ := url.Parse(app.BaseURL)
	conn, err := net.Dial("tcp", base.Host)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(conn)
	fmt.Fprintf(w, "PATCH %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nTus-Resumable: 1.0.0\r\n"+
		"Upload-Offset: %d\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: %d\r\n\r\n",
		loc, base.Host, u.Token, offset, len(piece))
	_, _ = w.Write(piece[:sent])
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the server take in what was sent
	_ = conn.Close()
}

// resumeWithCuts uploads content to loc in pieces of piece bytes, cutting
// the connection mid-PATCH cuts times, each time going on from HEAD's
// offset; it returns the answer to the last PATCH.
func resumeWithCuts(t *testing.T, app *apitest.App, u user, loc string, content []byte, piece, cuts int) *apitest.Response {
	t.Helper()
	offset := 0
	for {
		end := min(offset+piece, len(content))
		if cuts > 0 && offset > 0 {
			cuts--
			sent := (end - offset) / 2
			cutPatch(t, app, u, loc, offset, content[offset:end], sent)
			got := tusOffset(t, app, u, loc)
			// What arrived before the cut is kept: the client goes on from
			// there, not from the piece's start.
			if got <= offset || got > offset+sent {
				t.Fatalf("after a cut %d bytes into the piece at %d, HEAD says %d", sent, offset, got)
			}
			t.Logf("cut %d bytes into the piece at %d: %d kept", sent, offset, got-offset)
			offset = got
			continue
		}
		r := tusPatch(app, u, loc, offset, content[offset:end], nil).Expect(t, http.StatusNoContent)
		next, _ := strconv.Atoi(r.Header.Get("Upload-Offset"))
		if next != end {
			t.Fatalf("PATCH at %d of %d bytes answered Upload-Offset %d", offset, end-offset, next)
		}
		if end == len(content) {
			return r
		}
		offset = end
	}
}

// download fetches a dataset's file (a version, or the current one for 0).
func download(t *testing.T, app *apitest.App, u user, id string, version int) []byte {
	t.Helper()
	path := dsPath(id, "/download")
	if version > 0 {
		path += "?version=" + strconv.Itoa(version)
	}
	return app.Get(path, u.Token).Expect(t, http.StatusOK).Body
}

// TestResumableUploadSurvivesCuts: a 50 MiB file sent in pieces, the
// connection cut three times mid-PATCH, each time resumed from the offset
// HEAD reports, becomes a dataset whose download is byte-identical, with
// the right SHA-256; the same for a new version of it.
func TestResumableUploadSurvivesCuts(t *testing.T) {
	app := apitest.Start(t)
	u := newUser(app, "Rosa Resume")
	community := newCommunity(t, app, u, "Sensors")
	content := randomBytes(50 * mib)
	sum := sha256.Sum256(content)

	loc := tusCreate(t, app, u, len(content), map[string]string{
		"filename": "sensors.bin", "title": "Sensor dump", "community_id": community, "tags": "air, noise",
	})
	last := resumeWithCuts(t, app, u, loc, content, 8*mib, 3)
	id := last.Header.Get("Dataset-Id")
	if !apitest.IDRE.MatchString(id) || last.Header.Get("Dataset-Location") != dsPath(id) {
		t.Fatalf("last PATCH: Dataset-Id %q, Dataset-Location %q", id, last.Header.Get("Dataset-Location"))
	}
	d := app.Get(dsPath(id), u.Token).Expect(t, http.StatusOK).JSON()
	checkDataset(t, d)
	f := fileOf(d)
	if f["sha256"] != fmt.Sprintf("%x", sum) || f["size"] != float64(len(content)) || f["filename"] != "sensors.bin" {
		t.Errorf("file %v, want sha256 %x and %d bytes", f, sum, len(content))
	}
	if d["title"] != "Sensor dump" || d["community_id"] != community || d["visibility"] != "community" || fmt.Sprint(d["tags"]) != "[air noise]" {
		t.Errorf("dataset %v", d)
	}
	if got := download(t, app, u, id, 0); !bytes.Equal(got, content) {
		t.Fatalf("the download (%d bytes) is not the upload", len(got))
	}
	// The finished upload still answers HEAD with its end and its dataset.
	h := app.Do(apitest.Req{Method: http.MethodHead, Path: loc, Token: u.Token, Header: tusHeaders(nil)}).Expect(t, http.StatusOK)
	if h.Header.Get("Upload-Offset") != strconv.Itoa(len(content)) || h.Header.Get("Dataset-Id") != id {
		t.Errorf("HEAD of the finished upload: %v", h.Header)
	}

	// A new version the same way.
	second := randomBytes(50 * mib)
	loc = tusCreate(t, app, u, len(second), map[string]string{"filename": "sensors-2.bin", "dataset_id": id})
	last = resumeWithCuts(t, app, u, loc, second, 8*mib, 3)
	if last.Header.Get("Dataset-Id") != id {
		t.Fatalf("the new version's last PATCH names dataset %q, want %q", last.Header.Get("Dataset-Id"), id)
	}
	d = app.Get(dsPath(id), u.Token).Expect(t, http.StatusOK).JSON()
	if d["version"] != float64(2) || fileOf(d)["sha256"] != sha256Hex(second) {
		t.Errorf("after the new version: %v", d)
	}
	if got := download(t, app, u, id, 2); !bytes.Equal(got, second) {
		t.Fatal("version 2's download is not its upload")
	}
	if got := download(t, app, u, id, 1); !bytes.Equal(got, content) {
		t.Fatal("version 1 changed")
	}
}

// TestResumableUploadProtocol: discovery, creation-with-upload, the checks
// at creation, offsets, checksums, termination, and another user's upload.
func TestResumableUploadProtocol(t *testing.T) {
	app := apitest.Start(t, apitest.WithEnv("MAX_UPLOAD_BYTES", "1048576"))
	u, other := newUser(app, "Tess Tus"), newUser(app, "Otto Other")

	t.Run("options", func(t *testing.T) {
		r := app.Do(apitest.Req{Method: http.MethodOptions, Path: uploadsBase}).Expect(t, http.StatusNoContent)
		for k, want := range map[string]string{
			"Tus-Version": "1.0.0", "Tus-Resumable": "1.0.0", "Tus-Max-Size": "1048576", "Tus-Checksum-Algorithm": "sha256",
			"Tus-Extension": "creation,creation-with-upload,termination,expiration,checksum",
		} {
			if got := r.Header.Get(k); got != want {
				t.Errorf("%s: %q, want %q", k, got, want)
			}
		}
	})
	t.Run("cors", func(t *testing.T) {
		r := app.Do(apitest.Req{Method: http.MethodOptions, Path: uploadsBase + "x", Header: map[string]string{
			"Origin": "https://app.example", "Access-Control-Request-Method": "PATCH",
			"Access-Control-Request-Headers": "tus-resumable,upload-offset,upload-checksum,content-type",
		}}).Expect(t, http.StatusNoContent)
		for _, h := range []string{"Upload-Offset", "Upload-Checksum", "Tus-Resumable"} {
			if !strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), h) {
				t.Errorf("preflight allows %q, not %s", r.Header.Get("Access-Control-Allow-Headers"), h)
			}
		}
		r = app.Do(apitest.Req{Method: http.MethodHead, Path: uploadsBase + apitest.UnknownID, Token: u.Token,
			Header: tusHeaders(map[string]string{"Origin": "https://app.example"})})
		for _, h := range []string{"Upload-Offset", "Location", "Upload-Expires", "Dataset-Id"} {
			if !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), h) {
				t.Errorf("exposes %q, not %s", r.Header.Get("Access-Control-Expose-Headers"), h)
			}
		}
	})
	t.Run("creation with upload", func(t *testing.T) {
		content := []byte("a,b\n1,2\n")
		r := app.Do(apitest.Req{Method: http.MethodPost, Path: uploadsBase, Token: u.Token, Body: content, Header: tusHeaders(map[string]string{
			"Upload-Length": strconv.Itoa(len(content)), "Upload-Metadata": tusMetadata(map[string]string{"filename": "tiny.csv"}),
			"Content-Type": "application/offset+octet-stream",
		})}).Expect(t, http.StatusCreated)
		id := r.Header.Get("Dataset-Id")
		if r.Header.Get("Upload-Offset") != strconv.Itoa(len(content)) || !apitest.IDRE.MatchString(id) {
			t.Fatalf("creation with the whole file: %v", r.Header)
		}
		d := app.Get(dsPath(id), u.Token).Expect(t, http.StatusOK).JSON()
		if d["title"] != "tiny.csv" || d["visibility"] != "private" || fileOf(d)["content_type"] != "text/csv; charset=utf-8" {
			t.Errorf("dataset %v", d)
		}
	})
	t.Run("checked at creation", func(t *testing.T) {
		create := func(tok string, h map[string]string) *apitest.Response {
			return app.Do(apitest.Req{Method: http.MethodPost, Path: uploadsBase, Token: tok, Header: tusHeaders(h)})
		}
		wantError(t, create(u.Token, map[string]string{"Upload-Length": "1048577"}), http.StatusRequestEntityTooLarge, "file_too_large")
		wantError(t, create(u.Token, map[string]string{}), http.StatusBadRequest, "upload_length_missing")
		wantError(t, create(u.Token, map[string]string{"Upload-Length": "-1"}), http.StatusBadRequest, "upload_length_invalid")
		wantError(t, create(u.Token, map[string]string{"Upload-Length": "10", "Upload-Metadata": "title ***"}), http.StatusBadRequest, "upload_metadata_invalid")
		wantError(t, create(u.Token, map[string]string{"Upload-Length": "10", "Upload-Defer-Length": "1"}), http.StatusBadRequest, "upload_defer_length_unsupported")
		want422(t, create(u.Token, map[string]string{"Upload-Length": "10", "Upload-Metadata": tusMetadata(map[string]string{"visibility": "secret"})}), "enum", "body", "visibility")
		wantError(t, create(u.Token, map[string]string{"Upload-Length": "10", "Upload-Metadata": tusMetadata(map[string]string{"community_id": apitest.UnknownID})}), http.StatusNotFound, "community_not_found")
		mine := createID(t, app, u, nil)
		wantError(t, create(other.Token, map[string]string{"Upload-Length": "10", "Upload-Metadata": tusMetadata(map[string]string{"dataset_id": mine})}), http.StatusNotFound, "dataset_not_found")
		wantError(t, create("", map[string]string{"Upload-Length": "10"}), http.StatusUnauthorized, "not_authenticated")
		r := app.Do(apitest.Req{Method: http.MethodPost, Path: uploadsBase, Token: u.Token, Header: map[string]string{"Tus-Resumable": "0.2.2", "Upload-Length": "10"}})
		wantError(t, r, http.StatusPreconditionFailed, "tus_version_unsupported")
		if r.Header.Get("Tus-Version") != "1.0.0" {
			t.Errorf("412 without Tus-Version: %v", r.Header)
		}
	})
	t.Run("offsets, checksums, termination", func(t *testing.T) {
		content := randomBytes(4096)
		loc := tusCreate(t, app, u, len(content), map[string]string{"filename": "x.bin"})
		wantError(t, tusPatch(app, u, loc, 10, content[10:20], nil), http.StatusConflict, "upload_offset_mismatch")
		wantError(t, tusPatch(app, u, loc, 0, nil, map[string]string{"Upload-Offset": ""}), http.StatusBadRequest, "upload_offset_missing")
		wantError(t, tusPatch(app, u, loc, 0, content[:10], map[string]string{"Content-Type": "application/json"}), http.StatusUnsupportedMediaType, "unsupported_media_type")
		wantError(t, tusPatch(app, u, loc, 0, append(bytes.Clone(content), 'x'), nil), http.StatusRequestEntityTooLarge, "upload_length_exceeded")
		wrong := sha256.Sum256([]byte("not this"))
		r := tusPatch(app, u, loc, 0, content[:100], map[string]string{"Upload-Checksum": "sha256 " + base64.StdEncoding.EncodeToString(wrong[:])})
		wantError(t, r, 460, "checksum_mismatch")
		wantError(t, tusPatch(app, u, loc, 0, content[:100], map[string]string{"Upload-Checksum": "md5 AAAA"}), http.StatusBadRequest, "checksum_algorithm_unsupported")
		if got := tusOffset(t, app, u, loc); got != 0 {
			t.Fatalf("after refused pieces the offset is %d", got)
		}
		right := sha256.Sum256(content[:100])
		tusPatch(app, u, loc, 0, content[:100], map[string]string{"Upload-Checksum": "sha256 " + base64.StdEncoding.EncodeToString(right[:])}).Expect(t, http.StatusNoContent)
		if got := tusOffset(t, app, u, loc); got != 100 {
			t.Fatalf("offset %d after a piece of 100", got)
		}
		// Another user's upload does not exist for them.
		wantError(t, app.Do(apitest.Req{Method: http.MethodHead, Path: loc, Token: other.Token, Header: tusHeaders(nil)}), http.StatusNotFound, "")
		wantError(t, tusPatch(app, other, loc, 100, content[100:], nil), http.StatusNotFound, "upload_not_found")
		app.Do(apitest.Req{Method: http.MethodDelete, Path: loc, Token: u.Token, Header: tusHeaders(nil)}).Expect(t, http.StatusNoContent)
		wantError(t, tusPatch(app, u, loc, 100, content[100:], nil), http.StatusNotFound, "upload_not_found")
		wantError(t, app.Do(apitest.Req{Method: http.MethodDelete, Path: loc, Token: u.Token, Header: tusHeaders(nil)}), http.StatusNotFound, "upload_not_found")
	})
}

// stageFiles counts the fs blob store's stages of resumable uploads.
func stageFiles(t *testing.T, app *apitest.App) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(app.Config.BlobDir, ".uploads"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return len(entries)
}

// TestAbandonedUploadExpires: an upload left unfinished is refused once it
// expires, and the sweep deletes its bytes and its record; a finished
// upload's dataset stays.
func TestAbandonedUploadExpires(t *testing.T) {
	clock := &apitest.Clock{}
	var svc *datasetapp.Service
	app := apitest.Start(t, apitest.WithClock(clock), apitest.WithFxOption(fx.Populate(&svc)),
		apitest.WithEnv("UPLOAD_EXPIRY", "1h"), apitest.WithEnv("ACCESS_TOKEN_TTL", "24h"))
	u := newUser(app, "Abe Abandon")
	content := randomBytes(3 * mib)
	abandoned := tusCreate(t, app, u, len(content), map[string]string{"filename": "left.bin"})
	tusPatch(app, u, abandoned, 0, content[:mib], nil).Expect(t, http.StatusNoContent)
	finished := tusCreate(t, app, u, 10, map[string]string{"filename": "done.bin"})
	id := tusPatch(app, u, finished, 0, content[:10], nil).Expect(t, http.StatusNoContent).Header.Get("Dataset-Id")
	if n := stageFiles(t, app); n != 1 {
		t.Fatalf("%d stages for one unfinished upload", n)
	}
	blobsBefore, _ := blobFiles(t, app)

	clock.Advance(time.Hour + time.Minute)
	wantError(t, tusPatch(app, u, abandoned, mib, content[mib:], nil), http.StatusNotFound, "upload_expired")
	swept, err := svc.SweepUploads(t.Context())
	if err != nil || swept != 2 {
		t.Fatalf("sweep: %d uploads, %v", swept, err)
	}
	if n := stageFiles(t, app); n != 0 {
		t.Errorf("%d stages left after the sweep", n)
	}
	if blobs, _ := blobFiles(t, app); blobs != blobsBefore-1 {
		t.Errorf("%d blob files after the sweep, %d before (the stage among them)", blobs, blobsBefore)
	}
	for _, loc := range []string{abandoned, finished} {
		wantError(t, app.Do(apitest.Req{Method: http.MethodHead, Path: loc, Token: u.Token, Header: tusHeaders(nil)}), http.StatusNotFound, "")
	}
	if got := download(t, app, u, id, 0); !bytes.Equal(got, content[:10]) {
		t.Errorf("the finished upload's dataset changed: %q", got)
	}
}
