package communityhttp_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestMembers_add_list_remove(t *testing.T) {
	app := apitest.Start(t)
	owner := cmNewUser(t, app, "Olive Owner")
	mia := cmNewUser(t, app, "Mia Member")
	oscar := cmNewUser(t, app, "Oscar Outsider")
	bobID, _ := cmSignup(t, app, "Bob Builder")
	id := cmCreateID(t, app, owner.Token, "Riverside")
	members := cmPath(id, "/members")

	t.Run("add_answers_201_with_the_membership", func(t *testing.T) {
		r := app.Post(members, owner.Token, map[string]any{"user_id": mia.ID}).Expect(t, http.StatusCreated)
		m := r.JSON()
		if m["community_id"] != id || m["user_id"] != mia.ID || m["role"] != "member" || m["name"] != mia.Name {
			t.Errorf("membership = %v", m)
		}
		if s, _ := m["added_at"].(string); !apitest.TimeRE.MatchString(s) {
			t.Errorf("added_at = %v", m["added_at"])
		}
		if n := cmMemberCount(t, app, owner.Token, id); n != 2 {
			t.Errorf("member_count %d, want 2", n)
		}
	})

	t.Run("a_member_twice_is_409_by_either_route", func(t *testing.T) {
		cmError(t, app.Post(members, owner.Token, map[string]any{"user_id": mia.ID, "role": "admin"}), http.StatusConflict, "already_member")
		cmError(t, app.Post("/api/v1/users/add-to-community/"+id, owner.Token, map[string]any{"user_id": mia.ID}), http.StatusConflict, "already_member")
		if n := cmMemberCount(t, app, owner.Token, id); n != 2 {
			t.Errorf("member_count %d, want 2", n)
		}
	})

	t.Run("the_seed_route_answers_200_with_add_user_to_community_response", func(t *testing.T) {
		r := app.Post("/api/v1/users/add-to-community/"+id, owner.Token,
			map[string]any{"user_id": bobID, "community_id": id, "added_at": "2020-01-01T00:00:00Z"}).Expect(t, http.StatusOK)
		m := r.JSON()
		if m["user_id"] != bobID || m["community_id"] != id || len(m) != 3 {
			t.Errorf("answer = %v", m)
		}
		if s, _ := m["added_at"].(string); !apitest.TimeRE.MatchString(s) || s == "2020-01-01T00:00:00.000Z" {
			t.Errorf("added_at = %v, want the server's time", m["added_at"])
		}
	})

	t.Run("unknown_users_and_communities_are_404", func(t *testing.T) {
		for _, bad := range apitest.BadIDs() {
			cmError(t, app.Post(members, owner.Token, map[string]any{"user_id": bad}), http.StatusNotFound, "user_not_found")
			cmError(t, app.Post("/api/v1/users/add-to-community/"+id, owner.Token, map[string]any{"user_id": bad}), http.StatusNotFound, "user_not_found")
			cmError(t, app.Post(cmPath(bad, "/members"), owner.Token, map[string]any{"user_id": oscar.ID}), http.StatusNotFound, "community_not_found")
			cmError(t, app.Post("/api/v1/users/add-to-community/"+bad, owner.Token, map[string]any{"user_id": oscar.ID}), http.StatusNotFound, "community_not_found")
			cmError(t, app.Get(cmPath(bad, "/members"), owner.Token), http.StatusNotFound, "community_not_found")
			cmError(t, app.Delete(cmPath(bad, "/members/", mia.ID), owner.Token), http.StatusNotFound, "community_not_found")
			cmError(t, app.Delete(cmPath(id, "/members/", bad), owner.Token), http.StatusNotFound, "member_not_found")
		}
	})

	t.Run("only_admins_add_members", func(t *testing.T) {
		cmError(t, app.Post(members, oscar.Token, map[string]any{"user_id": oscar.ID}), http.StatusForbidden, "not_community_admin")
		cmError(t, app.Post(members, mia.Token, map[string]any{"user_id": oscar.ID}), http.StatusForbidden, "not_community_admin")
		cmError(t, app.Post("/api/v1/users/add-to-community/"+id, oscar.Token, map[string]any{"user_id": oscar.ID}), http.StatusForbidden, "not_community_admin")
	})

	t.Run("members_see_the_member_list_outsiders_do_not", func(t *testing.T) {
		list, pg := cmList(t, app.Get(members, mia.Token))
		if got := cmIDs(list, "user_id"); !slices.Equal(got, []string{owner.ID, mia.ID, bobID}) || pg["total"] != float64(3) {
			t.Errorf("members oldest first = %v, %v", got, pg)
		}
		if list[0]["role"] != "admin" || list[1]["role"] != "member" || list[2]["name"] != "Bob Builder" {
			t.Errorf("members = %v", list)
		}
		page, pg := cmList(t, app.Get(members+"?page=2&limit=2", mia.Token))
		if len(page) != 1 || pg["pages"] != float64(2) {
			t.Errorf("page 2 = %v %v", page, pg)
		}
		cmError(t, app.Get(members, oscar.Token), http.StatusForbidden, "community_members_only")
		cmList(t, app.Get(members, cmAdmin(t, app).Token))
	})

	t.Run("leaving_and_removing", func(t *testing.T) {
		cmError(t, app.Delete(cmPath(id, "/members/", bobID), oscar.Token), http.StatusForbidden, "not_community_admin")
		cmError(t, app.Delete(cmPath(id, "/members/", bobID), mia.Token), http.StatusForbidden, "not_community_admin")
		app.Delete(cmPath(id, "/members/", bobID), owner.Token).Expect(t, http.StatusNoContent)
		cmError(t, app.Delete(cmPath(id, "/members/", bobID), owner.Token), http.StatusNotFound, "member_not_found")
		app.Delete(cmPath(id, "/members/", mia.ID), mia.Token).Expect(t, http.StatusNoContent) // leaves
		cmError(t, app.Delete(cmPath(id, "/members/", oscar.ID), oscar.Token), http.StatusNotFound, "member_not_found")
		if n := cmMemberCount(t, app, owner.Token, id); n != 1 {
			t.Errorf("member_count %d, want 1", n)
		}
	})

	t.Run("the_last_admin_cannot_leave_or_be_removed", func(t *testing.T) {
		cmError(t, app.Delete(cmPath(id, "/members/", owner.ID), owner.Token), http.StatusConflict, "last_community_admin")
		cmError(t, app.Delete(cmPath(id, "/members/", owner.ID), cmAdmin(t, app).Token), http.StatusConflict, "last_community_admin")
		cmAddMember(t, app, owner.Token, id, mia.ID, "admin")
		// Mia administers now: she may remove the owner, and is then the last admin.
		app.Delete(cmPath(id, "/members/", owner.ID), mia.Token).Expect(t, http.StatusNoContent)
		cmError(t, app.Delete(cmPath(id, "/members/", mia.ID), mia.Token), http.StatusConflict, "last_community_admin")
		cmError(t, app.Put(cmPath(id), owner.Token, map[string]any{"name": "Former"}), http.StatusForbidden, "not_community_admin")
		list, _ := cmList(t, app.Get(members, mia.Token))
		if len(list) != 1 || list[0]["user_id"] != mia.ID || list[0]["role"] != "admin" {
			t.Errorf("members = %v", list)
		}
	})
}

