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

func TestPublishTerms(t *testing.T) {
	t.Parallel()
	t.Run("versions_count_per_community_and_the_newest_is_current", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		v1 := f.publish(t, communityID)
		v2, err := f.svc.PublishTerms(ctxFrom(t), globalAdmin, communityID, governanceport.TermsInput{Title: "Second", Body: "More."})
		porttestkit.MustNil(t, err, "PublishTerms by a global admin")
		if v1.Version != 1 || v2.Version != 2 || v2.PublishedBy != adminID || v1.PublishedBy != curatorID {
			t.Errorf("versions %d by %s, %d by %s", v1.Version, v1.PublishedBy, v2.Version, v2.PublishedBy)
		}
		cur, err := f.svc.CurrentTerms(t.Context(), who(strangerID), communityID)
		porttestkit.MustNil(t, err, "CurrentTerms")
		porttestkit.Eq(t, "current", cur.ID, v2.ID)
		list, total, err := f.svc.ListTerms(t.Context(), who(strangerID), communityID, governanceport.Page{Page: 1, Limit: 10})
		porttestkit.MustNil(t, err, "ListTerms")
		porttestkit.Eq(t, "total", total, int64(2))
		porttestkit.Eq(t, "newest first", list[0].Version, 2)
		events := f.audit.of(audit.ActionTermsPublish)
		if len(events) != 2 || events[0].TargetType != audit.TargetTerms || events[0].TargetID != v1.ID || events[0].Details["version"] != "1" ||
			events[0].ActorID != curatorID || events[0].IP != "198.51.100.7" || events[0].Outcome != audit.Success {
			t.Errorf("terms.publish events = %+v", events)
		}
	})
	t.Run("only_the_community_s_admins_and_global_admins_publish", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		for _, p := range []kernel.Principal{who(ownerID), who(memberID), who(strangerID)} {
			_, err := f.svc.PublishTerms(ctxFrom(t), p, communityID, governanceport.TermsInput{Title: "Mine", Body: "x"})
			wantErr(t, err, governance.ErrNotCommunityAdmin)
		}
		denied := f.audit.of(audit.ActionTermsPublish)
		if len(denied) != 3 || denied[0].Outcome != audit.Denied || denied[0].Details["reason"] != "not_community_admin" {
			t.Errorf("denied events = %+v", denied)
		}
		_, err := f.svc.CurrentTerms(t.Context(), who(strangerID), communityID)
		wantErr(t, err, governance.ErrTermsNotFound)
	})
	t.Run("bad_input_and_unknown_communities_publish_nothing", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		_, err := f.svc.PublishTerms(ctxFrom(t), who(curatorID), communityID, governanceport.TermsInput{Title: "x", Body: "body"})
		wantErr(t, err, governance.ErrInvalidTitle)
		_, err = f.svc.PublishTerms(ctxFrom(t), who(curatorID), communityID, governanceport.TermsInput{Title: "Title", Body: "  "})
		wantErr(t, err, governance.ErrInvalidBody)
		_, err = f.svc.PublishTerms(ctxFrom(t), globalAdmin, "c00000000000000000000009", governanceport.TermsInput{Title: "Title", Body: "b"})
		wantErr(t, err, governance.ErrCommunityNotFound)
		_, _, err = f.svc.ListTerms(t.Context(), who(curatorID), "c00000000000000000000009", governanceport.Page{Page: 1, Limit: 10})
		wantErr(t, err, governance.ErrCommunityNotFound)
		if n := len(f.audit.of(audit.ActionTermsPublish)); n != 0 {
			t.Errorf("%d events for refusals that are not denials", n)
		}
	})
	t.Run("concurrent_publications_take_distinct_versions", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		errs := porttestkit.Concurrently(6, func(int) error {
			_, err := f.svc.PublishTerms(ctxFrom(t), who(curatorID), communityID, governanceport.TermsInput{Title: "Same time", Body: "b"})
			return err
		})
		for i, err := range errs {
			porttestkit.MustNil(t, err, "publication "+string(rune('0'+i)))
		}
		list, _, err := f.svc.ListTerms(t.Context(), who(curatorID), communityID, governanceport.Page{Page: 1, Limit: 10})
		porttestkit.MustNil(t, err, "ListTerms")
		for i, x := range list {
			if x.Version != 6-i {
				t.Errorf("versions %v", list)
			}
		}
	})
}

