package governancehttp_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// startReplicas starts n instances of the service on one store (one
// database file, as processes on one host share it), each with its own
// clock, mail folder and notices job.
func startReplicas(t *testing.T, n int) []*instance {
	t.Helper()
	dataDir := t.TempDir()
	out := make([]*instance, n)
	for i := range out {
		in := &instance{clock: &apitest.Clock{}}
		app, err := apitest.TryStart(t, in.options(
			apitest.WithEnv("DATA_DIR", dataDir),
			apitest.WithEnv("MAIL_DIR", t.TempDir()),
		)...)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		in.App = app
		out[i] = in
	}
	return out
}

// The 7-day reminder is sent exactly once, and grant.expire recorded once,
// with two instances running their notices at the same moments against one
// store.
func TestGovernance_the_reminder_is_sent_once_by_two_instances(t *testing.T) {
	t.Parallel()
	apps := startReplicas(t, 2)
	a, b := apps[0], apps[1]
	owner, curator, researcher := newUser(t, a.App, "Olga Owner"), newUser(t, a.App, "Cara Curator"), newUser(t, a.App, "Rita Reminded")
	communityID, _ := newCommunity(t, a.App, curator, owner)
	ds := newDataset(t, a.App, owner, communityID, "restricted", "x,y\n")
	end := a.clock.Now().Add(30 * day).Truncate(time.Millisecond)
	id := ask(a.App, researcher, ds, map[string]any{"requested_until": at(end)}).Expect(t, http.StatusCreated).Str("id")
	// Each instance signs its own tokens: the curator signs in on the other one to decide there.
	onB := curator
	onB.relogin(b.App)
	grantID := b.Post(requestPath(ds, id, "/approve"), onB.Token, nil).Expect(t, http.StatusOK).Str("grant_id")

	reminders := func() int {
		n := 0
		for _, in := range apps {
			for _, m := range mailTo(t, in.App, researcher.Email, "ends on") {
				if !strings.Contains(m.Body, grantID) {
					t.Errorf("reminder without its grant: %s", m.Body)
				}
				n++
			}
		}
		return n
	}
	runBoth := func(until time.Time) {
		t.Helper()
		for _, in := range apps {
			in.clock.Advance(until.Sub(in.clock.Now()))
		}
		errs := porttestkit.Concurrently(6, func(i int) error {
			_, err := apps[i%2].gov.SendNotices(t.Context())
			return err
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("SendNotices %d: %v", i, err)
			}
		}
	}

	runBoth(end.Add(-7*day - time.Minute))
	if n := reminders(); n != 0 {
		t.Fatalf("%d reminders a minute before they are due", n)
	}
	runBoth(end.Add(-7*day + time.Minute))
	runBoth(end.Add(-6 * day))
	if n := reminders(); n != 1 {
		t.Fatalf("%d reminders, want exactly 1", n)
	}

	runBoth(end.Add(time.Second))
	runBoth(end.Add(time.Hour))
	adm := admin(b.App)
	events, _ := list(t, b.Get("/api/v1/audit-events?action=grant.expire&target_id="+grantID, adm.Token))
	if len(events) != 1 {
		t.Errorf("%d grant.expire events, want 1", len(events))
	}
	if n := reminders(); n != 1 {
		t.Errorf("%d reminders after the end, want 1", n)
	}
}
