package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
)

// trust fills an app with one of every kind of record: users with roles,
// sessions, one-time tokens, a community with a logo, members and join
// requests, datasets with several versions, and the audit events of all that.
// It returns the contents of the files uploaded, by their SHA-256.
func trust(t *testing.T, app *apitest.App) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	keep := func(b []byte) []byte {
		sum := sha256.Sum256(b)
		files[hex.EncodeToString(sum[:])] = b
		return b
	}
	admin := app.Admin()
	ann, bob := app.Member("Ann Archive"), app.Member("Bob Backup")
	app.Post("/api/v1/auth/password-reset-request", "", map[string]any{"email": "admin@example.org"}).Expect(t, http.StatusOK)
	c := app.Post("/api/v1/communities", ann.Access, map[string]any{"name": "Exporters", "description": "Keep\nit all"}).
		Expect(t, http.StatusCreated).Str("id")
	app.Upload(http.MethodPut, "/api/v1/communities/"+c+"/logo", ann.Access, nil, "logo.png", bytes.NewReader(keep(pngImage(t)))).
		Expect(t, http.StatusOK)
	app.Post("/api/v1/communities/"+c+"/join-requests", bob.Access, map[string]any{"message": "let me in"}).Expect(t, http.StatusCreated)
	for i := range 3 {
		r := app.Upload(http.MethodPost, "/api/v1/datasets/create", ann.Access,
			map[string]string{"title": fmt.Sprintf("Counts %d", i), "community_id": c, "tags": "traffic,2025", "license": "CC-BY-4.0"},
			"counts.csv", bytes.NewReader(keep([]byte(fmt.Sprintf("hour,count\n%d,%d\n", i, i*10)))))
		id := r.Expect(t, http.StatusCreated).Str("id")
		app.Upload(http.MethodPut, "/api/v1/datasets/"+id+"/file", ann.Access, nil, "counts.csv",
			bytes.NewReader(keep([]byte(fmt.Sprintf("hour,count\n%d,%d\n", i, i*11))))).Expect(t, http.StatusOK)
	}
	app.Upload(http.MethodPost, "/api/v1/datasets/create", admin.Access, map[string]string{"visibility": "private"},
		"notes.txt", bytes.NewReader(keep([]byte("private notes")))).Expect(t, http.StatusCreated)
	// Governance: terms, a restricted dataset, an approved request (its consent and grant).
	app.Post("/api/v1/communities/"+c+"/terms", ann.Access, map[string]any{"title": "Use terms", "body": "Be *careful*."}).
		Expect(t, http.StatusCreated)
	restricted := app.Upload(http.MethodPost, "/api/v1/datasets/create", ann.Access,
		map[string]string{"title": "Survey answers", "community_id": c, "visibility": "restricted"},
		"survey.csv", bytes.NewReader(keep([]byte("q,a\n1,yes\n")))).Expect(t, http.StatusCreated).Str("id")
	until := time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	req := app.Post("/api/v1/datasets/"+restricted+"/access-requests", bob.Access, map[string]any{
		"purpose": "Count the answers for the city council", "organization": "Council", "requested_until": until,
		"accepted_terms_version": 1}).Expect(t, http.StatusCreated).Str("id")
	app.Post("/api/v1/datasets/"+restricted+"/access-requests/"+req+"/approve", ann.Access, nil).Expect(t, http.StatusOK)
	return files
}

