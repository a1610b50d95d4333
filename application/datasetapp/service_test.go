package datasetapp_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/blob/memblob"
	"github.com/civicdatatrust/civictrust/adapters/memory/datasetmem"
	"github.com/civicdatatrust/civictrust/adapters/system"
	"github.com/civicdatatrust/civictrust/application/datasetapp"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

const (
	community = "c00000000000000000000001"
	ownerID   = "a00000000000000000000001"
	memberID  = "a00000000000000000000002"
	adminID   = "a00000000000000000000003" // the community's admin
	strangeID = "a00000000000000000000004"
)

// fakeClock moves a second at every reading, unless it is held.
type fakeClock struct {
	mu   sync.Mutex
	now  time.Time
	held bool
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held {
		c.now = c.now.Add(time.Second)
	}
	return c.now
}

// hold stops the clock but for advance (leases must not run out between
// two readings).
func (c *fakeClock) hold() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.held = true
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// communities knows one community with a member and an admin.
type communities struct{}

func (communities) Membership(_ context.Context, communityID, userID string) (datasetport.Membership, error) {
	if communityID != community {
		return datasetport.Membership{}, nil
	}
	m := datasetport.Membership{Exists: true}
	switch userID {
	case ownerID, memberID:
		m.Member = true
	case adminID:
		m.Member, m.Admin = true, true
	}
	return m, nil
}

func (c communities) CommunitiesOf(_ context.Context, userID string) ([]string, error) {
	if m, _ := c.Membership(context.Background(), community, userID); m.Member {
		return []string{community}, nil
	}
	return nil, nil
}

// accessLog keeps entries in memory.
type accessLog struct {
	mu      sync.Mutex
	entries []datasetport.AccessEntry
}

func (l *accessLog) Record(_ context.Context, e datasetport.AccessEntry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
	return nil
}

func (l *accessLog) List(_ context.Context, id string, skip, limit int) ([]datasetport.AccessEntry, int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []datasetport.AccessEntry
	for _, e := range slices.Backward(l.entries) {
		if e.DatasetID == id {
			out = append(out, e)
		}
	}
	n := int64(len(out))
	return out[min(skip, len(out)):min(skip+limit, len(out))], n, nil
}

func (l *accessLog) actions() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.entries {
		out = append(out, e.Action)
	}
	return out
}

type fixture struct {
	svc     *datasetapp.Service
	repo    datasetport.DatasetRepository
	blobs   *memblob.Store
	uploads *datasetmem.UploadRepository
	log     *accessLog
	clock   *fakeClock
}

func newFixture(t *testing.T, wrap func(datasetport.DatasetRepository, *memblob.Store) datasetport.DatasetRepository) *fixture {
	t.Helper()
	f := &fixture{repo: datasetmem.NewDatasetRepository(), blobs: memblob.New(), uploads: datasetmem.NewUploadRepository(),
		log: &accessLog{}, clock: &fakeClock{now: time.Date(2025, 9, 4, 12, 0, 0, 0, time.UTC)}}
	if wrap != nil {
		f.repo = wrap(f.repo, f.blobs)
	}
	f.svc = datasetapp.New(f.deps(), datasetapp.Settings{MaxUploadBytes: 1024})
	return f
}

// deps are the fixture's ports.
func (f *fixture) deps() datasetapp.Deps {
	return datasetapp.Deps{
		Datasets: f.repo, Blobs: f.blobs, Communities: communities{}, AccessLog: f.log, ContentTypes: system.ContentTypes{},
		Staging: f.blobs, Uploads: f.uploads, Clock: f.clock,
	}
}

func who(id string, roles ...string) kernel.Principal {
	return kernel.Principal{UserID: id, RoleNames: roles}
}

var meta = kernel.RequestMeta{IP: "192.0.2.7", UserAgent: "test", RequestID: "req-1"}

// metaCtx is the test's context carrying meta, as the HTTP guard's does.
func metaCtx(t *testing.T) context.Context { return kernel.WithRequestMeta(t.Context(), meta) }

