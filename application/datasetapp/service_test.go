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

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
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
	svc   *datasetapp.Service
	repo  datasetport.DatasetRepository
	blobs *memblob.Store
	log   *accessLog
}

func newFixture(t *testing.T, wrap func(datasetport.DatasetRepository, *memblob.Store) datasetport.DatasetRepository) *fixture {
	t.Helper()
	f := &fixture{repo: datasetmem.NewDatasetRepository(), blobs: memblob.New(), log: &accessLog{}}
	if wrap != nil {
		f.repo = wrap(f.repo, f.blobs)
	}
	f.svc = datasetapp.New(datasetapp.Deps{
		Datasets: f.repo, Blobs: f.blobs, Communities: communities{}, AccessLog: f.log,
		Clock: &fakeClock{now: time.Date(2025, 9, 4, 12, 0, 0, 0, time.UTC)},
	}, 1024)
	return f
}

func who(id string, roles ...string) kernel.Principal {
	return kernel.Principal{UserID: id, RoleNames: roles}
}

var meta = kernel.RequestMeta{IP: "192.0.2.7", UserAgent: "test", RequestID: "req-1"}

func (f *fixture) put(t *testing.T, content string) datasetport.UploadedFile {
	t.Helper()
	u, err := f.svc.PutFile(t.Context(), strings.NewReader(content), "data.csv", "text/csv")
	if err != nil {
		t.Fatalf("PutFile: %v", err)
	}
	return u
}

func (f *fixture) create(t *testing.T, in datasetport.CreateInput, content string) *dataset.Dataset {
	t.Helper()
	d, err := f.svc.Create(t.Context(), who(ownerID), in, f.put(t, content), meta)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return d
}

func wantKind(t *testing.T, err error, want *kernel.Error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("got %v, want %s", err, want.Code)
	}
}

func TestPutFile(t *testing.T) {
	t.Parallel()
	t.Run("empty_file_is_invalid_and_keeps_no_blob", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		_, err := f.svc.PutFile(t.Context(), strings.NewReader(""), "e.csv", "text/plain")
		wantKind(t, err, dataset.ErrEmptyFile)
		if f.blobs.Len() != 0 {
			t.Errorf("%d blobs", f.blobs.Len())
		}
	})
	t.Run("over_the_limit_is_too_large_and_keeps_no_blob", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		_, err := f.svc.PutFile(t.Context(), strings.NewReader(strings.Repeat("x", 1025)), "big.csv", "text/plain")
		if kernel.KindOf(err) != kernel.KindTooLarge || f.blobs.Len() != 0 {
			t.Errorf("got %v with %d blobs", err, f.blobs.Len())
		}
	})
	t.Run("the_file_name_is_cleaned", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		u, err := f.svc.PutFile(t.Context(), strings.NewReader("x"), `..\..\x"y.csv`, "text/plain")
		if err != nil || u.File.Filename != "xy.csv" || u.File.Size != 1 || len(u.File.SHA256) != 64 {
			t.Errorf("got %+v, %v", u.File, err)
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
		t.Run(tc.name+"_discards_the_file", func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil)
			_, err := f.svc.Create(t.Context(), tc.p, tc.in, f.put(t, "a,b\n"), meta)
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
		d, err := f.svc.Create(t.Context(), who(strangeID, kernel.AdminRoleName), datasetport.CreateInput{CommunityID: community}, f.put(t, "x"), meta)
		if err != nil || d.Visibility != dataset.Community || d.Version != 1 {
			t.Errorf("got %+v, %v", d, err)
		}
	})
	t.Run("records_the_creation_with_the_request", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		d := f.create(t, datasetport.CreateInput{}, "x")
		entries, _, _ := f.log.List(t.Context(), d.ID, 0, 10)
		if len(entries) != 1 || entries[0].Action != "create" || entries[0].ActorID != ownerID || entries[0].IP != meta.IP || entries[0].Version != 1 {
			t.Errorf("entries %+v", entries)
		}
	})
}

func TestAddVersion(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		p    kernel.Principal
		want *kernel.Error
	}{
		{"a_member_may_not_change", who(memberID), kernel.ErrForbidden},
		{"a_stranger_may_not_see", who(strangeID), dataset.ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name+"_and_the_file_is_discarded", func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil)
			d := f.create(t, datasetport.CreateInput{CommunityID: community}, "v1")
			_, err := f.svc.AddVersion(t.Context(), tc.p, d.ID, f.put(t, "v2"), meta)
			wantKind(t, err, tc.want)
			if f.blobs.Len() != 1 {
				t.Errorf("%d blobs, want only version 1's", f.blobs.Len())
			}
		})
	}
	t.Run("an_unknown_dataset_discards_the_file", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		_, err := f.svc.AddVersion(t.Context(), who(ownerID), kernel.NewID(time.Now()), f.put(t, "v2"), meta)
		wantKind(t, err, dataset.ErrNotFound)
		if f.blobs.Len() != 0 {
			t.Errorf("%d blobs", f.blobs.Len())
		}
	})
	t.Run("the_community_admin_adds_a_version", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		d := f.create(t, datasetport.CreateInput{CommunityID: community}, "v1")
		got, err := f.svc.AddVersion(t.Context(), who(adminID), d.ID, f.put(t, "v2"), meta)
		if err != nil || got.Version != 2 || got.Versions[1].CreatedBy != adminID || got.OwnerID != ownerID {
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
		if _, err := f.svc.AddVersion(t.Context(), who(ownerID), d.ID, f.put(t, "v2"), meta); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Delete(t.Context(), who(ownerID), d.ID, meta); err != nil {
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
		wantKind(t, f.svc.Delete(t.Context(), who(memberID), d.ID, meta), kernel.ErrForbidden)
		wantKind(t, f.svc.Delete(t.Context(), who(strangeID), d.ID, meta), kernel.ErrForbidden)
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
		dl, err := f.svc.Open(t.Context(), who(ownerID), d.ID, 0, offset, length, true, meta)
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
		dl, err := f.svc.Open(t.Context(), who(ownerID), d.ID, 1, 0, -1, false, meta)
		if err != nil || dl.Body != nil || dl.Version.Number != 1 || len(f.log.actions()) != before {
			t.Errorf("got %+v, %v; log %v", dl, err, f.log.actions())
		}
		_, err = f.svc.Open(t.Context(), who(ownerID), d.ID, 2, 0, -1, false, meta)
		wantKind(t, err, dataset.ErrVersionNotFound)
	})
}

var _ platformport.Clock = (*fakeClock)(nil)
