package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mongo/ferretdb"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
)

// oldDatabase is the database name the earlier embedded store used by default.
const oldDatabaseName = "civic_data_trust"

// memberPassword is the password of the members an old folder holds.
const memberPassword = "Member-Passw0rd"

// oldFolder is a data folder of the earlier embedded store, made the way it
// was: the service running on FerretDB in DATA_DIR/db, files by blobDriver.
type oldFolder struct {
	dir      string
	member   string            // a member's address (password memberPassword)
	refresh  string            // a refresh token the member was given before the import
	files    map[string][]byte // dataset id and version ("id@n") → the bytes uploaded
	logo     []byte
	datasets int
}

// makeOldFolder runs the service on FerretDB in a new DATA_DIR/db and fills
// it through the API: an administrator and a member, a community with a
// logo, datasets of two versions each, a join request and their audit
// events. tamper, when set, runs on the old database before FerretDB stops.
func makeOldFolder(t *testing.T, blobDriver string, datasets int, tamper func(ctx context.Context, t *testing.T, uri string)) *oldFolder {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := ferretdb.Start(ctx, ferretdb.Options{Dir: filepath.Join(dir, "db")})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = store.Stop(context.Background()) }()

	app := apitest.Start(t, apitest.WithEnv("DATA_DIR", dir), apitest.WithEnv("MONGODB_URI", store.URI()),
		apitest.WithEnv("MONGODB_DATABASE", oldDatabaseName), apitest.WithEnv("BLOB_DRIVER", blobDriver))
	old := &oldFolder{dir: dir, files: map[string][]byte{}, datasets: datasets}
	admin := app.Admin()
	old.member = fmt.Sprintf("ann-%d@example.org", time.Now().UnixNano())
	app.Signup("Ann Archive", old.member, memberPassword)
	ann := app.Login(old.member, memberPassword)
	old.refresh = ann.Refresh
	c := app.Post("/api/v1/communities", ann.Access, map[string]any{"name": "Old timers", "description": "Since FerretDB"}).
		Expect(t, http.StatusCreated).Str("id")
	old.logo = pngImage(t)
	app.Upload(http.MethodPut, "/api/v1/communities/"+c+"/logo", ann.Access, nil, "logo.png", bytes.NewReader(old.logo)).
		Expect(t, http.StatusOK)
	bob := app.Member("Bob Later")
	app.Post("/api/v1/communities/"+c+"/join-requests", bob.Access, map[string]any{"message": "me too"}).Expect(t, http.StatusCreated)
	for i := range datasets {
		first := []byte(fmt.Sprintf("hour,count\n%d,%d\n", i, i*10))
		id := app.Upload(http.MethodPost, "/api/v1/datasets/create", ann.Access,
			map[string]string{"title": fmt.Sprintf("Counts %d", i), "community_id": c, "tags": "traffic"},
			"counts.csv", bytes.NewReader(first)).Expect(t, http.StatusCreated).Str("id")
		second := []byte(fmt.Sprintf("hour,count\n%d,%d\n%d,%d\n", i, i*11, i+1, i))
		app.Upload(http.MethodPut, "/api/v1/datasets/"+id+"/file", ann.Access, nil, "counts.csv", bytes.NewReader(second)).
			Expect(t, http.StatusOK)
		old.files[id+"@1"], old.files[id+"@2"] = first, second
	}
	app.Post("/api/v1/auth/password-reset-request", "", map[string]any{"email": apitest.AdminEmail}).Expect(t, http.StatusOK)
	if r := app.Get("/api/v1/audit-events/verify", admin.Access).Expect(t, http.StatusOK).JSON(); r["valid"] != true {
		t.Fatalf("the old store's chain does not verify before the import: %v", r)
	}
	app.Stop()
	if tamper != nil {
		tamper(ctx, t, store.URI())
	}
	if err := store.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	return old
}

// runImport runs the command on dir as an operator would.
func runImport(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code = run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// fingerprint is every file under dir with its SHA-256, to tell that nothing changed.
func fingerprint(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path) // #nosec G304 -- the test's own folder
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// blobFiles lists the files of the fs blob store in dir/blobs.
func blobFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for rel := range fingerprint(t, dir) {
		if strings.HasPrefix(rel, "blobs"+string(filepath.Separator)) {
			out = append(out, rel)
		}
	}
	slices.Sort(out)
	return out
}