func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// records reads an export without its files: every record line, with the
// keys under which files are stored taken out (they are the store's own).
func records(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path) // #nosec G304 -- a test's own file
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 8<<20)
	var out []map[string]any
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		if _, ok := l["record"]; !ok {
			continue
		}
		out = append(out, l)
		rec := l["record"].(map[string]any)
		delete(rec, "logo_key")
		for _, v := range asList(rec["versions"]) {
			delete(v.(map[string]any)["file"].(map[string]any), "blob_key")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// An export with its files, imported into a fresh folder, gives back every
// record as it was (the audit chain verifying), and every file byte for byte.
func TestStoreExportThenImportRoundTripsEverything(t *testing.T) {
	a := cliEnv(t)
	app := apitest.Start(t, apitest.WithEnv("DATA_DIR", a))
	files := trust(t, app)
	app.Stop()

	export := filepath.Join(t.TempDir(), "trust.jsonl")
	code, out, errOut := runCLI("store", "export", "--to", export, "--with-blobs")
	if code != 0 || !strings.Contains(out, "9 files") || !strings.Contains(out, "1 grant") {
		t.Fatalf("export: code %d, out %q, err %q", code, out, errOut)
	}

	b := t.TempDir()
	t.Setenv("DATA_DIR", b)
	code, out, errOut = runCLI("store", "import", "--from", export)
	if code != 0 || !strings.Contains(out, "audit chain intact") {
		t.Fatalf("import: code %d, out %q, err %q", code, out, errOut)
	}
	code, out, errOut = runCLI("store", "import", "--from", export)
	if code != 1 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("a second import: code %d, out %q, err %q; want a refusal", code, out, errOut)
	}

	// Both stores, exported again without files, hold the same records.
	again := filepath.Join(t.TempDir(), "again.jsonl")
	if code, _, errOut := runCLI("store", "export", "--to", again); code != 0 {
		t.Fatalf("export of the import: %s", errOut)
	}
	t.Setenv("DATA_DIR", a)
	first := filepath.Join(t.TempDir(), "first.jsonl")
	if code, _, errOut := runCLI("store", "export", "--to", first); code != 0 {
		t.Fatalf("export without files: %s", errOut)
	}
	want, got := records(t, first), records(t, again)
	if len(want) < 30 || !reflect.DeepEqual(got, want) {
		t.Fatalf("the import holds %d records, the original %d, and they differ:\n got %v\nwant %v", len(got), len(want), got, want)
	}

	// The imported trust serves every file.
	app = apitest.Start(t, apitest.WithEnv("DATA_DIR", b))
	admin := app.Admin()
	list := app.Get("/api/v1/datasets?limit=100", admin.Access).Expect(t, http.StatusOK).JSON()
	served := 0
	for _, d := range asList(list["data"]) {
		id := d.(map[string]any)["id"].(string)
		for _, v := range app.Get("/api/v1/datasets/"+id+"/versions", admin.Access).Expect(t, http.StatusOK).JSON()["data"].([]any) {
			n := int(v.(map[string]any)["version"].(float64))
			body := app.Get(fmt.Sprintf("/api/v1/datasets/%s/download?version=%d", id, n), admin.Access).Expect(t, http.StatusOK).Body
			sum := sha256.Sum256(body)
			if _, ok := files[hex.EncodeToString(sum[:])]; !ok {
				t.Errorf("dataset %s version %d serves %q, which was never uploaded", id, n, body)
			}
			served++
		}
	}
	communities := app.Get("/api/v1/communities", admin.Access).Expect(t, http.StatusOK).JSON()
	logo := asList(communities["data"])[0].(map[string]any)["logo"].(string)
	body := app.Get(logo, admin.Access).Expect(t, http.StatusOK).Body
	sum := sha256.Sum256(body)
	if _, ok := files[hex.EncodeToString(sum[:])]; !ok || served != 8 {
		t.Fatalf("%d versions served, the logo found %t", served, ok)
	}
}

