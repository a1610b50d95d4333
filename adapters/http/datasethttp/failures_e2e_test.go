package datasethttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/blob/memblob"
	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

const mib = 1 << 20

// drivers are the blob stores the failure tests run on: the embedded
// store's default (a folder) and GridFS (on MongoDB).
var drivers = []string{"fs", "gridfs"}

// onDriver starts the app with blob driver driver (and MongoDB under GridFS).
func onDriver(t *testing.T, driver string, opts ...apitest.Option) *apitest.App {
	opts = append(opts, apitest.WithEnv("BLOB_DRIVER", driver))
	if driver == "gridfs" {
		opts = append(opts, apitest.OnMongo(t))
	}
	return apitest.Start(t, opts...)
}

// TestUploadLimit: crossing MAX_UPLOAD_BYTES is a 413 as soon as it happens,
// and nothing of the upload is kept — no blob file, no GridFS chunk, no record.
func TestUploadLimit(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			app := onDriver(t, driver, apitest.WithEnv("MAX_UPLOAD_BYTES", "1048576"))
			u, adm := newUser(app, "Ulla Uploader"), admin(app)
			empty := storeState(t, app)
			if empty != (stored{}) {
				t.Fatalf("a fresh store holds %+v", empty)
			}
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

			t.Run("streamed_3_MiB_is_413_and_leaves_nothing", func(t *testing.T) {
				body := &countingReader{r: bytes.NewReader(randomBytes(3 * mib))}
				r := app.Upload(http.MethodPost, dsBase+"/create", u.Token, map[string]string{"title": "Too big"}, "big.bin", body)
				wantError(t, r, http.StatusRequestEntityTooLarge, "file_too_large")
				if r.Header.Get("X-Request-ID") == "" {
					t.Errorf("413 headers %v", r.Header)
				}
				t.Logf("%s: the client sent %d of %d bytes", driver, body.n.Load(), 3*mib)
				nothingKept(t)
			})

			t.Run("the_server_stops_reading_once_the_limit_is_crossed", func(t *testing.T) {
				const offered = 256 * mib
				body := &countingReader{r: io.LimitReader(zeros{}, offered)}
				start := time.Now()
				r := app.Upload(http.MethodPost, dsBase+"/create", u.Token, nil, "endless.bin", body)
				wantError(t, r, http.StatusRequestEntityTooLarge, "file_too_large")
				// What the client read: the limit, plus what socket buffers and
				// the transport hold. Reading everything would be 256 MiB.
				if sent := body.n.Load(); sent > 32*mib {
					t.Errorf("the client sent %d MiB before the 413; the server kept reading", sent/mib)
				} else {
					t.Logf("%s: 413 after %v, the client sent %.1f MiB of %d", driver, time.Since(start).Round(time.Millisecond),
						float64(sent)/mib, offered/mib)
				}
				nothingKept(t)
			})

			t.Run("declared_length_over_the_limit_is_413_before_reading", func(t *testing.T) {
				body, ct, n := multipartBody(nil, "declared.bin", io.LimitReader(zeros{}, 3*mib), 3*mib)
				r, err := send(t.Context(), t, app, http.MethodPost, dsBase+"/create", u.Token, ct, body, n)
				if err != nil {
					t.Fatalf("no answer: %v", err)
				}
				wantError(t, r, http.StatusRequestEntityTooLarge, "file_too_large")
				nothingKept(t)
			})

			t.Run("exactly_the_limit_is_kept_one_byte_more_is_not", func(t *testing.T) {
				data := randomBytes(mib)
				d := create(t, app, u, nil, "exact.bin", data)
				id := d["id"].(string)
				wantError(t, newVersion(t, app, u, id, "over.bin", randomBytes(mib+1)), http.StatusRequestEntityTooLarge, "file_too_large")
				got := app.Get(dsPath(id), u.Token).Expect(t, http.StatusOK).JSON()
				if got["version"] != float64(1) || fileOf(got)["sha256"] != sha256Hex(data) {
					t.Errorf("after the refused version: %v", got)
				}
				if s := storeState(t, app); driver == "fs" && s != (stored{1, 0}) || driver == "gridfs" && s.a != 1 {
					t.Errorf("store holds %+v, want the one blob", s)
				}
				if dl := app.Get(dsPath(id, "/download"), u.Token).Expect(t, http.StatusOK); !bytes.Equal(dl.Body, data) {
					t.Error("download differs")
				}
				app.Delete(dsPath(id), u.Token).Expect(t, http.StatusNoContent)
				nothingKept(t)
			})
		})
	}
}

