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
// and administrators. AdminIDs is the authority on who administers the
// community, so the last-admin rule is checked on one document atomically.
type Community struct {
	ID          string
	Name        string
	Description string
	CreatedBy   string
	// LogoKey is the blob store key of the logo ("" when there is none);
	// LogoContentType its media type and LogoETag its SHA-256 (hex).
	LogoKey         string
	LogoContentType string
	LogoETag        string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// AdminIDs are the user ids of the community's administrators; never empty.
	AdminIDs []string
	// Revision increases on every change; repositories use it for optimistic concurrency.
	Revision int64
}

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
		ID: id, Name: name, Description: strings.TrimSpace(description), CreatedBy: creatorID,
		CreatedAt: at, UpdatedAt: at, AdminIDs: []string{creatorID},
	}, nil
}

// IsAdmin reports whether userID administers the community.
func (c *Community) IsAdmin(userID string) bool {
	return userID != "" && slices.Contains(c.AdminIDs, userID)
}

// HasLogo reports whether a logo is set.
func (c *Community) HasLogo() bool { return c.LogoKey != "" }

// Rename changes the name.
func (c *Community) Rename(raw string, at time.Time) error {
	name, err := ParseName(raw)
	if err != nil {
		return err
	}
	c.Name, c.UpdatedAt = name, at
	return nil
}

// Describe changes the description.
func (c *Community) Describe(description string, at time.Time) {
	c.Description, c.UpdatedAt = strings.TrimSpace(description), at
}

// SetLogo records a new logo and returns the key of the one it replaces ("" for none).
func (c *Community) SetLogo(key, contentType, etag string, at time.Time) (replaced string) {
	replaced = c.LogoKey
	c.LogoKey, c.LogoContentType, c.LogoETag, c.UpdatedAt = key, contentType, etag, at
	return replaced
}

// AddAdmin makes userID an administrator (idempotent).
func (c *Community) AddAdmin(userID string, at time.Time) {
	if !slices.Contains(c.AdminIDs, userID) {
		c.AdminIDs = append(c.AdminIDs, userID)
		c.UpdatedAt = at
	}
}

// RemoveAdmin takes the administrator role from userID. The last administrator
// cannot lose it (ErrLastAdmin): a community is never left without one.
func (c *Community) RemoveAdmin(userID string, at time.Time) error {
	if !slices.Contains(c.AdminIDs, userID) {
		return nil
	}
	if len(c.AdminIDs) == 1 {
		return ErrLastAdmin
	}
	c.AdminIDs = slices.DeleteFunc(c.AdminIDs, func(x string) bool { return x == userID })
	c.UpdatedAt = at
	return nil
}

// Clone returns a deep copy (repositories hand out copies, never their own state).
func (c *Community) Clone() *Community {
	d := *c
	d.AdminIDs = slices.Clone(c.AdminIDs)
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
