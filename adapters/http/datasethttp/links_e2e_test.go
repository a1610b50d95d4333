package datasethttp_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// Download links: a URL a browser follows without an Authorization header.

// newLink asks for a download link and checks the answer's shape.
func newLink(t *testing.T, app *apitest.App, u user, id string, body any) string {
	t.Helper()
	r := app.Post(dsPath(id, "/download-link"), u.Token, body).Expect(t, http.StatusCreated)
	l := r.JSON()
	url, _ := l["url"].(string)
	if !strings.HasPrefix(url, app.BaseURL+"/api/v1/download-links/") || !apitest.TimeRE.MatchString(l["expires_at"].(string)) {
		t.Fatalf("link %v", l)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a link answer may be cached: %q", r.Header.Get("Cache-Control"))
	}
	return strings.TrimPrefix(url, app.BaseURL)
}

// follow follows a link without a token.
func follow(app *apitest.App, path string, header map[string]string) *apitest.Response {
	return app.Do(apitest.Req{Method: http.MethodGet, Path: path, Header: header})
}

func TestDownloadLinks(t *testing.T) {
	clock := &apitest.Clock{}
	app := apitest.Start(t, apitest.WithClock(clock))
	owner, member, stranger := newUser(app, "Lina Link"), newUser(app, "Max Member"), newUser(app, "Sam Stranger")
	adm := admin(app)
	community := newCommunity(t, app, owner, "Linked")
	addMember(t, app, owner, community, member, "member")
	v1 := []byte("when,where\n2025-01-01,school\n")
	d := create(t, app, owner, map[string]string{"community_id": community}, "noise.csv", v1)
	id := d["id"].(string)
	v2 := randomBytes(100_000)
	newVersion(t, app, owner, id, "noise.bin", v2).Expect(t, http.StatusOK)

	t.Run("works without a token, with Range and ETag, as its user", func(t *testing.T) {
		link := newLink(t, app, member, id, nil)
		r := follow(app, link, nil).Expect(t, http.StatusOK)
		if !bytes.Equal(r.Body, v2) || r.Header.Get("ETag") != `"`+sha256Hex(v2)+`"` || r.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("link download: %d bytes, headers %v", len(r.Body), r.Header)
		}
		r = follow(app, link, map[string]string{"Range": "bytes=10-19"}).Expect(t, http.StatusPartialContent)
		if !bytes.Equal(r.Body, v2[10:20]) || r.Header.Get("Content-Range") != "bytes 10-19/100000" {
			t.Errorf("range through a link: %q, %v", r.Body, r.Header)
		}
		follow(app, link, map[string]string{"If-None-Match": `"` + sha256Hex(v2) + `"`}).Expect(t, http.StatusNotModified)
		// A plain client, as a browser's <a href>: no Authorization at all.
		resp, err := http.Get(app.BaseURL + link)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, v2) {
			t.Errorf("plain GET: %d, %d bytes", resp.StatusCode, len(body))
		}
		// The downloads are the member's in the access log.
		entries, _ := list(t, app.Get(dsPath(id, "/access-log?limit=100"), owner.Token))
		downloads, links := 0, 0
		for _, e := range entries {
			if e["actor_id"] == member.ID && e["action"] == "dataset.download" {
				downloads++
			}
			if e["actor_id"] == member.ID && e["action"] == "dataset.link" {
				links++
			}
		}
		if downloads < 3 || links != 1 {
			t.Errorf("the access log has %d downloads and %d links of the member: %v", downloads, links, entries)
		}
	})
	t.Run("a version", func(t *testing.T) {
		link := newLink(t, app, member, id, map[string]any{"version": 1})
		if r := follow(app, link, nil).Expect(t, http.StatusOK); !bytes.Equal(r.Body, v1) {
			t.Errorf("version 1 through a link: %q", r.Body)
		}
		want422(t, app.Post(dsPath(id, "/download-link"), member.Token, map[string]any{"version": 0}), "greater_than_equal", "body", "version")
		wantError(t, app.Post(dsPath(id, "/download-link"), member.Token, map[string]any{"version": 9}), http.StatusNotFound, "version_not_found")
	})
	t.Run("only for who may download", func(t *testing.T) {
		wantError(t, app.Post(dsPath(id, "/download-link"), stranger.Token, nil), http.StatusNotFound, "dataset_not_found")
		wantError(t, app.Post(dsPath(id, "/download-link"), "", nil), http.StatusUnauthorized, "not_authenticated")
		for _, bad := range apitest.BadIDs() {
			wantError(t, app.Post(dsPath(bad, "/download-link"), owner.Token, nil), http.StatusNotFound, "dataset_not_found")
		}
	})
	t.Run("tampered", func(t *testing.T) {
		link := newLink(t, app, member, id, nil)
		i := len(link) - 5
		flipped := byte('A')
		if link[i] == 'A' {
			flipped = 'B'
		}
		tampered := link[:i] + string(flipped) + link[i+1:]
		wantError(t, follow(app, tampered, nil), http.StatusForbidden, "download_link_invalid")
		wantError(t, follow(app, "/api/v1/download-links/not-a-link", nil), http.StatusForbidden, "download_link_invalid")
		// A bearer token is no link.
		wantError(t, follow(app, "/api/v1/download-links/"+member.Token, nil), http.StatusForbidden, "download_link_invalid")
	})
	t.Run("expired", func(t *testing.T) {
		link := newLink(t, app, member, id, nil)
		follow(app, link, nil).Expect(t, http.StatusOK)
		clock.Advance(5*time.Minute + time.Second)
		wantError(t, follow(app, link, nil), http.StatusForbidden, "download_link_expired")
	})
	t.Run("after the membership ends", func(t *testing.T) {
		leaver := newUser(app, "Lee Leaver")
		addMember(t, app, owner, community, leaver, "member")
		link := newLink(t, app, leaver, id, nil)
		follow(app, link, nil).Expect(t, http.StatusOK)
		app.Delete("/api/v1/communities/"+community+"/members/"+leaver.ID, owner.Token).Expect(t, http.StatusNoContent)
		wantError(t, follow(app, link, nil), http.StatusForbidden, "download_link_revoked")
	})
	t.Run("after signing out or being disabled", func(t *testing.T) {
		link := newLink(t, app, member, id, nil)
		app.Post("/api/v1/auth/logout", member.Token, nil).Expect(t, http.StatusNoContent)
		wantError(t, follow(app, link, nil), http.StatusForbidden, "download_link_revoked")

		other := newUser(app, "Dee Disabled")
		addMember(t, app, owner, community, other, "member")
		link = newLink(t, app, other, id, nil)
		app.Put("/api/v1/users/"+other.ID, adm.Token, map[string]any{"status": false}).Expect(t, http.StatusOK)
		wantError(t, follow(app, link, nil), http.StatusForbidden, "download_link_revoked")
	})
}

