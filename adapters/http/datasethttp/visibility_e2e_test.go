package datasethttp_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// TestVisibilityMatrix is the visibility rule end to end: every caller ×
// every visibility × every operation. A dataset the caller may not see is a
// 404 everywhere and absent from lists; visible but not manageable is a 403
// for changes; the owner, community admins and global admins manage.
func TestVisibilityMatrix(t *testing.T) {
	app := apitest.Start(t)
	callers := map[string]user{
		"owner":           newUser(app, "Olga Owner"),
		"member":          newUser(app, "Mia Member"),
		"community_admin": newUser(app, "Cara Curator"),
		"non_member":      newUser(app, "Nils Neighbour"),
		"global_admin":    admin(app),
	}
	owner := callers["owner"]
	community := newCommunity(t, app, callers["community_admin"], "Matrix")
	addMember(t, app, callers["community_admin"], community, owner, "member")
	addMember(t, app, callers["community_admin"], community, callers["member"], "member")
	// The non-member belongs to another community: membership elsewhere grants nothing here.
	newCommunity(t, app, callers["non_member"], "Elsewhere")

	// newDataset creates one of the owner's datasets in the community with a unique title.
	newDataset := func(t *testing.T, vis string) (id, title string) {
		t.Helper()
		title = fmt.Sprintf("matrix-%s-%d", vis, seq.Add(1))
		return createID(t, app, owner, map[string]string{"title": title, "community_id": community, "visibility": vis}), title
	}
	type dataset struct{ id, title string }
	shared := map[string]dataset{}
	for _, vis := range []string{"public", "community", "restricted", "private"} {
		id, title := newDataset(t, vis)
		shared[vis] = dataset{id, title}
	}

	// see: may view and download; manage: may change and delete.
	cases := []struct {
		caller, visibility string
		see, manage        bool
	}{
		{"owner", "public", true, true},
		{"owner", "community", true, true},
		{"owner", "private", true, true},
		{"member", "public", true, false},
		{"member", "community", true, false},
		{"member", "private", false, false},
		{"community_admin", "public", true, true},
		{"community_admin", "community", true, true},
		{"community_admin", "private", false, false},
		{"non_member", "public", true, false},
		{"non_member", "community", false, false},
		{"non_member", "private", false, false},
		{"global_admin", "public", true, true},
		{"global_admin", "community", true, true},
		{"global_admin", "private", true, true},
		// restricted: everyone sees the metadata; the file goes to those who manage it (or hold a grant).
		{"owner", "restricted", true, true},
		{"member", "restricted", true, false},
		{"community_admin", "restricted", true, true},
		{"non_member", "restricted", true, false},
		{"global_admin", "restricted", true, true},
	}
	// status is what an operation answers: ok when managed (or merely seen,
	// for reads), 403 when seen but not managed, 404 when not seen.
	status := func(see, manage, needsManage bool, ok int) int {
		switch {
		case !see:
			return http.StatusNotFound
		case needsManage && !manage:
			return http.StatusForbidden
		}
		return ok
	}
	ops := []struct {
		name string
		run  func(t *testing.T, u user, vis string, see, manage bool)
	}{
		{"get", func(t *testing.T, u user, vis string, see, manage bool) {
			r := app.Get(dsPath(shared[vis].id), u.Token).Expect(t, status(see, manage, false, http.StatusOK))
			if see && r.Str("id") != shared[vis].id {
				t.Errorf("got %s", r.Body)
			}
		}},
		{"download", func(t *testing.T, u user, vis string, see, manage bool) {
			r := app.Get(dsPath(shared[vis].id, "/download"), u.Token)
			if vis == "restricted" && !manage {
				wantError(t, r, http.StatusForbidden, "grant_required")
				return
			}
			r.Expect(t, status(see, manage, false, http.StatusOK))
		}},
		{"versions", func(t *testing.T, u user, vis string, see, manage bool) {
			app.Get(dsPath(shared[vis].id, "/versions"), u.Token).Expect(t, status(see, manage, false, http.StatusOK))
		}},
		{"list", func(t *testing.T, u user, vis string, see, manage bool) {
			d := shared[vis]
			for _, query := range []string{"q=" + d.title, "community_id=" + community + "&limit=100", "limit=100&visibility=" + vis} {
				if listed := slices.Contains(listIDs(t, app, u, query), d.id); listed != see {
					t.Errorf("?%s: listed %v, want %v", query, listed, see)
				}
			}
		}},
		{"update", func(t *testing.T, u user, vis string, see, manage bool) {
			app.Put(dsPath(shared[vis].id), u.Token, map[string]any{"description": "edited by " + u.Name}).
				Expect(t, status(see, manage, true, http.StatusOK))
		}},
		{"new_version", func(t *testing.T, u user, vis string, see, manage bool) {
			newVersion(t, app, u, shared[vis].id, "next.csv", []byte("next by "+u.Name)).
				Expect(t, status(see, manage, true, http.StatusOK))
		}},
		{"access_log", func(t *testing.T, u user, vis string, see, manage bool) {
			app.Get(dsPath(shared[vis].id, "/access-log"), u.Token).Expect(t, status(see, manage, true, http.StatusOK))
		}},
		{"delete", func(t *testing.T, u user, vis string, see, manage bool) {
			id, _ := newDataset(t, vis) // a fresh dataset for every delete
			want := status(see, manage, true, http.StatusNoContent)
			app.Delete(dsPath(id), u.Token).Expect(t, want)
			if want == http.StatusNoContent {
				app.Get(dsPath(id), owner.Token).Expect(t, http.StatusNotFound)
			} else {
				app.Get(dsPath(id), owner.Token).Expect(t, http.StatusOK)
			}
		}},
	}
	for _, tc := range cases {
		for _, op := range ops {
			t.Run(fmt.Sprintf("%s/%s/%s", tc.caller, tc.visibility, op.name), func(t *testing.T) {
				op.run(t, callers[tc.caller], tc.visibility, tc.see, tc.manage)
			})
		}
	}
}