// upload runs a single-request upload of content as a handler does: begin,
// store, commit, with Abort deferred.
func (f *fixture) upload(t *testing.T, p kernel.Principal, target datasetport.UploadTarget, in datasetport.CreateInput, content string) (*dataset.Dataset, error) {
	t.Helper()
	up, err := f.svc.BeginUpload(t.Context(), p, target)
	if err != nil {
		return nil, err
	}
	defer up.Abort(t.Context())
	if err := up.Store(t.Context(), strings.NewReader(content), "data.csv", "text/csv"); err != nil {
		return nil, err
	}
	return up.Commit(metaCtx(t), in)
}

func (f *fixture) create(t *testing.T, in datasetport.CreateInput, content string) *dataset.Dataset {
	t.Helper()
	d, err := f.upload(t, who(ownerID), datasetport.UploadTarget{CommunityID: in.CommunityID}, in, content)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return d
}

// addVersion uploads content as the next version of id.
func (f *fixture) addVersion(t *testing.T, p kernel.Principal, id, content string) (*dataset.Dataset, error) {
	t.Helper()
	return f.upload(t, p, datasetport.UploadTarget{DatasetID: id}, datasetport.CreateInput{}, content)
}

func wantKind(t *testing.T, err error, want *kernel.Error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("got %v, want %s", err, want.Code)
	}
}

func TestFileUpload(t *testing.T) {
	t.Parallel()
	t.Run("an_empty_file_is_invalid_and_keeps_no_blob", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		_, err := f.upload(t, who(ownerID), datasetport.UploadTarget{}, datasetport.CreateInput{}, "")
		wantKind(t, err, dataset.ErrEmptyFile)
		if f.blobs.Len() != 0 {
			t.Errorf("%d blobs", f.blobs.Len())
		}
	})
	t.Run("over_the_limit_is_too_large_and_keeps_no_blob", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		_, err := f.upload(t, who(ownerID), datasetport.UploadTarget{}, datasetport.CreateInput{}, strings.Repeat("x", 1025))
		if kernel.KindOf(err) != kernel.KindTooLarge || f.blobs.Len() != 0 {
			t.Errorf("got %v with %d blobs", err, f.blobs.Len())
		}
	})
	t.Run("the_file_name_is_cleaned_and_the_type_sniffed", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		up, err := f.svc.BeginUpload(t.Context(), who(ownerID), datasetport.UploadTarget{})
		if err != nil {
			t.Fatal(err)
		}
		if err := up.Store(t.Context(), strings.NewReader("%PDF-1.7\n"), `..\..\x"y.csv`, "text/csv"); err != nil {
			t.Fatal(err)
		}
		d, err := up.Commit(metaCtx(t), datasetport.CreateInput{})
		if err != nil || d.File().Filename != "xy.csv" || d.File().ContentType != "application/pdf" || d.File().Size != 9 || len(d.File().SHA256) != 64 {
			t.Errorf("got %+v, %v", d.File(), err)
		}
		up.Abort(t.Context()) // after Commit: nothing happens
		if f.blobs.Len() != 1 {
			t.Errorf("%d blobs after an Abort that followed the Commit, want 1", f.blobs.Len())
		}
	})
	t.Run("rights_are_checked_before_a_byte_is_read", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		d := f.create(t, datasetport.CreateInput{CommunityID: community}, "v1")
		for _, c := range []struct {
			name   string
			p      kernel.Principal
			target datasetport.UploadTarget
			want   *kernel.Error
		}{
			{"a_stranger_in_a_community", who(strangeID), datasetport.UploadTarget{CommunityID: community}, dataset.ErrNotCommunityMember},
			{"an_unknown_community", who(ownerID), datasetport.UploadTarget{CommunityID: "c00000000000000000000009"}, dataset.ErrCommunityNotFound},
			{"a_member_for_a_version", who(memberID), datasetport.UploadTarget{DatasetID: d.ID()}, kernel.ErrForbidden},
			{"a_stranger_for_a_version", who(strangeID), datasetport.UploadTarget{DatasetID: d.ID()}, dataset.ErrNotFound},
		} {
			if _, err := f.svc.BeginUpload(t.Context(), c.p, c.target); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %s", c.name, err, c.want.Code)
			}
		}
	})
	t.Run("out_of_order_use_is_refused", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		up, err := f.svc.BeginUpload(t.Context(), who(ownerID), datasetport.UploadTarget{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := up.Commit(metaCtx(t), datasetport.CreateInput{}); err == nil {
			t.Error("Commit before Store succeeded")
		}
		if err := up.Store(t.Context(), strings.NewReader("x"), "a.csv", ""); err != nil {
			t.Fatal(err)
		}
		if err := up.Store(t.Context(), strings.NewReader("y"), "b.csv", ""); err == nil {
			t.Error("a second Store succeeded")
		}
		up.Abort(t.Context())
		if _, err := up.Commit(metaCtx(t), datasetport.CreateInput{}); err == nil {
			t.Error("Commit after Abort succeeded")
		}
		if f.blobs.Len() != 0 {
			t.Errorf("%d blobs after Abort", f.blobs.Len())
		}
	})
}

