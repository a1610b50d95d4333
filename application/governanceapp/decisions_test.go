package governanceapp_test

import (
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

const day = 24 * time.Hour

func TestApprove(t *testing.T) {
	t.Parallel()
	t.Run("makes_the_grant_with_the_requested_end_and_tells_the_requester", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		terms := f.publish(t, communityID)
		r := f.ask(t, terms.Version, 30)
		f.clock.set(t0.Add(time.Hour))
		approved, err := f.svc.Approve(ctxFrom(t), who(ownerID), restrictedD, r.ID, governanceport.ApproveInput{Note: " Enjoy "})
		porttestkit.MustNil(t, err, "Approve")
		if approved.Status != governance.RequestApproved || approved.DecidedBy != ownerID || approved.GrantID == "" || approved.Note != "Enjoy" {
			t.Errorf("approved = %+v", *approved)
		}
		g, err := f.store.grants.Get(t.Context(), approved.GrantID)
		porttestkit.MustNil(t, err, "the grant")
		if g.RequestID != r.ID || g.GranteeID != researchID || g.GrantedBy != ownerID || !g.ExpiresAt.Equal(r.RequestedUntil) ||
			g.DatasetTitle != "Noise 2025" || g.CommunityName != "Riverside" || g.TermsVersion != 1 || g.Purpose != purpose ||
			g.Organization != "City Lab" || !g.GrantedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("grant = %+v", *g)
		}
		msgs := f.mail.to(emailOf(researchID), "Access granted")
		if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "Enjoy") || !strings.Contains(msgs[0].Body, g.ID) {
			t.Errorf("mail to the requester: %+v", msgs)
		}
		events := f.audit.of(audit.ActionAccessRequestApprove)
		if len(events) != 1 || events[0].TargetID != r.ID || events[0].Details["grant_id"] != g.ID || events[0].ActorID != ownerID {
			t.Errorf("access_request.approve = %+v", events)
		}
		id, err := f.svc.ActiveGrant(t.Context(), restrictedD, researchID)
		if err != nil || id != g.ID {
			t.Errorf("ActiveGrant = %q, %v", id, err)
		}
		_, err = f.svc.Approve(ctxFrom(t), who(curatorID), restrictedD, r.ID, governanceport.ApproveInput{})
		wantErr(t, err, governance.ErrRequestNotPending)
	})
	t.Run("an_earlier_end_is_kept_a_later_one_refused", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		r := f.ask(t, 0, 30)
		later := r.RequestedUntil.Add(time.Second)
		_, err := f.svc.Approve(ctxFrom(t), who(curatorID), restrictedD, r.ID, governanceport.ApproveInput{ExpiresAt: &later})
		wantErr(t, err, governance.ErrExpiresAtAfterRequest)
		past := t0.Add(-time.Second)
		_, err = f.svc.Approve(ctxFrom(t), who(curatorID), restrictedD, r.ID, governanceport.ApproveInput{ExpiresAt: &past})
		wantErr(t, err, governance.ErrExpiresAtPast)
		earlier := t0.Add(10 * day)
		approved, err := f.svc.Approve(ctxFrom(t), who(curatorID), restrictedD, r.ID, governanceport.ApproveInput{ExpiresAt: &earlier})
		porttestkit.MustNil(t, err, "Approve")
		g, _ := f.store.grants.Get(t.Context(), approved.GrantID)
		if g == nil || !g.ExpiresAt.Equal(earlier) {
			t.Errorf("grant = %+v", g)
		}
	})
	t.Run("only_deciders_decide", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		r := f.ask(t, 0, 30)
		for _, p := range []kernel.Principal{who(memberID), who(strangerID), who(researchID)} {
			_, err := f.svc.Approve(ctxFrom(t), p, restrictedD, r.ID, governanceport.ApproveInput{})
			wantErr(t, err, governance.ErrNotDecider)
			_, err = f.svc.Reject(ctxFrom(t), p, restrictedD, r.ID, "no")
			wantErr(t, err, governance.ErrNotDecider)
			_, _, err = f.svc.DatasetRequests(t.Context(), p, restrictedD, "", governanceport.Page{Page: 1, Limit: 10})
			wantErr(t, err, governance.ErrNotDecider)
			_, _, err = f.svc.DatasetGrants(t.Context(), p, restrictedD, "", governanceport.Page{Page: 1, Limit: 10})
			wantErr(t, err, governance.ErrNotDecider)
		}
		denied := f.audit.of(audit.ActionAccessRequestApprove)
		if len(denied) != 3 || denied[0].Outcome != audit.Denied || denied[0].Details["reason"] != "not_decider" {
			t.Errorf("denied approvals = %+v", denied)
		}
		got, err := f.store.requests.Get(t.Context(), r.ID)
		if err != nil || got.Status != governance.RequestPending {
			t.Errorf("request after refusals = %+v, %v", got, err)
		}
		// A global admin decides.
		_, err = f.svc.Approve(ctxFrom(t), globalAdmin, restrictedD, r.ID, governanceport.ApproveInput{})
		porttestkit.MustNil(t, err, "Approve by a global admin")
	})
	t.Run("a_request_of_another_dataset_is_not_found", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		r := f.ask(t, 0, 30)
		_, err := f.svc.Approve(ctxFrom(t), who(ownerID), otherD, r.ID, governanceport.ApproveInput{})
		wantErr(t, err, governance.ErrRequestNotFound)
		_, err = f.svc.Approve(ctxFrom(t), who(ownerID), restrictedD, "ffffffffffffffffffffffff", governanceport.ApproveInput{})
		wantErr(t, err, governance.ErrRequestNotFound)
	})
	t.Run("a_store_that_does_not_answer_once_does_not_lose_the_grant", func(t *testing.T) {
		t.Parallel()
		st := newStore()
		st.grants = &flakyGrants{GrantRepository: st.grants, fails: 2}
		f := newFixture(t, st)
		r := f.ask(t, 0, 30)
		approved, err := f.svc.Approve(ctxFrom(t), who(curatorID), restrictedD, r.ID, governanceport.ApproveInput{})
		porttestkit.MustNil(t, err, "Approve")
		if _, err := st.grants.Get(t.Context(), approved.GrantID); err != nil {
			t.Errorf("the grant after two failed attempts: %v", err)
		}
	})
	t.Run("concurrent_approvals_make_exactly_one_grant", func(t *testing.T) {
		t.Parallel()
		for range 5 {
			f := newFixture(t, nil)
			r := f.ask(t, 0, 30)
			deciders := []kernel.Principal{who(ownerID), who(curatorID), globalAdmin, who(ownerID), who(curatorID), globalAdmin}
			errs := porttestkit.Concurrently(len(deciders), func(i int) error {
				_, err := f.svc.Approve(ctxFrom(t), deciders[i], restrictedD, r.ID, governanceport.ApproveInput{})
				return err
			})
			porttestkit.OneSucceeded(t, errs, governance.ErrRequestNotPending)
			gs, total, _ := f.store.grants.List(t.Context(), governanceport.GrantFilter{}, 0, -1)
			stored, _ := f.store.requests.Get(t.Context(), r.ID)
			if total != 1 || gs[0].RequestID != r.ID || stored.GrantID != gs[0].ID || stored.DecidedBy != gs[0].GrantedBy {
				t.Fatalf("%d grants %+v for request %+v", total, gs, stored)
			}
			if n := len(f.mail.to(emailOf(researchID), "Access granted")); n != 1 {
				t.Errorf("%d approval mails", n)
			}
		}
	})
}

