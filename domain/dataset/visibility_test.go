package dataset_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/domain/dataset"
)

const (
	ownerID     = "owner"
	otherID     = "someone-else"
	communityID = "community-1"
)

var (
	none   = dataset.Rights{}
	read   = dataset.Rights{View: true, Download: true}
	manage = dataset.Rights{View: true, Download: true, Change: true, Delete: true, ReadLog: true}
)

func TestRightsOf(t *testing.T) {
	t.Parallel()
	viewers := map[string]dataset.Viewer{
		"owner":           {UserID: ownerID},
		"member":          {UserID: otherID, CommunityMember: true},
		"community_admin": {UserID: otherID, CommunityMember: true, CommunityAdmin: true},
		"non_member":      {UserID: otherID},
		"global_admin":    {UserID: otherID, GlobalAdmin: true},
		"empty_viewer":    {},
	}
	cases := []struct {
		viewer     string
		visibility dataset.Visibility
		community  string
		want       dataset.Rights
	}{
		// a dataset in a community
		{"owner", dataset.Public, communityID, manage},
		{"owner", dataset.Community, communityID, manage},
		{"owner", dataset.Private, communityID, manage},
		{"member", dataset.Public, communityID, read},
		{"member", dataset.Community, communityID, read},
		{"member", dataset.Private, communityID, none},
		{"community_admin", dataset.Public, communityID, manage},
		{"community_admin", dataset.Community, communityID, manage},
		{"community_admin", dataset.Private, communityID, none}, // private is the owner's alone
		{"non_member", dataset.Public, communityID, read},
		{"non_member", dataset.Community, communityID, none},
		{"non_member", dataset.Private, communityID, none},
		{"global_admin", dataset.Public, communityID, manage},
		{"global_admin", dataset.Community, communityID, manage},
		{"global_admin", dataset.Private, communityID, manage},
		{"empty_viewer", dataset.Public, communityID, none},
		{"empty_viewer", dataset.Community, communityID, none},
		{"empty_viewer", dataset.Private, communityID, none},
		// a dataset without a community: membership flags mean nothing
		{"owner", dataset.Public, "", manage},
		{"owner", dataset.Private, "", manage},
		{"member", dataset.Public, "", read},
		{"member", dataset.Private, "", none},
		{"community_admin", dataset.Public, "", read},
		{"community_admin", dataset.Private, "", none},
		{"non_member", dataset.Public, "", read},
		{"non_member", dataset.Private, "", none},
		{"global_admin", dataset.Private, "", manage},
		{"empty_viewer", dataset.Public, "", none},
		// community visibility without a community: only the owner and admins
		{"owner", dataset.Community, "", manage},
		{"member", dataset.Community, "", none},
		{"community_admin", dataset.Community, "", none},
		{"non_member", dataset.Community, "", none},
		{"global_admin", dataset.Community, "", manage},
		{"empty_viewer", dataset.Community, "", none},
	}
	for _, tc := range cases {
		where := "in_community"
		if tc.community == "" {
			where = "without_community"
		}
		t.Run(fmt.Sprintf("%s_%s_%s", tc.viewer, tc.visibility, where), func(t *testing.T) {
			t.Parallel()
			d := dataset.Restore(dataset.Snapshot{ID: "d", OwnerID: ownerID, CommunityID: tc.community, Visibility: tc.visibility})
			if got := dataset.RightsOf(viewers[tc.viewer], d); got != tc.want {
				t.Errorf("RightsOf = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRightsOf_empty_viewer_is_not_the_owner_of_an_ownerless_dataset(t *testing.T) {
	t.Parallel()
	d := dataset.Restore(dataset.Snapshot{ID: "d", Visibility: dataset.Private})
	if got := dataset.RightsOf(dataset.Viewer{}, d); got != none {
		t.Errorf("RightsOf = %+v, want none", got)
	}
}

func TestRightsOf_every_right_requires_view(t *testing.T) {
	t.Parallel()
	for _, vis := range dataset.Visibilities() {
		for _, v := range []dataset.Viewer{{}, {UserID: otherID}, {UserID: otherID, CommunityMember: true}, {UserID: otherID, CommunityAdmin: true}} {
			for _, c := range []string{"", communityID} {
				r := dataset.RightsOf(v, dataset.Restore(dataset.Snapshot{OwnerID: ownerID, CommunityID: c, Visibility: vis}))
				if !r.View && r != none {
					t.Errorf("%+v on %s/%q: rights %+v without View", v, vis, c, r)
				}
			}
		}
	}
}

// The download decision with data-use governance: every caller × every
// visibility. A grant counts only on a restricted dataset; the governance
// context says whether a grant is active, so a grantee whose grant expired or
// was revoked comes with HasActiveGrant false and is any other user.
func TestRightsOf_restricted_datasets_and_grants(t *testing.T) {
	t.Parallel()
	metadataOnly := dataset.Rights{View: true}
	viewers := map[string]dataset.Viewer{
		"owner":           {UserID: ownerID},
		"community_admin": {UserID: otherID, CommunityMember: true, CommunityAdmin: true},
		"member":          {UserID: otherID, CommunityMember: true},
		"other_user":      {UserID: otherID},
		"grantee_active":  {UserID: otherID, HasActiveGrant: true},
		"grantee_expired": {UserID: otherID, HasActiveGrant: false},
		"grantee_revoked": {UserID: otherID, HasActiveGrant: false},
		"member_grantee":  {UserID: otherID, CommunityMember: true, HasActiveGrant: true},
		"global_admin":    {UserID: otherID, GlobalAdmin: true},
		"anonymous":       {HasActiveGrant: true},
	}
	want := map[dataset.Visibility]map[string]dataset.Rights{
		dataset.Restricted: {
			"owner": manage, "community_admin": manage, "member": metadataOnly, "other_user": metadataOnly,
			"grantee_active": read, "grantee_expired": metadataOnly, "grantee_revoked": metadataOnly,
			"member_grantee": read, "global_admin": manage, "anonymous": none,
		},
		dataset.Community: {
			"owner": manage, "community_admin": manage, "member": read, "other_user": none,
			"grantee_active": none, "grantee_expired": none, "grantee_revoked": none,
			"member_grantee": read, "global_admin": manage, "anonymous": none,
		},
		dataset.Private: {
			"owner": manage, "community_admin": none, "member": none, "other_user": none,
			"grantee_active": none, "grantee_expired": none, "grantee_revoked": none,
			"member_grantee": none, "global_admin": manage, "anonymous": none,
		},
		dataset.Public: {
			"owner": manage, "community_admin": manage, "member": read, "other_user": read,
			"grantee_active": read, "grantee_expired": read, "grantee_revoked": read,
			"member_grantee": read, "global_admin": manage, "anonymous": none,
		},
	}
	for vis, byViewer := range want {
		for name, v := range viewers {
			t.Run(fmt.Sprintf("%s_%s", name, vis), func(t *testing.T) {
				t.Parallel()
				d := dataset.Restore(dataset.Snapshot{ID: "d", OwnerID: ownerID, CommunityID: communityID, Visibility: vis})
				if got := dataset.RightsOf(v, d); got != byViewer[name] {
					t.Errorf("RightsOf = %+v, want %+v", got, byViewer[name])
				}
				needs := dataset.NeedsGrant(v, d)
				wantNeeds := vis == dataset.Restricted && byViewer[name] != manage && v.UserID != ""
				if needs != wantNeeds {
					t.Errorf("NeedsGrant = %t, want %t", needs, wantNeeds)
				}
			})
		}
	}
}

func TestVisibilityParsingAndCommunities(t *testing.T) {
	t.Parallel()
	for _, v := range dataset.Visibilities() {
		if got, ok := dataset.ParseVisibility(" " + strings.ToUpper(string(v)) + " "); !ok || got != v {
			t.Errorf("ParseVisibility(%q) = %q, %t", v, got, ok)
		}
	}
	if _, ok := dataset.ParseVisibility("secret"); ok {
		t.Error("ParseVisibility accepted secret")
	}
	cases := []struct {
		vis       dataset.Visibility
		community string
		want      error
	}{
		{dataset.Restricted, "", dataset.ErrRestrictedNeedsCommunity},
		{dataset.Community, "", dataset.ErrCommunityNeeded},
		{dataset.Restricted, communityID, nil},
		{dataset.Community, communityID, nil},
		{dataset.Public, "", nil},
		{dataset.Private, "", nil},
	}
	for _, c := range cases {
		if err := dataset.CheckCommunity(c.vis, c.community); !errors.Is(err, c.want) || (c.want == nil && err != nil) {
			t.Errorf("CheckCommunity(%s, %q) = %v, want %v", c.vis, c.community, err, c.want)
		}
	}
}
