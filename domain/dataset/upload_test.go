package dataset_test

import (
	"errors"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
)

var t0 = time.Date(2025, 9, 4, 12, 0, 0, 0, time.UTC)

func newUpload() *dataset.Upload {
	return &dataset.Upload{ID: "u1", OwnerID: "a", Size: 10, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
}

func TestUploadLock(t *testing.T) {
	t.Parallel()
	t.Run("a_free_lock_is_taken_and_a_held_one_asked_for", func(t *testing.T) {
		u := newUpload()
		if !u.Take("first", t0, time.Minute) {
			t.Fatal("a free lock was not taken")
		}
		if u.Take("second", t0.Add(59*time.Second), time.Minute) {
			t.Fatal("a held lock was taken by another request")
		}
		if !u.Lock.ReleaseAsked || u.Lock.Holder != "first" {
			t.Errorf("lock %+v, want held by first with a release asked", u.Lock)
		}
		stop, err := u.Renew("first", t0.Add(30*time.Second), time.Minute)
		if err != nil || !stop {
			t.Errorf("Renew of the holder asked to release = %v, %v; want stop", stop, err)
		}
		u.Release("second") // not the holder: nothing happens
		if u.Lock.Holder != "first" {
			t.Errorf("a request that does not hold the lock released it: %+v", u.Lock)
		}
		u.Release("first")
		if u.Lock != (dataset.UploadLock{}) {
			t.Errorf("lock after release %+v", u.Lock)
		}
		if !u.Take("second", t0.Add(time.Minute), time.Minute) || u.Lock.ReleaseAsked {
			t.Errorf("the released lock: %+v", u.Lock)
		}
	})
	t.Run("an_expired_lease_is_taken_over_and_its_holder_loses", func(t *testing.T) {
		u := newUpload()
		u.Take("crashed", t0, time.Minute)
		if !u.Take("next", t0.Add(time.Minute), time.Minute) {
			t.Fatal("a lease that ran out was not taken over")
		}
		if _, err := u.Renew("crashed", t0.Add(time.Minute), time.Minute); !errors.Is(err, dataset.ErrUploadLocked) {
			t.Errorf("Renew by the old holder = %v, want ErrUploadLocked", err)
		}
		if err := u.Advance("crashed", 0, 5, nil, nil); !errors.Is(err, dataset.ErrUploadLocked) {
			t.Errorf("Advance by the old holder = %v, want ErrUploadLocked", err)
		}
	})
	t.Run("renewal_tells_the_holder_to_stop_at_expiry", func(t *testing.T) {
		u := newUpload()
		u.Take("h", t0, time.Minute)
		if stop, _ := u.Renew("h", t0.Add(59*time.Minute), time.Minute); stop {
			t.Error("told to stop before the expiry")
		}
		if stop, _ := u.Renew("h", t0.Add(time.Hour), time.Minute); !stop {
			t.Error("not told to stop at the expiry")
		}
		if !u.Expired(t0.Add(time.Hour)) || u.Expired(t0.Add(time.Hour-time.Millisecond)) {
			t.Error("Expired is wrong around ExpiresAt")
		}
	})
}

func TestUploadAdvance(t *testing.T) {
	t.Parallel()
	u := newUpload()
	u.Take("h", t0, time.Minute)
	hash, head := []byte{1, 2}, []byte("abc")
	if err := u.Advance("h", 0, 3, hash, head); err != nil {
		t.Fatal(err)
	}
	hash[0], head[0] = 9, 'z' // the upload keeps copies
	if u.Offset != 3 || u.Hash[0] != 1 || string(u.Head) != "abc" {
		t.Errorf("after Advance: offset %d hash %v head %q", u.Offset, u.Hash, u.Head)
	}
	for _, c := range []struct {
		name    string
		from, n int64
		want    error
	}{
		{"from_another_offset", 0, 1, dataset.ErrUploadOffset},
		{"past_the_size", 3, 8, dataset.ErrUploadTooLong},
		{"backwards", 3, -1, dataset.ErrUploadTooLong},
	} {
		if err := u.Advance("h", c.from, c.n, nil, nil); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if err := u.Finish(dataset.UploadResult{DatasetID: "d"}); !errors.Is(err, dataset.ErrUploadOffset) {
		t.Errorf("Finish of a partial upload = %v", err)
	}
	if err := u.Advance("h", 3, 7, nil, nil); err != nil || !u.Whole() {
		t.Fatalf("Advance to the end = %v, whole %v", err, u.Whole())
	}
	if err := u.Finish(dataset.UploadResult{DatasetID: "d", Version: 1}); err != nil || u.Result.DatasetID != "d" {
		t.Errorf("Finish = %v, result %+v", err, u.Result)
	}
	c := u.Clone()
	c.Result.DatasetID = "other"
	if u.Result.DatasetID != "d" {
		t.Error("Clone shares the result")
	}
}
