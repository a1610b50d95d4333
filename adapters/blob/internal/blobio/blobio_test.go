package blobio_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

func TestReader(t *testing.T) {
	ctx := context.Background()
	t.Run("counts_and_hashes", func(t *testing.T) {
		r := blobio.NewReader(ctx, strings.NewReader("abc"), 3)
		if _, err := io.ReadAll(r); err != nil {
			t.Fatal(err)
		}
		info := r.Info("k")
		if info.Size != 3 || info.SHA256 != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" || info.Key != "k" {
			t.Errorf("Info = %+v", info)
		}
	})
	t.Run("one_byte_over_is_too_large", func(t *testing.T) {
		src := strings.NewReader(strings.Repeat("x", 100))
		r := blobio.NewReader(ctx, src, 10)
		_, err := io.ReadAll(r)
		if !errors.Is(err, platformport.ErrBlobTooLarge) || !errors.Is(r.Err(), platformport.ErrBlobTooLarge) {
			t.Fatalf("err = %v", err)
		}
		if read := 100 - src.Len(); read != 11 {
			t.Errorf("read %d bytes from the source, want 11", read)
		}
	})
	t.Run("cancelled_context_stops_reading", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		src := bytes.NewReader(make([]byte, 100))
		r := blobio.NewReader(cctx, src, 0)
		if _, err := r.Read(make([]byte, 10)); err != nil {
			t.Fatal(err)
		}
		cancel()
		if _, err := r.Read(make([]byte, 10)); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
		if src.Len() != 90 {
			t.Errorf("the source was read after the cancel")
		}
	})
	t.Run("source_error_is_wrapped_and_sticks", func(t *testing.T) {
		r := blobio.NewReader(ctx, io.MultiReader(strings.NewReader("ab"), errReader{}), 0)
		_, err := io.ReadAll(r)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("err = %v", err)
		}
		if _, err2 := r.Read(make([]byte, 1)); !errors.Is(err2, io.ErrUnexpectedEOF) {
			t.Errorf("second Read = %v", err2)
		}
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestKeys(t *testing.T) {
	k := blobio.NewKey()
	if !blobio.IsKey(k) || k == blobio.NewKey() {
		t.Errorf("NewKey = %q", k)
	}
	for _, bad := range []string{"", strings.ToUpper(k), k[:31], k + "0", "../" + k[3:], strings.Repeat("g", 32)} {
		if blobio.IsKey(bad) {
			t.Errorf("IsKey(%q) = true", bad)
		}
	}
}

func TestRange(t *testing.T) {
	for _, c := range []struct {
		size, offset, length, start, n int64
		bad                            bool
	}{
		{10, 0, -1, 0, 10, false},
		{10, 2, 3, 2, 3, false},
		{10, 8, 5, 8, 2, false},
		{10, 10, -1, 10, 0, false},
		{10, 12, 1, 10, 0, false},
		{0, 0, -1, 0, 0, false},
		{10, -1, 1, 0, 0, true},
	} {
		start, n, err := blobio.Range(c.size, c.offset, c.length)
		if (err != nil) != c.bad || !c.bad && (start != c.start || n != c.n) {
			t.Errorf("Range(%d, %d, %d) = %d, %d, %v", c.size, c.offset, c.length, start, n, err)
		}
	}
}
