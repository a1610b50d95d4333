package datasetporttest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// newUpload returns an upload of a new dataset created at t, expiring an
// hour later.
func newUpload(t time.Time, owner string) *dataset.Upload {
	title, vis := "Sensor dump", dataset.Restricted
	return &dataset.Upload{
		ID: kernel.NewID(t), OwnerID: owner,
		New: dataset.NewDataset{Title: &title, Description: "Raw – été", CommunityID: c1, Visibility: &vis,
			Tags: []string{"air", "2025"}, License: "CC-BY-4.0"},
		Filename: "dump.csv", DeclaredType: "text/csv", Metadata: "filename ZHVtcC5jc3Y=,title U2Vuc29yIGR1bXA=",
		Size: 50 << 20, StageKey: "0123456789abcdef0123456789abcdef",
		CreatedAt: t, ExpiresAt: t.Add(time.Hour),
	}
}

// sameUpload compares every field but Revision.
func sameUpload(t *testing.T, got, want *dataset.Upload) {
	t.Helper()
	porttestkit.Eq(t, "ID", got.ID, want.ID)
	porttestkit.Eq(t, "OwnerID", got.OwnerID, want.OwnerID)
	porttestkit.Eq(t, "DatasetID", got.DatasetID, want.DatasetID)
	porttestkit.Eq(t, "New.Description", got.New.Description, want.New.Description)
	porttestkit.Eq(t, "New.CommunityID", got.New.CommunityID, want.New.CommunityID)
	porttestkit.Eq(t, "New.License", got.New.License, want.New.License)
	porttestkit.SameStrings(t, "New.Tags", got.New.Tags, want.New.Tags)
	porttestkit.Eq(t, "New.Title", fmt.Sprint(deref(got.New.Title)), fmt.Sprint(deref(want.New.Title)))
	porttestkit.Eq(t, "New.Visibility", fmt.Sprint(deref(got.New.Visibility)), fmt.Sprint(deref(want.New.Visibility)))
	porttestkit.Eq(t, "Filename", got.Filename, want.Filename)
	porttestkit.Eq(t, "DeclaredType", got.DeclaredType, want.DeclaredType)
	porttestkit.Eq(t, "Metadata", got.Metadata, want.Metadata)
	porttestkit.Eq(t, "Size", got.Size, want.Size)
	porttestkit.Eq(t, "Offset", got.Offset, want.Offset)
	porttestkit.Eq(t, "StageKey", got.StageKey, want.StageKey)
	if !bytes.Equal(got.Hash, want.Hash) {
		t.Errorf("Hash = %x, want %x", got.Hash, want.Hash)
	}
	if !bytes.Equal(got.Head, want.Head) {
		t.Errorf("Head = %q, want %q", got.Head, want.Head)
	}
	porttestkit.SameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	porttestkit.SameTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	porttestkit.Eq(t, "Lock.Holder", got.Lock.Holder, want.Lock.Holder)
	porttestkit.Eq(t, "Lock.ReleaseAsked", got.Lock.ReleaseAsked, want.Lock.ReleaseAsked)
	if want.Lock.Holder != "" {
		porttestkit.SameTime(t, "Lock.Until", got.Lock.Until, want.Lock.Until)
	}
	switch {
	case (got.Result == nil) != (want.Result == nil):
		t.Errorf("Result = %+v, want %+v", got.Result, want.Result)
	case got.Result != nil:
		porttestkit.Eq(t, "Result", *got.Result, *want.Result)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestUploadRepository runs the UploadRepository contract; newRepo must
// return an empty repository.
func TestUploadRepository(t *testing.T, newRepo func(t *testing.T) datasetport.UploadRepository) {
	t.Run("create_then_get_round_trips_every_field", func(t *testing.T) {
		repo := newRepo(t)
		u := newUpload(at(0), alice)
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		got, err := repo.Get(t.Context(), u.ID)
		porttestkit.MustNil(t, err, "Get")
		sameUpload(t, got, u)

		v := newUpload(at(1), bob)
		v.DatasetID, v.New = kernel.NewID(at(1)), dataset.NewDataset{}
		v.Metadata, v.DeclaredType = "", ""
		porttestkit.MustNil(t, repo.Create(t.Context(), v), "Create a new version's upload")
		got, err = repo.Get(t.Context(), v.ID)
		porttestkit.MustNil(t, err, "Get")
		sameUpload(t, got, v)
		if got.New.Title != nil || got.New.Visibility != nil || len(got.New.Tags) != 0 {
			t.Errorf("New = %+v, want nothing set", got.New)
		}
	})

	t.Run("a_taken_id_is_a_conflict", func(t *testing.T) {
		repo := newRepo(t)
		u := newUpload(at(0), alice)
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		again := newUpload(at(0), bob)
		again.ID = u.ID
		porttestkit.WantErr(t, repo.Create(t.Context(), again), kernel.ErrConflict, "Create with a taken id")
		got, err := repo.Get(t.Context(), u.ID)
		porttestkit.MustNil(t, err, "Get")
		porttestkit.Eq(t, "OwnerID", got.OwnerID, alice)
	})

	t.Run("unknown_and_malformed_ids_are_not_found", func(t *testing.T) {
		repo := newRepo(t)
		porttestkit.MustNil(t, repo.Create(t.Context(), newUpload(at(0), alice)), "Create")
		for _, id := range append([]string{kernel.NewID(at(1))}, malformedIDs...) {
			_, err := repo.Get(t.Context(), id)
			porttestkit.WantErr(t, err, dataset.ErrUploadNotFound, fmt.Sprintf("Get(%q)", id))
			called := false
			_, err = repo.Update(t.Context(), id, func(*dataset.Upload) error { called = true; return nil })
			porttestkit.WantErr(t, err, dataset.ErrUploadNotFound, fmt.Sprintf("Update(%q)", id))
			if called {
				t.Errorf("Update(%q) called fn for an unknown upload", id)
			}
			porttestkit.WantErr(t, repo.Delete(t.Context(), id), dataset.ErrUploadNotFound, fmt.Sprintf("Delete(%q)", id))
		}
	})

	t.Run("get_returns_a_copy", func(t *testing.T) {
		repo := newRepo(t)
		u := newUpload(at(0), alice)
		u.Head = []byte("head")
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		u.New.Tags[0], u.Head[0] = "changed", 'X'
		got, err := repo.Get(t.Context(), u.ID)
		porttestkit.MustNil(t, err, "Get")
		got.New.Tags[1], got.Head[1] = "mutated", 'Y'
		*got.New.Title = "mutated"
		again, err := repo.Get(t.Context(), u.ID)
		porttestkit.MustNil(t, err, "Get again")
		porttestkit.SameStrings(t, "New.Tags", again.New.Tags, []string{"air", "2025"})
		porttestkit.Eq(t, "Head", string(again.Head), "head")
		porttestkit.Eq(t, "New.Title", *again.New.Title, "Sensor dump")
	})

	t.Run("update_applies_fn_and_returns_what_is_stored", func(t *testing.T) {
		repo := newRepo(t)
		u := newUpload(at(0), alice)
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		before, err := repo.Get(t.Context(), u.ID)
		porttestkit.MustNil(t, err, "Get")
		got, err := repo.Update(t.Context(), u.ID, func(x *dataset.Upload) error {
			if !x.Take("request-1", at(10), time.Minute) {
				t.Error("the lock of a new upload is not free")
			}
			if err := x.Advance("request-1", 0, 3<<20, []byte{1, 2, 3, 0, 255}, []byte("id,value\n")); err != nil {
				return err
			}
			x.ID = kernel.NewID(at(99)) // an update cannot move an upload
			return nil
		})
		porttestkit.MustNil(t, err, "Update")
		want := u.Clone()
		want.Lock = dataset.UploadLock{Holder: "request-1", Until: at(10).Add(time.Minute)}
		want.Offset, want.Hash, want.Head = 3<<20, []byte{1, 2, 3, 0, 255}, []byte("id,value\n")
		sameUpload(t, got, want)
		if got.Revision <= before.Revision {
			t.Errorf("Revision %d after the update, %d before", got.Revision, before.Revision)
		}
		stored, err := repo.Get(t.Context(), u.ID)
		porttestkit.MustNil(t, err, "Get")
		sameUpload(t, stored, want)
		porttestkit.Eq(t, "stored Revision", stored.Revision, got.Revision)

		// Finishing records the result.
		got, err = repo.Update(t.Context(), u.ID, func(x *dataset.Upload) error {
			x.Offset = x.Size
			x.Release("request-1")
			return x.Finish(dataset.UploadResult{DatasetID: kernel.NewID(at(11)), Version: 2})
		})
		porttestkit.MustNil(t, err, "Update to finish")
		stored, err = repo.Get(t.Context(), u.ID)
		porttestkit.MustNil(t, err, "Get")
		sameUpload(t, stored, got)
		if stored.Result == nil || stored.Result.Version != 2 || stored.Lock.Holder != "" {
			t.Errorf("finished upload: result %+v, lock %+v", stored.Result, stored.Lock)
		}
	})

	t.Run("update_fn_error_aborts_without_change", func(t *testing.T) {
		repo := newRepo(t)
		u := newUpload(at(0), alice)
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		_, err := repo.Update(t.Context(), u.ID, func(x *dataset.Upload) error {
			x.Offset = 5
			return errAbort
		})
		if err != errAbort { //nolint:errorlint // the very error fn returned
			t.Fatalf("Update = %v, want fn's error", err)
		}
		got, err := repo.Get(t.Context(), u.ID)
		porttestkit.MustNil(t, err, "Get")
		porttestkit.Eq(t, "Offset", got.Offset, int64(0))
	})

	t.Run("concurrent_takes_give_the_lock_to_one", func(t *testing.T) {
		repo := newRepo(t)
		u := newUpload(at(0), alice)
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		const n = 8
		won := porttestkit.AtOnce(n, func(i int) bool {
			took := false
			_, err := repo.Update(t.Context(), u.ID, func(x *dataset.Upload) error {
				took = x.Take(fmt.Sprintf("request-%d", i), at(1), time.Minute)
				return nil
			})
			if err != nil {
				t.Errorf("Update %d: %v", i, err)
			}
			return took
		})
		holders := 0
		for _, w := range won {
			if w {
				holders++
			}
		}
		porttestkit.Eq(t, "requests that took the lock", holders, 1)
		got, err := repo.Get(t.Context(), u.ID)
		porttestkit.MustNil(t, err, "Get")
		if got.Lock.Holder == "" || !got.Lock.ReleaseAsked {
			t.Errorf("lock %+v, want held with a release asked by the others", got.Lock)
		}
	})

	t.Run("delete_removes_the_upload", func(t *testing.T) {
		repo := newRepo(t)
		u, other := newUpload(at(0), alice), newUpload(at(1), bob)
		porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
		porttestkit.MustNil(t, repo.Create(t.Context(), other), "Create")
		porttestkit.MustNil(t, repo.Delete(t.Context(), u.ID), "Delete")
		_, err := repo.Get(t.Context(), u.ID)
		porttestkit.WantErr(t, err, dataset.ErrUploadNotFound, "Get after Delete")
		porttestkit.WantErr(t, repo.Delete(t.Context(), u.ID), dataset.ErrUploadNotFound, "Delete again")
		_, err = repo.Get(t.Context(), other.ID)
		porttestkit.MustNil(t, err, "Get the other upload")
	})

	t.Run("expired_lists_the_soonest_first_up_to_the_limit", func(t *testing.T) {
		repo := newRepo(t)
		var want []string
		for i, ends := range []int{30, 10, 50, 20, 40} {
			u := newUpload(at(i), alice)
			u.ExpiresAt = at(ends)
			porttestkit.MustNil(t, repo.Create(t.Context(), u), "Create")
			if ends <= 40 {
				want = append(want, u.ID)
			}
		}
		got, err := repo.Expired(t.Context(), at(40), 10)
		porttestkit.MustNil(t, err, "Expired")
		// Soonest first: 10, 20, 30, 40 (created as the 2nd, 4th, 1st, 5th).
		porttestkit.SameStrings(t, "expired at 40 s", uploadIDs(got), []string{want[1], want[2], want[0], want[3]})
		got, err = repo.Expired(t.Context(), at(40), 2)
		porttestkit.MustNil(t, err, "Expired with a limit")
		porttestkit.SameStrings(t, "the two soonest", uploadIDs(got), []string{want[1], want[2]})
		got, err = repo.Expired(t.Context(), at(9), 10)
		porttestkit.MustNil(t, err, "Expired before any")
		porttestkit.Eq(t, "expired at 9 s", len(got), 0)
	})
}

func uploadIDs(us []*dataset.Upload) []string {
	out := make([]string, 0, len(us))
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}
