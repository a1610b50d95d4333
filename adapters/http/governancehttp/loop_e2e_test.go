package governancehttp_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/governancehttp"
)

// The whole loop over HTTP: terms published → a request with the current
// version → approval with an end date → the download works and is logged
// with the grant → the clock passes the end → 403 → the register shows the
// grant as expired, and grant.expire is recorded once.
func TestGovernance_the_whole_loop(t *testing.T) {
	t.Parallel()
	app := start(t)
	adm := admin(app.App)
	owner, curator, researcher := newUser(t, app.App, "Olga Owner"), newUser(t, app.App, "Cara Curator"), newUser(t, app.App, "Rita Researcher")
	communityID, communityName := newCommunity(t, app.App, curator, owner)
	const content = "school,decibels\nNorth,61\n"
	ds := newDataset(t, app.App, owner, communityID, "restricted", content)

	// Terms.
	terms := app.Post("/api/v1/communities/"+communityID+"/terms", curator.Token,
		map[string]any{"title": "Riverside data-use agreement", "body": "# Terms\n\nNo re-identification.\n"}).Expect(t, http.StatusCreated).JSON()
	if terms["version"] != float64(1) || terms["community_id"] != communityID || terms["published_by"] != curator.ID {
		t.Fatalf("terms = %v", terms)
	}
	current := app.Get("/api/v1/communities/"+communityID+"/terms/current", researcher.Token).Expect(t, http.StatusOK).JSON()
	if current["id"] != terms["id"] || current["body"] != "# Terms\n\nNo re-identification.\n" {
		t.Fatalf("current terms = %v", current)
	}

	// Before a grant: the metadata, not the file.
	meta := app.Get(dsPath(ds), researcher.Token).Expect(t, http.StatusOK)
	if meta.Str("visibility") != "restricted" {
		t.Fatalf("metadata = %s", meta.Body)
	}
	listed, _ := list(t, app.Get("/api/v1/datasets?visibility=restricted&limit=100", researcher.Token))
	if len(listed) == 0 || listed[0]["id"] != ds {
		t.Errorf("the restricted dataset is not listed for the researcher: %v", listed)
	}
	app.Get(dsPath(ds, "/versions"), researcher.Token).Expect(t, http.StatusOK)
	download(app.App, researcher, ds, 0).ExpectCode(t, http.StatusForbidden, "grant_required")
	download(app.App, researcher, ds, 1).ExpectCode(t, http.StatusForbidden, "grant_required")

	// The request, with the current terms.
	until := app.clock.Now().Add(60 * day)
	req := ask(app.App, researcher, ds, map[string]any{"accepted_terms_version": 1, "requested_until": at(until)}).Expect(t, http.StatusCreated).JSON()
	if req["status"] != "pending" || req["requester_id"] != researcher.ID || req["accepted_terms_version"] != float64(1) ||
		req["grant_id"] != nil || req["requested_until"] != at(until) || req["organization"] != "City Lab" {
		t.Fatalf("request = %v", req)
	}
	requestID := req["id"].(string)
	for _, decider := range []string{owner.Email, curator.Email} {
		if msgs := mailTo(t, app.App, decider, "Access request"); len(msgs) != 1 || !strings.Contains(msgs[0].Body, requestID) {
			t.Errorf("mail to the decider %s: %v", decider, msgs)
		}
	}
	pending, _ := list(t, app.Get(dsPath(ds, "/access-requests?status=pending"), owner.Token))
	if len(pending) != 1 || pending[0]["id"] != requestID {
		t.Errorf("pending requests = %v", pending)
	}

	// Approved with an end date before the requested one.
	end := app.clock.Now().Add(10 * day).Truncate(time.Millisecond)
	approved := app.Post(requestPath(ds, requestID, "/approve"), curator.Token,
		map[string]any{"expires_at": at(end), "note": "Please cite the trust."}).Expect(t, http.StatusOK).JSON()
	grantID, _ := approved["grant_id"].(string)
	if approved["status"] != "approved" || grantID == "" || approved["decided_by"] != curator.ID || approved["note"] != "Please cite the trust." {
		t.Fatalf("approved = %v", approved)
	}
	if msgs := mailTo(t, app.App, researcher.Email, "Access granted"); len(msgs) != 1 || !strings.Contains(msgs[0].Body, grantID) {
		t.Errorf("mail to the requester: %v", msgs)
	}
	grants, _ := list(t, app.Get("/api/v1/grants", researcher.Token))
	if len(grants) != 1 || grants[0]["id"] != grantID || grants[0]["status"] != "active" || grants[0]["expires_at"] != at(end) ||
		grants[0]["request_id"] != requestID || grants[0]["terms_version"] != float64(1) || grants[0]["granted_by"] != curator.ID {
		t.Fatalf("my grants = %v", grants)
	}

	// The download works, and is logged with its grant.
	got := download(app.App, researcher, ds, 0).Expect(t, http.StatusOK)
	if !sameBytes(got.Body, content) {
		t.Errorf("downloaded %q", got.Body)
	}
	download(app.App, researcher, ds, 1).Expect(t, http.StatusOK)
	log, _ := list(t, app.Get(dsPath(ds, "/access-log?limit=100"), owner.Token))
	underGrant := 0
	for _, e := range log {
		details, _ := e["details"].(map[string]any)
		if e["action"] == "dataset.download" && e["actor_id"] == researcher.ID {
			if details["grant_id"] != grantID {
				t.Errorf("download without its grant: %v", e)
			}
			underGrant++
		}
		if e["action"] == "dataset.download" && e["actor_id"] == owner.ID && details["grant_id"] != nil {
			t.Errorf("the owner's download names a grant: %v", e)
		}
	}
	if underGrant != 2 {
		t.Errorf("%d downloads under the grant in the access log, want 2: %v", underGrant, log)
	}

	register := func() map[string]any {
		entries, _ := list(t, app.Get(governancehttp.RegisterPath+"?community_id="+communityID, ""))
		if len(entries) != 1 {
			t.Fatalf("register = %v", entries)
		}
		return entries[0]
	}
	entry := register()
	if entry["grant_id"] != grantID || entry["status"] != "active" || entry["community_name"] != communityName ||
		entry["organization"] != "City Lab" || entry["dataset_id"] != ds || entry["expires_at"] != at(end) {
		t.Errorf("register entry = %v", entry)
	}

	// One second past the end: refused, on the next request, without anything else happening.
	app.clock.Advance(end.Sub(app.clock.Now()) + time.Second)
	for _, u := range []*user{&researcher, &owner, &adm} {
		u.relogin(app.App)
	}
	download(app.App, researcher, ds, 0).ExpectCode(t, http.StatusForbidden, "grant_required")
	download(app.App, researcher, ds, 1).ExpectCode(t, http.StatusForbidden, "grant_required")
	download(app.App, owner, ds, 0).Expect(t, http.StatusOK)
	if e := register(); e["status"] != "expired" {
		t.Errorf("register entry after the end = %v", e)
	}
	expired, _ := list(t, app.Get(governancehttp.RegisterPath+"?status=expired", ""))
	if len(expired) != 1 || expired[0]["grant_id"] != grantID {
		t.Errorf("expired register entries = %v", expired)
	}
	grants, _ = list(t, app.Get("/api/v1/grants?status=expired", researcher.Token))
	if len(grants) != 1 || grants[0]["status"] != "expired" {
		t.Errorf("my expired grants = %v", grants)
	}
	app.Post("/api/v1/grants/"+grantID+"/revoke", researcher.Token, map[string]any{"reason": "too late"}).ExpectCode(t,
		http.StatusConflict, "grant_not_active")

	// grant.expire is recorded once, however often the job looks.
	for range 3 {
		if _, err := app.gov.SendNotices(t.Context()); err != nil {
			t.Fatalf("SendNotices: %v", err)
		}
	}
	events, _ := list(t, app.Get("/api/v1/audit-events?action=grant.expire&target_id="+grantID, adm.Token))
	if len(events) != 1 || events[0]["target_type"] != "grant" || events[0]["actor_id"] != nil {
		t.Errorf("grant.expire events = %v", events)
	}
	for _, action := range []string{"terms.publish", "consent.accept", "access_request.create", "access_request.approve"} {
		events, _ := list(t, app.Get("/api/v1/audit-events?action="+action, adm.Token))
		if len(events) != 1 {
			t.Errorf("%d %s events, want 1", len(events), action)
		}
	}
}