func TestMembers_user_communities(t *testing.T) {
	app := apitest.Start(t)
	admin := cmAdmin(t, app)
	mia := cmNewUser(t, app, "Mia Member")
	oscar := cmNewUser(t, app, "Oscar Outsider")
	a := cmCreateID(t, app, mia.Token, "Alpha")
	b := cmCreateID(t, app, oscar.Token, "Beta")
	cmCreateID(t, app, oscar.Token, "Gamma")
	cmAddMember(t, app, oscar.Token, b, mia.ID, "member")

	path := "/api/v1/users/" + mia.ID + "/communities"
	mine, pg := cmList(t, app.Get(path, mia.Token))
	if got := cmIDs(mine, "id"); !slices.Equal(got, []string{a, b}) || pg["total"] != float64(2) {
		t.Errorf("own communities = %v %v", got, pg)
	}
	for _, c := range mine {
		cmCheckCommunity(t, c)
	}
	if mine[1]["member_count"] != float64(2) {
		t.Errorf("Beta member_count = %v", mine[1]["member_count"])
	}
	page, pg := cmList(t, app.Get(path+"?page=2&limit=1", mia.Token))
	if got := cmIDs(page, "id"); !slices.Equal(got, []string{b}) || pg["pages"] != float64(2) {
		t.Errorf("page 2 = %v %v", got, pg)
	}
	cmError(t, app.Get(path, oscar.Token), http.StatusForbidden, "not_allowed")
	viaAdmin, _ := cmList(t, app.Get(path, admin.Token))
	if len(viaAdmin) != 2 {
		t.Errorf("admin sees %d communities", len(viaAdmin))
	}
	for _, bad := range apitest.BadIDs() {
		cmError(t, app.Get("/api/v1/users/"+bad+"/communities", admin.Token), http.StatusNotFound, "user_not_found")
	}
	cm422(t, app.Get(path+"?limit=0", mia.Token), "greater_than_equal", "query", "limit")
}

