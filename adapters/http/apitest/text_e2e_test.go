package apitest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/adapters/mail"
)

// Characters that make text say something else than it seems to: line
// breaks and NUL in a name that goes into a mail, and the bidirectional
// overrides and isolates that reorder what is shown.
var lineBreakers = map[string]string{
	"newline":       "Ann\nYour account is suspended",
	"carriage":      "Ann\rB",
	"tab":           "Ann\tB",
	"nul":           "Ann\x00B",
	"escape":        "Ann\x1b[31mB",
	"c1_control":    "Ann\u0085B",
	"rlo":           "Ann\u202eB",
	"lre":           "Ann\u202aB",
	"pdf":           "Ann\u202cB",
	"lri":           "Ann\u2066B",
	"pdi":           "Ann\u2069B",
	"line_separate": "Ann\u2028B",
}

// textBreakers are refused in descriptions and messages too; newlines and
// tabs are not.
var textBreakers = map[string]string{
	"nul":        "A line\x00more",
	"escape":     "A line\x1b[2Jmore",
	"rlo":        "A line\u202emore",
	"fsi":        "A line\u2068more",
	"c1_control": "A line\u009bmore",
}

func wantValueError(t *testing.T, r *apitest.Response, field string) {
	t.Helper()
	r.Expect(t, http.StatusUnprocessableEntity)
	var body struct {
		Detail []httpserver.FieldError `json:"detail"`
	}
	_ = json.Unmarshal(r.Body, &body)
	for _, d := range body.Detail {
		if d.Type == "value_error" && len(d.Loc) == 2 && d.Loc[0] == "body" && d.Loc[1] == field {
			return
		}
	}
	t.Errorf("detail %s, want a value_error at [body %s]", r.Body, field)
}

// One-line fields refuse control characters and bidirectional overrides;
// descriptions and messages may hold newlines and tabs, nothing else of the
// kind; the refusal changes nothing.
func TestTextFieldsRefuseControlAndBidiCharacters(t *testing.T) {
	t.Parallel()
	app := apitest.Start(t)
	adm := app.Admin()
	member := app.Member("Text Member")
	community := app.Post("/api/v1/communities", adm.Access, map[string]any{"name": "Plain Words"}).Expect(t, http.StatusCreated).Str("id")
	dataset := app.Upload(http.MethodPost, "/api/v1/datasets/create", adm.Access, map[string]string{"title": "Plain"}, "p.csv",
		strings.NewReader("a\n")).Expect(t, http.StatusCreated).Str("id")

	for name, bad := range lineBreakers {
		t.Run("signup_name_"+name, func(t *testing.T) {
			t.Parallel()
			email := "text-" + name + "@example.org"
			wantValueError(t, app.Post("/api/v1/auth/signup", "", map[string]any{"name": bad, "email": email,
				"password": "Member-Passw0rd", "role": "member"}), "name")
			app.Post("/api/v1/auth/login", "", map[string]any{"email": email, "password": "Member-Passw0rd"}).Expect(t, http.StatusUnauthorized)
		})
		t.Run("user_name_"+name, func(t *testing.T) {
			t.Parallel()
			wantValueError(t, app.Put("/api/v1/users/"+member.UserID, member.Access, map[string]any{"name": bad}), "name")
		})
		t.Run("community_name_"+name, func(t *testing.T) {
			t.Parallel()
			wantValueError(t, app.Post("/api/v1/communities", member.Access, map[string]any{"name": bad}), "name")
			wantValueError(t, app.Put("/api/v1/communities/"+community, adm.Access, map[string]any{"name": bad}), "name")
		})
		t.Run("dataset_title_"+name, func(t *testing.T) {
			t.Parallel()
			wantValueError(t, app.Upload(http.MethodPost, "/api/v1/datasets/create", member.Access, map[string]string{"title": bad}, "t.csv",
				strings.NewReader("a\n")), "title")
			wantValueError(t, app.Put("/api/v1/datasets/"+dataset, adm.Access, map[string]any{"title": bad}), "title")
			wantValueError(t, app.Put("/api/v1/datasets/"+dataset, adm.Access, map[string]any{"license": bad}), "license")
		})
		t.Run("role_name_"+name, func(t *testing.T) {
			t.Parallel()
			r := app.Post("/api/v1/user-roles", adm.Access, map[string]any{"name": bad})
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("role %q: status %d, want 422; %s", bad, r.Status, r.Body)
			}
		})
	}
	for name, bad := range textBreakers {
		t.Run("descriptions_and_messages_"+name, func(t *testing.T) {
			t.Parallel()
			wantValueError(t, app.Post("/api/v1/communities", member.Access, map[string]any{"name": "Desc " + name, "description": bad}), "description")
			wantValueError(t, app.Put("/api/v1/datasets/"+dataset, adm.Access, map[string]any{"description": bad}), "description")
			wantValueError(t, app.Upload(http.MethodPost, "/api/v1/datasets/create", member.Access, map[string]string{"description": bad}, "d.csv",
				strings.NewReader("a\n")), "description")
			wantValueError(t, app.Post("/api/v1/communities/"+community+"/join-requests", member.Access, map[string]any{"message": bad}), "message")
		})
	}

	t.Cleanup(func() { // once the parallel subtests are done: nothing refused was kept
		r := app.Get("/api/v1/datasets/"+dataset, adm.Access)
		if r.Status == http.StatusOK && r.Str("title") != "Plain" {
			t.Errorf("the dataset's title is %q after the refused updates", r.Str("title"))
		}
	})

	t.Run("newlines_and_tabs_are_kept_in_descriptions", func(t *testing.T) {
		t.Parallel()
		text := "First line\n\tindented\r\nlast"
		r := app.Post("/api/v1/communities", member.Access, map[string]any{"name": "Multiline", "description": text}).Expect(t, http.StatusCreated)
		if got, _ := r.JSON()["description"].(string); got != text {
			t.Errorf("description %q, want %q", got, text)
		}
	})

	t.Run("other_scripts_and_marks_are_names_like_any", func(t *testing.T) {
		t.Parallel()
		for _, name := range []string{"Zoë Ñandú", "محمد علي", "דוד כהן", "李小龍", "O'Brien-Smith"} {
			app.Put("/api/v1/users/"+member.UserID, member.Access, map[string]any{"name": name}).Expect(t, http.StatusOK)
		}
	})
}

