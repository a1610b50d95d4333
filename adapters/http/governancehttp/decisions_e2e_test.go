package governancehttp_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/http/governancehttp"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// Decisions, refusals and the register over HTTP, on one service.
func TestGovernance_decisions(t *testing.T) {
	t.Parallel()
	app := start(t)
	adm := admin(app.App)
	owner, curator := newUser(t, app.App, "Olga Owner"), newUser(t, app.App, "Cara Curator")
	member := newUser(t, app.App, "Mia Member") // a member of the community, not its admin
	communityID, _ := newCommunity(t, app.App, curator, owner, member)
	termsPath := "/api/v1/communities/" + communityID + "/terms"
	app.Post(termsPath, curator.Token, map[string]any{"title": "Agreement", "body": "v1"}).Expect(t, http.StatusCreated)
	app.Post(termsPath, adm.Token, map[string]any{"title": "Agreement", "body": "v2"}).Expect(t, http.StatusCreated)
	version := map[string]any{"accepted_terms_version": 2}
	restricted := func() string { return newDataset(t, app.App, owner, communityID, "restricted", "a,b\n1,2\n") }

	t.Run("reject_with_a_reason", func(t *testing.T) {
		researcher := newUser(t, app.App, "Rolf Rejected")
		ds := restricted()
		id := ask(app.App, researcher, ds, version).Expect(t, http.StatusCreated).Str("id")
		app.Post(requestPath(ds, id, "/reject"), owner.Token, map[string]any{}).ExpectProblem(t, "missing", "body", "reason")
		app.Post(requestPath(ds, id, "/reject"), owner.Token, map[string]any{"reason": ""}).ExpectProblem(t, "string_too_short", "body", "reason")
		r := app.Post(requestPath(ds, id, "/reject"), owner.Token, map[string]any{"reason": "Outside the agreement's purposes."}).Expect(t, http.StatusOK).JSON()
		if r["status"] != "rejected" || r["reason"] != "Outside the agreement's purposes." || r["decided_by"] != owner.ID || r["decided_at"] == nil {
			t.Errorf("rejected = %v", r)
		}
		if msgs := mailTo(t, app.App, researcher.Email, "Your access request"); len(msgs) != 1 || !strings.Contains(msgs[0].Body, "Outside the agreement's purposes.") {
			t.Errorf("mail = %v", msgs)
		}
		app.Post(requestPath(ds, id, "/approve"), owner.Token, nil).ExpectCode(t, http.StatusConflict, "access_request_not_pending")
		app.Post(requestPath(ds, id, "/reject"), owner.Token, map[string]any{"reason": "again"}).ExpectCode(t, http.StatusConflict, "access_request_not_pending")
		download(app.App, researcher, ds, 0).ExpectCode(t, http.StatusForbidden, "grant_required")
		mine, _ := list(t, app.Get("/api/v1/access-requests?status=rejected", researcher.Token))
		if len(mine) != 1 || mine[0]["id"] != id {
			t.Errorf("my rejected requests = %v", mine)
		}
	})

	t.Run("withdraw", func(t *testing.T) {
		researcher := newUser(t, app.App, "Wanda Withdrawn")
		ds := restricted()
		id := ask(app.App, researcher, ds, version).Expect(t, http.StatusCreated).Str("id")
		ask(app.App, researcher, ds, version).ExpectCode(t, http.StatusConflict, "access_request_pending")
		app.Delete(requestPath(ds, id), owner.Token).ExpectCode(t, http.StatusForbidden, "not_requester")
		r := app.Delete(requestPath(ds, id), researcher.Token).Expect(t, http.StatusNoContent)
		if len(r.Body) != 0 {
			t.Errorf("204 with a body: %q", r.Body)
		}
		app.Delete(requestPath(ds, id), researcher.Token).ExpectCode(t, http.StatusConflict, "access_request_not_pending")
		app.Post(requestPath(ds, id, "/approve"), owner.Token, nil).ExpectCode(t, http.StatusConflict, "access_request_not_pending")
		all, _ := list(t, app.Get(dsPath(ds, "/access-requests"), curator.Token))
		if len(all) != 1 || all[0]["status"] != "withdrawn" {
			t.Errorf("requests = %v", all)
		}
		ask(app.App, researcher, ds, version).Expect(t, http.StatusCreated) // the pair is free again
	})

	t.Run("revoke", func(t *testing.T) {
		researcher, other := newUser(t, app.App, "Rui Revoked"), newUser(t, app.App, "Olli Other")
		ds := restricted()
		grant := func(u user) string {
			id := ask(app.App, u, ds, version).Expect(t, http.StatusCreated).Str("id")
			return app.Post(requestPath(ds, id, "/approve"), owner.Token, nil).Expect(t, http.StatusOK).Str("grant_id")
		}
		byGrantee, byDecider := grant(researcher), grant(other)
		download(app.App, researcher, ds, 0).Expect(t, http.StatusOK)
		revoke := func(u user, grantID string, body any) *apitest.Response {
			return app.Post("/api/v1/grants/"+grantID+"/revoke", u.Token, body)
		}
		revoke(researcher, byGrantee, map[string]any{}).ExpectProblem(t, "missing", "body", "reason")
		revoke(member, byGrantee, map[string]any{"reason": "mine now"}).ExpectCode(t, http.StatusForbidden, "not_allowed_to_revoke")
		revoke(other, byGrantee, map[string]any{"reason": "not mine"}).ExpectCode(t, http.StatusForbidden, "not_allowed_to_revoke")
		g := revoke(researcher, byGrantee, map[string]any{"reason": "Consent withdrawn"}).Expect(t, http.StatusOK).JSON()
		if g["status"] != "revoked" || g["revoked_by"] != researcher.ID || g["revoke_reason"] != "Consent withdrawn" || g["revoked_at"] == nil {
			t.Errorf("revoked = %v", g)
		}
		download(app.App, researcher, ds, 0).ExpectCode(t, http.StatusForbidden, "grant_required")
		revoke(researcher, byGrantee, map[string]any{"reason": "again"}).ExpectCode(t, http.StatusConflict, "grant_not_active")

		download(app.App, other, ds, 0).Expect(t, http.StatusOK)
		revoke(curator, byDecider, map[string]any{"reason": "Purpose fulfilled"}).Expect(t, http.StatusOK)
		download(app.App, other, ds, 0).ExpectCode(t, http.StatusForbidden, "grant_required")
		if msgs := mailTo(t, app.App, other.Email, "Access revoked"); len(msgs) != 1 || !strings.Contains(msgs[0].Body, "Purpose fulfilled") {
			t.Errorf("revocation mail = %v", msgs)
		}
		if msgs := mailTo(t, app.App, researcher.Email, "Access revoked"); len(msgs) != 0 {
			t.Errorf("the grantee was mailed about their own revocation: %v", msgs)
		}
		revoked, _ := list(t, app.Get(dsPath(ds, "/grants?status=revoked"), owner.Token))
		if len(revoked) != 2 {
			t.Errorf("revoked grants = %v", revoked)
		}
		for _, id := range []string{apitest.UnknownID, apitest.MalformedID} {
			revoke(adm, id, map[string]any{"reason": "x"}).ExpectCode(t, http.StatusNotFound, "grant_not_found")
		}
	})

	t.Run("outdated_or_missing_terms_version", func(t *testing.T) {
		researcher := newUser(t, app.App, "Tom Terms")
		ds := restricted()
		ask(app.App, researcher, ds, map[string]any{"accepted_terms_version": 1}).ExpectCode(t, http.StatusConflict, "terms_outdated")
		ask(app.App, researcher, ds, map[string]any{"accepted_terms_version": 3}).ExpectCode(t, http.StatusConflict, "terms_outdated")
		ask(app.App, researcher, ds, nil).ExpectProblem(t, "value_error", "body", "accepted_terms_version")
		mine, _ := list(t, app.Get("/api/v1/access-requests", researcher.Token))
		if len(mine) != 0 {
			t.Errorf("refused requests were stored: %v", mine)
		}
		ask(app.App, researcher, ds, version).Expect(t, http.StatusCreated)
	})

	t.Run("a_decider_who_is_not_a_community_admin_is_refused", func(t *testing.T) {
		researcher := newUser(t, app.App, "Dora Decided")
		ds := restricted()
		id := ask(app.App, researcher, ds, version).Expect(t, http.StatusCreated).Str("id")
		for _, u := range []user{member, researcher} {
			app.Post(requestPath(ds, id, "/approve"), u.Token, nil).ExpectCode(t, http.StatusForbidden, "not_decider")
			app.Post(requestPath(ds, id, "/reject"), u.Token, map[string]any{"reason": "no"}).ExpectCode(t, http.StatusForbidden, "not_decider")
			app.Get(dsPath(ds, "/access-requests"), u.Token).ExpectCode(t, http.StatusForbidden, "not_decider")
			app.Get(dsPath(ds, "/grants"), u.Token).ExpectCode(t, http.StatusForbidden, "not_decider")
		}
		// Global admins decide everywhere.
		app.Post(requestPath(ds, id, "/approve"), adm.Token, map[string]any{}).Expect(t, http.StatusOK)
	})

	t.Run("requests_only_for_restricted_datasets_from_those_who_need_one", func(t *testing.T) {
		researcher := newUser(t, app.App, "Nora Norestrict")
		public := newDataset(t, app.App, owner, communityID, "public", "x\n")
		private := newDataset(t, app.App, owner, communityID, "private", "x\n")
		ds := restricted()
		ask(app.App, researcher, public, version).ExpectCode(t, http.StatusConflict, "not_restricted")
		ask(app.App, researcher, private, version).ExpectCode(t, http.StatusNotFound, "dataset_not_found")
		for _, u := range []user{owner, curator, adm} {
			ask(app.App, u, ds, version).ExpectCode(t, http.StatusConflict, "already_allowed")
		}
		for _, id := range []string{apitest.UnknownID, apitest.MalformedID} {
			ask(app.App, researcher, id, version).ExpectCode(t, http.StatusNotFound, "dataset_not_found")
			app.Post(requestPath(ds, id, "/approve"), owner.Token, nil).ExpectCode(t, http.StatusNotFound, "access_request_not_found")
			app.Delete(requestPath(ds, id), researcher.Token).ExpectCode(t, http.StatusNotFound, "access_request_not_found")
			app.Get("/api/v1/communities/"+id+"/terms", researcher.Token).ExpectCode(t, http.StatusNotFound, "community_not_found")
		}
	})

	t.Run("bad_input_is_a_422_with_every_problem", func(t *testing.T) {
		researcher := newUser(t, app.App, "Ivan Invalid")
		ds := restricted()
		r := app.Post(dsPath(ds, "/access-requests"), researcher.Token, map[string]any{
			"purpose": "short", "organization": "Line\nbreak", "requested_until": "tomorrow", "accepted_terms_version": "two",
		})
		r.ExpectProblem(t, "string_too_short", "body", "purpose")
		r.ExpectProblem(t, "value_error", "body", "organization")
		r.ExpectProblem(t, "datetime_parsing", "body", "requested_until")
		r.ExpectProblem(t, "int_parsing", "body", "accepted_terms_version")
		ask(app.App, researcher, ds, map[string]any{"accepted_terms_version": 2, "requested_until": at(time.Now().Add(-time.Hour))}).ExpectProblem(t,
			"value_error", "body", "requested_until")

		ask(app.App, researcher, ds, map[string]any{"accepted_terms_version": 2, "requested_until": at(time.Now().Add(400 * day))}).ExpectProblem(t,
			"value_error", "body", "requested_until")

		ask(app.App, researcher, ds, map[string]any{"accepted_terms_version": 2, "organization": "\u202eevil"}).ExpectProblem(t, "value_error", "body", "organization")
		ask(app.App, researcher, ds, map[string]any{"accepted_terms_version": 0}).ExpectProblem(t, "greater_than_equal", "body", "accepted_terms_version")
		app.Post(dsPath(ds, "/access-requests"), researcher.Token, "not json").ExpectProblem(t, "json_invalid", "body")
		app.Post(termsPath, curator.Token, map[string]any{"title": "x", "body": ""}).ExpectProblem(t, "string_too_short", "body", "title")
		app.Post(termsPath, curator.Token, map[string]any{"title": "two\nlines", "body": "b"}).ExpectProblem(t, "value_error", "body", "title")
		app.Get("/api/v1/access-requests?status=maybe", researcher.Token).ExpectProblem(t, "enum", "query", "status")
		app.Get(governancehttp.RegisterPath+"?status=maybe", "").ExpectProblem(t, "enum", "query", "status")
		app.Get(governancehttp.RegisterPath+"?limit=101", "").ExpectProblem(t, "less_than_equal", "query", "limit")
		id := ask(app.App, researcher, ds, version).Expect(t, http.StatusCreated).Str("id")
		late := app.clock.Now().Add(61 * day)
		app.Post(requestPath(ds, id, "/approve"), owner.Token, map[string]any{"expires_at": at(late)}).ExpectProblem(t, "value_error", "body", "expires_at")
		app.Post(requestPath(ds, id, "/approve"), owner.Token, map[string]any{"expires_at": "soon"}).ExpectProblem(t, "datetime_parsing", "body", "expires_at")
		mine, _ := list(t, app.Get("/api/v1/access-requests?status=pending", researcher.Token))
		if len(mine) != 1 {
			t.Errorf("pending requests after the refusals = %v", mine)
		}
	})

	t.Run("only_community_admins_publish_terms", func(t *testing.T) {
		for _, u := range []user{owner, member} {
			app.Post(termsPath, u.Token, map[string]any{"title": "Mine", "body": "b"}).ExpectCode(t, http.StatusForbidden, "not_community_admin")
		}
		terms, total := list(t, app.Get(termsPath, member.Token))
		if total != 2 || terms[0]["version"] != float64(2) || terms[1]["version"] != float64(1) {
			t.Errorf("terms = %v", terms)
		}
		other, _ := newCommunity(t, app.App, member)
		app.Get("/api/v1/communities/"+other+"/terms/current", owner.Token).ExpectCode(t, http.StatusNotFound, "terms_not_found")
	})

	t.Run("concurrent_approvals_make_exactly_one_grant", func(t *testing.T) {
		for range 3 {
			researcher := newUser(t, app.App, "Connie Concurrent")
			ds := restricted()
			id := ask(app.App, researcher, ds, version).Expect(t, http.StatusCreated).Str("id")
			deciders := []user{owner, curator, adm, owner, curator, adm}
			statuses := porttestkit.AtOnce(len(deciders), func(i int) *apitest.Response {
				return app.Post(requestPath(ds, id, "/approve"), deciders[i].Token, nil)
			})
			ok := 0
			for _, r := range statuses {
				switch r.Status {
				case http.StatusOK:
					ok++
				case http.StatusConflict:
					if r.Str("code") != "access_request_not_pending" {
						t.Errorf("409 %s", r.Body)
					}
				default:
					t.Errorf("approval answered %d %s", r.Status, r.Body)
				}
			}
			if ok != 1 {
				t.Errorf("%d approvals succeeded, want 1", ok)
			}
			grants, _ := list(t, app.Get(dsPath(ds, "/grants"), owner.Token))
			reqs, _ := list(t, app.Get(dsPath(ds, "/access-requests"), owner.Token))
			if len(grants) != 1 || len(reqs) != 1 || grants[0]["request_id"] != id || reqs[0]["status"] != "approved" {
				t.Fatalf("grants %v for requests %v", grants, reqs)
			}
			if reqs[0]["grant_id"] != grants[0]["id"] || reqs[0]["decided_by"] != grants[0]["granted_by"] {
				t.Errorf("the request names grant %v by %v, the grant is %v by %v",
					reqs[0]["grant_id"], reqs[0]["decided_by"], grants[0]["id"], grants[0]["granted_by"])
			}
		}
	})

	t.Run("the_register_never_shows_a_person", func(t *testing.T) {
		researcher := newUser(t, app.App, "Priya Private")
		ds := restricted()
		id := ask(app.App, researcher, ds, version).Expect(t, http.StatusCreated).Str("id")
		app.Post(requestPath(ds, id, "/approve"), curator.Token, nil).Expect(t, http.StatusOK)
		r := app.Get(governancehttp.RegisterPath+"?limit=100", "").Expect(t, http.StatusOK)
		entries, total := list(t, r)
		if total == 0 || len(entries) == 0 {
			t.Fatal("the register is empty")
		}
		body := string(r.Body)
		for _, u := range []user{researcher, owner, curator, member, adm} {
			for _, secret := range []string{u.Name, u.Email, u.ID} {
				if strings.Contains(body, secret) {
					t.Errorf("the register shows %q", secret)
				}
			}
		}
		allowed := map[string]bool{"grant_id": true, "dataset_id": true, "dataset_title": true, "community_id": true, "community_name": true,
			"organization": true, "purpose": true, "granted_at": true, "expires_at": true, "revoked_at": true, "status": true}
		for _, e := range entries {
			for k := range e {
				if !allowed[k] {
					t.Errorf("register field %q", k)
				}
			}
		}
		if r.Header.Get("WWW-Authenticate") != "" {
			t.Error("the register asks for credentials")
		}
	})
}
