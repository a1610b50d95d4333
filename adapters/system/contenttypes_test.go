package system_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/system"
)

func TestContentTypesDetect(t *testing.T) {
	for _, c := range []struct {
		name, head, filename, declared, want string
	}{
		{"csv_by_name", "a,b\n1,2\n", "counts.csv", "application/octet-stream", "text/csv; charset=utf-8"},
		{"csv_by_declared_type", "a,b\n", "counts", "text/csv", "text/csv; charset=utf-8"},
		{"csv_by_a_windows_name", "a,b\n", `C:\data\counts.CSV`, "", "text/csv; charset=utf-8"},
		{"text_stays_text", "hello", "notes.txt", "", "text/plain; charset=utf-8"},
		{"the_content_wins_over_a_declared_type", "%PDF-1.7\n", "x.csv", "text/csv", "application/pdf"},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", "a.csv", "text/csv", "image/png"},
		{"binary", "\x00\x01\x02\x03", "dump.csv", "", "application/octet-stream"},
	} {
		if got := (system.ContentTypes{}).Detect([]byte(c.head), c.filename, c.declared); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
