package identityhttp_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

type sessionList struct {
	Status     string           `json:"status"`
	Message    string           `json:"message"`
	Data       []map[string]any `json:"data"`
	Pagination map[string]any   `json:"pagination"`
}

func listSessions(t *testing.T, app *apitest.App, access, query string) sessionList {
	t.Helper()
	r := app.Get(authPath+"/sessions"+query, access).Expect(t, http.StatusOK)
	expectAuthHeaders(t, r)
	var l sessionList
	if err := json.Unmarshal(r.Body, &l); err != nil {
		t.Fatalf("sessions: %v: %s", err, r.Body)
	}
	return l
}

func pages(page, limit, total, n int) map[string]any {
	return map[string]any{"page": float64(page), "limit": float64(limit), "total": float64(total), "pages": float64(n)}
}

func TestAuthSessions(t *testing.T) {
	app := apitest.Start(t)

	t.Run("lists_own_sessions_with_current_flag", func(t *testing.T) {
		email, a := newMember(t, app, "sa")
		b := login(t, app, email, memberPassword)
		c := login(t, app, email, memberPassword)
		_, stranger := newMember(t, app, "st")
		l := listSessions(t, app, a.Access, "")
		if l.Status != "success" || l.Message == "" {
			t.Errorf("envelope status %q message %q", l.Status, l.Message)
		}
		if !reflect.DeepEqual(l.Pagination, pages(1, 20, 3, 1)) {
			t.Errorf("pagination %v", l.Pagination)
		}
		want := map[string]bool{sessionID(t, a.Access): true, sessionID(t, b.Access): false, sessionID(t, c.Access): false}
		if len(l.Data) != 3 {
			t.Fatalf("data %v, want 3 sessions", l.Data)
		}
		for _, s := range l.Data {
			id, _ := s["id"].(string)
			current, known := want[id]
			if !known {
				t.Errorf("unexpected session %v (the stranger's is %s)", s, sessionID(t, stranger.Access))
				continue
			}
			if s["current"] != current {
				t.Errorf("session %s current = %v, want %v", id, s["current"], current)
			}
			for _, k := range []string{"created_at", "last_used_at", "expires_at"} {
				if v, _ := s[k].(string); !apitest.TimeRE.MatchString(v) {
					t.Errorf("%s = %#v", k, s[k])
				}
			}
			if s["ip"] != "127.0.0.1" || s["user_agent"] == "" {
				t.Errorf("ip %v user_agent %v", s["ip"], s["user_agent"])
			}
		}
		// Newest first; from b, b is the current one.
		if l.Data[0]["id"] != sessionID(t, c.Access) {
			t.Errorf("first session %v, want the newest", l.Data[0]["id"])
		}
		for _, s := range listSessions(t, app, b.Access, "").Data {
			if (s["id"] == sessionID(t, b.Access)) != (s["current"] == true) {
				t.Errorf("from b: %v", s)
			}
		}
	})

	t.Run("pagination", func(t *testing.T) {
		email, a := newMember(t, app, "pg")
		login(t, app, email, memberPassword)
		login(t, app, email, memberPassword)
		l := listSessions(t, app, a.Access, "?page=2&limit=2")
		if len(l.Data) != 1 || !reflect.DeepEqual(l.Pagination, pages(2, 2, 3, 2)) {
			t.Errorf("page 2: %d sessions, pagination %v", len(l.Data), l.Pagination)
		}
		l = listSessions(t, app, a.Access, "?page=5")
		if len(l.Data) != 0 || !reflect.DeepEqual(l.Pagination, pages(5, 20, 3, 1)) {
			t.Errorf("page 5: %d sessions, pagination %v", len(l.Data), l.Pagination)
		}
		for q, want := range map[string]fieldError{
			"?limit=0":   {Type: "greater_than_equal", Loc: loc("query", "limit"), Msg: "Input should be greater than or equal to 1"},
			"?limit=101": {Type: "less_than_equal", Loc: loc("query", "limit"), Msg: "Input should be less than or equal to 100"},
			"?page=0":    {Type: "greater_than_equal", Loc: loc("query", "page"), Msg: "Input should be greater than or equal to 1"},
			"?page=x":    {Type: "int_parsing", Loc: loc("query", "page"), Msg: "Input should be a valid integer, unable to parse string as an integer"},
		} {
			errs := validationErrors(t, app.Get(authPath+"/sessions"+q, a.Access))
			if len(errs) != 1 {
				t.Errorf("%s: %v", q, errs)
				continue
			}
			expectEntry(t, errs[0], want.Type, want.Loc, want.Msg)
		}
	})

	t.Run("revoking_own_session", func(t *testing.T) {
		email, a := newMember(t, app, "rv")
		b := login(t, app, email, memberPassword)
		r := app.Delete(authPath+"/sessions/"+sessionID(t, b.Access), a.Access)
		expectEmpty(t, r)
		expectAuthHeaders(t, r)
		expectUnauthorized(t, me(app, b.Access), msgInvalidToken)
		expectUnauthorized(t, refresh(app, b.Refresh), msgInvalidRefresh)
		me(app, a.Access).Expect(t, http.StatusOK)
		if l := listSessions(t, app, a.Access, ""); len(l.Data) != 1 || l.Data[0]["current"] != true {
			t.Errorf("after revoking: %v", l.Data)
		}
		// Revoking one's current session is a logout.
		expectEmpty(t, app.Delete(authPath+"/sessions/"+sessionID(t, a.Access), a.Access))
		expectUnauthorized(t, me(app, a.Access), msgInvalidToken)
	})

	t.Run("other_users_and_unknown_sessions_are_not_found", func(t *testing.T) {
		_, a := newMember(t, app, "nf")
		_, other := newMember(t, app, "ot")
		for _, id := range []string{sessionID(t, other.Access), "nope", "0123456789abcdef01234567"} {
			expectCode(t, app.Delete(authPath+"/sessions/"+id, a.Access), http.StatusNotFound, "Session not found", "session_not_found")
		}
		me(app, other.Access).Expect(t, http.StatusOK)
		refresh(app, other.Refresh).Expect(t, http.StatusOK)
	})

	t.Run("logout_all_ends_every_session", func(t *testing.T) {
		email, a := newMember(t, app, "la")
		b := login(t, app, email, memberPassword)
		_, bystander := newMember(t, app, "by")
		r := app.Post(authPath+"/logout-all", a.Access, nil)
		expectEmpty(t, r)
		expectAuthHeaders(t, r)
		for _, tok := range []struct{ access, refresh string }{{a.Access, a.Refresh}, {b.Access, b.Refresh}} {
			expectUnauthorized(t, me(app, tok.access), msgInvalidToken)
			expectUnauthorized(t, refresh(app, tok.refresh), msgInvalidRefresh)
		}
		me(app, bystander.Access).Expect(t, http.StatusOK)
		fresh := login(t, app, email, memberPassword)
		if l := listSessions(t, app, fresh.Access, ""); len(l.Data) != 1 {
			t.Errorf("after logout-all and a new login: %v", l.Data)
		}
	})
}