func TestRejectAndWithdraw(t *testing.T) {
	t.Parallel()
	t.Run("a_rejection_needs_a_reason_and_tells_it", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		r := f.ask(t, 0, 30)
		_, err := f.svc.Reject(ctxFrom(t), who(curatorID), restrictedD, r.ID, "  ")
		wantErr(t, err, governance.ErrInvalidReason)
		rejected, err := f.svc.Reject(ctxFrom(t), who(curatorID), restrictedD, r.ID, "The purpose is outside the agreement.\nSorry.")
		porttestkit.MustNil(t, err, "Reject")
		if rejected.Status != governance.RequestRejected || rejected.Reason != "The purpose is outside the agreement.\nSorry." || rejected.DecidedBy != curatorID {
			t.Errorf("rejected = %+v", *rejected)
		}
		msgs := f.mail.to(emailOf(researchID), "Your access request")
		if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "> The purpose is outside the agreement.\n> Sorry.") {
			t.Errorf("mail = %+v", msgs)
		}
		if e := f.audit.of(audit.ActionAccessRequestReject); len(e) != 1 || e[0].TargetID != r.ID || strings.Contains(e[0].Details["reason"], "purpose") {
			t.Errorf("access_request.reject = %+v", e)
		}
		_, err = f.svc.Approve(ctxFrom(t), who(curatorID), restrictedD, r.ID, governanceport.ApproveInput{})
		wantErr(t, err, governance.ErrRequestNotPending)
		_, total, _ := f.store.grants.List(t.Context(), governanceport.GrantFilter{}, 0, -1)
		porttestkit.Eq(t, "grants", total, int64(0))
	})
	t.Run("only_the_requester_withdraws_and_only_while_pending", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		r := f.ask(t, 0, 30)
		wantErr(t, f.svc.Withdraw(ctxFrom(t), who(curatorID), restrictedD, r.ID), governance.ErrNotRequester)
		wantErr(t, f.svc.Withdraw(ctxFrom(t), who(researchID), otherD, r.ID), governance.ErrRequestNotFound)
		porttestkit.MustNil(t, f.svc.Withdraw(ctxFrom(t), who(researchID), restrictedD, r.ID), "Withdraw")
		wantErr(t, f.svc.Withdraw(ctxFrom(t), who(researchID), restrictedD, r.ID), governance.ErrRequestNotPending)
		mine, _, err := f.svc.MyRequests(t.Context(), who(researchID), governance.RequestWithdrawn, governanceport.Page{Page: 1, Limit: 10})
		if err != nil || len(mine) != 1 || mine[0].ID != r.ID {
			t.Errorf("MyRequests withdrawn = %+v, %v", mine, err)
		}
		events := f.audit.of(audit.ActionAccessRequestWithdraw)
		if len(events) != 2 || events[0].Outcome != audit.Denied || events[1].Outcome != audit.Success || events[1].ActorID != researchID {
			t.Errorf("access_request.withdraw events = %+v", events)
		}
	})
}