func TestCreate(t *testing.T) {
	t.Parallel()
	community := community
	vis := func(v dataset.Visibility) *dataset.Visibility { return &v }
	failures := []struct {
		name string
		p    kernel.Principal
		in   datasetport.CreateInput
		want *kernel.Error
	}{
		{"unknown_community", who(ownerID), datasetport.CreateInput{CommunityID: "c00000000000000000000009"}, dataset.ErrCommunityNotFound},
		{"not_a_member", who(strangeID), datasetport.CreateInput{CommunityID: community}, dataset.ErrNotCommunityMember},
		{"community_visibility_without_community", who(ownerID), datasetport.CreateInput{Visibility: vis(dataset.Community)}, dataset.ErrCommunityNeeded},
	}
	for _, tc := range failures {
		// The form's fields may follow its file: the commit checks them.
		t.Run(tc.name+"_at_commit_discards_the_file", func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil)
			_, err := f.upload(t, tc.p, datasetport.UploadTarget{}, tc.in, "a,b\n")
			wantKind(t, err, tc.want)
			if f.blobs.Len() != 0 || len(f.log.actions()) != 0 {
				t.Errorf("%d blobs, log %v", f.blobs.Len(), f.log.actions())
			}
			if _, n, _ := f.repo.List(t.Context(), datasetport.Filter{Scope: datasetport.Scope{All: true}}, 0, 10); n != 0 {
				t.Errorf("%d datasets", n)
			}
		})
	}
	t.Run("a_global_admin_may_use_any_community", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		in := datasetport.CreateInput{CommunityID: community}
		d, err := f.upload(t, who(strangeID, kernel.AdminRoleName), datasetport.UploadTarget{CommunityID: community}, in, "x")
		if err != nil || d.Visibility() != dataset.Community || d.Version() != 1 {
			t.Errorf("got %+v, %v", d, err)
		}
	})
	t.Run("records_the_creation_with_the_request", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		d := f.create(t, datasetport.CreateInput{}, "x")
		entries, _, _ := f.log.List(t.Context(), d.ID(), 0, 10)
		if len(entries) != 1 || entries[0].Action != "create" || entries[0].ActorID != ownerID || entries[0].IP != meta.IP || entries[0].Version != 1 {
			t.Errorf("entries %+v", entries)
		}
	})
}

func TestAddVersion(t *testing.T) {
	t.Parallel()
	t.Run("a_dataset_deleted_before_the_commit_discards_the_file", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		d := f.create(t, datasetport.CreateInput{}, "v1")
		up, err := f.svc.BeginUpload(t.Context(), who(ownerID), datasetport.UploadTarget{DatasetID: d.ID()})
		if err != nil {
			t.Fatal(err)
		}
		defer up.Abort(t.Context())
		if err := up.Store(t.Context(), strings.NewReader("v2"), "v2.csv", ""); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Delete(metaCtx(t), who(ownerID), d.ID()); err != nil {
			t.Fatal(err)
		}
		_, err = up.Commit(metaCtx(t), datasetport.CreateInput{})
		wantKind(t, err, dataset.ErrNotFound)
		if f.blobs.Len() != 0 {
			t.Errorf("%d blobs", f.blobs.Len())
		}
	})
	t.Run("the_community_admin_adds_a_version", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		d := f.create(t, datasetport.CreateInput{CommunityID: community}, "v1")
		got, err := f.addVersion(t, who(adminID), d.ID(), "v2")
		if err != nil || got.Version() != 2 || got.Versions()[1].CreatedBy != adminID || got.OwnerID() != ownerID {
			t.Errorf("got %+v, %v", got, err)
		}
	})
}

