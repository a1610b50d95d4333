package datasethttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// tusClientDir holds the tus-js-client check (npm ci installs it there).
var tusClientDir = filepath.Join("..", "..", "..", "clients", "tus-e2e")

// runTusClient uploads file with tus-js-client run by Node.js and returns
// the id of the dataset it made.
func runTusClient(t *testing.T, app *apitest.App, u user, file string, env ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "upload.mjs")
	cmd.Dir = tusClientDir
	cmd.Env = append(os.Environ(), append([]string{"BASE_URL=" + app.BaseURL, "TOKEN=" + u.Token, "FILE=" + file,
		"CHUNK_SIZE=1048576"}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tus-js-client: %v\n%s", err, stderr.String())
	}
	var out struct {
		UploadURL string `json:"upload_url"`
		DatasetID string `json:"dataset_id"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || !apitest.IDRE.MatchString(out.DatasetID) {
		t.Fatalf("tus-js-client printed %q (%v)", stdout.String(), err)
	}
	return out.DatasetID
}

// TestTusJSClient: tus-js-client, unchanged, uploads a dataset and a new
// version of it in 1 MiB pieces (the first with the creation request).
// Skipped without Node.js or without `npm ci` in clients/tus-e2e (.ci/run
// and `make tus-check` do it).
func TestTusJSClient(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("Node.js is not installed")
	}
	if _, err := os.Stat(filepath.Join(tusClientDir, "node_modules", "tus-js-client")); err != nil {
		t.Skip("tus-js-client is not installed: run npm ci in clients/tus-e2e")
	}
	app := apitest.Start(t)
	u := newUser(app, "Jo Javascript")
	dir := t.TempDir()
	content := randomBytes(5*mib + 123)
	file := filepath.Join(dir, "survey.bin")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	id := runTusClient(t, app, u, file, "TITLE=Survey export")
	d := app.Get(dsPath(id), u.Token).Expect(t, http.StatusOK).JSON()
	if d["title"] != "Survey export" || fileOf(d)["sha256"] != sha256Hex(content) || fileOf(d)["filename"] != "survey.bin" {
		t.Errorf("dataset %v", d)
	}
	if got := download(t, app, u, id, 0); !bytes.Equal(got, content) {
		t.Fatal("the download is not the upload")
	}

	second := randomBytes(2 * mib)
	if err := os.WriteFile(file, second, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := runTusClient(t, app, u, file, "DATASET_ID="+id); got != id {
		t.Fatalf("the new version made dataset %s, want %s", got, id)
	}
	if got := download(t, app, u, id, 2); !bytes.Equal(got, second) {
		t.Fatal("version 2's download is not its upload")
	}
}
