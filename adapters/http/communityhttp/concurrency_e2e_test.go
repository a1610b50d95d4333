package communityhttp_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// The races the issue names, over HTTP on the embedded store, a few rounds each.
func TestConcurrency(t *testing.T) {
	app := apitest.Start(t)
	owner := cmNewUser(t, app, "Olive Owner")
	second := cmNewUser(t, app, "Sam Second")

	t.Run("two_admins_approving_one_request_make_one_membership_and_one_409", func(t *testing.T) {
		id := cmCreateID(t, app, owner.Token, "Approvals")
		cmAddMember(t, app, owner.Token, id, second.ID, "admin")
		admins := []cmUser{owner, second}
		for round := range 4 {
			asker := cmNewUser(t, app, fmt.Sprintf("Asker %d", round))
			req := app.Post(cmPath(id, "/join-requests"), asker.Token, nil).Expect(t, http.StatusCreated).JSON()
			approve := cmPath(id, "/join-requests/", req["id"].(string), "/approve")
			before := cmMemberCount(t, app, owner.Token, id)
			statuses := cmAtOnce(2, func(i int) *apitest.Response { return app.Post(approve, admins[i].Token, nil) })
			if cmCount(statuses, http.StatusOK) != 1 || cmCount(statuses, http.StatusConflict) != 1 {
				t.Errorf("round %d: statuses %v, want one 200 and one 409", round, statuses)
			}
			if n := cmMemberCount(t, app, owner.Token, id); n != before+1 {
				t.Errorf("round %d: member_count %d, want %d", round, n, before+1)
			}
			members, _ := cmList(t, app.Get(cmPath(id, "/members?limit=100"), owner.Token))
			seen := 0
			for _, m := range members {
				if m["user_id"] == asker.ID {
					seen++
				}
			}
			if seen != 1 {
				t.Errorf("round %d: the requester is listed %d times", round, seen)
			}
		}
	})

	t.Run("twenty_users_added_at_once_count_exactly", func(t *testing.T) {
		id := cmCreateID(t, app, owner.Token, "Crowd")
		const n = 20
		users := make([]string, n)
		for i := range users {
			users[i], _ = cmSignup(t, app, fmt.Sprintf("Crowd Member %d", i))
		}
		statuses := cmAtOnce(n, func(i int) *apitest.Response {
			if i%2 == 0 {
				return app.Post(cmPath(id, "/members"), owner.Token, map[string]any{"user_id": users[i]})
			}
			return app.Post("/api/v1/users/add-to-community/"+id, owner.Token, map[string]any{"user_id": users[i]})
		})
		if cmCount(statuses, http.StatusCreated) != n/2 || cmCount(statuses, http.StatusOK) != n/2 {
			t.Errorf("statuses %v", statuses)
		}
		if got := cmMemberCount(t, app, owner.Token, id); got != n+1 {
			t.Errorf("member_count %d, want %d", got, n+1)
		}
		_, pg := cmList(t, app.Get(cmPath(id, "/members"), owner.Token))
		if pg["total"] != float64(n+1) {
			t.Errorf("member list total %v, want %d", pg["total"], n+1)
		}
		// The same user twenty times at once: one membership.
		lone, _ := cmSignup(t, app, "Lone Member")
		statuses = cmAtOnce(n, func(int) *apitest.Response {
			return app.Post(cmPath(id, "/members"), owner.Token, map[string]any{"user_id": lone})
		})
		if cmCount(statuses, http.StatusCreated) != 1 || cmCount(statuses, http.StatusConflict) != n-1 {
			t.Errorf("one user added %d times at once: %v", n, statuses)
		}
		if got := cmMemberCount(t, app, owner.Token, id); got != n+2 {
			t.Errorf("member_count %d, want %d", got, n+2)
		}
	})

	t.Run("two_admins_leaving_at_once_one_204_one_409", func(t *testing.T) {
		for round := range 4 {
			id := cmCreateID(t, app, owner.Token, fmt.Sprintf("Leavers %d", round))
			cmAddMember(t, app, owner.Token, id, second.ID, "admin")
			admins := []cmUser{owner, second}
			statuses := cmAtOnce(2, func(i int) *apitest.Response {
				return app.Delete(cmPath(id, "/members/", admins[i].ID), admins[i].Token)
			})
			if cmCount(statuses, http.StatusNoContent) != 1 || cmCount(statuses, http.StatusConflict) != 1 {
				t.Fatalf("round %d: statuses %v, want one 204 and one 409", round, statuses)
			}
			stayer := admins[0]
			if statuses[0] == http.StatusNoContent {
				stayer = admins[1]
			}
			members, _ := cmList(t, app.Get(cmPath(id, "/members"), stayer.Token))
			if len(members) != 1 || members[0]["user_id"] != stayer.ID || members[0]["role"] != "admin" {
				t.Errorf("round %d: members %v, want the one who stayed, as admin", round, members)
			}
			app.Put(cmPath(id), stayer.Token, map[string]any{"description": "still run"}).Expect(t, http.StatusOK)
		}
	})
}
