package datasethttp_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestSmoke_upload_download_versions(t *testing.T) {
	app := apitest.Start(t)
	owner := app.Member("Olga Owner")
	data := make([]byte, 5<<20)
	_, _ = rand.Read(data)
	sum := sha256.Sum256(data)
	r := app.Upload(http.MethodPost, "/api/v1/datasets/create", owner.Access,
		map[string]string{"title": "Traffic counts", "tags": "Traffic, 2025"}, "counts.csv", bytes.NewReader(data)).Expect(t, http.StatusCreated)
	id := r.Str("id")
	file, _ := r.JSON()["file"].(map[string]any)
	if file["sha256"] != hex.EncodeToString(sum[:]) || file["size"] != float64(len(data)) {
		t.Fatalf("file: %v", file)
	}
	dl := app.Get("/api/v1/datasets/"+id+"/download", owner.Access).Expect(t, http.StatusOK)
	if !bytes.Equal(dl.Body, data) {
		t.Fatal("download differs")
	}
	part := app.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/datasets/" + id + "/download", Token: owner.Access,
		Header: map[string]string{"Range": "bytes=10-19"}}).Expect(t, http.StatusPartialContent)
	if !bytes.Equal(part.Body, data[10:20]) {
		t.Fatal("range differs")
	}
	app.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/datasets/" + id + "/download", Token: owner.Access,
		Header: map[string]string{"If-None-Match": dl.Header.Get("ETag")}}).Expect(t, http.StatusNotModified)
	app.Upload(http.MethodPut, "/api/v1/datasets/"+id+"/file", owner.Access, nil, "v2.csv", bytes.NewReader([]byte("a,b\n1,2\n"))).Expect(t, http.StatusOK)
	v1 := app.Get("/api/v1/datasets/"+id+"/download?version=1", owner.Access).Expect(t, http.StatusOK)
	if !bytes.Equal(v1.Body, data) {
		t.Fatal("version 1 differs")
	}
	app.Get("/api/v1/datasets/"+id+"/versions", owner.Access).Expect(t, http.StatusOK)
	app.Get("/api/v1/datasets/"+id+"/access-log", owner.Access).Expect(t, http.StatusOK)
	other := app.Member("Nosy Neighbour")
	app.Get("/api/v1/datasets/"+id, other.Access).Expect(t, http.StatusNotFound)
	app.Get("/api/v1/datasets", owner.Access).Expect(t, http.StatusOK)
	app.Delete("/api/v1/datasets/"+id, owner.Access).Expect(t, http.StatusNoContent)
	app.Get("/api/v1/audit-events/verify", app.Admin().Access).Expect(t, http.StatusOK)
}
