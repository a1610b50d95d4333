package datasethttp_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// uploadDeclared creates a dataset whose file part declares a Content-Type.
func uploadDeclared(t *testing.T, app *apitest.App, u user, filename, declared string, content []byte) map[string]any {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	h.Set("Content-Type", declared)
	part, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = part.Write(content)
	_ = mw.Close()
	r := app.Do(apitest.Req{Method: http.MethodPost, Path: dsBase + "/create", Token: u.Token, Body: body.Bytes(),
		Header: map[string]string{"Content-Type": mw.FormDataContentType()}})
	return r.Expect(t, http.StatusCreated).JSON()
}

// A CSV file is served as text/csv, which sniffing alone cannot tell from
// other text; what the client declares never overrides what the bytes are.
func TestUploadedFilesKeepTheirContentType(t *testing.T) {
	app := apitest.Start(t)
	owner := newUser(app, "Typed Owner")
	csv := []byte("station,count\nNorth,12\nSüd,7\n")
	png := append([]byte("\x89PNG\r\n\x1a\n"), randomBytes(64)...)
	for _, tc := range []struct {
		name, filename, declared string
		content                  []byte
		want                     string
	}{
		{"a_text_file_named_csv_is_csv", "counts.CSV", "application/octet-stream", csv, "text/csv; charset=utf-8"},
		{"a_text_file_declared_csv_is_csv", "counts.txt", "text/csv", csv, "text/csv; charset=utf-8"},
		{"other_text_stays_plain_text", "notes.txt", "application/octet-stream", []byte("just notes\n"), "text/plain; charset=utf-8"},
		{"an_image_named_csv_is_an_image", "chart.csv", "text/csv", png, "image/png"},
		{"binary_declared_csv_is_not_csv", "data.csv", "text/csv", []byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0}, "application/octet-stream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := uploadDeclared(t, app, owner, tc.filename, tc.declared, tc.content)
			if got := fileOf(d)["content_type"]; got != tc.want {
				t.Errorf("content_type %v, want %s", got, tc.want)
			}
			id, _ := d["id"].(string)
			r := app.Get(dsPath(id, "/download"), owner.Token).Expect(t, http.StatusOK)
			if got := r.Header.Get("Content-Type"); got != tc.want {
				t.Errorf("download Content-Type %q, want %s", got, tc.want)
			}
			if !bytes.Equal(r.Body, tc.content) {
				t.Error("the download differs from the upload")
			}
		})
	}
}

// A browser form, and Swagger UI's "Try it out", send every field, the empty
// ones too: left empty, each optional field takes its default.
func TestAFormWithEveryOptionalFieldLeftEmptyCreatesADataset(t *testing.T) {
	app := apitest.Start(t)
	owner := newUser(app, "Form Filler")
	empty := map[string]string{"title": "", "description": "", "community_id": "", "visibility": "", "tags": "", "license": ""}
	d := create(t, app, owner, empty, "counts.csv", []byte("a,b\n1,2\n"))
	if d["title"] != "counts.csv" || d["visibility"] != "private" || d["community_id"] != nil {
		t.Errorf("title %v, visibility %v, community %v; want the file name, private, none", d["title"], d["visibility"], d["community_id"])
	}
	if tags, _ := d["tags"].([]any); len(tags) != 0 {
		t.Errorf("tags %v", d["tags"])
	}
	want422(t, upload(t, app, owner, map[string]string{"visibility": "everyone"}, "counts.csv", []byte("a\n")), "enum", "body", "visibility")
}