// TestDownloadLinkAfterTheGrantEnds: a link made under a grant on a
// restricted dataset stops working when the grant is revoked.
func TestDownloadLinkAfterTheGrantEnds(t *testing.T) {
	app := apitest.Start(t)
	curator, owner, researcher := newUser(app, "Cora Curator"), newUser(app, "Otis Owner"), newUser(app, "Rhea Researcher")
	community := newCommunity(t, app, curator, "Restricted")
	addMember(t, app, curator, community, owner, "member")
	app.Post("/api/v1/communities/"+community+"/terms", curator.Token, map[string]any{"title": "Agreement", "body": "v1"}).
		Expect(t, http.StatusCreated)
	content := []byte("secret,rows\n1,2\n")
	id := create(t, app, owner, map[string]string{"community_id": community, "visibility": "restricted"}, "r.csv", content)["id"].(string)
	wantError(t, app.Post(dsPath(id, "/download-link"), researcher.Token, nil), http.StatusForbidden, "grant_required")

	req := app.Post(dsPath(id, "/access-requests"), researcher.Token, map[string]any{
		"purpose": "Modelling noise near schools", "organization": "City Lab", "accepted_terms_version": 1,
		"requested_until": time.Now().Add(30 * 24 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z"),
	}).Expect(t, http.StatusCreated).Str("id")
	grant := app.Post(dsPath(id, "/access-requests/", req, "/approve"), owner.Token, nil).Expect(t, http.StatusOK).Str("grant_id")
	link := newLink(t, app, researcher, id, nil)
	if r := follow(app, link, nil).Expect(t, http.StatusOK); !bytes.Equal(r.Body, content) {
		t.Fatalf("download under the grant: %q", r.Body)
	}
	app.Post("/api/v1/grants/"+grant+"/revoke", curator.Token, map[string]any{"reason": "Purpose fulfilled"}).Expect(t, http.StatusOK)
	wantError(t, follow(app, link, nil), http.StatusForbidden, "download_link_revoked")
}
