package communityhttp

import (
	"errors"
	"runtime"
	"testing"

	"github.com/civicdatatrust/civictrust/domain/community"
)

func TestCheckImageRecognisesByContent(t *testing.T) {
	t.Parallel()
	pngData := testPNG(t, 32, 32)
	cases := []struct {
		name string
		data []byte
		want string
		err  error
	}{
		{"png", pngData, community.LogoPNG, nil},
		{"jpeg", testJPEG(t, 32, 32), community.LogoJPEG, nil},
		{"webp", testWebP(t), community.LogoWebP, nil},
		{"largest_allowed_side", testPNG(t, community.MaxLogoSide, 1), community.LogoPNG, nil},
		{"shell_script", []byte("#!/bin/sh\nrm -rf /\n"), "", community.ErrLogoType},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "", community.ErrLogoType},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "", community.ErrLogoType},
		{"empty", nil, "", community.ErrLogoType},
		{"truncated_png", pngData[:len(pngData)/2], "", community.ErrLogoCorrupt},
		{"png_signature_only", pngData[:8], "", community.ErrLogoCorrupt},
		{"jpeg_magic_then_garbage", []byte("\xff\xd8\xff\xe0garbage garbage"), "", community.ErrLogoCorrupt},
		{"one_pixel_too_wide", pngBomb(t, community.MaxLogoSide+1, 1), "", community.ErrLogoDimensions},
		{"one_pixel_too_high", pngBomb(t, 1, community.MaxLogoSide+1), "", community.ErrLogoDimensions},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := checkImage(c.data)
			if got != c.want || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
				t.Errorf("checkImage = %q, %v; want %q, %v", got, err, c.want, c.err)
			}
		})
	}
}

// A 20000×20000 bomb is refused from its header: checking it allocates next to
// nothing, where decoding it would allocate 400 MB.
func TestCheckImageRefusesABombWithoutDecodingIt(t *testing.T) {
	bomb := pngBomb(t, 20000, 20000)
	if len(bomb) > 1024 {
		t.Fatalf("the bomb is %d bytes, want a tiny file", len(bomb))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := checkImage(bomb)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, community.ErrLogoDimensions) {
		t.Fatalf("checkImage(bomb) = %v, want ErrLogoDimensions", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("checking the bomb allocated %d bytes: it was decoded", alloc)
	}
}

func TestETagMatches(t *testing.T) {
	t.Parallel()
	etag := `"abc"`
	for header, want := range map[string]bool{
		`"abc"`:         true,
		`W/"abc"`:       true,
		`"x", "abc"`:    true,
		`*`:             true,
		`"abd"`:         false,
		``:              false,
		`abc`:           false,
		`"x",  W/"abc"`: true,
	} {
		if got := etagMatches(header, etag); got != want {
			t.Errorf("etagMatches(%q) = %t, want %t", header, got, want)
		}
	}
}
