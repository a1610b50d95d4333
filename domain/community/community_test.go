package community_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/community"
)

func TestParseName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"Riverside Gardens", "Riverside Gardens", true},
		{"  padded  ", "padded", true},
		{"ab", "ab", true},
		{"é✓", "é✓", true},
		{"a", "", false},
		{"   a   ", "", false},
		{"", "", false},
		{strings.Repeat("x", 100), strings.Repeat("x", 100), true},
		{strings.Repeat("x", 101), "", false},
		{strings.Repeat("é", 100), strings.Repeat("é", 100), true},
		{"line\nbreak", "", false},
		{"tab\there", "", false},
		{"override\u202ereversed", "", false},
		{"isolate\u2066here", "", false},
		{"nul\x00", "", false},
	}
	for _, c := range cases {
		got, err := community.ParseName(c.in)
		if c.ok && (err != nil || got != c.want) {
			t.Errorf("ParseName(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if !c.ok && !errors.Is(err, community.ErrInvalidName) {
			t.Errorf("ParseName(%q) = %q, %v; want ErrInvalidName", c.in, got, err)
		}
	}
}

func TestNameKeyIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	if community.NameKey(" Riverside GARDENS ") != community.NameKey("riverside gardens") {
		t.Error("NameKey differs by case or spaces")
	}
}

func TestNewMakesTheCreatorTheAdmin(t *testing.T) {
	t.Parallel()
	c, err := community.New("c1", "  Riverside  ", " about ", "u1", t0)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "Riverside" || c.Description() != "about" || c.CreatedBy() != "u1" || !slices.Equal(c.AdminIDs(), []string{"u1"}) ||
		!c.CreatedAt().Equal(t0) || !c.UpdatedAt().Equal(t0) || c.HasLogo() {
		t.Errorf("New = %+v", *c)
	}
	if !c.IsAdmin("u1") || c.IsAdmin("u2") || c.IsAdmin("") {
		t.Error("IsAdmin wrong")
	}
	if _, err := community.New("c1", "x", "", "u1", t0); !errors.Is(err, community.ErrInvalidName) {
		t.Errorf("New with a short name: %v", err)
	}
}

func TestLastAdminRule(t *testing.T) {
	t.Parallel()
	later := t0.Add(time.Hour)
	t.Run("the_only_admin_cannot_be_removed", func(t *testing.T) {
		t.Parallel()
		c, _ := community.New("c1", "Riverside", "", "u1", t0)
		if err := c.RemoveAdmin("u1", later); !errors.Is(err, community.ErrLastAdmin) {
			t.Fatalf("got %v, want ErrLastAdmin", err)
		}
		if !slices.Equal(c.AdminIDs(), []string{"u1"}) || !c.UpdatedAt().Equal(t0) {
			t.Errorf("refused removal changed the community: %+v", *c)
		}
	})
	t.Run("one_of_two_admins_can_go_then_not_the_other", func(t *testing.T) {
		t.Parallel()
		c, _ := community.New("c1", "Riverside", "", "u1", t0)
		c.AddAdmin("u2", later)
		c.AddAdmin("u2", later) // idempotent
		if !slices.Equal(c.AdminIDs(), []string{"u1", "u2"}) {
			t.Fatalf("AdminIDs = %v", c.AdminIDs())
		}
		if err := c.RemoveAdmin("u1", later); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.AdminIDs(), []string{"u2"}) {
			t.Errorf("AdminIDs = %v", c.AdminIDs())
		}
		if err := c.RemoveAdmin("u2", later); !errors.Is(err, community.ErrLastAdmin) {
			t.Errorf("got %v, want ErrLastAdmin", err)
		}
	})
	t.Run("removing_a_non_admin_changes_nothing", func(t *testing.T) {
		t.Parallel()
		c, _ := community.New("c1", "Riverside", "", "u1", t0)
		if err := c.RemoveAdmin("u9", later); err != nil || !c.UpdatedAt().Equal(t0) {
			t.Errorf("got %v, UpdatedAt %v", err, c.UpdatedAt())
		}
	})
}

func TestSetLogoReturnsTheReplacedKey(t *testing.T) {
	t.Parallel()
	c, _ := community.New("c1", "Riverside", "", "u1", t0)
	if old := c.SetLogo("k1", community.LogoPNG, "e1", t0); old != "" {
		t.Errorf("first logo replaced %q", old)
	}
	if old := c.SetLogo("k2", community.LogoWebP, "e2", t0); old != "k1" {
		t.Errorf("second logo replaced %q, want k1", old)
	}
	if !c.HasLogo() || c.LogoContentType() != community.LogoWebP || c.LogoETag() != "e2" {
		t.Errorf("logo = %q %q %q", c.LogoKey(), c.LogoContentType(), c.LogoETag())
	}
}

