package communityapp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/blob/memblob"
	"github.com/civicdatatrust/civictrust/adapters/memory/communitymem"
	"github.com/civicdatatrust/civictrust/application/communityapp"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// fixture is a service on memory adapters with fakes for the other contexts.
type fixture struct {
	svc      *communityapp.Service
	users    map[string]communityport.UserInfo
	datasets *fakeDatasets
	blobs    *memblob.Store
	mailer   *fakeMailer
	reporter *fakeReporter
	requests *communitymem.JoinRequestRepository
	members  *communitymem.MembershipRepository
}

func newFixture(t *testing.T) *fixture { return newFixtureWith(t, nil) }

// newFixtureWith lets adjust change the dependencies before the service is built.
func newFixtureWith(t *testing.T, adjust func(*fixture, *communityapp.Deps)) *fixture {
	t.Helper()
	f := &fixture{
		users:    map[string]communityport.UserInfo{},
		datasets: &fakeDatasets{},
		blobs:    memblob.New(),
		mailer:   &fakeMailer{},
		reporter: &fakeReporter{},
		requests: communitymem.NewJoinRequestRepository(),
		members:  communitymem.NewMembershipRepository(),
	}
	deps := communityapp.Deps{
		Communities: communitymem.NewCommunityRepository(),
		Members:     f.members,
		Requests:    f.requests,
		Users:       fakeUsers(f.users),
		Datasets:    f.datasets,
		Blobs:       f.blobs,
		Mailer:      f.mailer,
		Clock:       fixedClock{},
		Reporter:    f.reporter,
	}
	if adjust != nil {
		adjust(f, &deps)
	}
	f.svc = communityapp.New(deps)
	return f
}

// user registers a user and returns a principal for them.
func (f *fixture) user(name string) kernel.Principal {
	id := kernel.NewID(time.Now())
	f.users[id] = communityport.UserInfo{ID: id, Name: name, Email: strings.ToLower(name) + "@example.org"}
	return kernel.Principal{UserID: id, RoleNames: []string{"member"}, Modules: []string{"communities"}}
}

func (f *fixture) create(t *testing.T, p kernel.Principal, name string) string {
	t.Helper()
	v, err := f.svc.Create(t.Context(), p, communityport.CreateInput{Name: name})
	if err != nil {
		t.Fatalf("Create %s: %v", name, err)
	}
	return v.Community.ID()
}

type fakeUsers map[string]communityport.UserInfo

func (u fakeUsers) Get(_ context.Context, id string) (communityport.UserInfo, error) {
	if info, ok := u[id]; ok {
		return info, nil
	}
	return communityport.UserInfo{}, community.ErrUserNotFound
}

type fakeDatasets struct{ n int64 }

func (d *fakeDatasets) CountInCommunity(context.Context, string) (int64, error) { return d.n, nil }

type fixedClock struct{}

func (fixedClock) Now() time.Time { return time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC) }

type fakeMailer struct {
	mu   sync.Mutex
	sent []platformport.Message
	fail bool
}

func (m *fakeMailer) Send(_ context.Context, msg platformport.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("smtp: connection refused")
	}
	m.sent = append(m.sent, msg)
	return nil
}

func (m *fakeMailer) to(addr string) []platformport.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []platformport.Message
	for _, msg := range m.sent {
		if msg.To == addr {
			out = append(out, msg)
		}
	}
	return out
}

type fakeReporter struct {
	mu  sync.Mutex
	ops []string
}

func (r *fakeReporter) Report(_ context.Context, op string, _ error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops = append(r.ops, op)
}

func wantErr(t *testing.T, err error, want *kernel.Error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %s", err, want.Code)
	}
}

func logo(data string) communityport.LogoReader {
	return func() (communityport.Logo, error) {
		return communityport.Logo{ContentType: community.LogoPNG, Data: []byte(data)}, nil
	}
}