func TestRequestAccess(t *testing.T) {
	t.Parallel()
	in := func(version int) governance.RequestInput {
		return governance.RequestInput{Purpose: purpose, RequestedUntil: t0.Add(30 * 24 * time.Hour), TermsVersion: version}
	}
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		f.publish(t, communityID) // v1
		f.publish(t, communityID) // v2
		cases := []struct {
			name    string
			p       kernel.Principal
			dataset string
			in      governance.RequestInput
			want    *kernel.Error
		}{
			{"a_dataset_the_caller_may_not_see", who(researchID), privateD, in(2), governance.ErrDatasetNotFound},
			{"an_unknown_dataset", who(researchID), "d00000000000000000000009", in(2), governance.ErrDatasetNotFound},
			{"a_public_dataset", who(researchID), publicD, in(2), governance.ErrNotRestricted},
			{"the_owner", who(ownerID), restrictedD, in(2), governance.ErrAlreadyAllowed},
			{"the_community_admin", who(curatorID), restrictedD, in(2), governance.ErrAlreadyAllowed},
			{"a_global_admin", globalAdmin, restrictedD, in(2), governance.ErrAlreadyAllowed},
			{"no_terms_version", who(researchID), restrictedD, in(0), governance.ErrTermsVersionRequired},
			{"an_outdated_terms_version", who(researchID), restrictedD, in(1), governance.ErrTermsOutdated},
			{"a_terms_version_not_published", who(researchID), restrictedD, in(3), governance.ErrTermsOutdated},
			{"a_version_where_there_are_no_terms", who(researchID), otherD, in(1), governance.ErrTermsOutdated},
			{"a_short_purpose", who(researchID), restrictedD, governance.RequestInput{Purpose: "too short", RequestedUntil: t0.Add(time.Hour), TermsVersion: 2}, governance.ErrInvalidPurpose},
			{"an_end_in_the_past", who(researchID), restrictedD, governance.RequestInput{Purpose: purpose, RequestedUntil: t0, TermsVersion: 2}, governance.ErrRequestedUntilPast},
			{"an_end_too_far", who(researchID), restrictedD, governance.RequestInput{Purpose: purpose, RequestedUntil: t0.Add(366 * 24 * time.Hour), TermsVersion: 2}, governance.ErrRequestedUntilTooFar},
		}
		for _, c := range cases {
			_, err := f.svc.RequestAccess(ctxFrom(t), c.p, c.dataset, c.in)
			if err == nil {
				t.Errorf("%s: no error", c.name)
				continue
			}
			wantErr(t, err, c.want)
		}
		_, total, _ := f.store.requests.List(t.Context(), governanceport.RequestFilter{}, 0, -1)
		_, consents, _ := f.store.consents.List(t.Context(), governanceport.ConsentFilter{}, 0, -1)
		if total != 0 || consents != 0 || f.mail.count() != 0 {
			t.Errorf("refusals stored %d requests, %d consents, sent %d mails", total, consents, f.mail.count())
		}
		if n := len(f.audit.of(audit.ActionAccessRequestCreate)); n != 0 {
			t.Errorf("%d access_request.create events for refusals", n)
		}
	})
	t.Run("a_request_with_the_current_terms_keeps_the_consent_and_tells_the_deciders", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		terms := f.publish(t, communityID)
		r := f.ask(t, terms.Version, 30)
		if r.Status != governance.RequestPending || r.RequesterID != researchID || r.TermsVersion != 1 || r.Organization != "City Lab" {
			t.Errorf("request = %+v", *r)
		}
		cs, _, _ := f.store.consents.List(t.Context(), governanceport.ConsentFilter{UserID: researchID}, 0, -1)
		if len(cs) != 1 || cs[0].TermsID != terms.ID || cs[0].Version != 1 || cs[0].CommunityID != communityID ||
			cs[0].IP != "198.51.100.7" || cs[0].RequestID != r.ID || !cs[0].AcceptedAt.Equal(t0) {
			t.Errorf("consents = %+v", cs)
		}
		for _, decider := range []string{ownerID, curatorID} {
			msgs := f.mail.to(emailOf(decider), "Access request")
			if len(msgs) != 1 || !strings.Contains(msgs[0].Body, purpose) || !strings.Contains(msgs[0].Body, r.ID) {
				t.Errorf("mail to %s: %+v", decider, msgs)
			}
		}
		if len(f.mail.to(emailOf(researchID), "")) != 0 {
			t.Error("the requester was mailed about their own request")
		}
		consent, created := f.audit.of(audit.ActionConsentAccept), f.audit.of(audit.ActionAccessRequestCreate)
		if len(consent) != 1 || consent[0].TargetType != audit.TargetTerms || consent[0].TargetID != terms.ID ||
			consent[0].Details["consent_id"] != cs[0].ID || consent[0].ActorID != researchID {
			t.Errorf("consent.accept = %+v", consent)
		}
		if len(created) != 1 || created[0].TargetID != r.ID || created[0].Details["dataset_id"] != restrictedD || created[0].Details["terms_version"] != "1" {
			t.Errorf("access_request.create = %+v", created)
		}
	})
	t.Run("one_pending_request_per_user_and_dataset", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		terms := f.publish(t, communityID)
		first := f.ask(t, terms.Version, 30)
		_, err := f.svc.RequestAccess(ctxFrom(t), who(researchID), restrictedD, in(terms.Version))
		wantErr(t, err, governance.ErrRequestPending)
		_, consents, _ := f.store.consents.List(t.Context(), governanceport.ConsentFilter{}, 0, -1)
		porttestkit.Eq(t, "consents", consents, int64(1))
		porttestkit.MustNil(t, f.svc.Withdraw(ctxFrom(t), who(researchID), restrictedD, first.ID), "Withdraw")
		f.ask(t, terms.Version, 30)
	})
	t.Run("an_active_grantee_may_download_already", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		f.grant(t, 30)
		_, err := f.svc.RequestAccess(ctxFrom(t), who(researchID), restrictedD, in(0))
		wantErr(t, err, governance.ErrAlreadyAllowed)
	})
}