// TestUploadDisconnect: a client that goes away mid-upload leaves nothing
// behind — neither the part of the file written so far nor a record.
func TestUploadDisconnect(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			app := onDriver(t, driver)
			u, adm := newUser(app, "Dora Dropout"), admin(app)
			before := storeState(t, app)

			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			// Enough is sent before the stall for the store to hold part of it:
			// GridFS (the driver's bucket) writes its first chunks once 16 MiB are in.
			sent := 2 * mib
			if driver == "gridfs" {
				sent = 18 * mib
			}
			stall := &stallingReader{ctx: ctx, src: bytes.NewReader(randomBytes(sent + 6*mib)), left: int64(sent), stalled: make(chan struct{})}
			body, ct, _ := multipartBody(map[string]string{"title": "Never finished"}, "cut.bin", stall, int64(sent+6*mib))
			done := make(chan error, 1)
			go func() {
				_, err := send(ctx, t, app, http.MethodPost, dsBase+"/create", u.Token, ct, body, -1)
				done <- err
			}()
			select {
			case <-stall.stalled:
			case err := <-done:
				t.Fatalf("the upload ended before stalling: %v", err)
			case <-time.After(30 * time.Second):
				t.Fatal("the upload never reached 2 MiB")
			}
			// The server has stored part of the file by now: a temporary
			// file (fs) or the first chunks (gridfs).
			eventually(t, "part of the upload stored", func() (bool, string) {
				s := storeState(t, app)
				return s.b > before.b, fmt.Sprintf("%+v", s)
			})
			cancel()
			if err := <-done; err == nil {
				t.Fatal("the cancelled upload got an answer")
			}
			eventually(t, "nothing of the upload left", func() (bool, string) {
				s := storeState(t, app)
				return s == before, fmt.Sprintf("%+v, was %+v", s, before)
			})
			if n := datasetTotal(t, app, adm); n != 0 {
				t.Errorf("%d datasets after the disconnect, want none", n)
			}
			// The server is still fine.
			create(t, app, u, nil, "after.csv", []byte("still here\n"))
		})
	}
}

// TestUploadBlobWriteFails: a blob store that fails while writing gives a 500
// (the client did nothing wrong) and leaves no record and no blob.
func TestUploadBlobWriteFails(t *testing.T) {
	app := apitest.Start(t, apitest.WithFxOption(fx.Decorate(func(b platformport.BlobStore) platformport.BlobStore {
		return memblob.Failing(b, 1024)
	})))
	u, adm := newUser(app, "Fiona Failure"), admin(app)
	for name, size := range map[string]int{"larger_than_what_is_written": 64 << 10, "smaller_than_what_is_written": 100} {
		t.Run(name, func(t *testing.T) {
			r := upload(t, app, u, map[string]string{"title": "Doomed"}, "doomed.bin", randomBytes(size))
			r.Expect(t, http.StatusInternalServerError)
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil || len(body) != 1 || body["detail"] != "Internal Server Error" {
				t.Errorf("500 body %s", r.Body)
			}
			if n := datasetTotal(t, app, adm); n != 0 {
				t.Errorf("%d datasets, want none", n)
			}
			eventually(t, "no blob left", func() (bool, string) {
				s := storeState(t, app)
				return s == (stored{}), fmt.Sprintf("%+v", s)
			})
		})
	}
}

// TestConcurrentNewVersions: ten new versions of one dataset at once become
// versions 2…11, none lost, none duplicated, each downloadable with its own content.
func TestConcurrentNewVersions(t *testing.T) {
	app := apitest.Start(t)
	owner := newUser(app, "Vera Versions")
	id := create(t, app, owner, nil, "v1.csv", []byte("version 1\n"))["id"].(string)

	const n = 10
	contents := make([][]byte, n)
	for i := range contents {
		contents[i] = append([]byte(fmt.Sprintf("upload %d\n", i)), randomBytes(64<<10+i)...)
	}
	got := make([]map[string]any, n)
	errs := porttestkit.Concurrently(n, func(i int) error {
		body, ct, length := multipartBody(nil, fmt.Sprintf("v-%d.bin", i), bytes.NewReader(contents[i]), int64(len(contents[i])))
		r, err := send(t.Context(), t, app, http.MethodPut, dsPath(id, "/file"), owner.Token, ct, body, length)
		switch {
		case err != nil:
			return err
		case r.Status != http.StatusOK:
			return fmt.Errorf("status %d: %s", r.Status, r.Body)
		}
		got[i] = r.JSON()
		return nil
	})

	versionOf := map[string]int{} // sha256 → version number
	answered := map[float64]int{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("upload %d: %v", i, err)
		}
		answered[got[i]["version"].(float64)]++
	}
	for v, k := range answered {
		if k != 1 || v < 2 || v > n+1 {
			t.Errorf("version %v answered %d times", v, k)
		}
	}
	data, pg := list(t, app.Get(dsPath(id, "/versions?limit=100"), owner.Token))
	if len(data) != n+1 || pg["total"] != float64(n+1) {
		t.Fatalf("%d versions, want %d", len(data), n+1)
	}
	for i, v := range data {
		if v["version"] != float64(n+1-i) {
			t.Errorf("versions[%d] is version %v", i, v["version"])
		}
		sum := fileOf(v)["sha256"].(string)
		if prev, dup := versionOf[sum]; dup {
			t.Errorf("content %s is both version %d and %v", sum, prev, v["version"])
		}
		versionOf[sum] = int(v["version"].(float64))
	}
	for i, c := range contents {
		num, ok := versionOf[sha256Hex(c)]
		if !ok {
			t.Errorf("upload %d was lost", i)
			continue
		}
		if got[i]["version"] != float64(num) {
			t.Errorf("upload %d was answered version %v but stored as %d", i, got[i]["version"], num)
		}
		dl := app.Get(dsPath(id, fmt.Sprintf("/download?version=%d", num)), owner.Token).Expect(t, http.StatusOK)
		if !bytes.Equal(dl.Body, c) {
			t.Errorf("version %d does not download upload %d", num, i)
		}
	}
	if d := app.Get(dsPath(id), owner.Token).Expect(t, http.StatusOK).JSON(); d["version"] != float64(n+1) {
		t.Errorf("current version %v, want %d", d["version"], n+1)
	}
	if blobs, tmp := blobFiles(t, app); blobs != n+1 || tmp != 0 {
		t.Errorf("%d blob files and %d temporary ones, want %d and 0", blobs, tmp, n+1)
	}
}
