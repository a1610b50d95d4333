package bridge_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/bridge"
	"github.com/civicdatatrust/civictrust/adapters/memory/auditmem"
	"github.com/civicdatatrust/civictrust/adapters/memory/communitymem"
	"github.com/civicdatatrust/civictrust/adapters/memory/identitymem"
	"github.com/civicdatatrust/civictrust/application/auditapp"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

var at = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

type fixedClock struct{}

func (fixedClock) Now() time.Time { return at }

// assignments answers every call with err.
type assignments struct{ err error }

func (a assignments) RoleIDsOf(context.Context, string) ([]string, error) { return nil, a.err }
func (a assignments) AssignRole(context.Context, string, string) ([]string, error) {
	return nil, a.err
}
func (a assignments) UnassignRole(context.Context, string, string, func([]string) error) ([]string, error) {
	return nil, a.err
}
func (a assignments) UnassignAdminRole(context.Context, string, string, func([]string) error) ([]string, error) {
	return nil, a.err
}
func (a assignments) HoldersOf(context.Context, string) ([]identityport.RoleHolder, error) {
	return []identityport.RoleHolder{{ID: "u1", Name: "Ada"}}, a.err
}
func (a assignments) RemoveRoleEverywhere(context.Context, string) error { return a.err }

func TestRoleHoldersNameIdentityRefusalsAsAccessDoes(t *testing.T) {
	ctx := context.Background()
	lost := bridge.NewRoleHolders(assignments{err: identity.ErrUserNotFound})
	if _, err := lost.RoleIDsOf(ctx, "u1"); !errors.Is(err, access.ErrUserNotFound) {
		t.Fatalf("RoleIDsOf of an unknown user: %v", err)
	}
	if _, err := lost.Assign(ctx, "u1", "r"); !errors.Is(err, access.ErrUserNotFound) {
		t.Fatalf("Assign to an unknown user: %v", err)
	}
	last := bridge.NewRoleHolders(assignments{err: identity.ErrLastAdmin})
	if _, err := last.UnassignKeepingAdmin(ctx, "u1", "admin", nil); !errors.Is(err, access.ErrLastAdmin) {
		t.Fatalf("UnassignKeepingAdmin of the last admin: %v", err)
	}
	other := errors.New("store down")
	if _, err := bridge.NewRoleHolders(assignments{err: other}).Unassign(ctx, "u1", "r", nil); !errors.Is(err, other) {
		t.Fatalf("a store failure: %v", err)
	}
	hs, err := bridge.NewRoleHolders(assignments{}).Holders(ctx, "r")
	if err != nil || len(hs) != 1 || hs[0].ID != "u1" || hs[0].Name != "Ada" {
		t.Fatalf("Holders = %v, %v", hs, err)
	}
}

// lookup knows one role, "editor".
type lookup struct{}

var editor = &access.Role{ID: "r-editor", Name: "editor", SelfAssignable: true}

func (lookup) RoleByRef(_ context.Context, ref string) (*access.Role, bool, error) {
	if ref == editor.ID || ref == editor.Name {
		return editor, true, nil
	}
	return nil, false, nil
}
func (lookup) RolesByIDs(_ context.Context, ids []string) ([]*access.Role, error) {
	if slices.Contains(ids, editor.ID) {
		return []*access.Role{editor}, nil
	}
	return nil, nil
}
func (lookup) RoleByName(_ context.Context, name string) (*access.Role, error) {
	return &access.Role{ID: "r-" + name, Name: name}, nil
}

func TestRoleDirectoryReturnsUnknownReferences(t *testing.T) {
	ctx := context.Background()
	d := bridge.NewRoleDirectory(lookup{})
	roles, unknown, err := d.Resolve(ctx, []string{"editor", "ghost", "r-editor"})
	if err != nil || len(roles) != 2 || !roles[0].SelfAssignable || !slices.Equal(unknown, []string{"ghost"}) {
		t.Fatalf("Resolve = %v, %v, %v", roles, unknown, err)
	}
	if id, _ := d.AdminRoleID(ctx); id != "r-"+access.RoleAdmin {
		t.Fatalf("AdminRoleID = %q", id)
	}
	if id, _ := d.DefaultRoleID(ctx); id != "r-"+access.RoleMember {
		t.Fatalf("DefaultRoleID = %q", id)
	}
}