// addsVersionOnDelete adds a version just before deleting: another request
// that committed between the delete's load and its removal.
type addsVersionOnDelete struct {
	datasetport.DatasetRepository
	blobs *memblob.Store
}

func (r addsVersionOnDelete) Delete(ctx context.Context, id string) (*dataset.Dataset, error) {
	info, err := r.blobs.Put(ctx, strings.NewReader("late version"), 0)
	if err != nil {
		return nil, err
	}
	if _, err := r.Update(ctx, id, func(d *dataset.Dataset) error {
		d.AddVersion(dataset.File{Filename: "late.csv", Size: info.Size, SHA256: info.SHA256, BlobKey: info.Key}, ownerID, time.Now())
		return nil
	}); err != nil {
		return nil, err
	}
	return r.DatasetRepository.Delete(ctx, id)
}

func TestDelete(t *testing.T) {
	t.Parallel()
	t.Run("removes_every_blob_including_a_version_added_meanwhile", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, func(r datasetport.DatasetRepository, b *memblob.Store) datasetport.DatasetRepository {
			return addsVersionOnDelete{DatasetRepository: r, blobs: b}
		})
		d := f.create(t, datasetport.CreateInput{}, "v1")
		if _, err := f.addVersion(t, who(ownerID), d.ID(), "v2"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Delete(metaCtx(t), who(ownerID), d.ID()); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if n := f.blobs.Len(); n != 0 {
			t.Errorf("%d blobs left after the delete", n)
		}
	})
	t.Run("a_member_may_not_delete", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		d := f.create(t, datasetport.CreateInput{CommunityID: community, Visibility: new(dataset.Public)}, "v1")
		wantKind(t, f.svc.Delete(metaCtx(t), who(memberID), d.ID()), kernel.ErrForbidden)
		wantKind(t, f.svc.Delete(metaCtx(t), who(strangeID), d.ID()), kernel.ErrForbidden)
		if f.blobs.Len() != 1 {
			t.Errorf("%d blobs", f.blobs.Len())
		}
	})
}

func TestOpen(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	d := f.create(t, datasetport.CreateInput{}, "0123456789")
	read := func(offset, length int64) (string, error) {
		dl, err := f.svc.Open(metaCtx(t), who(ownerID), d.ID(), 0, offset, length, true)
		if err != nil {
			return "", err
		}
		defer func() { _ = dl.Body.Close() }()
		b, err := io.ReadAll(dl.Body)
		return string(b), err
	}
	for _, tc := range []struct {
		name           string
		offset, length int64
		want           string
	}{
		{"whole", 0, -1, "0123456789"},
		{"middle", 3, 4, "3456"},
		{"past_the_end_is_cut", 8, 100, "89"},
	} {
		if got, err := read(tc.offset, tc.length); err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	for _, offset := range []int64{10, 11, -1} {
		_, err := read(offset, -1)
		wantKind(t, err, dataset.ErrRangeNotSatisfied)
	}
	t.Run("metadata_only_opens_nothing_and_logs_nothing", func(t *testing.T) {
		before := len(f.log.actions())
		dl, err := f.svc.Open(metaCtx(t), who(ownerID), d.ID(), 1, 0, -1, false)
		if err != nil || dl.Body != nil || dl.Version.Number != 1 || len(f.log.actions()) != before {
			t.Errorf("got %+v, %v; log %v", dl, err, f.log.actions())
		}
		_, err = f.svc.Open(metaCtx(t), who(ownerID), d.ID(), 2, 0, -1, false)
		wantKind(t, err, dataset.ErrVersionNotFound)
	})
}

var _ platformport.Clock = (*fakeClock)(nil)
