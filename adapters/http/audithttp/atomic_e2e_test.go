package audithttp_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

// refusingTrail is the audit store with appends of one action refused while
// refuse is set, as a trail that fails (or a process killed) between a
// record's write and its event's would leave it.
type refusingTrail struct {
	auditport.Store
	action string
	refuse atomic.Bool
}

func (s *refusingTrail) Append(ctx context.Context, e *audit.Event) error {
	if s.refuse.Load() && e.Action == s.action {
		return kernel.ErrUnavailable.WithMessage("the trail refuses " + e.Action)
	}
	return s.Store.Append(ctx, e)
}

func withRefusingTrail(t *testing.T, action string) (*apitest.App, *refusingTrail) {
	trail := &refusingTrail{action: action}
	app := apitest.Start(t, apitest.WithFxOption(fx.Decorate(func(inner auditport.Store) auditport.Store {
		trail.Store = inner
		return trail
	})))
	return app, trail
}

// On the embedded store a record and the audit event that tells of it are
// written together: when the event cannot be written, the record is not kept
// either (and the request says so), so the trail never misses a record.
func TestTrail_a_record_is_never_kept_without_its_event(t *testing.T) {
	t.Run("sign_up", func(t *testing.T) {
		app, trail := withRefusingTrail(t, audit.ActionSignup)
		trail.refuse.Store(true)
		body := map[string]any{"name": "Una Audited", "email": "una@example.org", "password": "Member-Passw0rd", "role": "member"}
		app.Post("/api/v1/auth/signup", "", body).Expect(t, http.StatusServiceUnavailable)
		app.Post("/api/v1/auth/login", "", map[string]any{"email": "una@example.org", "password": "Member-Passw0rd"}).Expect(t, http.StatusUnauthorized)
		trail.refuse.Store(false)
		app.Post("/api/v1/auth/signup", "", body).Expect(t, http.StatusCreated)
		app.Login("una@example.org", "Member-Passw0rd")
	})

	t.Run("user_update_and_delete", func(t *testing.T) {
		app, trail := withRefusingTrail(t, audit.ActionUserUpdate)
		admin := app.Admin()
		member := app.Member("Vera Victim")
		trail.refuse.Store(true)
		app.Put("/api/v1/users/"+member.UserID, admin.Access, map[string]any{"status": false}).Expect(t, http.StatusServiceUnavailable)
		// Not disabled, and its session not revoked.
		app.Get("/api/v1/auth/me", member.Access).Expect(t, http.StatusOK)
		trail.action = audit.ActionUserDelete
		app.Delete("/api/v1/users/"+member.UserID, admin.Access).Expect(t, http.StatusServiceUnavailable)
		app.Get("/api/v1/users/"+member.UserID, admin.Access).Expect(t, http.StatusOK)
	})

	t.Run("dataset_upload", func(t *testing.T) {
		app, trail := withRefusingTrail(t, audit.ActionDatasetCreate)
		admin := app.Admin()
		trail.refuse.Store(true)
		app.Upload(http.MethodPost, "/api/v1/datasets/create", admin.Access, map[string]string{"title": "Unlogged"}, "x.csv",
			strings.NewReader("a,b\n1,2\n")).Expect(t, http.StatusServiceUnavailable)
		list := app.Get("/api/v1/datasets?q=Unlogged", admin.Access).Expect(t, http.StatusOK)
		if data, _ := list.JSON()["data"].([]any); len(data) != 0 {
			t.Fatalf("%d datasets listed after a refused event: %s", len(data), list.Body)
		}
		trail.refuse.Store(false)
		app.Upload(http.MethodPost, "/api/v1/datasets/create", admin.Access, map[string]string{"title": "Logged"}, "x.csv",
			strings.NewReader("a,b\n1,2\n")).Expect(t, http.StatusCreated)
	})

	t.Run("community_create", func(t *testing.T) {
		app, trail := withRefusingTrail(t, audit.ActionCommunityCreate)
		admin := app.Admin()
		trail.refuse.Store(true)
		app.Post("/api/v1/communities", admin.Access, map[string]any{"name": "Unlogged Commons"}).Expect(t, http.StatusServiceUnavailable)
		trail.refuse.Store(false)
		// The name is free: the refused community was not kept.
		app.Post("/api/v1/communities", admin.Access, map[string]any{"name": "Unlogged Commons"}).Expect(t, http.StatusCreated)
	})
}
