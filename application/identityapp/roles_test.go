package identityapp_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/memory/identitymem"
	"github.com/civicdatatrust/civictrust/application/identityapp"
	"github.com/civicdatatrust/civictrust/domain/identity"
)

const (
	rolesAdmin  = "role-admin"
	rolesMember = "role-member"
	rolesEditor = "role-editor"
)

func assignmentsWith(t *testing.T, users ...*identity.User) (*identityapp.RoleAssignments, *identitymem.UserRepository, *fakeClock) {
	t.Helper()
	repo := identitymem.NewUserRepository()
	for _, u := range users {
		if err := repo.Create(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	clock := &fakeClock{now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	return identityapp.NewRoleAssignments(repo, clock), repo, clock
}

func holder(id string, active bool, roles ...string) *identity.User {
	return identity.RestoreUser(identity.UserSnapshot{ID: id, Name: "User " + id, Email: id + "@example.org", Active: active, RoleIDs: roles})
}

func TestRoleAssignmentsGiveARoleOnceAndStampTheChange(t *testing.T) {
	ctx := context.Background()
	a, repo, clock := assignmentsWith(t, holder("u1", true, rolesMember))
	clock.Advance(time.Hour)
	ids, err := a.AssignRole(ctx, "u1", rolesEditor)
	if err != nil || !slices.Equal(ids, []string{rolesMember, rolesEditor}) {
		t.Fatalf("AssignRole = %v, %v", ids, err)
	}
	if ids, _ = a.AssignRole(ctx, "u1", rolesEditor); len(ids) != 2 {
		t.Fatalf("a second assignment of the same role gave %v", ids)
	}
	u, _ := repo.Get(ctx, "u1")
	if !u.UpdatedAt().Equal(clock.Now()) {
		t.Fatalf("updated_at %v, want %v", u.UpdatedAt(), clock.Now())
	}
	if _, err := a.AssignRole(ctx, "nobody", rolesEditor); !errors.Is(err, identity.ErrUserNotFound) {
		t.Fatalf("assigning to an unknown user: %v", err)
	}
}

func TestRoleAssignmentsUnassignOnlyWhatTheCheckAccepts(t *testing.T) {
	ctx := context.Background()
	a, repo, _ := assignmentsWith(t, holder("u1", true, rolesMember, rolesEditor))
	refused := errors.New("refused")
	if _, err := a.UnassignRole(ctx, "u1", rolesEditor, func([]string) error { return refused }); !errors.Is(err, refused) {
		t.Fatalf("refused unassign: %v", err)
	}
	if ids, _ := a.RoleIDsOf(ctx, "u1"); !slices.Contains(ids, rolesEditor) {
		t.Fatalf("a refused unassign changed the roles: %v", ids)
	}
	var seen []string
	ids, err := a.UnassignRole(ctx, "u1", rolesEditor, func(ids []string) error { seen = slices.Clone(ids); return nil })
	if err != nil || !slices.Equal(ids, []string{rolesMember}) || !slices.Contains(seen, rolesEditor) {
		t.Fatalf("UnassignRole = %v, %v (check saw %v)", ids, err, seen)
	}
	u, _ := repo.Get(ctx, "u1")
	if u.HasRole(rolesEditor) {
		t.Fatal("the stored user still holds the role")
	}
}

func TestRoleAssignmentsKeepAnActiveAdministrator(t *testing.T) {
	ctx := context.Background()
	accept := func([]string) error { return nil }
	a, _, _ := assignmentsWith(t, holder("a1", true, rolesAdmin), holder("a2", false, rolesAdmin), holder("a3", true, rolesAdmin))
	if _, err := a.UnassignAdminRole(ctx, "a1", rolesAdmin, accept); err != nil {
		t.Fatalf("with another active admin: %v", err)
	}
	// a2 holds the role but is disabled: a3 is the last active administrator.
	if _, err := a.UnassignAdminRole(ctx, "a3", rolesAdmin, accept); !errors.Is(err, identity.ErrLastAdmin) {
		t.Fatalf("the last active admin: %v", err)
	}
	hs, err := a.HoldersOf(ctx, rolesAdmin)
	if err != nil || len(hs) != 2 {
		t.Fatalf("HoldersOf = %v, %v", hs, err)
	}
	if err := a.RemoveRoleEverywhere(ctx, rolesAdmin); err != nil {
		t.Fatal(err)
	}
	if hs, _ := a.HoldersOf(ctx, rolesAdmin); len(hs) != 0 {
		t.Fatalf("after RemoveRoleEverywhere: %v", hs)
	}
}