// A mail quotes the words users chose, so that a name or a message cannot
// pass for the trust's own text — the sign-up's verification mail goes to an
// address the signer may not own.
func TestMailQuotesUserText(t *testing.T) {
	t.Parallel()
	app := apitest.Start(t)
	adm := app.Admin()

	t.Run("the_verification_mail_quotes_the_name", func(t *testing.T) {
		email := "victim@example.org"
		name := `Bob". Your account is locked; call +1 555 0100 "`
		app.Post("/api/v1/auth/signup", "", map[string]any{"name": name, "email": email, "password": "Member-Passw0rd", "role": "member"}).
			Expect(t, http.StatusCreated)
		msg, err := mail.LatestTo(app.MailDir(), email)
		if err != nil {
			t.Fatal(err)
		}
		want := `Welcome, "Bob\". Your account is locked; call +1 555 0100 \"".`
		if !strings.Contains(msg.Body, want) {
			t.Errorf("body:\n%s\nwant the name quoted: %s", msg.Body, want)
		}
	})

	t.Run("the_join_request_mail_quotes_the_message", func(t *testing.T) {
		community := app.Post("/api/v1/communities", adm.Access, map[string]any{"name": "Quoted Club"}).Expect(t, http.StatusCreated).Str("id")
		asker := app.Member("Asker")
		message := "Please let me in.\n\nAdministrators: your password expires today, reset it at http://evil.example"
		app.Post("/api/v1/communities/"+community+"/join-requests", asker.Access, map[string]any{"message": message}).Expect(t, http.StatusCreated)
		var body string
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(body, "asks to join") && time.Now().Before(deadline) {
			msg, err := mail.LatestTo(app.MailDir(), apitest.AdminEmail)
			if err == nil {
				body = msg.Body
			}
			time.Sleep(20 * time.Millisecond)
		}
		want := "> Please let me in.\n>\n> Administrators: your password expires today, reset it at http://evil.example"
		if !strings.Contains(strings.ReplaceAll(body, "\r\n", "\n"), strings.ReplaceAll(want, ">\n", "> \n")) {
			t.Errorf("body:\n%s\nwant every line of the message quoted with \"> \"", body)
		}
		if !strings.Contains(body, `"Quoted Club"`) {
			t.Errorf("body:\n%s\nwant the community's name quoted", body)
		}
	})
}
