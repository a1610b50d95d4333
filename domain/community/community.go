package community

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Name length bounds, in characters after trimming.
const (
	NameMinLen        = 2
	NameMaxLen        = 100
	DescriptionMaxLen = 2000
)

// Community is the aggregate that groups people: its name, description, logo
// and administrators. adminIDs is the authority on who administers the
// community, so the last-admin rule is checked on one document atomically.
// The fields are unexported so that only New and the methods change them: a
// name that fails ParseName, or a community without an administrator, cannot
// be set.
type Community struct {
	id          string
	name        string
	description string
	createdBy   string
	// logoKey is the blob store key of the logo ("" when there is none);
	// logoContentType its media type and logoETag its SHA-256 (hex).
	logoKey         string
	logoContentType string
	logoETag        string
	createdAt       time.Time
	updatedAt       time.Time
	adminIDs        []string // never empty
	revision        int64
}

// Snapshot is a community's state as plain values. It is for repositories
// only: they store what Community.Snapshot returns and rebuild a stored
// community with Restore, which runs none of New's rules (the state passed
// them when it was made).
type Snapshot struct {
	ID              string
	Name            string
	Description     string
	CreatedBy       string
	LogoKey         string
	LogoContentType string
	LogoETag        string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	AdminIDs        []string
	Revision        int64
}

// Restore rebuilds a stored community from its snapshot (for repositories only).
func Restore(s Snapshot) *Community {
	return &Community{
		id: s.ID, name: s.Name, description: s.Description, createdBy: s.CreatedBy, logoKey: s.LogoKey,
		logoContentType: s.LogoContentType, logoETag: s.LogoETag, createdAt: s.CreatedAt, updatedAt: s.UpdatedAt,
		adminIDs: slices.Clone(s.AdminIDs), revision: s.Revision,
	}
}

// Snapshot returns the community's state for a repository to store.
func (c *Community) Snapshot() Snapshot {
	return Snapshot{
		ID: c.id, Name: c.name, Description: c.description, CreatedBy: c.createdBy, LogoKey: c.logoKey,
		LogoContentType: c.logoContentType, LogoETag: c.logoETag, CreatedAt: c.createdAt, UpdatedAt: c.updatedAt,
		AdminIDs: slices.Clone(c.adminIDs), Revision: c.revision,
	}
}

// ID is the community's id.
func (c *Community) ID() string { return c.id }

// Name is the community's name (trimmed, checked by ParseName).
func (c *Community) Name() string { return c.name }

// Description is the community's description.
func (c *Community) Description() string { return c.description }

// CreatedBy is the user who created the community.
func (c *Community) CreatedBy() string { return c.createdBy }

// LogoKey is the blob store key of the logo ("" when there is none).
func (c *Community) LogoKey() string { return c.logoKey }

// LogoContentType is the logo's media type.
func (c *Community) LogoContentType() string { return c.logoContentType }

// LogoETag is the logo's SHA-256 (hex).
func (c *Community) LogoETag() string { return c.logoETag }

// CreatedAt is when the community was created.
func (c *Community) CreatedAt() time.Time { return c.createdAt }

// UpdatedAt is when the community last changed.
func (c *Community) UpdatedAt() time.Time { return c.updatedAt }

// AdminIDs are the user ids of the community's administrators (a copy).
func (c *Community) AdminIDs() []string { return slices.Clone(c.adminIDs) }

// Revision increases on every stored change; repositories use it for
// optimistic concurrency.
func (c *Community) Revision() int64 { return c.revision }

// BumpRevision counts one more stored change: repositories call it once on
// every write (the first makes revision 1).
func (c *Community) BumpRevision() { c.revision++ }

// ParseName trims a community name and checks its length.
func ParseName(raw string) (string, error) {
	name := strings.TrimSpace(raw)
	if n := utf8.RuneCountInString(name); n < NameMinLen || n > NameMaxLen {
		return "", ErrInvalidName
	}
	if !kernel.IsPlainLine(name) {
		return "", ErrInvalidName.WithMessage("Value error, Community name must not contain control characters or bidirectional overrides")
	}
	return name, nil
}

// NameKey is the case-insensitive uniqueness key of a community name.
func NameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// New returns a community created by creatorID, who becomes its first administrator.
func New(id, name, description, creatorID string, at time.Time) (*Community, error) {
	name, err := ParseName(name)
	if err != nil {
		return nil, err
	}
	return &Community{
		id: id, name: name, description: strings.TrimSpace(description), createdBy: creatorID,
		createdAt: at, updatedAt: at, adminIDs: []string{creatorID},
	}, nil
}

// IsAdmin reports whether userID administers the community.
func (c *Community) IsAdmin(userID string) bool {
	return userID != "" && slices.Contains(c.adminIDs, userID)
}

// IsSoleAdmin reports whether userID is the community's only administrator,
// the one who cannot leave it (RemoveAdmin refuses with ErrLastAdmin).
func (c *Community) IsSoleAdmin(userID string) bool {
	return len(c.adminIDs) == 1 && c.IsAdmin(userID)
}

// HasLogo reports whether a logo is set.
func (c *Community) HasLogo() bool { return c.logoKey != "" }

// Rename changes the name.
func (c *Community) Rename(raw string, at time.Time) error {
	name, err := ParseName(raw)
	if err != nil {
		return err
	}
	c.name, c.updatedAt = name, at
	return nil
}

// Describe changes the description.
func (c *Community) Describe(description string, at time.Time) {
	c.description, c.updatedAt = strings.TrimSpace(description), at
}

// SetLogo records a new logo and returns the key of the one it replaces ("" for none).
func (c *Community) SetLogo(key, contentType, etag string, at time.Time) (replaced string) {
	replaced = c.logoKey
	c.logoKey, c.logoContentType, c.logoETag, c.updatedAt = key, contentType, etag, at
	return replaced
}

// AddAdmin makes userID an administrator (idempotent).
func (c *Community) AddAdmin(userID string, at time.Time) {
	if !slices.Contains(c.adminIDs, userID) {
		c.adminIDs = append(c.adminIDs, userID)
		c.updatedAt = at
	}
}

// RemoveAdmin takes the administrator role from userID. The last administrator
// cannot lose it (ErrLastAdmin): a community is never left without one.
func (c *Community) RemoveAdmin(userID string, at time.Time) error {
	if !slices.Contains(c.adminIDs, userID) {
		return nil
	}
	if len(c.adminIDs) == 1 {
		return ErrLastAdmin
	}
	c.adminIDs = slices.DeleteFunc(c.adminIDs, func(x string) bool { return x == userID })
	c.updatedAt = at
	return nil
}

// RekeyBlobs points the logo at the new key keys gives its key, when keys
// has it (an import stores the blobs under keys of its own).
func (c *Community) RekeyBlobs(keys map[string]string) {
	if k, ok := keys[c.logoKey]; ok && c.logoKey != "" {
		c.logoKey = k
	}
}

// Clone returns a deep copy (repositories hand out copies, never their own state).
func (c *Community) Clone() *Community {
	d := *c
	d.adminIDs = slices.Clone(c.adminIDs)
	return &d
}

// Logo limits: at most 2 MiB, and at most 4096 pixels on each side.
const (
	MaxLogoBytes = 2 << 20
	MaxLogoSide  = 4096
)

// Logo media types, recognised by content.
const (
	LogoPNG  = "image/png"
	LogoJPEG = "image/jpeg"
	LogoWebP = "image/webp"
)