// checkServed starts the service on the imported folder (the embedded
// store, the default) and checks what users see: both users sign in, the
// member's session from before the import still refreshes, every dataset
// version and the logo download byte for byte, and the audit chain verifies.
func checkServed(t *testing.T, old *oldFolder) {
	t.Helper()
	app := apitest.Start(t, apitest.WithEnv("DATA_DIR", old.dir))
	if app.SQLite() == nil {
		t.Fatal("the service does not run on the embedded store")
	}
	admin := app.Admin()
	ann := app.Login(old.member, memberPassword)
	app.Post("/api/v1/auth/refresh", "", map[string]any{"refresh_token": old.refresh}).Expect(t, http.StatusOK)
	for key, want := range old.files {
		id, n, _ := strings.Cut(key, "@")
		got := app.Get("/api/v1/datasets/"+id+"/download?version="+n, ann.Access).Expect(t, http.StatusOK).Body
		if !bytes.Equal(got, want) {
			t.Errorf("dataset %s version %s downloads %q, %q was uploaded", id, n, got, want)
		}
	}
	list := app.Get("/api/v1/datasets?limit=100", admin.Access).Expect(t, http.StatusOK).JSON()
	if n := len(asList(list["data"])); n != old.datasets {
		t.Errorf("%d datasets listed, %d were in the old store", n, old.datasets)
	}
	communities := asList(app.Get("/api/v1/communities", admin.Access).Expect(t, http.StatusOK).JSON()["data"])
	if len(communities) != 1 {
		t.Fatalf("communities %v", communities)
	}
	logo := communities[0].(map[string]any)["logo"].(string)
	if got := app.Get(logo, admin.Access).Expect(t, http.StatusOK).Body; !bytes.Equal(got, old.logo) {
		t.Errorf("the logo downloads %q", got)
	}
	r := app.Get("/api/v1/audit-events/verify", admin.Access).Expect(t, http.StatusOK).JSON()
	if r["valid"] != true || r["checked"].(float64) < 10 {
		t.Errorf("audit verify on the new store: %v", r)
	}
}

