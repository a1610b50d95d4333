package governancehttp_test

// Helpers shared by the governance *_e2e_test.go files.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mail"
	"github.com/civicdatatrust/civictrust/application/governanceapp"
)

const (
	password   = "Member-Passw0rd"
	day        = 24 * time.Hour
	timeFormat = "2006-01-02T15:04:05.000Z"
)

var seq atomic.Int64

// instance is a running service with its fake clock and its governance
// service (to run the notices job on demand).
type instance struct {
	*apitest.App
	clock *apitest.Clock
	gov   *governanceapp.Service
}

// options are what every instance starts with: the fake clock, and the
// governance service populated for the test.
func (in *instance) options(extra ...apitest.Option) []apitest.Option {
	return append([]apitest.Option{
		apitest.WithClock(in.clock),
		apitest.WithFxOption(fx.Populate(&in.gov)),
	}, extra...)
}

func start(t *testing.T) *instance {
	t.Helper()
	in := &instance{clock: &apitest.Clock{}}
	in.App = apitest.Start(t, in.options()...)
	return in
}

// user is a signed-in user.
type user struct {
	Name, Email, ID, Token string
}

// newUser signs up and signs in a member.
func newUser(t *testing.T, app *apitest.App, name string) user {
	t.Helper()
	n := seq.Add(1)
	name = fmt.Sprintf("%s %d", name, n)
	email := fmt.Sprintf("%s.%d.%d@example.org", strings.ToLower(strings.Fields(name)[0]), n, time.Now().UnixNano())
	id := app.Signup(name, email, password)
	tok := app.Login(email, password)
	return user{Name: name, Email: email, ID: id, Token: tok.Access}
}

// relogin signs u in again (after the clock moved past the token's life).
func (u *user) relogin(app *apitest.App) {
	pw := password
	if u.Email == apitest.AdminEmail {
		pw = apitest.AdminPassword
	}
	u.Token = app.Login(u.Email, pw).Access
}

func admin(app *apitest.App) user {
	tok := app.Admin()
	return user{Name: "Administrator", Email: apitest.AdminEmail, ID: tok.UserID, Token: tok.Access}
}

// newCommunity creates a community whose admin is the creator; members join as members.
func newCommunity(t *testing.T, app *apitest.App, creator user, members ...user) (id, name string) {
	t.Helper()
	name = fmt.Sprintf("Riverside %d", seq.Add(1))
	id = app.Post("/api/v1/communities", creator.Token, map[string]any{"name": name}).Expect(t, http.StatusCreated).Str("id")
	for _, m := range members {
		app.Post("/api/v1/communities/"+id+"/members", creator.Token, map[string]any{"user_id": m.ID, "role": "member"}).
			Expect(t, http.StatusCreated)
	}
	return id, name
}

// newDataset uploads content as a dataset of the owner's in a community.
func newDataset(t *testing.T, app *apitest.App, owner user, communityID, visibility, content string) string {
	t.Helper()
	r := app.Upload(http.MethodPost, "/api/v1/datasets/create", owner.Token, map[string]string{
		"title": fmt.Sprintf("Noise near schools %d", seq.Add(1)), "community_id": communityID, "visibility": visibility,
	}, "noise.csv", strings.NewReader(content))
	r.Expect(t, http.StatusCreated)
	if got := r.Str("visibility"); got != visibility {
		t.Fatalf("visibility %q, want %q", got, visibility)
	}
	return r.Str("id")
}

func dsPath(id string, rest ...string) string {
	return "/api/v1/datasets/" + id + strings.Join(rest, "")
}

func at(t time.Time) string { return t.UTC().Format(timeFormat) }

// ask files u's access request for a dataset.
func ask(app *apitest.App, u user, datasetID string, body map[string]any) *apitest.Response {
	b := map[string]any{"purpose": "Modelling traffic noise near schools for the council", "organization": "City Lab",
		"requested_until": at(time.Now().Add(60 * day))}
	for k, v := range body {
		b[k] = v
	}
	return app.Post(dsPath(datasetID, "/access-requests"), u.Token, b)
}

func requestPath(datasetID, requestID string, rest ...string) string {
	return dsPath(datasetID, "/access-requests/", requestID) + strings.Join(rest, "")
}

// list decodes an envelope list.
func list(t *testing.T, r *apitest.Response) ([]map[string]any, int) {
	t.Helper()
	r.Expect(t, http.StatusOK)
	var env struct {
		Status     string           `json:"status"`
		Data       []map[string]any `json:"data"`
		Pagination struct {
			Total int `json:"total"`
		} `json:"pagination"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Status != "success" || env.Data == nil {
		t.Fatalf("list body %s (%v)", r.Body, err)
	}
	return env.Data, env.Pagination.Total
}

// mailTo returns the messages sent to addr whose subject contains part.
func mailTo(t *testing.T, app *apitest.App, addr, part string) []mail.StoredMessage {
	t.Helper()
	return slices.DeleteFunc(app.MailTo(t, addr), func(m mail.StoredMessage) bool { return !strings.Contains(m.Subject, part) })
}

// download fetches a dataset's file (version 0: the current one).
func download(app *apitest.App, u user, datasetID string, version int) *apitest.Response {
	path := dsPath(datasetID, "/download")
	if version > 0 {
		path += fmt.Sprintf("?version=%d", version)
	}
	return app.Get(path, u.Token)
}

func sameBytes(a []byte, b string) bool { return bytes.Equal(a, []byte(b)) }
