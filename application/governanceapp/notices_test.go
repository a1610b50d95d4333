package governanceapp_test

import (
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/application/governanceapp"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// The reminder 7 days before the end is sent exactly once, and grant.expire
// recorded exactly once, with two instances of the service (their own
// clocks, mailers and audit logs) running the notices at once, again and
// again, against one store.
func TestNotices_two_instances_on_one_store_do_each_once(t *testing.T) {
	t.Parallel()
	const runs = 8
	st := newStore()
	st.notices = newBarrier(st.notices, runs)
	a, b := newFixture(t, st), newFixture(t, st)
	instances := []*fixture{a, b}
	_, long := a.grantFor(t, researchID, 30)    // reminded at day 23, ends at day 30
	_, short := a.grantFor(t, memberID, 7)      // lasts 7 days: no moment 7 days before its end falls in it
	_, revoked := b.grantFor(t, strangerID, 60) // revoked before its reminder
	_, err := b.svc.Revoke(ctxFrom(t), who(strangerID), revoked.ID, "done early")
	porttestkit.MustNil(t, err, "Revoke")
	a.mail.sent, b.mail.sent = nil, nil // forget the decisions' mails

	runAll := func(at time.Time) {
		t.Helper()
		for _, f := range instances {
			f.clock.set(at)
		}
		errs := porttestkit.Concurrently(runs, func(i int) error {
			_, err := instances[i%2].svc.SendNotices(t.Context())
			return err
		})
		for i, err := range errs {
			porttestkit.MustNil(t, err, "SendNotices run "+string(rune('0'+i)))
		}
	}
	reminders := func() []string {
		var ids []string
		for _, f := range instances {
			for _, m := range f.mail.withSubject("ends on 2025-10-04") {
				if m.To != emailOf(researchID) {
					t.Errorf("a reminder to %s", m.To)
				}
				ids = append(ids, m.Body)
			}
		}
		return ids
	}
	expiries := func() []string {
		var ids []string
		for _, f := range instances {
			for _, e := range f.audit.of(audit.ActionGrantExpire) {
				ids = append(ids, e.TargetID)
			}
		}
		return ids
	}

	runAll(t0.Add(22 * day)) // more than 7 days before the long grant's end; the short one ends at day 7
	if got := reminders(); len(got) != 0 {
		t.Fatalf("reminders before they are due: %q", got)
	}
	if got := expiries(); len(got) != 1 || got[0] != short.ID {
		t.Errorf("grant.expire at day 22 = %v, want the short grant's once", got)
	}

	runAll(long.ReminderAt().Add(-time.Millisecond))
	if got := reminders(); len(got) != 0 {
		t.Fatalf("a reminder a millisecond early: %q", got)
	}
	runAll(long.ReminderAt())
	runAll(long.ReminderAt().Add(time.Hour))
	got := reminders()
	if len(got) != 1 || !strings.Contains(got[0], long.ID) || !strings.Contains(got[0], "2025-10-04T12:00:00.000Z") {
		t.Fatalf("reminders = %q, want one for the long grant", got)
	}

	runAll(long.ExpiresAt.Add(-time.Millisecond))
	if got := expiries(); len(got) != 1 {
		t.Errorf("grant.expire before the end: %v", got)
	}
	runAll(long.ExpiresAt)
	runAll(long.ExpiresAt.Add(24 * time.Hour))
	if got := expiries(); len(got) != 2 || !contains(got, long.ID) || contains(got, revoked.ID) {
		t.Errorf("grant.expire events = %v, want the short and the long grant once each", got)
	}
	if got := reminders(); len(got) != 1 {
		t.Errorf("reminders after the end = %d", len(got))
	}
	for _, f := range instances {
		for _, e := range f.audit.of(audit.ActionGrantExpire) {
			if e.ActorID != "" || e.TargetType != audit.TargetGrant || e.Details["dataset_id"] != restrictedD || e.Outcome != audit.Success {
				t.Errorf("grant.expire event = %+v", e)
			}
		}
	}
}

// A reminder whose mail fails gives its claim back and goes out at the next run.
func TestNotices_a_failed_mail_is_sent_at_the_next_run(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	_, g := f.grant(t, 30)
	f.mail.sent = nil
	f.clock.set(g.ReminderAt())
	f.mail.fail = 1
	rep, err := f.svc.SendNotices(t.Context())
	porttestkit.MustNil(t, err, "SendNotices")
	if rep.Reminded != 0 || len(f.report.ops) == 0 {
		t.Errorf("failed run: %+v, reports %v", rep, f.report.ops)
	}
	rep, err = f.svc.SendNotices(t.Context())
	porttestkit.MustNil(t, err, "SendNotices")
	if rep.Reminded != 1 || len(f.mail.to(emailOf(researchID), "ends on")) != 1 {
		t.Errorf("second run: %+v, mails %v", rep, f.mail.sent)
	}
	rep, _ = f.svc.SendNotices(t.Context())
	if rep.Reminded != 0 {
		t.Errorf("third run reminded again: %+v", rep)
	}
}

// The job runs at once, then every interval, and Stop ends it.
func TestNoticeJob_runs_and_stops(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	_, g := f.grant(t, 30)
	f.clock.set(g.ExpiresAt)
	job := f.svc.StartNotices(time.Hour)
	deadline := time.Now().Add(5 * time.Second)
	for len(f.audit.of(audit.ActionGrantExpire)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the job did not run at its start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	porttestkit.MustNil(t, job.Stop(t.Context()), "Stop")
	porttestkit.MustNil(t, job.Stop(t.Context()), "Stop again")
}

// SendNotices reads nothing but the store: a report of an empty store is empty.
func TestNotices_on_an_empty_store(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	rep, err := f.svc.SendNotices(t.Context())
	if err != nil || rep != (governanceapp.NoticeReport{}) {
		t.Errorf("SendNotices = %+v, %v", rep, err)
	}
	_, total, _ := f.store.grants.List(t.Context(), governanceport.GrantFilter{Status: governance.GrantActive, Now: t0}, 0, -1)
	porttestkit.Eq(t, "grants", total, int64(0))
}