// Deleting a user ends their memberships everywhere (recorded as
// membership.remove by whoever deleted them), and is refused while they are
// the only administrator of a community, as leaving it is.
func TestMembers_a_deleted_user_leaves_every_community(t *testing.T) {
	app := apitest.Start(t)
	admin := cmAdmin(t, app)
	owner := cmNewUser(t, app, "Olive Owner")
	mia := cmNewUser(t, app, "Mia Member")
	riverside := cmCreateID(t, app, owner.Token, "Riverside")
	cmAddMember(t, app, owner.Token, riverside, mia.ID, "member")
	hillside := cmCreateID(t, app, mia.Token, "Hillside") // Mia administers it alone
	lakeside := cmCreateID(t, app, owner.Token, "Lakeside")
	app.Post(cmPath(lakeside, "/join-requests"), mia.Token, map[string]any{"message": "May I join?"}).Expect(t, http.StatusCreated)
	user := "/api/v1/users/" + mia.ID

	t.Run("the_only_admin_of_a_community_is_not_deleted", func(t *testing.T) {
		cmError(t, app.Delete(user, mia.Token), http.StatusConflict, "last_community_admin")
		cmError(t, app.Delete(user, admin.Token), http.StatusConflict, "last_community_admin")
		app.Get("/api/v1/auth/me", mia.Token).Expect(t, http.StatusOK) // nothing changed: her session works
		if n := cmMemberCount(t, app, owner.Token, riverside); n != 2 {
			t.Errorf("Riverside member_count %d, want 2", n)
		}
	})

	t.Run("with_another_admin_named_the_user_is_deleted_and_leaves", func(t *testing.T) {
		cmAddMember(t, app, mia.Token, hillside, owner.ID, "admin")
		app.Delete(user, mia.Token).Expect(t, http.StatusNoContent)
		list, _ := cmList(t, app.Get(cmPath(riverside, "/members"), owner.Token))
		if got := cmIDs(list, "user_id"); !slices.Equal(got, []string{owner.ID}) {
			t.Errorf("Riverside members = %v, want only the owner", got)
		}
		list, _ = cmList(t, app.Get(cmPath(hillside, "/members"), owner.Token))
		if len(list) != 1 || list[0]["user_id"] != owner.ID || list[0]["role"] != "admin" {
			t.Errorf("Hillside members = %v, want the owner as its admin", list)
		}
		for _, id := range []string{riverside, hillside} {
			if n := cmMemberCount(t, app, owner.Token, id); n != 1 {
				t.Errorf("community %s member_count %d, want 1", id, n)
			}
		}
		// The owner is now Hillside's only administrator: they may not leave it.
		cmError(t, app.Delete(cmPath(hillside, "/members/", owner.ID), owner.Token), http.StatusConflict, "last_community_admin")
		// Her pending request to Lakeside is withdrawn.
		pending, _ := cmList(t, app.Get(cmPath(lakeside, "/join-requests?status=pending"), owner.Token))
		withdrawn, _ := cmList(t, app.Get(cmPath(lakeside, "/join-requests?status=withdrawn"), owner.Token))
		if len(pending) != 0 || len(withdrawn) != 1 || withdrawn[0]["user_id"] != mia.ID {
			t.Errorf("Lakeside's requests: pending %v, withdrawn %v; want hers withdrawn", pending, withdrawn)
		}
	})

	t.Run("what_the_deletion_ended_is_in_the_audit_trail", func(t *testing.T) {
		type event struct {
			ActorID  string            `json:"actor_id"`
			TargetID string            `json:"target_id"`
			Details  map[string]string `json:"details"`
		}
		endedBy := func(action string) []string { // target ids of the events the deletion caused
			r := app.Get("/api/v1/audit-events?action="+action, admin.Token).Expect(t, http.StatusOK)
			var out struct {
				Data []event `json:"data"`
			}
			if err := json.Unmarshal(r.Body, &out); err != nil {
				t.Fatal(err)
			}
			var ended []string
			for _, e := range out.Data {
				if e.Details["user_id"] == mia.ID && e.Details["cause"] == "user_deleted" && e.ActorID == mia.ID {
					ended = append(ended, e.Details["community_id"]+e.TargetID)
				}
			}
			slices.Sort(ended)
			return ended
		}
		want := []string{riverside, hillside}
		slices.Sort(want)
		if got := endedBy("membership.remove"); !slices.Equal(got, want) {
			t.Errorf("membership.remove events for the deleted user = %v, want %v", got, want)
		}
		if got := endedBy("join_request.withdraw"); len(got) != 1 || !strings.HasPrefix(got[0], lakeside) {
			t.Errorf("join_request.withdraw events for the deleted user = %v, want one in %s", got, lakeside)
		}
	})
}
