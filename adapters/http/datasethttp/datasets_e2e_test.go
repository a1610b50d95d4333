package datasethttp_test

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// TestDatasets drives every endpoint of API.md "Datasets" on one app.
func TestDatasets(t *testing.T) {
	app := apitest.Start(t)
	adm := admin(app)
	owner := newUser(app, "Olga Owner")
	cadmin := newUser(app, "Cara Curator")
	member := newUser(app, "Mia Member")
	outsider := newUser(app, "Nils Neighbour")
	community := newCommunity(t, app, cadmin, "Riverside")
	addMember(t, app, cadmin, community, owner, "member")
	addMember(t, app, cadmin, community, member, "member")

	t.Run("create_with_every_metadata_field", func(t *testing.T) {
		content := []byte("street,count\nHigh St,42\n")
		d := create(t, app, owner, map[string]string{
			"title": "  Traffic counts  ", "description": "Hourly counts, été 2025", "community_id": community,
			"visibility": "Public", "tags": " Traffic, 2025 ,traffic,, Open Data", "license": "CC-BY-4.0",
		}, "counts.csv", content)
		want := map[string]any{
			"title": "Traffic counts", "description": "Hourly counts, été 2025", "community_id": community,
			"owner_id": owner.ID, "visibility": "public", "license": "CC-BY-4.0", "version": float64(1),
		}
		for k, v := range want {
			if d[k] != v {
				t.Errorf("%s = %v, want %v", k, d[k], v)
			}
		}
		if got := fmt.Sprint(d["tags"]); got != "[traffic 2025 open data]" {
			t.Errorf("tags %s", got)
		}
		f := fileOf(d)
		if f["filename"] != "counts.csv" || f["size"] != float64(len(content)) || f["sha256"] != sha256Hex(content) ||
			f["content_type"] != "text/csv; charset=utf-8" {
			t.Errorf("file %v", f)
		}
		if d["created_at"] != d["updated_at"] {
			t.Errorf("created_at %v, updated_at %v", d["created_at"], d["updated_at"])
		}
	})

	t.Run("create_without_metadata_takes_the_file_name_as_title_and_is_private", func(t *testing.T) {
		name := "Données été 2025 – 東京.csv"
		d := create(t, app, owner, nil, name, []byte("a,b\n"))
		if d["title"] != name || fileOf(d)["filename"] != name {
			t.Errorf("title %v, filename %v", d["title"], fileOf(d)["filename"])
		}
		if d["visibility"] != "private" || d["community_id"] != nil || d["description"] != nil || d["license"] != nil {
			t.Errorf("defaults: %v", d)
		}
		if tags, _ := d["tags"].([]any); len(tags) != 0 {
			t.Errorf("tags %v", d["tags"])
		}
	})

	t.Run("create_in_a_community_defaults_to_community_visibility", func(t *testing.T) {
		d := create(t, app, owner, map[string]string{"community_id": community, "title": ""}, "x.csv", []byte("1"))
		if d["visibility"] != "community" || d["community_id"] != community || d["title"] != "x.csv" {
			t.Errorf("got %v", d)
		}
	})

	t.Run("create_keeps_only_a_clean_base_name_and_sniffs_the_content_type", func(t *testing.T) {
		png := append([]byte("\x89PNG\r\n\x1a\n"), randomBytes(64)...)
		d := create(t, app, owner, nil, `C:\Users\olga\chart.png`, png)
		if f := fileOf(d); f["filename"] != "chart.png" || f["content_type"] != "image/png" {
			t.Errorf("file %v", f)
		}
		d = create(t, app, owner, nil, "report\u202Etxt.exe", []byte("%PDF-1.7\n"))
		if f := fileOf(d); f["filename"] != "reporttxt.exe" || f["content_type"] != "application/pdf" {
			t.Errorf("file %v", f)
		}
	})

	t.Run("create_rejections_keep_nothing", func(t *testing.T) {
		before, records := storeState(t, app), datasetTotal(t, app, adm)
		content := []byte("id\n1\n")
		wantError(t, upload(t, app, outsider, map[string]string{"community_id": community}, "a.csv", content),
			http.StatusForbidden, "not_community_member")
		for _, bad := range apitest.BadIDs() {
			wantError(t, upload(t, app, owner, map[string]string{"community_id": bad}, "a.csv", content),
				http.StatusNotFound, "community_not_found")
		}
		want422(t, upload(t, app, owner, map[string]string{"visibility": "community"}, "a.csv", content), "value_error", "body", "visibility")
		want422(t, upload(t, app, owner, map[string]string{"visibility": "secret"}, "a.csv", content), "enum", "body", "visibility")
		want422(t, app.Upload(http.MethodPost, dsBase+"/create", owner.Token, map[string]string{"title": "No file"}, "", nil), "missing", "body", "file")
		want422(t, upload(t, app, owner, nil, "empty.csv", []byte{}), "value_error", "body", "file")
		want422(t, app.Post(dsBase+"/create", owner.Token, map[string]any{"title": "JSON", "file": "abc"}), "missing", "body", "file")
		wantError(t, app.Upload(http.MethodPost, dsBase+"/create", "", nil, "a.csv", bytes.NewReader(content)),
			http.StatusUnauthorized, "not_authenticated")

		if got := datasetTotal(t, app, adm); got != records {
			t.Errorf("datasets: %d, %d before", got, records)
		}
		eventually(t, "blob store back to its state", func() (bool, string) {
			s := storeState(t, app)
			return s == before, fmt.Sprintf("%+v, was %+v", s, before)
		})
	})

	t.Run("list_filters_and_pages", func(t *testing.T) {
		lena := newUser(app, "Lena Lister")
		club := newCommunity(t, app, lena, "Listing club")
		tag := fmt.Sprintf("lst%d", seq.Add(1))
		ids := []string{
			createID(t, app, lena, map[string]string{"title": "Alpha rainfall", "visibility": "public", "tags": tag + ",alpha"}),
			createID(t, app, lena, map[string]string{"title": "Beta", "description": "RAINFALL by street", "community_id": club, "tags": tag}),
			createID(t, app, lena, map[string]string{"title": "Gamma", "visibility": "private", "tags": tag}),
			createID(t, app, cadmin, map[string]string{"title": "Delta", "visibility": "public", "tags": tag + ", Alpha"}),
		}
		const alpha, beta, gamma, delta = 0, 1, 2, 3
		pick := func(i ...int) []string {
			out := []string{}
			for _, j := range i {
				out = append(out, ids[j])
			}
			return out
		}
		cases := []struct {
			name  string
			who   user
			query string
			want  []string
		}{
			{"owner_sees_own_public_and_member_communities_newest_first", lena, "tag=" + tag, pick(delta, gamma, beta, alpha)},
			{"outsider_sees_public_only", outsider, "tag=" + tag, pick(delta, alpha)},
			{"global_admin_sees_all", adm, "tag=" + tag, pick(delta, gamma, beta, alpha)},
			{"q_searches_title_and_description_ignoring_case", lena, "q=rainFALL&tag=" + tag, pick(beta, alpha)},
			{"community_id", lena, "community_id=" + club + "&tag=" + tag, pick(beta)},
			{"community_id_hides_what_the_caller_may_not_see", outsider, "community_id=" + club, nil},
			{"owner_id", lena, "owner_id=" + cadmin.ID + "&tag=" + tag, pick(delta)},
			{"tag_ignores_case", outsider, "tag=ALPHA&owner_id=" + lena.ID, pick(alpha)},
			{"tag_alone", lena, "tag=alpha&q=a", pick(delta, alpha)},
			{"visibility", lena, "visibility=private&tag=" + tag, pick(gamma)},
			{"visibility_community", lena, "visibility=community&tag=" + tag, pick(beta)},
			{"filters_combine", adm, "q=a&visibility=public&owner_id=" + lena.ID + "&tag=" + tag, pick(alpha)},
			{"nothing_matches", lena, "q=zebra&tag=" + tag, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				sameIDs(t, tc.query, listIDs(t, app, tc.who, tc.query), tc.want)
			})
		}

		t.Run("pagination", func(t *testing.T) {
			data, pg := list(t, app.Get(dsBase+"?limit=3&page=1&tag="+tag, lena.Token))
			sameIDs(t, "page 1", idsOf(data), pick(delta, gamma, beta))
			if fmt.Sprint(pg) != "map[limit:3 page:1 pages:2 total:4]" {
				t.Errorf("pagination %v", pg)
			}
			data, pg = list(t, app.Get(dsBase+"/?limit=3&page=2&tag="+tag, lena.Token))
			sameIDs(t, "page 2", idsOf(data), pick(alpha))
			if pg["page"] != float64(2) || pg["total"] != float64(4) {
				t.Errorf("pagination %v", pg)
			}
			data, pg = list(t, app.Get(dsBase+"?page=3&limit=3&tag="+tag, lena.Token))
			if len(data) != 0 || pg["total"] != float64(4) {
				t.Errorf("page 3: %d items, %v", len(data), pg)
			}
			_, pg = list(t, app.Get(dsBase+"?tag="+tag, lena.Token))
			if pg["limit"] != float64(20) || pg["page"] != float64(1) {
				t.Errorf("defaults %v", pg)
			}
		})

		t.Run("bad_parameters_are_422", func(t *testing.T) {
			want422(t, app.Get(dsBase+"?limit=101", lena.Token), "less_than_equal", "query", "limit")
			want422(t, app.Get(dsBase+"?limit=0", lena.Token), "greater_than_equal", "query", "limit")
			want422(t, app.Get(dsBase+"?page=0", lena.Token), "greater_than_equal", "query", "page")
			want422(t, app.Get(dsBase+"?page=x", lena.Token), "int_parsing", "query", "page")
			want422(t, app.Get(dsBase+"?visibility=secret", lena.Token), "enum", "query", "visibility")
			wantError(t, app.Get(dsBase, ""), http.StatusUnauthorized, "not_authenticated")
		})
	})

	t.Run("get", func(t *testing.T) {
		d := create(t, app, owner, map[string]string{"title": "Readable", "community_id": community}, "r.csv", []byte("r\n"))
		id := d["id"].(string)
		for _, u := range []user{owner, member, cadmin, adm} {
			got := app.Get(dsPath(id), u.Token).Expect(t, http.StatusOK).JSON()
			checkDataset(t, got)
			if fmt.Sprint(got) != fmt.Sprint(d) {
				t.Errorf("%s got %v, want %v", u.Name, got, d)
			}
		}
		wantError(t, app.Get(dsPath(id), outsider.Token), http.StatusNotFound, "dataset_not_found")
		for _, bad := range apitest.BadIDs() {
			wantError(t, app.Get(dsPath(bad), owner.Token), http.StatusNotFound, "dataset_not_found")
		}
		wantError(t, app.Get(dsPath(id), ""), http.StatusUnauthorized, "not_authenticated")
	})

	t.Run("update", func(t *testing.T) {
		d := create(t, app, owner, map[string]string{"title": "Draft", "community_id": community, "tags": "a"}, "u.csv", []byte("u\n"))
		id := d["id"].(string)
		time.Sleep(5 * time.Millisecond) // updated_at moves on
		got := app.Put(dsPath(id), owner.Token, map[string]any{
			"title": " Final ", "description": "Now described", "visibility": "public",
			"tags": []string{" Roads ", "roads", "2025"}, "license": "ODbL", "unknown": "ignored",
		}).Expect(t, http.StatusOK).JSON()
		checkDataset(t, got)
		want := map[string]any{"title": "Final", "description": "Now described", "visibility": "public",
			"license": "ODbL", "version": float64(1), "owner_id": owner.ID, "community_id": community, "created_at": d["created_at"]}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %v, want %v", k, got[k], v)
			}
		}
		if fmt.Sprint(got["tags"]) != "[roads 2025]" || got["updated_at"] == d["updated_at"] {
			t.Errorf("tags %v, updated_at %v (was %v)", got["tags"], got["updated_at"], d["updated_at"])
		}
		if fmt.Sprint(app.Get(dsPath(id), owner.Token).Expect(t, http.StatusOK).JSON()) != fmt.Sprint(got) {
			t.Error("GET does not show the update")
		}

		t.Run("absent_and_null_fields_stay", func(t *testing.T) {
			again := app.Put(dsPath(id), owner.Token, map[string]any{"license": "CC0", "title": nil, "tags": nil}).
				Expect(t, http.StatusOK).JSON()
			if again["title"] != "Final" || again["license"] != "CC0" || fmt.Sprint(again["tags"]) != "[roads 2025]" ||
				again["description"] != "Now described" {
				t.Errorf("got %v", again)
			}
		})
		t.Run("community_admin_and_global_admin_may_update", func(t *testing.T) {
			app.Put(dsPath(id), cadmin.Token, map[string]any{"description": "by the curator"}).Expect(t, http.StatusOK)
			app.Put(dsPath(id), adm.Token, map[string]any{"description": "by the admin"}).Expect(t, http.StatusOK)
		})
		t.Run("others_may_not", func(t *testing.T) {
			wantError(t, app.Put(dsPath(id), member.Token, map[string]any{"title": "Mine"}), http.StatusForbidden, "forbidden")
			wantError(t, app.Put(dsPath(id), outsider.Token, map[string]any{"title": "Mine"}), http.StatusForbidden, "forbidden")
			for _, bad := range apitest.BadIDs() {
				wantError(t, app.Put(dsPath(bad), owner.Token, map[string]any{"title": "x"}), http.StatusNotFound, "dataset_not_found")
			}
		})
		t.Run("invalid_bodies_are_422", func(t *testing.T) {
			want422(t, app.Put(dsPath(id), owner.Token, map[string]any{"title": "  "}), "string_too_short", "body", "title")
			want422(t, app.Put(dsPath(id), owner.Token, map[string]any{"visibility": "secret"}), "enum", "body", "visibility")
			want422(t, app.Put(dsPath(id), owner.Token, "not json"), "json_invalid", "body")
			want422(t, app.Put(dsPath(id), owner.Token, []any{1}), "model_attributes_type", "body")
			want422(t, app.Put(dsPath(id), owner.Token, map[string]any{"tags": "a,b"}), "list_type", "body", "tags")
			private := createID(t, app, owner, nil)
			want422(t, app.Put(dsPath(private), owner.Token, map[string]any{"visibility": "community"}), "value_error", "body", "visibility")
		})
	})

	t.Run("delete_removes_the_record_and_every_version_blob", func(t *testing.T) {
		id := createID(t, app, owner, map[string]string{"community_id": community, "visibility": "public"})
		newVersion(t, app, owner, id, "v2.csv", []byte("second\n")).Expect(t, http.StatusOK)
		blobs, _ := blobFiles(t, app)
		wantError(t, app.Delete(dsPath(id), member.Token), http.StatusForbidden, "forbidden")
		wantError(t, app.Delete(dsPath(id), outsider.Token), http.StatusForbidden, "forbidden")
		app.Delete(dsPath(id), owner.Token).Expect(t, http.StatusNoContent)
		if after, _ := blobFiles(t, app); after != blobs-2 {
			t.Errorf("blob files: %d after the delete, %d before; want two fewer", after, blobs)
		}
		wantError(t, app.Get(dsPath(id), owner.Token), http.StatusNotFound, "dataset_not_found")
		wantError(t, app.Get(dsPath(id, "/download"), owner.Token), http.StatusNotFound, "dataset_not_found")
		wantError(t, app.Get(dsPath(id, "/versions"), owner.Token), http.StatusNotFound, "dataset_not_found")
		wantError(t, app.Delete(dsPath(id), owner.Token), http.StatusNotFound, "dataset_not_found")
		for _, bad := range apitest.BadIDs() {
			wantError(t, app.Delete(dsPath(bad), owner.Token), http.StatusNotFound, "dataset_not_found")
		}
		sameIDs(t, "listed after delete", listIDs(t, app, adm, "owner_id="+owner.ID+"&q=zz-none"), nil)
	})

	t.Run("download", func(t *testing.T) {
		data := randomBytes(5 << 20)
		sum := sha256Hex(data)
		d := create(t, app, owner, map[string]string{"community_id": community}, "big.bin", data)
		if f := fileOf(d); f["sha256"] != sum || f["size"] != float64(len(data)) || f["content_type"] != "application/octet-stream" {
			t.Fatalf("file %v", f)
		}
		id := d["id"].(string)
		size := strconv.Itoa(len(data))
		etag := `"` + sum + `"`

		t.Run("byte_exact_round_trip_of_5_MiB", func(t *testing.T) {
			r := app.Get(dsPath(id, "/download"), member.Token).Expect(t, http.StatusOK)
			if !bytes.Equal(r.Body, data) || sha256Hex(r.Body) != sum {
				t.Fatalf("downloaded %d bytes, SHA-256 %s; want %d, %s", len(r.Body), sha256Hex(r.Body), len(data), sum)
			}
			h := r.Header
			if h.Get("Content-Length") != size || h.Get("Content-Type") != "application/octet-stream" ||
				h.Get("ETag") != etag || h.Get("Accept-Ranges") != "bytes" {
				t.Errorf("headers %v", h)
			}
			if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, `filename="big.bin"`) {
				t.Errorf("Content-Disposition %q", cd)
			}
		})

		ranges := []struct {
			name, header string
			from, to     int // the bytes expected: data[from:to]
		}{
			{"closed_range", "bytes=10-19", 10, 20},
			{"first_byte", "bytes=0-0", 0, 1},
			{"open_ended", "bytes=5000000-", 5000000, len(data)},
			{"from_zero_open_ended", "bytes=0-", 0, len(data)},
			{"suffix", "bytes=-500", len(data) - 500, len(data)},
			{"suffix_longer_than_the_file", "bytes=-99999999", 0, len(data)},
			{"end_past_the_file_is_cut", "bytes=5242000-99999999", 5242000, len(data)},
			{"last_byte", fmt.Sprintf("bytes=%d-%d", len(data)-1, len(data)-1), len(data) - 1, len(data)},
		}
		for _, rg := range ranges {
			t.Run("range_"+rg.name, func(t *testing.T) {
				r := app.Do(apitest.Req{Method: http.MethodGet, Path: dsPath(id, "/download"), Token: owner.Token,
					Header: map[string]string{"Range": rg.header}}).Expect(t, http.StatusPartialContent)
				if !bytes.Equal(r.Body, data[rg.from:rg.to]) {
					t.Errorf("body: %d bytes, want data[%d:%d]", len(r.Body), rg.from, rg.to)
				}
				wantCR := fmt.Sprintf("bytes %d-%d/%s", rg.from, rg.to-1, size)
				if got := r.Header.Get("Content-Range"); got != wantCR {
					t.Errorf("Content-Range %q, want %q", got, wantCR)
				}
				if got := r.Header.Get("Content-Length"); got != strconv.Itoa(rg.to-rg.from) {
					t.Errorf("Content-Length %q", got)
				}
			})
		}
		for _, h := range []string{fmt.Sprintf("bytes=%d-", len(data)), "bytes=99999999-", "bytes=-0", fmt.Sprintf("bytes=%d-%d", len(data), len(data)+10)} {
			t.Run("unsatisfiable_"+h, func(t *testing.T) {
				r := app.Do(apitest.Req{Method: http.MethodGet, Path: dsPath(id, "/download"), Token: owner.Token,
					Header: map[string]string{"Range": h}})
				wantError(t, r, http.StatusRequestedRangeNotSatisfiable, "range_not_satisfiable")
				if got := r.Header.Get("Content-Range"); got != "bytes */"+size {
					t.Errorf("Content-Range %q", got)
				}
			})
		}
		for _, h := range []string{"bytes=abc", "items=0-1", "bytes=0-1,5-6", "bytes=20-10"} {
			t.Run("ignored_range_"+h, func(t *testing.T) {
				r := app.Do(apitest.Req{Method: http.MethodGet, Path: dsPath(id, "/download"), Token: owner.Token,
					Header: map[string]string{"Range": h}}).Expect(t, http.StatusOK)
				if len(r.Body) != len(data) {
					t.Errorf("%d bytes", len(r.Body))
				}
			})
		}

		for _, h := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			t.Run("if_none_match_"+strings.ReplaceAll(h, `"`, ""), func(t *testing.T) {
				r := app.Do(apitest.Req{Method: http.MethodGet, Path: dsPath(id, "/download"), Token: member.Token,
					Header: map[string]string{"If-None-Match": h}}).Expect(t, http.StatusNotModified)
				if len(r.Body) != 0 || r.Header.Get("ETag") != etag {
					t.Errorf("304 with %d bytes, ETag %q", len(r.Body), r.Header.Get("ETag"))
				}
			})
		}
		t.Run("if_none_match_with_another_tag_downloads", func(t *testing.T) {
			r := app.Do(apitest.Req{Method: http.MethodGet, Path: dsPath(id, "/download"), Token: member.Token,
				Header: map[string]string{"If-None-Match": `"0000"`}}).Expect(t, http.StatusOK)
			if len(r.Body) != len(data) {
				t.Errorf("%d bytes", len(r.Body))
			}
		})
		t.Run("not_visible_or_unknown_is_404", func(t *testing.T) {
			wantError(t, app.Get(dsPath(id, "/download"), outsider.Token), http.StatusNotFound, "dataset_not_found")
			for _, bad := range apitest.BadIDs() {
				wantError(t, app.Get(dsPath(bad, "/download"), owner.Token), http.StatusNotFound, "dataset_not_found")
			}
		})
	})

	t.Run("content_disposition_follows_rfc_6266_for_non_ascii_names", func(t *testing.T) {
		for _, name := range []string{"Données été 2025 – 東京.csv", `semi;colon "quoted" 100%.txt`, "plain.txt"} {
			d := create(t, app, owner, nil, name, []byte("x"))
			want := d["file"].(map[string]any)["filename"].(string)
			r := app.Get(dsPath(d["id"].(string), "/download"), owner.Token).Expect(t, http.StatusOK)
			cd := r.Header.Get("Content-Disposition")
			disp, params, err := mime.ParseMediaType(cd)
			if err != nil || disp != "attachment" || params["filename"] != want {
				t.Errorf("%q: Content-Disposition %q parses to %q %v (%v), want filename %q", name, cd, disp, params, err, want)
			}
			if !strings.Contains(cd, "filename*=UTF-8''") {
				t.Errorf("%q: no filename* in %q", name, cd)
			}
			for _, r := range strings.SplitN(cd, "filename*", 2)[0] {
				if r > 0x7e {
					t.Errorf("%q: the fallback filename is not ASCII: %q", name, cd)
					break
				}
			}
		}
		d := create(t, app, owner, nil, "Données.csv", []byte("x"))
		cd := app.Get(dsPath(d["id"].(string), "/download"), owner.Token).Header.Get("Content-Disposition")
		if !strings.Contains(cd, "filename*=UTF-8''Donn%C3%A9es.csv") {
			t.Errorf("Content-Disposition %q", cd)
		}
	})

	t.Run("versions", func(t *testing.T) {
		v1 := randomBytes(300 << 10)
		d := create(t, app, owner, map[string]string{"community_id": community, "title": "Versioned"}, "v1.bin", v1)
		id := d["id"].(string)
		v2, v3 := []byte("version two\n"), randomBytes(1<<20+17)

		got := newVersion(t, app, owner, id, "v2.txt", v2).Expect(t, http.StatusOK).JSON()
		checkDataset(t, got)
		if got["version"] != float64(2) || fileOf(got)["sha256"] != sha256Hex(v2) || fileOf(got)["filename"] != "v2.txt" ||
			got["title"] != "Versioned" || got["created_at"] != d["created_at"] {
			t.Errorf("after version 2: %v", got)
		}
		got = newVersion(t, app, cadmin, id, "v3.bin", v3).Expect(t, http.StatusOK).JSON()
		if got["version"] != float64(3) || fileOf(got)["size"] != float64(len(v3)) {
			t.Errorf("after version 3: %v", got)
		}

		t.Run("list_is_newest_first_and_paged", func(t *testing.T) {
			data, pg := list(t, app.Get(dsPath(id, "/versions"), member.Token))
			if len(data) != 3 || pg["total"] != float64(3) {
				t.Fatalf("versions %v %v", data, pg)
			}
			wantBy := []string{cadmin.ID, owner.ID, owner.ID}
			wantSum := []string{sha256Hex(v3), sha256Hex(v2), sha256Hex(v1)}
			for i, v := range data {
				if v["version"] != float64(3-i) || v["created_by"] != wantBy[i] || fileOf(v)["sha256"] != wantSum[i] {
					t.Errorf("versions[%d] = %v", i, v)
				}
				if s, _ := v["created_at"].(string); !apitest.TimeRE.MatchString(s) {
					t.Errorf("versions[%d].created_at %v", i, v["created_at"])
				}
			}
			data, pg = list(t, app.Get(dsPath(id, "/versions?limit=2&page=2"), member.Token))
			if len(data) != 1 || data[0]["version"] != float64(1) || pg["pages"] != float64(2) {
				t.Errorf("page 2: %v %v", data, pg)
			}
			want422(t, app.Get(dsPath(id, "/versions?limit=101"), member.Token), "less_than_equal", "query", "limit")
		})

		t.Run("older_versions_download_with_their_own_etag", func(t *testing.T) {
			for n, want := range map[int][]byte{1: v1, 2: v2, 3: v3} {
				r := app.Get(dsPath(id, fmt.Sprintf("/download?version=%d", n)), member.Token).Expect(t, http.StatusOK)
				if !bytes.Equal(r.Body, want) || r.Header.Get("ETag") != `"`+sha256Hex(want)+`"` {
					t.Errorf("version %d: %d bytes, ETag %s", n, len(r.Body), r.Header.Get("ETag"))
				}
			}
			r := app.Get(dsPath(id, "/download"), member.Token).Expect(t, http.StatusOK)
			if !bytes.Equal(r.Body, v3) {
				t.Error("the current download is not version 3")
			}
			r = app.Do(apitest.Req{Method: http.MethodGet, Path: dsPath(id, "/download?version=1"), Token: member.Token,
				Header: map[string]string{"Range": "bytes=-100"}}).Expect(t, http.StatusPartialContent)
			if !bytes.Equal(r.Body, v1[len(v1)-100:]) || r.Header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", len(v1)-100, len(v1)-1, len(v1)) {
				t.Errorf("range of version 1: %d bytes, %q", len(r.Body), r.Header.Get("Content-Range"))
			}
			app.Do(apitest.Req{Method: http.MethodGet, Path: dsPath(id, "/download?version=1"), Token: member.Token,
				Header: map[string]string{"If-None-Match": `"` + sha256Hex(v1) + `"`}}).Expect(t, http.StatusNotModified)
		})

		t.Run("missing_or_invalid_version", func(t *testing.T) {
			wantError(t, app.Get(dsPath(id, "/download?version=4"), owner.Token), http.StatusNotFound, "version_not_found")
			want422(t, app.Get(dsPath(id, "/download?version=0"), owner.Token), "greater_than_equal", "query", "version")
			want422(t, app.Get(dsPath(id, "/download?version=two"), owner.Token), "int_parsing", "query", "version")
		})

		t.Run("who_may_upload_a_version", func(t *testing.T) {
			wantError(t, newVersion(t, app, member, id, "m.txt", []byte("member")), http.StatusForbidden, "forbidden")
			wantError(t, newVersion(t, app, outsider, id, "o.txt", []byte("outsider")), http.StatusNotFound, "dataset_not_found")
			for _, bad := range apitest.BadIDs() {
				wantError(t, newVersion(t, app, owner, bad, "b.txt", []byte("x")), http.StatusNotFound, "dataset_not_found")
			}
			newVersion(t, app, adm, id, "a.txt", []byte("by the admin")).Expect(t, http.StatusOK)
		})

		t.Run("invalid_uploads_are_422_and_keep_the_version", func(t *testing.T) {
			want422(t, newVersion(t, app, owner, id, "empty.txt", []byte{}), "value_error", "body", "file")
			want422(t, app.Upload(http.MethodPut, dsPath(id, "/file"), owner.Token, map[string]string{"x": "y"}, "", nil), "missing", "body", "file")
			want422(t, app.Put(dsPath(id, "/file"), owner.Token, map[string]any{"file": "x"}), "missing", "body", "file")
			if got := app.Get(dsPath(id), owner.Token).Expect(t, http.StatusOK).JSON(); got["version"] != float64(4) {
				t.Errorf("version %v, want 4", got["version"])
			}
		})
	})

	t.Run("access_log", func(t *testing.T) {
		d := create(t, app, owner, map[string]string{"community_id": community, "title": "Watched"}, "w.csv", []byte("w\n"))
		id := d["id"].(string)
		app.Get(dsPath(id), member.Token).Expect(t, http.StatusOK)
		app.Get(dsPath(id, "/download"), member.Token).Expect(t, http.StatusOK)
		app.Put(dsPath(id), owner.Token, map[string]any{"description": "annotated"}).Expect(t, http.StatusOK)
		newVersion(t, app, owner, id, "w2.csv", []byte("w2\n")).Expect(t, http.StatusOK)
		app.Get(dsPath(id, "/download?version=1"), owner.Token).Expect(t, http.StatusOK)

		data, pg := list(t, app.Get(dsPath(id, "/access-log?limit=100"), owner.Token))
		want := []struct{ action, actor string }{
			{"dataset.download", owner.ID}, {"dataset.version", owner.ID}, {"dataset.update", owner.ID},
			{"dataset.download", member.ID}, {"dataset.view", member.ID}, {"dataset.create", owner.ID},
		}
		if len(data) != len(want) || pg["total"] != float64(len(want)) {
			t.Fatalf("access log: %d entries (%v), want %d: %v", len(data), pg, len(want), data)
		}
		for i, e := range data {
			if e["action"] != want[i].action || e["actor_id"] != want[i].actor || e["target_id"] != id || e["target_type"] != "dataset" {
				t.Errorf("entry %d: %v, want %s by %s", i, e, want[i].action, want[i].actor)
			}
			if e["ip"] != "127.0.0.1" || !apitest.TimeRE.MatchString(e["at"].(string)) || e["outcome"] != "success" || e["request_id"] == "" {
				t.Errorf("entry %d: ip %v at %v outcome %v request %v", i, e["ip"], e["at"], e["outcome"], e["request_id"])
			}
			if e["user_agent"] != "Go-http-client/1.1" {
				t.Errorf("entry %d: user agent %v", i, e["user_agent"])
			}
			if seq, _ := e["seq"].(float64); seq < 1 || i > 0 && seq >= data[i-1]["seq"].(float64) {
				t.Errorf("entry %d: seq %v after %v, want newest first", i, e["seq"], data[max(i-1, 0)]["seq"])
			}
		}
		wantVersions := []string{"1", "2", "1", "1", "1", "1"}
		for i, e := range data {
			if details, _ := e["details"].(map[string]any); details["version"] != wantVersions[i] {
				t.Errorf("entry %d (%s): details %v, want version %s", i, e["action"], e["details"], wantVersions[i])
			}
		}
		data, pg = list(t, app.Get(dsPath(id, "/access-log?limit=2&page=2"), owner.Token))
		if len(data) != 2 || data[0]["action"] != "dataset.update" || data[1]["actor_id"] != member.ID || pg["total"] != float64(len(want)) {
			t.Errorf("page 2: %v %v", data, pg)
		}

		t.Run("community_admin_and_global_admin_read_it", func(t *testing.T) {
			list(t, app.Get(dsPath(id, "/access-log"), cadmin.Token))
			list(t, app.Get(dsPath(id, "/access-log"), adm.Token))
		})
		t.Run("a_member_who_may_see_the_dataset_may_not_read_it", func(t *testing.T) {
			wantError(t, app.Get(dsPath(id, "/access-log"), member.Token), http.StatusForbidden, "forbidden")
		})
		t.Run("who_may_not_see_the_dataset_gets_404", func(t *testing.T) {
			wantError(t, app.Get(dsPath(id, "/access-log"), outsider.Token), http.StatusNotFound, "dataset_not_found")
			for _, bad := range apitest.BadIDs() {
				wantError(t, app.Get(dsPath(bad, "/access-log"), owner.Token), http.StatusNotFound, "dataset_not_found")
			}
		})
		t.Run("reading_the_log_is_not_logged", func(t *testing.T) {
			_, pg := list(t, app.Get(dsPath(id, "/access-log"), owner.Token))
			if pg["total"] != float64(len(want)) {
				t.Errorf("total %v after reading the log", pg["total"])
			}
		})
		t.Run("the_audit_chain_stays_intact", func(t *testing.T) {
			r := app.Get("/api/v1/audit-events/verify", adm.Token).Expect(t, http.StatusOK).JSON()
			if r["valid"] != true {
				t.Errorf("verify: %v", r)
			}
		})
	})
}
