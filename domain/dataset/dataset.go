// Package dataset holds datasets, their versions and the visibility rule: who
// may view, download, change and delete what the trust holds.
package dataset

import (
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Visibility says who may see a dataset.
type Visibility string

// Visibilities.
const (
	Public    Visibility = "public"    // every signed-in user
	Community Visibility = "community" // members of the dataset's community
	// Restricted shows the metadata to every signed-in user and the file to
	// the owner, the community's admins, global admins and holders of an
	// active grant (data-use governance).
	Restricted Visibility = "restricted"
	Private    Visibility = "private" // the owner
)

// Visibilities lists every visibility, in the order the API documents them.
func Visibilities() []Visibility { return []Visibility{Public, Community, Restricted, Private} }

// ParseVisibility accepts the four visibilities (case-insensitive).
func ParseVisibility(s string) (Visibility, bool) {
	switch v := Visibility(strings.ToLower(strings.TrimSpace(s))); v {
	case Public, Community, Restricted, Private:
		return v, true
	}
	return "", false
}

// NeedsCommunity reports whether a dataset of visibility v must belong to a
// community: community datasets are seen by its members, restricted ones are
// governed by its admins and terms.
func (v Visibility) NeedsCommunity() bool { return v == Community || v == Restricted }

// CheckCommunity refuses a visibility that needs a community for a dataset without one.
func CheckCommunity(v Visibility, communityID string) error {
	switch {
	case communityID != "" || !v.NeedsCommunity():
		return nil
	case v == Restricted:
		return ErrRestrictedNeedsCommunity
	default:
		return ErrCommunityNeeded
	}
}

// File is one stored file: metadata only; the bytes live in the blob store
// under a key the server chose.
type File struct {
	Filename    string // cleaned client file name, metadata only
	ContentType string // sniffed from the first bytes
	Size        int64
	SHA256      string
	BlobKey     string
}

// Version is one upload of a dataset's file.
type Version struct {
	DatasetID string
	Number    int
	File      File
	CreatedBy string
	CreatedAt time.Time
}

// Dataset is what the trust holds in trust: metadata plus its current file.
type Dataset struct {
	ID          string
	Title       string
	Description string
	CommunityID string // "" when the dataset belongs to no community
	OwnerID     string
	Visibility  Visibility
	Tags        []string
	License     string
	File        File      // the current version's file
	Version     int       // the current version's number
	Versions    []Version // every upload, oldest first; Versions[len-1] is current
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Revision increases on every change (optimistic concurrency).
	Revision int64
}

// AddVersion makes f the current file as the next version number.
func (d *Dataset) AddVersion(f File, by string, at time.Time) Version {
	v := Version{DatasetID: d.ID, Number: len(d.Versions) + 1, File: f, CreatedBy: by, CreatedAt: at}
	if n := len(d.Versions); n > 0 {
		v.Number = d.Versions[n-1].Number + 1
	}
	d.Versions = append(d.Versions, v)
	d.File, d.Version, d.UpdatedAt = f, v.Number, at
	return v
}

// VersionNumbered returns version n.
func (d *Dataset) VersionNumbered(n int) (Version, bool) {
	for _, v := range d.Versions {
		if v.Number == n {
			return v, true
		}
	}
	return Version{}, false
}

// BlobKeys lists every blob the dataset owns (all versions).
func (d *Dataset) BlobKeys() []string {
	keys := make([]string, 0, len(d.Versions))
	for _, v := range d.Versions {
		keys = append(keys, v.File.BlobKey)
	}
	return keys
}

// DefaultVisibility is community with a community, else private.
func DefaultVisibility(communityID string) Visibility {
	if communityID != "" {
		return Community
	}
	return Private
}

// Sentinel errors of the dataset context.
var (
	ErrNotFound           = kernel.NewError(kernel.KindNotFound, "dataset_not_found", "Dataset not found")
	ErrVersionNotFound    = kernel.NewError(kernel.KindNotFound, "version_not_found", "Dataset version not found")
	ErrEmptyFile          = kernel.NewError(kernel.KindInvalid, "empty_file", "Value error, The file is empty").WithField("file")
	ErrNotCommunityMember = kernel.NewError(kernel.KindForbidden, "not_community_member", "You are not a member of this community")
	ErrCommunityNotFound  = kernel.NewError(kernel.KindNotFound, "community_not_found", "Community not found")
	ErrCommunityNeeded    = kernel.NewError(kernel.KindInvalid, "community_required", "Value error, Community visibility needs a community_id").WithField("visibility")
	// ErrRestrictedNeedsCommunity: a restricted dataset is governed by its community.
	ErrRestrictedNeedsCommunity = kernel.NewError(kernel.KindInvalid, "community_required", "Value error, Restricted visibility needs a community_id").WithField("visibility")
	// ErrGrantRequired is a restricted dataset's file asked for by a caller who
	// may see its metadata but holds no active grant.
	ErrGrantRequired     = kernel.NewError(kernel.KindForbidden, "grant_required", "This dataset is restricted: downloading it needs an active grant (request access)")
	ErrVersionConflict   = kernel.NewError(kernel.KindConflict, "version_conflict", "The dataset was changed concurrently; try again")
	ErrRangeNotSatisfied = kernel.NewError(kernel.KindRangeNotSatisfiable, "range_not_satisfiable", "Requested range not satisfiable")
)

// maxFilenameBytes bounds a cleaned file name (the common file-system limit).
const maxFilenameBytes = 255

// maxKeptExtBytes is the longest extension kept whole when a name is cut.
const maxKeptExtBytes = 16

// CleanFilename keeps a client file name as harmless metadata: the base name
// only, no control characters, bidirectional overrides, separators or double
// quotes, at most 255 bytes (cut on a rune boundary, keeping a short extension).
func CleanFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimSpace(name))
	var b strings.Builder
	for _, r := range name {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '/' || r == '"' {
			continue
		}
		b.WriteRune(r)
	}
	out := strings.Trim(b.String(), ". ")
	if len(out) > maxFilenameBytes {
		ext := path.Ext(out)
		if len(ext) > maxKeptExtBytes || len(ext) == len(out) {
			ext = ""
		}
		out = strings.TrimRight(cutBytes(strings.TrimSuffix(out, ext), maxFilenameBytes-len(ext)), ". ") + ext
	}
	if out == "" {
		return "file"
	}
	return out
}

// cutBytes shortens s to at most n bytes without splitting a rune.
func cutBytes(s string, n int) string {
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// ParseTags splits a comma-separated tag list: trimmed, lower-cased, unique, non-empty.
func ParseTags(s string) []string {
	return NormalizeTags(strings.Split(s, ","))
}

// NormalizeTags trims, lower-cases and de-duplicates tags, dropping empty ones.
func NormalizeTags(in []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range in {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !seen[t] && utf8.RuneCountInString(t) <= 50 {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
