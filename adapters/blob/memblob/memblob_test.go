package memblob_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/blob/memblob"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/platformport/platformporttest"
)

func TestBlobStore(t *testing.T) {
	platformporttest.TestBlobStore(t, func(*testing.T) platformport.BlobStore {
		return memblob.New()
	}, platformporttest.SuiteOptions{
		Count: func(_ *testing.T, s platformport.BlobStore) int { return s.(*memblob.Store).Len() },
	})
}

func TestFailing(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name         string
		after, input int
	}{
		{"fails_at_once", 0, 100},
		{"fails_after_some_bytes", 10, 100},
		{"fails_at_the_end_of_a_short_upload", 1000, 100},
		{"fails_on_an_empty_upload", 5, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			inner := memblob.New()
			s := memblob.Failing(inner, int64(c.after))
			src := bytes.NewReader(make([]byte, c.input))
			if _, err := s.Put(ctx, src, 0); !errors.Is(err, memblob.ErrInjected) {
				t.Fatalf("Put = %v, want ErrInjected", err)
			}
			if read := int64(c.input) - int64(src.Len()); read > int64(c.after) {
				t.Errorf("read %d bytes of the upload, want at most %d", read, c.after)
			}
			if inner.Len() != 0 {
				t.Errorf("inner store holds %d blobs after a failed Put", inner.Len())
			}
		})
	}

	t.Run("open_and_delete_pass_through", func(t *testing.T) {
		inner := memblob.New()
		info, err := inner.Put(ctx, bytes.NewReader([]byte("x")), 0)
		if err != nil {
			t.Fatal(err)
		}
		s := memblob.Failing(inner, 0)
		rc, err := s.Open(ctx, info.Key, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		_ = rc.Close()
		if err := s.Delete(ctx, info.Key); err != nil {
			t.Fatal(err)
		}
		if inner.Len() != 0 {
			t.Error("Delete did not reach the inner store")
		}
	})
}

func TestStagingStore(t *testing.T) {
	platformporttest.TestStagingStore(t, func(*testing.T) platformporttest.StagedStore {
		return memblob.New()
	}, platformporttest.StagingOptions{
		Count: func(_ *testing.T, s platformporttest.StagedStore) int {
			m := s.(*memblob.Store)
			return m.Len() + m.Stages()
		},
	})
}