func TestDatasetCommunitiesTellMembersFromAdministrators(t *testing.T) {
	ctx := context.Background()
	cs, ms := communitymem.NewCommunityRepository(), communitymem.NewMembershipRepository()
	c, err := community.New("c1", "River Watch", "", "creator", at)
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"creator", "member"} {
		if err := ms.Add(ctx, &community.Membership{CommunityID: "c1", UserID: u, Role: community.RoleMember, AddedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	d := bridge.NewDatasetCommunities(cs, ms)
	for _, tc := range []struct {
		community, user string
		want            datasetport.Membership
	}{
		{"c1", "creator", datasetport.Membership{Exists: true, Member: true, Admin: true}},
		{"c1", "member", datasetport.Membership{Exists: true, Member: true}},
		{"c1", "outsider", datasetport.Membership{Exists: true}},
		{"gone", "member", datasetport.Membership{}},
	} {
		got, err := d.Membership(ctx, tc.community, tc.user)
		if err != nil || got != tc.want {
			t.Errorf("Membership(%s, %s) = %+v, %v; want %+v", tc.community, tc.user, got, err, tc.want)
		}
	}
	if ids, err := d.CommunitiesOf(ctx, "member"); err != nil || !slices.Equal(ids, []string{"c1"}) {
		t.Fatalf("CommunitiesOf = %v, %v", ids, err)
	}
}

func TestDirectoriesNameAnUnknownUserOrCommunityInTheirContext(t *testing.T) {
	ctx := context.Background()
	users := identitymem.NewUserRepository()
	if err := users.Create(ctx, identity.RestoreUser(identity.UserSnapshot{ID: "u1", Name: "Ada", Email: "ada@example.org", Active: true})); err != nil {
		t.Fatal(err)
	}
	dir := bridge.NewUserDirectory(users)
	if u, err := dir.Get(ctx, "u1"); err != nil || u.Email != "ada@example.org" || u.Name != "Ada" {
		t.Fatalf("Get = %+v, %v", u, err)
	}
	if _, err := dir.Get(ctx, "nobody"); !errors.Is(err, community.ErrUserNotFound) {
		t.Fatalf("an unknown user for communities: %v", err)
	}
	if u, err := bridge.NewGovernanceUsers(users).User(ctx, "u1"); err != nil || u.Email != "ada@example.org" {
		t.Fatalf("governance's user = %+v, %v", u, err)
	}
	gc := bridge.NewGovernanceCommunities(communitymem.NewCommunityRepository())
	if _, err := gc.Community(ctx, "gone"); !errors.Is(err, governance.ErrCommunityNotFound) {
		t.Fatalf("an unknown community for governance: %v", err)
	}
}

func TestTheAccessLogIsAViewOverTheAuditTrail(t *testing.T) {
	ctx := context.Background()
	trail := auditapp.New(auditmem.NewStore(), fixedClock{})
	log := bridge.NewDatasetAccessLog(trail)
	entries := []datasetport.AccessEntry{
		{DatasetID: "d1", ActorID: "u1", Action: "download", Version: 2, GrantID: "g1", IP: "192.0.2.1", At: at},
		{DatasetID: "d1", ActorID: "u2", Action: "view", Version: 1, At: at.Add(time.Second)},
		{DatasetID: "d2", ActorID: "u1", Action: "view", Version: 1, At: at},
	}
	for _, e := range entries {
		if err := log.Record(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	got, total, err := log.List(ctx, "d1", 0, 10)
	if err != nil || total != 2 || len(got) != 2 {
		t.Fatalf("List = %d entries of %d, %v", len(got), total, err)
	}
	byActor := map[string]datasetport.AccessEntry{}
	for _, e := range got {
		byActor[e.ActorID] = e
	}
	d := byActor["u1"]
	if d.Action != "dataset.download" || d.Version != 2 || d.GrantID != "g1" || d.IP != "192.0.2.1" || d.Hash == "" || d.Seq == 0 {
		t.Fatalf("the download's entry: %+v", d)
	}
	evs, _, err := trail.List(ctx, auditport.Filter{TargetType: "dataset", TargetID: "d1"}, 1, 10)
	if err != nil || len(evs) != 2 || evs[0].TargetType != "dataset" {
		t.Fatalf("the trail holds %d events for d1, %v", len(evs), err)
	}
}

// sessions knows one session, s1 of u1.
type sessions struct{ identityport.AuthService }

func (sessions) SessionPrincipal(_ context.Context, userID, sessionID string) (kernel.Principal, error) {
	if userID != "u1" || sessionID != "s1" {
		return kernel.Principal{}, identity.ErrInvalidToken
	}
	return kernel.Principal{UserID: "u1", SessionID: "s1"}, nil
}

// authorizer gives every principal the datasets module.
type authorizer struct{ accessport.Service }

func (authorizer) Authorize(_ context.Context, p kernel.Principal) (kernel.Principal, error) {
	p.Modules = []string{"datasets"}
	return p, nil
}

func TestDatasetCallersAreTheirSessionWithItsModules(t *testing.T) {
	ctx := context.Background()
	c := bridge.NewDatasetCallers(sessions{}, authorizer{})
	p, err := c.Caller(ctx, "u1", "s1")
	if err != nil || p.UserID != "u1" || !slices.Equal(p.Modules, []string{"datasets"}) {
		t.Fatalf("Caller = %+v, %v", p, err)
	}
	if _, err := c.Caller(ctx, "u1", "ended"); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("a session that ended: %v", err)
	}
}