// A file cut short, or with a file that does not match its SHA-256, is
// refused before anything is written: the store stays empty.
func TestStoreImportRefusesADamagedFile(t *testing.T) {
	a := cliEnv(t)
	app := apitest.Start(t, apitest.WithEnv("DATA_DIR", a))
	trust(t, app)
	app.Stop()
	export := filepath.Join(t.TempDir(), "trust.jsonl")
	if code, _, errOut := runCLI("store", "export", "--to", export, "--with-blobs"); code != 0 {
		t.Fatal(errOut)
	}
	whole, err := os.ReadFile(export) // #nosec G304 -- the test's file
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(whole, []byte("\n"))
	cut := bytes.Join(lines[:len(lines)/2], nil)
	var flipped []byte
	for i, l := range lines {
		if bytes.Contains(l, []byte(`"kind":"blob_data"`)) {
			flipped = bytes.Join(lines, nil)
			at := len(bytes.Join(lines[:i], nil)) + bytes.Index(l, []byte(`"data":"`)) + len(`"data":"`)
			flipped[at] ^= 1
			break
		}
	}
	for name, content := range map[string][]byte{"cut_short": cut, "a_damaged_file": flipped} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "damaged.jsonl")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			t.Setenv("DATA_DIR", dir)
			code, out, errOut := runCLI("store", "import", "--from", path)
			if code != 1 || errOut == "" {
				t.Fatalf("code %d, out %q, err %q; want a refusal", code, out, errOut)
			}
			if _, err := os.Stat(filepath.Join(dir, "civictrust.db")); err == nil {
				t.Fatal("a store was created for a refused file")
			}
		})
	}
}

// A trust copied from the embedded store into MongoDB and from there into a
// fresh embedded store holds every record as it was, and every file.
func TestStoreCopyToMongoDBAndBackKeepsEverything(t *testing.T) {
	a := cliEnv(t)
	app := apitest.Start(t, apitest.WithEnv("DATA_DIR", a))
	files := trust(t, app)
	app.Stop()

	uri := mongotest.URI(t)
	t.Setenv("MONGODB_DATABASE", fmt.Sprintf("copy_%d", time.Now().UnixNano()))
	code, out, errOut := runCLI("store", "copy", "--to", uri)
	if code != 0 || !strings.Contains(out, "audit chain is intact") {
		t.Fatalf("copy to MongoDB: code %d, out %q, err %q", code, out, errOut)
	}
	if code, _, errOut := runCLI("store", "copy", "--to", uri); code != 1 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("a second copy into the same database: code %d, err %q; want a refusal", code, errOut)
	}

	c := t.TempDir()
	t.Setenv("MONGODB_URI", uri)
	t.Setenv("BLOB_DRIVER", "gridfs")
	code, out, errOut = runCLI("store", "copy", "--to", c)
	if code != 0 || !strings.Contains(out, "audit chain is intact") {
		t.Fatalf("copy back from MongoDB: code %d, out %q, err %q", code, out, errOut)
	}

	t.Setenv("MONGODB_URI", "")
	t.Setenv("BLOB_DRIVER", "fs")
	exportOf := func(dir string) []map[string]any {
		t.Helper()
		t.Setenv("DATA_DIR", dir)
		path := filepath.Join(t.TempDir(), "records.jsonl")
		if code, _, errOut := runCLI("store", "export", "--to", path); code != 0 {
			t.Fatalf("export of %s: %s", dir, errOut)
		}
		return records(t, path)
	}
	want, got := exportOf(a), exportOf(c)
	if len(want) < 30 || !reflect.DeepEqual(got, want) {
		t.Fatalf("after the round trip %d records, before %d, and they differ:\n got %v\nwant %v", len(got), len(want), got, want)
	}

	app = apitest.Start(t, apitest.WithEnv("DATA_DIR", c))
	admin := app.Admin()
	served := 0
	for _, d := range asList(app.Get("/api/v1/datasets?limit=100", admin.Access).Expect(t, http.StatusOK).JSON()["data"]) {
		id := d.(map[string]any)["id"].(string)
		body := app.Get("/api/v1/datasets/"+id+"/download", admin.Access).Expect(t, http.StatusOK).Body
		sum := sha256.Sum256(body)
		if _, ok := files[hex.EncodeToString(sum[:])]; !ok {
			t.Errorf("dataset %s serves %q, which was never uploaded", id, body)
		}
		served++
	}
	if served != 5 {
		t.Fatalf("%d datasets served after the round trip, want 5", served)
	}
}
