package dataset

// Viewer is what the visibility rule needs to know about the caller.
type Viewer struct {
	UserID      string
	GlobalAdmin bool
	// MemberOf and AdminOf report the caller's membership of the dataset's community.
	CommunityMember bool
	CommunityAdmin  bool
	// HasActiveGrant reports that the caller holds a grant on the dataset that
	// is active now (data-use governance; it matters for restricted datasets only).
	HasActiveGrant bool
}

// Rights are what a viewer may do with one dataset.
type Rights struct {
	View     bool // see metadata and versions, appear in lists
	Download bool
	Change   bool // update metadata, upload new versions
	Delete   bool
	ReadLog  bool // the per-dataset access log
}

// RightsOf is the one visibility and download decision. A dataset the viewer
// may not view is invisible: every other right requires View, so callers
// answer 404 alike. Only a restricted dataset is viewed without being
// downloadable: its file goes to those who manage it and to holders of an
// active grant.
func RightsOf(v Viewer, d *Dataset) Rights {
	owner := v.UserID != "" && v.UserID == d.ownerID
	var view bool
	switch {
	case v.GlobalAdmin || owner:
		view = true
	case d.visibility == Public, d.visibility == Restricted:
		view = v.UserID != ""
	case d.visibility == Community:
		view = d.communityID != "" && (v.CommunityMember || v.CommunityAdmin)
	}
	if !view {
		return Rights{}
	}
	manage := owner || v.GlobalAdmin || (d.communityID != "" && v.CommunityAdmin)
	download := d.visibility != Restricted || manage || v.HasActiveGrant
	return Rights{View: true, Download: download, Change: manage, Delete: manage, ReadLog: manage}
}

// NeedsGrant reports whether v's right to download d depends on a grant: d is
// restricted, and v may view it but does not manage it. Callers ask governance
// only then.
func NeedsGrant(v Viewer, d *Dataset) bool {
	r := RightsOf(Viewer{UserID: v.UserID, GlobalAdmin: v.GlobalAdmin, CommunityMember: v.CommunityMember, CommunityAdmin: v.CommunityAdmin}, d)
	return d.visibility == Restricted && r.View && !r.Download
}