func TestGrants(t *testing.T) {
	t.Parallel()
	t.Run("a_grant_is_active_until_the_millisecond_of_its_end", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		_, g := f.grant(t, 30)
		f.clock.set(g.ExpiresAt.Add(-time.Millisecond))
		if id, _ := f.svc.ActiveGrant(t.Context(), restrictedD, researchID); id != g.ID {
			t.Errorf("a millisecond before the end: %q", id)
		}
		f.clock.set(g.ExpiresAt)
		if id, _ := f.svc.ActiveGrant(t.Context(), restrictedD, researchID); id != "" {
			t.Errorf("at the end: %q", id)
		}
		mine, _, _ := f.svc.MyGrants(t.Context(), who(researchID), "", governanceport.Page{Page: 1, Limit: 10})
		if len(mine) != 1 || mine[0].Status != governance.GrantExpired {
			t.Errorf("MyGrants = %+v", mine)
		}
		_, err := f.svc.Revoke(ctxFrom(t), who(researchID), g.ID, "late")
		wantErr(t, err, governance.ErrGrantNotActive)
	})
	t.Run("the_grantee_or_a_decider_revokes_at_once", func(t *testing.T) {
		t.Parallel()
		for _, revoker := range []kernel.Principal{who(researchID), who(ownerID), who(curatorID), globalAdmin} {
			f := newFixture(t, nil)
			_, g := f.grant(t, 30)
			for _, p := range []kernel.Principal{who(memberID), who(strangerID)} {
				_, err := f.svc.Revoke(ctxFrom(t), p, g.ID, "not mine")
				wantErr(t, err, governance.ErrNotRevoker)
			}
			_, err := f.svc.Revoke(ctxFrom(t), revoker, g.ID, "")
			wantErr(t, err, governance.ErrInvalidReason)
			v, err := f.svc.Revoke(ctxFrom(t), revoker, g.ID, "Purpose fulfilled")
			porttestkit.MustNil(t, err, "Revoke")
			if v.Status != governance.GrantRevoked || v.Grant.RevokedBy != revoker.UserID || v.Grant.RevokeReason != "Purpose fulfilled" {
				t.Errorf("revoked = %+v", v)
			}
			if id, _ := f.svc.ActiveGrant(t.Context(), restrictedD, researchID); id != "" {
				t.Errorf("ActiveGrant after the revocation = %q", id)
			}
			_, err = f.svc.Revoke(ctxFrom(t), revoker, g.ID, "again")
			wantErr(t, err, governance.ErrGrantNotActive)
			mailed := len(f.mail.to(emailOf(researchID), "Access revoked"))
			if (revoker.UserID == researchID) == (mailed == 1) {
				t.Errorf("revoked by %s: %d revocation mails to the grantee", revoker.UserID, mailed)
			}
			e := f.audit.of(audit.ActionGrantRevoke)
			last := e[len(e)-1]
			if last.Outcome != audit.Success || last.TargetID != g.ID || last.Details["by_grantee"] != boolText(revoker.UserID == researchID) {
				t.Errorf("grant.revoke = %+v", last)
			}
		}
	})
	t.Run("a_grant_of_a_dataset_the_caller_may_not_see_is_not_found", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		_, err := f.svc.Revoke(ctxFrom(t), who(strangerID), "ffffffffffffffffffffffff", "x")
		wantErr(t, err, governance.ErrGrantNotFound)
		// A grant left on a dataset that has become private since.
		hidden := &governance.Grant{ID: kernel.NewID(t0), DatasetID: privateD, GranteeID: researchID, RequestID: kernel.NewID(t0),
			GrantedAt: t0, ExpiresAt: t0.Add(30 * day)}
		porttestkit.MustNil(t, f.store.grants.Create(t.Context(), hidden), "Create")
		_, err = f.svc.Revoke(ctxFrom(t), who(strangerID), hidden.ID, "x")
		wantErr(t, err, governance.ErrGrantNotFound)
		_, err = f.svc.Revoke(ctxFrom(t), who(researchID), hidden.ID, "no longer needed")
		porttestkit.MustNil(t, err, "Revoke by the grantee")
	})
	t.Run("the_register_names_no_one_and_shows_the_status_now", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		_, long := f.grant(t, 60)
		f.clock.set(t0.Add(time.Hour))
		_, err := f.svc.Revoke(ctxFrom(t), who(researchID), long.ID, "done")
		porttestkit.MustNil(t, err, "Revoke")
		_, short := f.grant(t, 10)
		f.clock.set(t0.Add(11 * day))
		entries, total, err := f.svc.Register(t.Context(), governanceport.RegisterFilter{}, governanceport.Page{Page: 1, Limit: 10})
		porttestkit.MustNil(t, err, "Register")
		if total != 2 || entries[0].GrantID != short.ID || entries[0].Status != governance.GrantExpired ||
			entries[1].GrantID != long.ID || entries[1].Status != governance.GrantRevoked || entries[1].RevokedAt == nil {
			t.Fatalf("register = %+v", entries)
		}
		e := entries[0]
		if e.DatasetTitle != "Noise 2025" || e.CommunityName != "Riverside" || e.Organization != "City Lab" || e.Purpose != purpose ||
			e.CommunityID != communityID || e.DatasetID != restrictedD {
			t.Errorf("entry = %+v", e)
		}
		expired, total, _ := f.svc.Register(t.Context(), governanceport.RegisterFilter{Status: governance.GrantExpired}, governanceport.Page{Page: 1, Limit: 10})
		if total != 1 || expired[0].GrantID != short.ID {
			t.Errorf("expired = %+v", expired)
		}
		_, total, _ = f.svc.Register(t.Context(), governanceport.RegisterFilter{CommunityID: otherCommID}, governanceport.Page{Page: 1, Limit: 10})
		porttestkit.Eq(t, "grants in the other community", total, int64(0))
	})
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