func TestDeleteRefusesACommunityThatHoldsDatasets(t *testing.T) {
	f := newFixture(t)
	owner := f.user("Owner")
	id := f.create(t, owner, "Riverside")
	f.datasets.n = 1
	wantErr(t, f.svc.Delete(t.Context(), owner, id), community.ErrHasDatasets)
	if _, err := f.svc.Get(t.Context(), owner, id); err != nil {
		t.Fatalf("the community went: %v", err)
	}
	f.datasets.n = 0
	if err := f.svc.Delete(t.Context(), owner, id); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteRemovesMembershipsRequestsAndLogo(t *testing.T) {
	f := newFixture(t)
	owner, member, asker := f.user("Owner"), f.user("Member"), f.user("Asker")
	id := f.create(t, owner, "Riverside")
	if _, err := f.svc.AddMember(t.Context(), owner, id, member.UserID, community.RoleMember); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RequestToJoin(t.Context(), asker, id, communityport.JoinInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetLogo(t.Context(), owner, id, logo("png bytes")); err != nil {
		t.Fatal(err)
	}
	if f.blobs.Len() != 1 {
		t.Fatalf("%d blobs, want 1", f.blobs.Len())
	}
	if err := f.svc.Delete(t.Context(), owner, id); err != nil {
		t.Fatal(err)
	}
	if f.blobs.Len() != 0 {
		t.Errorf("%d blobs left, want 0", f.blobs.Len())
	}
	counts, _ := f.members.Count(t.Context(), []string{id})
	if counts[id] != 0 {
		t.Errorf("%d memberships left", counts[id])
	}
	if _, total, _ := f.requests.List(t.Context(), communityport.JoinRequestFilter{CommunityID: id}, 0, -1); total != 0 {
		t.Errorf("%d join requests left", total)
	}
	mine, total, err := f.svc.UserCommunities(t.Context(), member, member.UserID, communityport.Page{Page: 1, Limit: 20})
	if err != nil || total != 0 || len(mine) != 0 {
		t.Errorf("member still in %d communities (%v)", total, err)
	}
}

func TestReplacingALogoDeletesTheOldBlob(t *testing.T) {
	f := newFixture(t)
	owner := f.user("Owner")
	id := f.create(t, owner, "Riverside")
	for i := range 3 {
		if _, err := f.svc.SetLogo(t.Context(), owner, id, logo(fmt.Sprintf("logo %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if f.blobs.Len() != 1 {
		t.Errorf("%d blobs, want 1", f.blobs.Len())
	}
	file, err := f.svc.Logo(t.Context(), owner, id)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := file.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, _ := io.ReadAll(rc)
	if !bytes.Equal(got, []byte("logo 2")) {
		t.Errorf("logo = %q", got)
	}
}

func TestOutsidersAreRefusedBeforeTheUploadIsRead(t *testing.T) {
	f := newFixture(t)
	owner, outsider := f.user("Owner"), f.user("Outsider")
	id := f.create(t, owner, "Riverside")
	read := false
	_, err := f.svc.SetLogo(t.Context(), outsider, id, func() (communityport.Logo, error) {
		read = true
		return communityport.Logo{}, nil
	})
	wantErr(t, err, community.ErrNotCommunityAdmin)
	if read {
		t.Error("the upload was read for an outsider")
	}
	_, err = f.svc.Logo(t.Context(), owner, id)
	wantErr(t, err, community.ErrNoLogo)
}

func TestJoinRequestNotifications(t *testing.T) {
	f := newFixture(t)
	owner, second, asker := f.user("Owner"), f.user("Second"), f.user("Asker")
	id := f.create(t, owner, "Riverside")
	if _, err := f.svc.AddMember(t.Context(), owner, id, second.UserID, community.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.RequestToJoin(t.Context(), asker, id, communityport.JoinInput{Message: "I live on the river"})
	if err != nil {
		t.Fatal(err)
	}
	for _, admin := range []kernel.Principal{owner, second} {
		msgs := f.mailer.to(f.users[admin.UserID].Email)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "Riverside") ||
			!strings.Contains(msgs[0].Body, "Asker") || !strings.Contains(msgs[0].Body, "I live on the river") {
			t.Errorf("admin mail: %+v", msgs)
		}
	}
	if _, err := f.svc.Reject(t.Context(), owner, id, r.ID, "Residents only"); err != nil {
		t.Fatal(err)
	}
	msgs := f.mailer.to(f.users[asker.UserID].Email)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "declined") || !strings.Contains(msgs[0].Body, "Residents only") {
		t.Errorf("requester mail: %+v", msgs)
	}

	r, err = f.svc.RequestToJoin(t.Context(), asker, id, communityport.JoinInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Approve(t.Context(), second, id, r.ID); err != nil {
		t.Fatal(err)
	}
	msgs = f.mailer.to(f.users[asker.UserID].Email)
	if len(msgs) != 2 || !strings.Contains(msgs[1].Body, "approved") {
		t.Errorf("requester mail after approval: %+v", msgs)
	}
}

func TestMailFailuresAreReportedNotReturned(t *testing.T) {
	f := newFixture(t)
	owner, asker := f.user("Owner"), f.user("Asker")
	id := f.create(t, owner, "Riverside")
	f.mailer.fail = true
	r, err := f.svc.RequestToJoin(t.Context(), asker, id, communityport.JoinInput{})
	if err != nil {
		t.Fatalf("a mail failure failed the request: %v", err)
	}
	if _, err := f.svc.Approve(t.Context(), owner, id, r.ID); err != nil {
		t.Fatalf("a mail failure failed the approval: %v", err)
	}
	if len(f.reporter.ops) != 2 {
		t.Errorf("reported %q, want two failures", f.reporter.ops)
	}
}

func TestGlobalAdminsManageAnyCommunity(t *testing.T) {
	f := newFixture(t)
	owner, member := f.user("Owner"), f.user("Member")
	admin := kernel.Principal{UserID: kernel.NewID(time.Now()), RoleNames: []string{kernel.AdminRoleName}}
	id := f.create(t, owner, "Riverside")
	if _, err := f.svc.AddMember(t.Context(), admin, id, member.UserID, community.RoleMember); err != nil {
		t.Fatal(err)
	}
	name := "Hillside"
	if _, err := f.svc.Update(t.Context(), admin, id, communityport.UpdateInput{Name: &name}); err != nil {
		t.Fatal(err)
	}
	// Not even a global admin can take the last community admin away.
	wantErr(t, f.svc.RemoveMember(t.Context(), admin, id, owner.UserID), community.ErrLastAdmin)
	if err := f.svc.Delete(t.Context(), admin, id); err != nil {
		t.Fatal(err)
	}
}

func TestUserCommunitiesNeedSelfOrTheUsersModule(t *testing.T) {
	f := newFixture(t)
	owner, other := f.user("Owner"), f.user("Other")
	f.create(t, owner, "Riverside")
	_, _, err := f.svc.UserCommunities(t.Context(), other, owner.UserID, communityport.Page{Page: 1, Limit: 20})
	wantErr(t, err, community.ErrNotAllowed)
	manager := other
	manager.Modules = append(manager.Modules, kernel.ModuleUsers)
	vs, total, err := f.svc.UserCommunities(t.Context(), manager, owner.UserID, communityport.Page{Page: 1, Limit: 20})
	if err != nil || total != 1 || len(vs) != 1 || vs[0].MemberCount != 1 {
		t.Errorf("UserCommunities = %+v, %d, %v", vs, total, err)
	}
	_, _, err = f.svc.UserCommunities(t.Context(), manager, kernel.NewID(time.Now()), communityport.Page{Page: 1, Limit: 20})
	wantErr(t, err, community.ErrUserNotFound)
}

// A deletion that raced with the other administrators leaving: the check
// passed, but by the time Depart runs the user is a community's only
// administrator. Depart keeps them there (the community is never left without
// one), says so, and still ends everything else.
func TestDepartKeepsALastAdminAndSettlesTheRest(t *testing.T) {
	f := newFixture(t)
	mia, olive := f.user("Mia"), f.user("Olive")
	shared := f.create(t, mia, "Shared")
	if _, err := f.svc.AddMember(t.Context(), mia, shared, olive.UserID, community.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	elsewhere := f.create(t, olive, "Elsewhere")
	if _, err := f.svc.AddMember(t.Context(), olive, elsewhere, mia.UserID, community.RoleMember); err != nil {
		t.Fatal(err)
	}
	asked := f.create(t, olive, "Asked")
	if _, err := f.svc.RequestToJoin(t.Context(), mia, asked, communityport.JoinInput{}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.CheckDeparture(t.Context(), mia.UserID); err != nil {
		t.Fatalf("CheckDeparture with another admin in Shared: %v", err)
	}
	if err := f.svc.RemoveMember(t.Context(), olive, shared, olive.UserID); err != nil { // Olive leaves Shared
		t.Fatal(err)
	}

	err := f.svc.Depart(t.Context(), mia, mia.UserID)
	if !errors.Is(err, community.ErrLastAdmin) {
		t.Fatalf("Depart = %v, want ErrLastAdmin for Shared", err)
	}
	if _, err := f.members.Get(t.Context(), shared, mia.UserID); err != nil {
		t.Errorf("Mia's seat in Shared: %v, want kept", err)
	}
	if _, err := f.members.Get(t.Context(), elsewhere, mia.UserID); !errors.Is(err, community.ErrNotMember) {
		t.Errorf("Mia's membership of Elsewhere: %v, want ended", err)
	}
	pending, _, _ := f.requests.List(t.Context(), communityport.JoinRequestFilter{UserID: mia.UserID, Status: community.StatusPending}, 0, -1)
	if len(pending) != 0 {
		t.Errorf("Mia's pending requests: %d, want withdrawn", len(pending))
	}
	if err := f.svc.CheckDeparture(t.Context(), mia.UserID); !errors.Is(err, community.ErrLastAdminDeparts) {
		t.Errorf("CheckDeparture now = %v, want ErrLastAdminDeparts", err)
	}
}

// deletedOnJoin stores memberships, and the moment one of the doomed user's is
// stored, deletes that user: a deletion landing between a join's check that
// the user exists and the membership, after the deletion's clean-up (Depart)
// listed their memberships.
type deletedOnJoin struct {
	communityport.MembershipRepository
	users  map[string]communityport.UserInfo
	doomed string
}

func (m deletedOnJoin) Add(ctx context.Context, ms *community.Membership) error {
	err := m.MembershipRepository.Add(ctx, ms)
	if ms.UserID == m.doomed {
		delete(m.users, m.doomed)
	}
	return err
}

// A user deleted while being added to a community (by an administrator, by an
// approved join request, or as the creator of a new one) is not left a
// member, nor an administrator.
func TestAUserDeletedWhileJoiningIsNotLeftAMember(t *testing.T) {
	var doomed kernel.Principal
	f := newFixtureWith(t, func(f *fixture, d *communityapp.Deps) {
		doomed = f.user("Noor")
		d.Members = deletedOnJoin{MembershipRepository: f.members, users: f.users, doomed: doomed.UserID}
	})
	mia := f.user("Mia")
	ctx := t.Context()
	gone := func(t *testing.T, id string) {
		t.Helper()
		if _, err := f.members.Get(ctx, id, doomed.UserID); !errors.Is(err, community.ErrNotMember) {
			t.Errorf("membership of the deleted user: %v, want none", err)
		}
		v, err := f.svc.Get(ctx, mia, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Community.IsAdmin(doomed.UserID) || v.MemberCount != 1 {
			t.Errorf("community after the join: admins %v, %d members; want Mia alone", v.Community.AdminIDs(), v.MemberCount)
		}
	}
	for _, role := range []community.Role{community.RoleAdmin, community.RoleMember} {
		t.Run("added_as_"+string(role), func(t *testing.T) {
			f.users[doomed.UserID] = communityport.UserInfo{ID: doomed.UserID, Name: "Noor"}
			id := f.create(t, mia, "Added as "+string(role))
			_, err := f.svc.AddMember(ctx, mia, id, doomed.UserID, role)
			wantErr(t, err, community.ErrUserNotFound)
			gone(t, id)
		})
	}
	t.Run("creator", func(t *testing.T) {
		f.users[doomed.UserID] = communityport.UserInfo{ID: doomed.UserID, Name: "Noor"}
		_, err := f.svc.Create(ctx, doomed, communityport.CreateInput{Name: "Created by Noor"})
		if kernel.KindOf(err) != kernel.KindUnauthenticated {
			t.Fatalf("Create by a user deleted meanwhile: %v, want unauthenticated", err)
		}
		all, total, err := f.svc.List(ctx, mia, communityport.ListFilter{}, communityport.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range all {
			if v.Community.Name() == "Created by Noor" {
				t.Fatalf("the community of a deleted creator is still there (%d communities)", total)
			}
		}
		if ms, _, _ := f.members.ListByUser(ctx, doomed.UserID, 0, -1); len(ms) != 0 {
			t.Fatalf("the deleted creator keeps %d memberships", len(ms))
		}
	})
	t.Run("approved", func(t *testing.T) {
		f.users[doomed.UserID] = communityport.UserInfo{ID: doomed.UserID, Name: "Noor"}
		id := f.create(t, mia, "Approved")
		r, err := f.svc.RequestToJoin(ctx, doomed, id, communityport.JoinInput{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Approve(ctx, mia, id, r.ID)
		wantErr(t, err, community.ErrUserNotFound)
		gone(t, id)
	})
}
