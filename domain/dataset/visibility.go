package dataset

// Viewer is what the visibility rule needs to know about the caller.
type Viewer struct {
	UserID      string
	GlobalAdmin bool
	// MemberOf and AdminOf report the caller's membership of the dataset's community.
	CommunityMember bool
	CommunityAdmin  bool
}

// Rights are what a viewer may do with one dataset.
type Rights struct {
	View     bool // see metadata and versions, appear in lists
	Download bool
	Change   bool // update metadata, upload new versions
	Delete   bool
	ReadLog  bool // the per-dataset access log
}

// RightsOf is the one visibility decision. A dataset the viewer may not view is
// invisible: every other right requires View, so callers answer 404 alike.
func RightsOf(v Viewer, d *Dataset) Rights {
	owner := v.UserID != "" && v.UserID == d.OwnerID
	var view bool
	switch {
	case v.GlobalAdmin || owner:
		view = true
	case d.Visibility == Public:
		view = v.UserID != ""
	case d.Visibility == Community:
		view = d.CommunityID != "" && (v.CommunityMember || v.CommunityAdmin)
	}
	if !view {
		return Rights{}
	}
	manage := owner || v.GlobalAdmin || (d.CommunityID != "" && v.CommunityAdmin)
	return Rights{View: true, Download: true, Change: manage, Delete: manage, ReadLog: manage}
}
