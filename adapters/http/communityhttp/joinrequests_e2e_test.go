package communityhttp_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// cmCheckRequest asserts a join request object is well formed.
func cmCheckRequest(t *testing.T, r map[string]any, status string) {
	t.Helper()
	if id, _ := r["id"].(string); !apitest.IDRE.MatchString(id) {
		t.Errorf("request id %v", r["id"])
	}
	if s, _ := r["created_at"].(string); !apitest.TimeRE.MatchString(s) {
		t.Errorf("created_at %v", r["created_at"])
	}
	if r["status"] != status {
		t.Errorf("status %v, want %s: %v", r["status"], status, r)
	}
	decided, _ := r["decided_at"].(string)
	if (status == "pending") != (decided == "") || decided != "" && !apitest.TimeRE.MatchString(decided) {
		t.Errorf("decided_at %v for a %s request", r["decided_at"], status)
	}
}

func TestJoinRequests_ask_list_decide_withdraw(t *testing.T) {
	app := apitest.Start(t)
	owner := cmNewUser(t, app, "Olive Owner")
	second := cmNewUser(t, app, "Sam Second")
	asker := cmNewUser(t, app, "Ada Asker")
	member := cmNewUser(t, app, "Mia Member")
	oscar := cmNewUser(t, app, "Oscar Outsider")
	id := cmCreateID(t, app, owner.Token, "Riverside")
	cmAddMember(t, app, owner.Token, id, second.ID, "admin")
	cmAddMember(t, app, owner.Token, id, member.ID, "member")
	joins := cmPath(id, "/join-requests")

	var reqID string
	t.Run("asking_answers_201_pending_and_mails_the_admins", func(t *testing.T) {
		r := app.Post(joins, asker.Token, map[string]any{"message": "I grow tomatoes"}).Expect(t, http.StatusCreated).JSON()
		cmCheckRequest(t, r, "pending")
		reqID = r["id"].(string)
		if r["community_id"] != id || r["user_id"] != asker.ID || r["message"] != "I grow tomatoes" || r["decided_by"] != nil {
			t.Errorf("request = %v", r)
		}
		for _, admin := range []cmUser{owner, second} {
			msgs := cmMailTo(t, app, admin.Email)
			if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "Riverside") || !strings.Contains(msgs[0].Body, "Ada Asker") ||
				!strings.Contains(msgs[0].Body, "I grow tomatoes") {
				t.Errorf("mail to admin %s: %+v", admin.Name, msgs)
			}
		}
		if msgs := cmMailTo(t, app, member.Email); len(msgs) != 0 {
			t.Errorf("a plain member was mailed: %+v", msgs)
		}
	})

	t.Run("a_second_pending_request_or_one_from_a_member_is_409", func(t *testing.T) {
		cmError(t, app.Post(joins, asker.Token, nil), http.StatusConflict, "join_request_pending")
		cmError(t, app.Post(joins, member.Token, map[string]any{"message": "again"}), http.StatusConflict, "already_member")
		cmError(t, app.Post(joins, owner.Token, nil), http.StatusConflict, "already_member")
	})

	t.Run("asking_for_someone_else_needs_an_admin", func(t *testing.T) {
		cmError(t, app.Post(joins, oscar.Token, map[string]any{"user_id": asker.ID}), http.StatusForbidden, "not_community_admin")
		for _, bad := range apitest.BadIDs() {
			cmError(t, app.Post(joins, owner.Token, map[string]any{"user_id": bad}), http.StatusNotFound, "user_not_found")
			cmError(t, app.Post(cmPath(bad, "/join-requests"), oscar.Token, nil), http.StatusNotFound, "community_not_found")
		}
		r := app.Post(joins, owner.Token, map[string]any{"user_id": oscar.ID, "community_id": id}).Expect(t, http.StatusCreated).JSON()
		if r["user_id"] != oscar.ID || r["message"] != nil {
			t.Errorf("request for oscar = %v", r)
		}
		// The request filed for oscar is his pending request.
		cmError(t, app.Post(joins, oscar.Token, map[string]any{"user_id": oscar.ID}), http.StatusConflict, "join_request_pending")
	})

	t.Run("admins_list_requests_by_status", func(t *testing.T) {
		all, pg := cmList(t, app.Get(joins, second.Token))
		if len(all) != 2 || pg["total"] != float64(2) || all[0]["id"] != reqID {
			t.Errorf("requests = %v %v", all, pg)
		}
		pending, _ := cmList(t, app.Get(joins+"?status=pending", owner.Token))
		if len(pending) != 2 {
			t.Errorf("pending = %v", pending)
		}
		approved, _ := cmList(t, app.Get(joins+"?status=approved", owner.Token))
		if len(approved) != 0 {
			t.Errorf("approved = %v", approved)
		}
		cmError(t, app.Get(joins, member.Token), http.StatusForbidden, "not_community_admin")
		cmError(t, app.Get(joins, asker.Token), http.StatusForbidden, "not_community_admin")
		for _, bad := range apitest.BadIDs() {
			cmError(t, app.Get(cmPath(bad, "/join-requests"), owner.Token), http.StatusNotFound, "community_not_found")
		}
	})

	t.Run("approving_adds_the_member_once", func(t *testing.T) {
		approve := cmPath(id, "/join-requests/", reqID, "/approve")
		cmError(t, app.Post(approve, member.Token, nil), http.StatusForbidden, "not_community_admin")
		cmError(t, app.Post(approve, asker.Token, nil), http.StatusForbidden, "not_community_admin")
		before := cmMemberCount(t, app, owner.Token, id)
		r := app.Post(approve, second.Token, nil).Expect(t, http.StatusOK).JSON()
		cmCheckRequest(t, r, "approved")
		if r["decided_by"] != second.ID || r["id"] != reqID {
			t.Errorf("approved = %v", r)
		}
		if n := cmMemberCount(t, app, owner.Token, id); n != before+1 {
			t.Errorf("member_count %d, want %d", n, before+1)
		}
		list, _ := cmList(t, app.Get(cmPath(id, "/members"), asker.Token)) // a member now
		if !slices.Contains(cmIDs(list, "user_id"), asker.ID) {
			t.Errorf("asker not among the members: %v", list)
		}
		msgs := cmMailTo(t, app, asker.Email)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "approved") {
			t.Errorf("mail to the requester: %+v", msgs)
		}
		cmError(t, app.Post(approve, owner.Token, nil), http.StatusConflict, "join_request_not_pending")
		cmError(t, app.Post(cmPath(id, "/join-requests/", reqID, "/reject"), owner.Token, nil), http.StatusConflict, "join_request_not_pending")
		cmError(t, app.Delete(cmPath(id, "/join-requests/", reqID), asker.Token), http.StatusConflict, "join_request_not_pending")
	})

	t.Run("unknown_requests_and_requests_of_another_community_are_404", func(t *testing.T) {
		other := cmCreateID(t, app, owner.Token, "Elsewhere")
		for _, bad := range append([]string{reqID}, apitest.BadIDs()...) {
			if bad == reqID {
				// reqID exists, but in Riverside
				cmError(t, app.Post(cmPath(other, "/join-requests/", bad, "/approve"), owner.Token, nil), http.StatusNotFound, "join_request_not_found")
				continue
			}
			cmError(t, app.Post(cmPath(id, "/join-requests/", bad, "/approve"), owner.Token, nil), http.StatusNotFound, "join_request_not_found")
			cmError(t, app.Post(cmPath(id, "/join-requests/", bad, "/reject"), owner.Token, nil), http.StatusNotFound, "join_request_not_found")
			cmError(t, app.Delete(cmPath(id, "/join-requests/", bad), asker.Token), http.StatusNotFound, "join_request_not_found")
			cmError(t, app.Post(cmPath(bad, "/join-requests/", reqID, "/approve"), owner.Token, nil), http.StatusNotFound, "community_not_found")
			cmError(t, app.Delete(cmPath(bad, "/join-requests/", reqID), asker.Token), http.StatusNotFound, "community_not_found")
		}
	})

	t.Run("rejecting_tells_the_reason", func(t *testing.T) {
		pending, _ := cmList(t, app.Get(joins+"?status=pending", owner.Token))
		if len(pending) != 1 || pending[0]["user_id"] != oscar.ID {
			t.Fatalf("pending = %v", pending)
		}
		rid := pending[0]["id"].(string)
		r := app.Post(cmPath(id, "/join-requests/", rid, "/reject"), owner.Token, map[string]any{"reason": "Residents only"}).Expect(t, http.StatusOK).JSON()
		cmCheckRequest(t, r, "rejected")
		if r["reason"] != "Residents only" || r["decided_by"] != owner.ID {
			t.Errorf("rejected = %v", r)
		}
		msgs := cmMailTo(t, app, oscar.Email)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "declined") || !strings.Contains(msgs[0].Body, "Residents only") {
			t.Errorf("mail to the requester: %+v", msgs)
		}
		// After a decision one may ask again; a reject without a body works too.
		again := app.Post(joins, oscar.Token, nil).Expect(t, http.StatusCreated).JSON()
		r = app.Post(cmPath(id, "/join-requests/", again["id"].(string), "/reject"), owner.Token, nil).Expect(t, http.StatusOK).JSON()
		if r["reason"] != nil {
			t.Errorf("reason = %v, want null", r["reason"])
		}
	})

	t.Run("only_the_requester_withdraws", func(t *testing.T) {
		r := app.Post(joins, oscar.Token, map[string]any{"message": "third time"}).Expect(t, http.StatusCreated).JSON()
		path := cmPath(id, "/join-requests/", r["id"].(string))
		cmError(t, app.Delete(path, owner.Token), http.StatusForbidden, "not_requester")
		cmError(t, app.Delete(path, asker.Token), http.StatusForbidden, "not_requester")
		app.Delete(path, oscar.Token).Expect(t, http.StatusNoContent)
		cmError(t, app.Delete(path, oscar.Token), http.StatusConflict, "join_request_not_pending")
		withdrawn, _ := cmList(t, app.Get(joins+"?status=withdrawn", owner.Token))
		if len(withdrawn) != 1 {
			t.Fatalf("withdrawn = %v", withdrawn)
		}
		cmCheckRequest(t, withdrawn[0], "withdrawn")
		app.Post(joins, oscar.Token, nil).Expect(t, http.StatusCreated)
	})
}
