package audithttp_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/domain/audit"
)

// communitySteps are the communities' rows of the table: community changes,
// membership changes, join requests and their decisions.
func communitySteps(app *apitest.App, a *auditor) []step {
	const communities = "/api/v1/communities/"
	n := 0
	newCommunity := func(t *testing.T, owner apitest.Tokens) string {
		n++
		return created(t, app.Post(communities, owner.Access, map[string]any{"name": fmt.Sprintf("Community %d", n)}).Expect(t, http.StatusCreated))
	}
	join := func(t *testing.T, id string, m apitest.Tokens) string {
		return created(t, app.Post(communities+id+"/join-requests", m.Access, map[string]any{"message": "let me in"}).Expect(t, http.StatusCreated))
	}
	pngLogo := func() []byte {
		var b bytes.Buffer
		_ = png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4)))
		return b.Bytes()
	}
	return []step{
		{audit.ActionCommunityCreate, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Cora Create")
			w.start("")
			r := a.call(http.MethodPost, communities, owner.Access, map[string]any{"name": "Riverside Residents"}).Expect(t, http.StatusCreated)
			return want{actor: owner.UserID, targetType: "community", targetID: created(t, r), outcome: audit.Success,
				details: map[string]string{"name": "Riverside Residents"}, resp: r}
		}},
		{audit.ActionCommunityUpdate, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Ulla Update")
			id := newCommunity(t, owner)
			w.start(id)
			r := a.call(http.MethodPut, communities+id, owner.Access, map[string]any{"description": "Now described"}).Expect(t, http.StatusOK)
			return want{actor: owner.UserID, targetType: "community", targetID: id, outcome: audit.Success, details: map[string]string{"fields": "description"}, resp: r}
		}},
		{audit.ActionCommunityUpdate, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Olaf Owner")
			outsider, _ := a.member("Ozzy Outsider")
			id := newCommunity(t, owner)
			w.start(id)
			r := a.call(http.MethodPut, communities+id, outsider.Access, map[string]any{"name": "Hijacked"}).Expect(t, http.StatusForbidden)
			return want{actor: outsider.UserID, targetType: "community", targetID: id, outcome: audit.Denied, details: map[string]string{"reason": "not_community_admin"}, resp: r}
		}},
		{audit.ActionCommunityLogoUpdate, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Lia Logo")
			id := newCommunity(t, owner)
			w.start(id)
			r := app.Upload(http.MethodPut, communities+id+"/logo", owner.Access, nil, "logo.png", bytes.NewReader(pngLogo())).Expect(t, http.StatusOK)
			return want{actor: owner.UserID, targetType: "community", targetID: id, outcome: audit.Success, resp: r}
		}},
		{audit.ActionCommunityDelete, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Dora Dissolve")
			id := newCommunity(t, owner)
			w.start(id)
			r := a.call(http.MethodDelete, communities+id, owner.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: owner.UserID, targetType: "community", targetID: id, outcome: audit.Success, resp: r}
		}},
		{audit.ActionMembershipAdd, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Ada Adder")
			m, _ := a.member("Nell Newcomer")
			id := newCommunity(t, owner)
			w.start(id)
			r := a.call(http.MethodPost, communities+id+"/members", owner.Access, map[string]any{"user_id": m.UserID}).Expect(t, http.StatusCreated)
			return want{actor: owner.UserID, targetType: "community", targetID: id, outcome: audit.Success, details: map[string]string{"user_id": m.UserID, "role": "member"}, resp: r}
		}},
		{audit.ActionMembershipAdd, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Sela Seed")
			m, _ := a.member("Seth Seeded")
			id := newCommunity(t, owner)
			w.start(id)
			r := a.call(http.MethodPost, "/api/v1/users/add-to-community/"+id, owner.Access, map[string]any{"user_id": m.UserID}).Expect(t, http.StatusOK)
			return want{actor: owner.UserID, targetType: "community", targetID: id, outcome: audit.Success, details: map[string]string{"user_id": m.UserID}, resp: r}
		}},
		{audit.ActionMembershipAdd, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Gina Gate")
			m, _ := a.member("Pip Pushy")
			id := newCommunity(t, owner)
			w.start(id)
			r := a.call(http.MethodPost, communities+id+"/members", m.Access, map[string]any{"user_id": m.UserID}).Expect(t, http.StatusForbidden)
			return want{actor: m.UserID, targetType: "community", targetID: id, outcome: audit.Denied, details: map[string]string{"user_id": m.UserID, "reason": "not_community_admin"}, resp: r}
		}},
		{audit.ActionMembershipRemove, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Rob Remover")
			m, _ := a.member("Ron Removed")
			id := newCommunity(t, owner)
			app.Post(communities+id+"/members", owner.Access, map[string]any{"user_id": m.UserID}).Expect(t, http.StatusCreated)
			w.start(id)
			r := a.call(http.MethodDelete, communities+id+"/members/"+m.UserID, owner.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: owner.UserID, targetType: "community", targetID: id, outcome: audit.Success, details: map[string]string{"user_id": m.UserID}, resp: r}
		}},
		{audit.ActionMembershipLeave, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Kay Keeper")
			m, _ := a.member("Lee Leaver")
			id := newCommunity(t, owner)
			app.Post(communities+id+"/members", owner.Access, map[string]any{"user_id": m.UserID}).Expect(t, http.StatusCreated)
			w.start(id)
			r := a.call(http.MethodDelete, communities+id+"/members/"+m.UserID, m.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: m.UserID, targetType: "community", targetID: id, outcome: audit.Success, details: map[string]string{"user_id": m.UserID}, resp: r}
		}},
		{audit.ActionJoinRequestCreate, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Jo Joinable")
			m, _ := a.member("Jay Joiner")
			id := newCommunity(t, owner)
			w.start("")
			r := a.call(http.MethodPost, communities+id+"/join-requests", m.Access, map[string]any{"message": "let me in"}).Expect(t, http.StatusCreated)
			return want{actor: m.UserID, targetType: "join_request", targetID: created(t, r), outcome: audit.Success,
				details: map[string]string{"community_id": id, "user_id": m.UserID}, resp: r}
		}},
		{audit.ActionJoinRequestApprove, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Abe Approver")
			m, _ := a.member("Amy Applicant")
			id := newCommunity(t, owner)
			rid := join(t, id, m)
			w.start(rid)
			before := a.count(audit.ActionMembershipAdd, id)
			r := a.call(http.MethodPost, communities+id+"/join-requests/"+rid+"/approve", owner.Access, nil).Expect(t, http.StatusOK)
			if a.count(audit.ActionMembershipAdd, id) != before {
				t.Fatal("an approval also recorded membership.add: one action, one event")
			}
			return want{actor: owner.UserID, targetType: "join_request", targetID: rid, outcome: audit.Success,
				details: map[string]string{"community_id": id, "user_id": m.UserID}, resp: r}
		}},
		{audit.ActionJoinRequestReject, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Rex Rejecter")
			m, _ := a.member("Ria Rejected")
			id := newCommunity(t, owner)
			rid := join(t, id, m)
			w.start(rid)
			r := a.call(http.MethodPost, communities+id+"/join-requests/"+rid+"/reject", owner.Access, map[string]any{"reason": "private reason text"}).Expect(t, http.StatusOK)
			a.secrets = append(a.secrets, "private reason text", "let me in")
			return want{actor: owner.UserID, targetType: "join_request", targetID: rid, outcome: audit.Success,
				details: map[string]string{"community_id": id, "user_id": m.UserID}, resp: r}
		}},
		{audit.ActionJoinRequestWithdraw, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Wes Waiting")
			m, _ := a.member("Will Withdraw")
			id := newCommunity(t, owner)
			rid := join(t, id, m)
			w.start(rid)
			r := a.call(http.MethodDelete, communities+id+"/join-requests/"+rid, m.Access, nil).Expect(t, http.StatusNoContent)
			return want{actor: m.UserID, targetType: "join_request", targetID: rid, outcome: audit.Success, details: map[string]string{"community_id": id}, resp: r}
		}},
		{audit.ActionJoinRequestWithdraw, func(t *testing.T, a *auditor, w *watch) want {
			owner, _ := a.member("Hal Holder")
			m, _ := a.member("Ike Asker")
			other, _ := a.member("Meg Meddler")
			id := newCommunity(t, owner)
			rid := join(t, id, m)
			w.start(rid)
			r := a.call(http.MethodDelete, communities+id+"/join-requests/"+rid, other.Access, nil).Expect(t, http.StatusForbidden)
			return want{actor: other.UserID, targetType: "join_request", targetID: rid, outcome: audit.Denied, details: map[string]string{"reason": "not_requester"}, resp: r}
		}},
	}
}
