package main

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	var samples []time.Duration
	for i := 100; i >= 1; i-- {
		samples = append(samples, time.Duration(i)*time.Millisecond)
	}
	l := summarize(samples, time.Second)
	if l.p50 != 50*time.Millisecond || l.p90 != 90*time.Millisecond || l.p99 != 99*time.Millisecond {
		t.Fatalf("p50 %s p90 %s p99 %s, want 50ms 90ms 99ms", l.p50, l.p90, l.p99)
	}
	if l.perSecond() != 100 {
		t.Fatalf("%v per second, want 100", l.perSecond())
	}
	if got := percentile([]time.Duration{7}, 99); got != 7 {
		t.Fatalf("one sample: p99 %s", got)
	}
	// Nearest rank: the p99 of ten samples is the largest.
	ten := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if p50, p99 := percentile(ten, 50), percentile(ten, 99); p50 != 5 || p99 != 10 {
		t.Fatalf("ten samples: p50 %d p99 %d, want 5 and 10", p50, p99)
	}
}

func TestParseSizes(t *testing.T) {
	t.Parallel()
	got, err := parseSizes("1000, 10000,100000")
	if err != nil || len(got) != 3 || got[2] != 100000 {
		t.Fatalf("parseSizes: %v %v", got, err)
	}
	for _, bad := range []string{"", "10,10", "100,10", "x", "0"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q) accepted", bad)
		}
	}
}

// The declared length is what is sent, and a multipart reader finds the
// fields and the file's bytes in it.
func TestMultipartBody(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "f.bin")
	content := bytes.Repeat([]byte("0123456789"), 10000)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]func() (*multipartBody, error){
		"memory": func() (*multipartBody, error) {
			return newMultipartBody([][2]string{{"title", "T"}}, "file", "f.bin", content, "")
		},
		"disk": func() (*multipartBody, error) {
			return newMultipartBody([][2]string{{"title", "T"}}, "file", "f.bin", nil, path)
		},
	} {
		body, err := b()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(body.reader)
		body.close()
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(raw)) != body.length {
			t.Fatalf("%s: %d bytes, declared %d", name, len(raw), body.length)
		}
		_, params, err := mime.ParseMediaType(body.contentType)
		if err != nil {
			t.Fatal(err)
		}
		form, err := multipart.NewReader(bytes.NewReader(raw), params["boundary"]).ReadForm(1 << 20)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if form.Value["title"][0] != "T" || len(form.File["file"]) != 1 || form.File["file"][0].Size != int64(len(content)) {
			t.Fatalf("%s: form %v, files %v", name, form.Value, form.File)
		}
	}
}
