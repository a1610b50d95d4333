package audithttp_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/application/governanceapp"
	"github.com/civicdatatrust/civictrust/domain/audit"
)

// governanceSteps are data-use governance's rows of the table: terms,
// consents, access requests and their decisions, grants.
func governanceSteps(app *apitest.App, a *auditor, gov *governanceapp.Service) []step {
	n := 0
	// restricted makes a community with terms v1 and a restricted dataset in it.
	restricted := func(t *testing.T) (owner apitest.Tokens, communityID, termsID, datasetID string) {
		n++
		owner, _ = a.member(fmt.Sprintf("Gwen Governor %d", n))
		communityID = created(t, app.Post("/api/v1/communities/", owner.Access, map[string]any{"name": fmt.Sprintf("Governed %d", n)}).Expect(t, http.StatusCreated))
		termsID = created(t, app.Post("/api/v1/communities/"+communityID+"/terms", owner.Access,
			map[string]any{"title": "Agreement", "body": "Use well."}).Expect(t, http.StatusCreated))
		datasetID = created(t, app.Upload(http.MethodPost, "/api/v1/datasets/create", owner.Access,
			map[string]string{"title": "Health", "community_id": communityID, "visibility": "restricted"}, "h.csv",
			strings.NewReader("a\n1\n")).Expect(t, http.StatusCreated))
		return owner, communityID, termsID, datasetID
	}
	requestBody := func(until time.Time) map[string]any {
		return map[string]any{"purpose": "Studying access to clinics by bus", "accepted_terms_version": 1,
			"requested_until": until.UTC().Format("2006-01-02T15:04:05.000Z")}
	}
	ask := func(t *testing.T, datasetID string, until time.Time) (apitest.Tokens, string) {
		researcher, _ := a.member("Rhea Requester")
		id := created(t, app.Post("/api/v1/datasets/"+datasetID+"/access-requests", researcher.Access, requestBody(until)).Expect(t, http.StatusCreated))
		return researcher, id
	}
	approve := func(t *testing.T, owner apitest.Tokens, datasetID, requestID string, body any) string {
		r := app.Post("/api/v1/datasets/"+datasetID+"/access-requests/"+requestID+"/approve", owner.Access, body).Expect(t, http.StatusOK)
		return r.Str("grant_id")
	}
	month := func() time.Time { return time.Now().Add(30 * 24 * time.Hour) }
	return []step{
		{audit.ActionTermsPublish, func(t *testing.T, a *auditor, w *watch) want {
			owner, communityID, _, _ := restricted(t)
			w.start("")
			r := a.call(http.MethodPost, "/api/v1/communities/"+communityID+"/terms", owner.Access, map[string]any{"title": "Agreement v2", "body": "b"}).
				Expect(t, http.StatusCreated)
			return want{actor: owner.UserID, targetType: "terms", targetID: created(t, r), outcome: audit.Success,
				details: map[string]string{"community_id": communityID, "version": "2"}, resp: r}
		}},
		{audit.ActionConsentAccept, func(t *testing.T, a *auditor, w *watch) want {
			_, communityID, termsID, datasetID := restricted(t)
			researcher, _ := a.member("Cora Consent")
			w.start(termsID)
			r := a.call(http.MethodPost, "/api/v1/datasets/"+datasetID+"/access-requests", researcher.Access, requestBody(month())).
				Expect(t, http.StatusCreated)
			return want{actor: researcher.UserID, targetType: "terms", targetID: termsID, outcome: audit.Success,
				details: map[string]string{"community_id": communityID, "version": "1", "request_id": created(t, r)}, resp: r}
		}},
		{audit.ActionAccessRequestCreate, func(t *testing.T, a *auditor, w *watch) want {
			_, _, _, datasetID := restricted(t)
			researcher, _ := a.member("Ari Asker")
			w.start("")
			r := a.call(http.MethodPost, "/api/v1/datasets/"+datasetID+"/access-requests", researcher.Access, requestBody(month())).
				Expect(t, http.StatusCreated)
			return want{actor: researcher.UserID, targetType: "access_request", targetID: created(t, r), outcome: audit.Success,
				details: map[string]string{"dataset_id": datasetID, "terms_version": "1"}, resp: r}
		}},
		{audit.ActionAccessRequestApprove, func(t *testing.T, a *auditor, w *watch) want {
			owner, _, _, datasetID := restricted(t)
			researcher, id := ask(t, datasetID, month())
			w.start(id)
			r := a.call(http.MethodPost, "/api/v1/datasets/"+datasetID+"/access-requests/"+id+"/approve", owner.Access, nil).Expect(t, http.StatusOK)
			return want{actor: owner.UserID, targetType: "access_request", targetID: id, outcome: audit.Success,
				details: map[string]string{"dataset_id": datasetID, "user_id": researcher.UserID, "grant_id": r.Str("grant_id")}, resp: r}
		}},
		{audit.ActionAccessRequestApprove, func(t *testing.T, a *auditor, w *watch) want {
			_, _, _, datasetID := restricted(t)
			_, id := ask(t, datasetID, month())
			outsider, _ := a.member("Otto Outsider")
			w.start(id)
			r := a.call(http.MethodPost, "/api/v1/datasets/"+datasetID+"/access-requests/"+id+"/approve", outsider.Access, nil).Expect(t, http.StatusForbidden)
			return want{actor: outsider.UserID, targetType: "access_request", targetID: id, outcome: audit.Denied,
				details: map[string]string{"reason": "not_decider"}, resp: r}
		}},
		{audit.ActionAccessRequestReject, func(t *testing.T, a *auditor, w *watch) want {
			owner, _, _, datasetID := restricted(t)
			_, id := ask(t, datasetID, month())
			w.start(id)
			r := a.call(http.MethodPost, "/api/v1/datasets/"+datasetID+"/access-requests/"+id+"/reject", owner.Access,
				map[string]any{"reason": "Not this time"}).Expect(t, http.StatusOK)
			return want{actor: owner.UserID, targetType: "access_request", targetID: id, outcome: audit.Success,
				details: map[string]string{"dataset_id": datasetID}, resp: r}
		}},
		{audit.ActionAccessRequestWithdraw, func(t *testing.T, a *auditor, w *watch) want {
			_, _, _, datasetID := restricted(t)
			researcher, id := ask(t, datasetID, month())
			w.start(id)
			r := a.call(http.MethodDelete, "/api/v1/datasets/"+datasetID+"/access-requests/"+id, researcher.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: researcher.UserID, targetType: "access_request", targetID: id, outcome: audit.Success, resp: r}
		}},
		{audit.ActionGrantRevoke, func(t *testing.T, a *auditor, w *watch) want {
			owner, _, _, datasetID := restricted(t)
			researcher, id := ask(t, datasetID, month())
			grantID := approve(t, owner, datasetID, id, nil)
			w.start(grantID)
			r := a.call(http.MethodPost, "/api/v1/grants/"+grantID+"/revoke", researcher.Access, map[string]any{"reason": "Consent withdrawn"}).
				Expect(t, http.StatusOK)
			return want{actor: researcher.UserID, targetType: "grant", targetID: grantID, outcome: audit.Success,
				details: map[string]string{"dataset_id": datasetID, "by_grantee": "true"}, resp: r}
		}},
		{audit.ActionGrantExpire, func(t *testing.T, a *auditor, w *watch) want {
			owner, _, _, datasetID := restricted(t)
			researcher, id := ask(t, datasetID, month())
			end := time.Now().Add(time.Second)
			grantID := approve(t, owner, datasetID, id, map[string]any{"expires_at": end.UTC().Format("2006-01-02T15:04:05.000Z")})
			w.start(grantID)
			time.Sleep(time.Until(end) + 50*time.Millisecond)
			for range 2 { // found past its end twice, recorded once
				if _, err := gov.SendNotices(t.Context()); err != nil {
					t.Fatalf("SendNotices: %v", err)
				}
			}
			return want{actor: "", targetType: "grant", targetID: grantID, outcome: audit.Success,
				details: map[string]string{"dataset_id": datasetID, "user_id": researcher.UserID}, byService: true}
		}},
	}
}
