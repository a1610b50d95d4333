// Package dataset holds datasets, their versions and the visibility rule: who
// may view, download, change and delete what the trust holds.
package dataset

import (
	"path"
	"slices"
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
// Its fields are unexported so that only its constructor and methods change
// it: a visibility its community does not allow, tags that are not
// normalised or a current file that is not its last version cannot be set.
type Dataset struct {
	id          string
	title       string
	description string
	communityID string // "" when the dataset belongs to no community
	ownerID     string
	visibility  Visibility
	tags        []string
	license     string
	file        File      // the current version's file
	version     int       // the current version's number
	versions    []Version // every upload, oldest first; versions[len-1] is current
	createdAt   time.Time
	updatedAt   time.Time
	revision    int64
}

// Draft is the metadata a new dataset starts with.
type Draft struct {
	Title       string // "" for the file's name
	Description string
	CommunityID string // "" for none
	OwnerID     string
	Visibility  Visibility // "" for DefaultVisibility(CommunityID)
	Tags        []string
	License     string
}

// New returns dataset id, made at at from draft with f as its first version:
// its title is the file's name unless the draft names one, its tags are
// normalised, and a visibility that needs a community it does not have is
// refused (CheckCommunity).
func New(id string, draft Draft, f File, at time.Time) (*Dataset, error) {
	vis := draft.Visibility
	if vis == "" {
		vis = DefaultVisibility(draft.CommunityID)
	}
	if err := CheckCommunity(vis, draft.CommunityID); err != nil {
		return nil, err
	}
	title := strings.TrimSpace(draft.Title)
	if title == "" {
		title = f.Filename
	}
	d := &Dataset{
		id: id, title: title, description: draft.Description, communityID: draft.CommunityID, ownerID: draft.OwnerID,
		visibility: vis, tags: NormalizeTags(draft.Tags), license: draft.License, createdAt: at,
	}
	d.AddVersion(f, draft.OwnerID, at)
	return d, nil
}

// Snapshot is a dataset's state as plain values. It is for repositories
// only: they store what Dataset.Snapshot returns and rebuild a stored dataset
// with Restore, which runs none of New's rules (the state passed them when it
// was made).
type Snapshot struct {
	ID          string
	Title       string
	Description string
	CommunityID string
	OwnerID     string
	Visibility  Visibility
	Tags        []string
	License     string
	Version     int       // the current version's number
	Versions    []Version // every upload, oldest first
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Revision    int64
}

// Restore rebuilds a stored dataset from its snapshot (for repositories
// only). The current file is that of the version numbered s.Version.
func Restore(s Snapshot) *Dataset {
	d := &Dataset{
		id: s.ID, title: s.Title, description: s.Description, communityID: s.CommunityID, ownerID: s.OwnerID,
		visibility: s.Visibility, tags: slices.Clone(s.Tags), license: s.License, version: s.Version,
		versions: slices.Clone(s.Versions), createdAt: s.CreatedAt, updatedAt: s.UpdatedAt, revision: s.Revision,
	}
	if cur, ok := d.VersionNumbered(s.Version); ok {
		d.file = cur.File
	}
	return d
}

// Snapshot returns the dataset's state for a repository to store.
func (d *Dataset) Snapshot() Snapshot {
	return Snapshot{
		ID: d.id, Title: d.title, Description: d.description, CommunityID: d.communityID, OwnerID: d.ownerID,
		Visibility: d.visibility, Tags: slices.Clone(d.tags), License: d.license, Version: d.version,
		Versions: slices.Clone(d.versions), CreatedAt: d.createdAt, UpdatedAt: d.updatedAt, Revision: d.revision,
	}
}

// Clone returns a deep copy (repositories hand out copies, never their own state).
func (d *Dataset) Clone() *Dataset {
	c := *d
	c.tags = slices.Clone(d.tags)
	c.versions = slices.Clone(d.versions)
	return &c
}

// ID is the dataset's id.
func (d *Dataset) ID() string { return d.id }

// Title is the dataset's title.
func (d *Dataset) Title() string { return d.title }

// Description is the dataset's description.
func (d *Dataset) Description() string { return d.description }

// CommunityID is the community the dataset belongs to ("" for none).
func (d *Dataset) CommunityID() string { return d.communityID }

// OwnerID is the user who created the dataset.
func (d *Dataset) OwnerID() string { return d.ownerID }

// Visibility says who may see the dataset.
func (d *Dataset) Visibility() Visibility { return d.visibility }

// Tags are the dataset's tags (a copy).
func (d *Dataset) Tags() []string { return slices.Clone(d.tags) }

// HasTag reports whether the dataset carries tag.
func (d *Dataset) HasTag(tag string) bool { return slices.Contains(d.tags, tag) }

// License is the dataset's licence text.
func (d *Dataset) License() string { return d.license }

// File is the current version's file.
func (d *Dataset) File() File { return d.file }

// Version is the current version's number.
func (d *Dataset) Version() int { return d.version }

// Versions are every upload, oldest first (a copy).
func (d *Dataset) Versions() []Version { return slices.Clone(d.versions) }

// CreatedAt is when the dataset was created.
func (d *Dataset) CreatedAt() time.Time { return d.createdAt }

// UpdatedAt is when the dataset last changed.
func (d *Dataset) UpdatedAt() time.Time { return d.updatedAt }

// Revision increases on every stored change; repositories use it for
// optimistic concurrency.
func (d *Dataset) Revision() int64 { return d.revision }

// BumpRevision counts one more stored change: repositories call it once on
// every write (the first makes revision 1).
func (d *Dataset) BumpRevision() { d.revision++ }

// MetadataChange is a partial change of a dataset's metadata; nil fields stay
// as they are.
type MetadataChange struct {
	Title       *string
	Description *string
	Visibility  *Visibility
	Tags        *[]string
	License     *string
}

// ChangeMetadata applies c at at: the title is trimmed, tags are normalised,
// and a visibility that needs a community the dataset does not have is
// refused (CheckCommunity) with nothing changed.
func (d *Dataset) ChangeMetadata(c MetadataChange, at time.Time) error {
	if c.Visibility != nil {
		if err := CheckCommunity(*c.Visibility, d.communityID); err != nil {
			return err
		}
		d.visibility = *c.Visibility
	}
	if c.Title != nil {
		d.title = strings.TrimSpace(*c.Title)
	}
	if c.Description != nil {
		d.description = *c.Description
	}
	if c.Tags != nil {
		d.tags = NormalizeTags(*c.Tags)
	}
	if c.License != nil {
		d.license = *c.License
	}
	d.updatedAt = at
	return nil
}

// AddVersion makes f the current file as the next version number.
func (d *Dataset) AddVersion(f File, by string, at time.Time) Version {
	v := Version{DatasetID: d.id, Number: len(d.versions) + 1, File: f, CreatedBy: by, CreatedAt: at}
	if n := len(d.versions); n > 0 {
		v.Number = d.versions[n-1].Number + 1
	}
	d.versions = append(d.versions, v)
	d.file, d.version, d.updatedAt = f, v.Number, at
	return v
}

// VersionNumbered returns version n.
func (d *Dataset) VersionNumbered(n int) (Version, bool) {
	for _, v := range d.versions {
		if v.Number == n {
			return v, true
		}
	}
	return Version{}, false
}

// BlobKeys lists every blob the dataset owns (all versions).
func (d *Dataset) BlobKeys() []string {
	keys := make([]string, 0, len(d.versions))
	for _, v := range d.versions {
		keys = append(keys, v.File.BlobKey)
	}
	return keys
}

// RekeyBlobs points every version whose blob key is in keys at the new key
// keys gives it (an import stores the blobs under keys of its own).
func (d *Dataset) RekeyBlobs(keys map[string]string) {
	for i := range d.versions {
		if k, ok := keys[d.versions[i].File.BlobKey]; ok {
			d.versions[i].File.BlobKey = k
		}
	}
	if k, ok := keys[d.file.BlobKey]; ok {
		d.file.BlobKey = k
	}
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
