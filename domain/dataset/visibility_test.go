package dataset_test

import (
	"fmt"
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
			d := &dataset.Dataset{ID: "d", OwnerID: ownerID, CommunityID: tc.community, Visibility: tc.visibility}
			if got := dataset.RightsOf(viewers[tc.viewer], d); got != tc.want {
				t.Errorf("RightsOf = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRightsOf_empty_viewer_is_not_the_owner_of_an_ownerless_dataset(t *testing.T) {
	t.Parallel()
	d := &dataset.Dataset{ID: "d", Visibility: dataset.Private}
	if got := dataset.RightsOf(dataset.Viewer{}, d); got != none {
		t.Errorf("RightsOf = %+v, want none", got)
	}
}

func TestRightsOf_every_right_requires_view(t *testing.T) {
	t.Parallel()
	for _, vis := range []dataset.Visibility{dataset.Public, dataset.Community, dataset.Private} {
		for _, v := range []dataset.Viewer{{}, {UserID: otherID}, {UserID: otherID, CommunityMember: true}, {UserID: otherID, CommunityAdmin: true}} {
			for _, c := range []string{"", communityID} {
				r := dataset.RightsOf(v, &dataset.Dataset{OwnerID: ownerID, CommunityID: c, Visibility: vis})
				if !r.View && r != none {
					t.Errorf("%+v on %s/%q: rights %+v without View", v, vis, c, r)
				}
			}
		}
	}
}