func TestRenameChecksTheName(t *testing.T) {
	t.Parallel()
	c, _ := community.New("c1", "Riverside", "", "u1", t0)
	if err := c.Rename(" ", t0.Add(time.Hour)); !errors.Is(err, community.ErrInvalidName) || c.Name() != "Riverside" {
		t.Errorf("Rename(blank) = %v, name %q", err, c.Name())
	}
	if err := c.Rename(" Hillside ", t0.Add(time.Hour)); err != nil || c.Name() != "Hillside" || !c.UpdatedAt().Equal(t0.Add(time.Hour)) {
		t.Errorf("Rename = %v, %+v", err, *c)
	}
}

func TestCloneDoesNotAlias(t *testing.T) {
	t.Parallel()
	c, _ := community.New("c1", "Riverside", "", "u1", t0)
	d := c.Clone()
	d.AdminIDs()[0] = "changed"
	if c.AdminIDs()[0] != "u1" {
		t.Error("Clone shares AdminIDs")
	}
	c.AddAdmin("u2", t0)
	d = c.Clone()
	if err := d.RemoveAdmin("u1", t0); err != nil {
		t.Fatal(err)
	}
	if got := c.AdminIDs(); !slices.Equal(got, []string{"u1", "u2"}) {
		t.Errorf("the clone's change reached the original: admins %q", got)
	}
}

func TestIsSoleAdmin(t *testing.T) {
	t.Parallel()
	c, _ := community.New("c1", "Riverside", "", "u1", t0)
	if !c.IsSoleAdmin("u1") || c.IsSoleAdmin("u2") || c.IsSoleAdmin("") {
		t.Errorf("one admin u1: sole u1 %v, u2 %v, nobody %v", c.IsSoleAdmin("u1"), c.IsSoleAdmin("u2"), c.IsSoleAdmin(""))
	}
	c.AddAdmin("u2", t0)
	if c.IsSoleAdmin("u1") || c.IsSoleAdmin("u2") {
		t.Error("with two admins one of them is reported the sole admin")
	}
}

func TestSnapshotAndRestore(t *testing.T) {
	t.Parallel()
	s := community.Snapshot{ID: "c1", Name: "Riverside", Description: "d", CreatedBy: "u1", LogoKey: "k",
		LogoContentType: community.LogoPNG, LogoETag: "e", CreatedAt: t0, UpdatedAt: t0.Add(time.Hour),
		AdminIDs: []string{"u1", "u2"}, Revision: 4}
	c := community.Restore(s)
	got := c.Snapshot()
	if !slices.Equal(got.AdminIDs, s.AdminIDs) || got.Name != s.Name || got.LogoKey != s.LogoKey || got.Revision != 4 ||
		!got.UpdatedAt.Equal(s.UpdatedAt) || c.ID() != "c1" || c.CreatedBy() != "u1" || !c.HasLogo() {
		t.Errorf("Restore then Snapshot = %+v, want %+v", got, s)
	}
	got.AdminIDs[0] = "changed"
	s.AdminIDs[1] = "changed too"
	if admins := c.AdminIDs(); !slices.Equal(admins, []string{"u1", "u2"}) {
		t.Errorf("the community shares its admins with a snapshot: %q", admins)
	}
	c.BumpRevision()
	if c.Revision() != 5 {
		t.Errorf("revision %d after a bump, want 5", c.Revision())
	}
}

func TestRekeyBlobsMovesTheLogo(t *testing.T) {
	t.Parallel()
	c, _ := community.New("c1", "Riverside", "", "u1", t0)
	c.RekeyBlobs(map[string]string{"": "nothing"})
	if c.HasLogo() {
		t.Errorf("a community without a logo got one: %q", c.LogoKey())
	}
	c.SetLogo("old", community.LogoPNG, "e", t0)
	c.RekeyBlobs(map[string]string{"other": "x"})
	if c.LogoKey() != "old" {
		t.Errorf("logo key %q, want old (not in the map)", c.LogoKey())
	}
	c.RekeyBlobs(map[string]string{"old": "new"})
	if c.LogoKey() != "new" || c.LogoETag() != "e" {
		t.Errorf("logo key %q etag %q, want new and e", c.LogoKey(), c.LogoETag())
	}
}

func TestRolesAndKeys(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"admin", "member"} {
		if r, ok := community.ParseRole(s); !ok || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %t", s, r, ok)
		}
	}
	for _, s := range []string{"", "Admin", "owner"} {
		if _, ok := community.ParseRole(s); ok {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
	key := community.MembershipKey("c1", "u1")
	if cid, uid, ok := community.SplitMembershipKey(key); !ok || cid != "c1" || uid != "u1" {
		t.Errorf("SplitMembershipKey(%q) = %q %q %t", key, cid, uid, ok)
	}
}