func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 3, 3))
	img.Set(1, 1, color.RGBA{G: 180, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// The main path: an old folder whose files are in BLOB_DIR is brought over;
// the files stay where they were, the old folder is left as it was, and the
// service serves everything from the new store.
func TestImportBringsTheOldStoreOver(t *testing.T) {
	old := makeOldFolder(t, "fs", 3, nil)
	before := fingerprint(t, filepath.Join(old.dir, "db"))
	blobsBefore := fingerprint(t, filepath.Join(old.dir, "blobs"))

	code, out, errOut := runImport(t, "--data-dir", old.dir)
	if code != 0 {
		t.Fatalf("import: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	for _, want := range []string{"into " + filepath.Join(old.dir, "civictrust.db"), "dataset                 3",
		"user                    3", "7 checked in", "0 copied there from GridFS", "the audit chain is intact"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if after := fingerprint(t, filepath.Join(old.dir, "db")); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the old folder changed:\nbefore %v\nafter  %v", before, after)
	}
	if got := fingerprint(t, filepath.Join(old.dir, "blobs")); len(got) != 7 || fmt.Sprint(got) != fmt.Sprint(blobsBefore) {
		t.Errorf("the blob folder changed: %v, was %v", got, blobsBefore)
	}
	entries, _ := os.ReadDir(old.dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") || strings.HasPrefix(e.Name(), ".ferretdb-import") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	checkServed(t, old)

	code, _, errOut = runImport(t, "--data-dir", old.dir)
	if code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("a second import: code %d, stderr %q; want a refusal", code, errOut)
	}
}

// Files the earlier store kept in GridFS (BLOB_DRIVER=gridfs) are copied
// into BLOB_DIR, where the embedded store keeps files now.
func TestImportCopiesFilesOutOfGridFS(t *testing.T) {
	old := makeOldFolder(t, "gridfs", 1, nil)
	if n := len(blobFiles(t, old.dir)); n != 0 {
		t.Fatalf("%d files in BLOB_DIR before the import", n)
	}
	t.Setenv("BLOB_DRIVER", "gridfs") // as the operator's .env still says
	code, out, errOut := runImport(t, "--data-dir", old.dir)
	if code != 0 || !strings.Contains(out, "0 checked in "+filepath.Join(old.dir, "blobs")+", 3 copied there from GridFS") {
		t.Fatalf("import: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if n := len(blobFiles(t, old.dir)); n != 3 {
		t.Errorf("%d files in BLOB_DIR after the import, want 3", n)
	}
	t.Setenv("BLOB_DRIVER", "fs")
	checkServed(t, old)
}

// An old store whose audit chain does not verify is not brought over: no
// civictrust.db is left, nor the files copied out of GridFS, nor any
// working file; the old folder is as it was, and the service still refuses
// to start on it.
func TestAFailedImportLeavesNoNewStore(t *testing.T) {
	old := makeOldFolder(t, "gridfs", 1, func(ctx context.Context, t *testing.T, uri string) {
		c, err := mongostore.Connect(ctx, uri, oldDatabaseName)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = c.Close(ctx) }()
		res, err := c.DB().Collection("audit_events").UpdateOne(ctx, bson.D{},
			bson.D{{Key: "$set", Value: bson.D{{Key: "action", Value: "user.forged"}}}})
		if err != nil || res.ModifiedCount != 1 {
			t.Fatalf("tamper with an event: %v %+v", err, res)
		}
	})
	before := fingerprint(t, old.dir)

	code, out, errOut := runImport(t, "--data-dir", old.dir)
	if code != 1 || !strings.Contains(errOut, "audit chain") || !strings.Contains(errOut, "nothing was changed") {
		t.Fatalf("import of a broken chain: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if after := fingerprint(t, old.dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the data folder changed:\nbefore %v\nafter  %v", before, after)
	}
	if _, err := os.Stat(filepath.Join(old.dir, "civictrust.db")); !os.IsNotExist(err) {
		t.Errorf("civictrust.db: %v", err)
	}
	if _, err := apitest.TryStart(t, apitest.WithEnv("DATA_DIR", old.dir)); err == nil ||
		!strings.Contains(err.Error(), "civictrust-ferretdb-import") {
		t.Errorf("the service started on the old folder after a failed import: %v", err)
	}
}

// An existing civictrust.db is never touched: the import refuses at once.
func TestImportRefusesWhenTheNewStoreExists(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"civictrust.db": "the store of today", "db/civic_data_trust.sqlite": "old"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	before := fingerprint(t, dir)
	code, out, errOut := runImport(t, "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, filepath.Join(dir, "civictrust.db")+" already exists") || out != "" {
		t.Fatalf("code %d, stdout %q, stderr %q; want a refusal naming civictrust.db", code, out, errOut)
	}
	if after := fingerprint(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the folder changed: %v, was %v", after, before)
	}
}

func TestImportWithoutAnOldStoreSaysSo(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATA_DIR", dir) // the variable, as the server reads it
	code, _, errOut := runImport(t)
	if code != 1 || !strings.Contains(errOut, "nothing to import") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the folder holds %v", entries)
	}
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db", "other.sqlite"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runImport(t)
	if code != 1 || !strings.Contains(errOut, `databases other but not "civic_data_trust": set MONGODB_DATABASE`) {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
}

func TestHelpAndUsage(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		code, out, errOut := runImport(t, args...)
		if code != 0 || !strings.HasPrefix(out, "usage: civictrust-ferretdb-import [--data-dir DIR]") || errOut != "" {
			t.Errorf("%v: code %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"--data"}, {"now"}} {
		code, out, errOut := runImport(t, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "usage: civictrust-ferretdb-import") {
			t.Errorf("%v: code %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	t.Setenv("MONGODB_URI", "mongodb://db.example.org/")
	if code, _, errOut := runImport(t, "--data-dir", t.TempDir()); code != 2 || !strings.Contains(errOut, "MONGODB_URI is set") {
		t.Errorf("with MONGODB_URI: code %d, stderr %q", code, errOut)
	}
}

// While the earlier server still serves the folder, its files may change
// under the copy: the import refuses until it is stopped.
func TestImportRefusesWhileTheOldServerRuns(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := ferretdb.Start(ctx, ferretdb.Options{Dir: filepath.Join(dir, "db")})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = store.Stop(context.Background()) }()
	c, err := mongostore.Connect(ctx, store.URI(), oldDatabaseName)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close(context.Background()) }()
	if _, err := c.DB().Collection("users").InsertOne(ctx, bson.D{{Key: "email", Value: "a@example.org"}}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runImport(t, "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, "the earlier server still serves "+filepath.Join(dir, "db")) || out != "" {
		t.Fatalf("code %d, stdout %q, stderr %q; want a refusal", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "civictrust.db")); !os.IsNotExist(err) {
		t.Errorf("civictrust.db: %v", err)
	}
}
