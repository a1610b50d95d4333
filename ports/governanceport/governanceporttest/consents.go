package governanceporttest

import (
	"testing"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

func sameConsent(t *testing.T, got, want *governance.Consent) {
	t.Helper()
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "UserID", got.UserID, want.UserID)
	porttestkit.Eq(t, "CommunityID", got.CommunityID, want.CommunityID)
	porttestkit.Eq(t, "TermsID", got.TermsID, want.TermsID)
	porttestkit.Eq(t, "Version", got.Version, want.Version)
	porttestkit.Eq(t, "RequestID", got.RequestID, want.RequestID)
	porttestkit.Eq(t, "IP", got.IP, want.IP)
	porttestkit.SameTime(t, "AcceptedAt", got.AcceptedAt, want.AcceptedAt)
}

func consentIDs(cs []*governance.Consent) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// TestConsentRepository runs the ConsentRepository contract; newRepo must return an empty repository.
func TestConsentRepository(t *testing.T, newRepo func(t *testing.T) governanceport.ConsentRepository, opts ...Option) {
	alice, bob, c1, c2 := id(0), id(1), id(2), id(3)
	newConsent := func(i int, userID, communityID string) *governance.Consent {
		return &governance.Consent{ID: id(i), UserID: userID, CommunityID: communityID, TermsID: id(100 + i), Version: i % 3,
			RequestID: id(200 + i), AcceptedAt: at(i), IP: label("2001:db8::%d", i)}
	}

	suite{
		{"create_then_list_round_trips", func(t *testing.T) {
			repo := newRepo(t)
			c := newConsent(5, alice, c1)
			porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
			got, total, err := repo.List(t.Context(), governanceport.ConsentFilter{UserID: alice}, 0, -1)
			porttestkit.MustNil(t, err, "List")
			porttestkit.Eq(t, "total", total, int64(1))
			if len(got) != 1 {
				t.Fatalf("got %d consents, want 1", len(got))
			}
			sameConsent(t, got[0], c)
		}},
		{"a_taken_id_is_a_conflict", func(t *testing.T) {
			repo := newRepo(t)
			c := newConsent(5, alice, c1)
			porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
			porttestkit.WantKind(t, repo.Create(t.Context(), c), kernelConflict, "Create again")
		}},
		{"list_filters_by_user_and_community_newest_first", func(t *testing.T) {
			repo := newRepo(t)
			a1, a2, b1, a3 := newConsent(10, alice, c1), newConsent(11, alice, c2), newConsent(12, bob, c1), newConsent(13, alice, c1)
			// Two consents at one moment sort by id, the greater first.
			tie := newConsent(14, alice, c1)
			tie.AcceptedAt = a3.AcceptedAt
			for _, c := range []*governance.Consent{a1, a2, b1, a3, tie} {
				porttestkit.MustNil(t, repo.Create(t.Context(), c), "Create")
			}
			cases := []struct {
				name string
				f    governanceport.ConsentFilter
				want []*governance.Consent
			}{
				{"all", governanceport.ConsentFilter{}, []*governance.Consent{tie, a3, b1, a2, a1}},
				{"alice", governanceport.ConsentFilter{UserID: alice}, []*governance.Consent{tie, a3, a2, a1}},
				{"c1", governanceport.ConsentFilter{CommunityID: c1}, []*governance.Consent{tie, a3, b1, a1}},
				{"alice_in_c1", governanceport.ConsentFilter{UserID: alice, CommunityID: c1}, []*governance.Consent{tie, a3, a1}},
				{"nobody", governanceport.ConsentFilter{UserID: id(90)}, nil},
			}
			for _, c := range cases {
				got, total, err := repo.List(t.Context(), c.f, 0, -1)
				porttestkit.MustNil(t, err, "List "+c.name)
				porttestkit.Eq(t, c.name+" total", total, int64(len(c.want)))
				porttestkit.SameStrings(t, c.name, consentIDs(got), consentIDs(c.want))
			}
			page, total, err := repo.List(t.Context(), governanceport.ConsentFilter{UserID: alice}, 1, 2)
			porttestkit.MustNil(t, err, "List page")
			porttestkit.Eq(t, "page total", total, int64(4))
			porttestkit.SameStrings(t, "page", consentIDs(page), consentIDs([]*governance.Consent{a3, a2}))
		}},
	}.run(t, collect(opts))
}
