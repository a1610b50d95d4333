package dataset_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/civicdatatrust/civictrust/domain/dataset"
)

func TestCleanFilename(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 296) + ".csv" // 300 bytes
	cases := []struct {
		name, in, want string
	}{
		{"plain_name_is_kept", "counts.csv", "counts.csv"},
		{"unix_path_keeps_the_base_name", "/home/olga/data/counts.csv", "counts.csv"},
		{"parent_traversal_is_dropped", "../../etc/passwd", "passwd"},
		{"windows_path_keeps_the_base_name", `C:\Users\olga\counts.csv`, "counts.csv"},
		{"mixed_separators", `..\../secret\report.pdf`, "report.pdf"},
		{"trailing_slash_names_the_folder", "data/", "data"},
		{"control_characters_are_removed", "a\x00b\nc\r\td\x7f\u0085.csv", "abcd.csv"},
		{"bidi_overrides_are_removed", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"double_quotes_are_removed", `"quoted" name.csv`, "quoted name.csv"},
		{"invalid_utf8_is_removed", "bad\xff\xfename.txt", "badname.txt"},
		{"surrounding_spaces_and_dots_are_trimmed", "  ..report.csv. ", "report.csv"},
		{"empty_is_file", "", "file"},
		{"spaces_only_is_file", "   ", "file"},
		{"root_is_file", "/", "file"},
		{"dot_is_file", ".", "file"},
		{"dot_dot_is_file", "..", "file"},
		{"only_control_characters_is_file", "\x00\x01\x02", "file"},
		{"unicode_is_kept", "Données été 2025 – 東京.csv", "Données été 2025 – 東京.csv"},
		{"emoji_is_kept", "📊 budget.xlsx", "📊 budget.xlsx"},
		{"single_quote_and_semicolon_are_kept", "o'brien; notes.txt", "o'brien; notes.txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := dataset.CleanFilename(tc.in); got != tc.want {
				t.Errorf("CleanFilename(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}

	t.Run("300_byte_name_is_cut_to_255_bytes_keeping_the_extension", func(t *testing.T) {
		t.Parallel()
		got := dataset.CleanFilename(long)
		if len(got) > 255 || !strings.HasSuffix(got, ".csv") || !strings.HasPrefix(got, "aaaa") {
			t.Errorf("CleanFilename(300 bytes) = %q (%d bytes)", got, len(got))
		}
	})
	t.Run("300_byte_unicode_name_is_cut_on_a_rune_boundary", func(t *testing.T) {
		t.Parallel()
		in := strings.Repeat("é", 148) + ".txt" // 300 bytes
		got := dataset.CleanFilename(in)
		if len(got) > 255 || !utf8.ValidString(got) || !strings.HasSuffix(got, ".txt") {
			t.Errorf("CleanFilename = %q (%d bytes, valid %v)", got, len(got), utf8.ValidString(got))
		}
	})
	t.Run("300_byte_name_without_extension", func(t *testing.T) {
		t.Parallel()
		got := dataset.CleanFilename(strings.Repeat("東", 100)) // 300 bytes
		if len(got) > 255 || len(got) < 250 || !utf8.ValidString(got) {
			t.Errorf("CleanFilename = %q (%d bytes)", got, len(got))
		}
	})
	t.Run("long_extension_is_cut_like_the_rest", func(t *testing.T) {
		t.Parallel()
		got := dataset.CleanFilename("x." + strings.Repeat("e", 298))
		if len(got) > 255 || !strings.HasPrefix(got, "x.") {
			t.Errorf("CleanFilename = %q (%d bytes)", got, len(got))
		}
	})
	t.Run("cleaning_is_idempotent", func(t *testing.T) {
		t.Parallel()
		for _, tc := range cases {
			once := dataset.CleanFilename(tc.in)
			if twice := dataset.CleanFilename(once); twice != once {
				t.Errorf("CleanFilename(%q) = %q, again %q", tc.in, once, twice)
			}
		}
		once := dataset.CleanFilename(long)
		if twice := dataset.CleanFilename(once); twice != once {
			t.Errorf("long name: %q, again %q", once, twice)
		}
	})
}

func TestParseTags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     []string
	}{
		{"empty_is_no_tags", "", []string{}},
		{"commas_only_is_no_tags", " , ,,", []string{}},
		{"trimmed_and_lower_cased", " Traffic , 2025,Open Data ", []string{"traffic", "2025", "open data"}},
		{"duplicates_ignoring_case_are_dropped", "traffic,TRAFFIC, Traffic ,roads", []string{"traffic", "roads"}},
		{"order_of_first_appearance_is_kept", "b,a,c,a", []string{"b", "a", "c"}},
		{"unicode_is_lower_cased", "ÉTÉ,Été", []string{"été"}},
		{"tags_over_50_characters_are_dropped", strings.Repeat("x", 51) + "," + strings.Repeat("y", 50), []string{strings.Repeat("y", 50)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := dataset.ParseTags(tc.in)
			if got == nil || !slices.Equal(got, tc.want) {
				t.Errorf("ParseTags(%q) = %#v, want %#v", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeTags(t *testing.T) {
	t.Parallel()
	t.Run("nil_is_an_empty_list", func(t *testing.T) {
		t.Parallel()
		if got := dataset.NormalizeTags(nil); got == nil || len(got) != 0 {
			t.Errorf("NormalizeTags(nil) = %#v", got)
		}
	})
	t.Run("trims_lower_cases_and_deduplicates", func(t *testing.T) {
		t.Parallel()
		got := dataset.NormalizeTags([]string{" Health ", "", "health", "  ", "Budget"})
		if want := []string{"health", "budget"}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("does_not_modify_its_input", func(t *testing.T) {
		t.Parallel()
		in := []string{" A ", "b"}
		_ = dataset.NormalizeTags(in)
		if !slices.Equal(in, []string{" A ", "b"}) {
			t.Errorf("input changed to %q", in)
		}
	})
}

func TestParseVisibility(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want dataset.Visibility
		ok   bool
	}{
		{"public", dataset.Public, true},
		{"community", dataset.Community, true},
		{"private", dataset.Private, true},
		{"PUBLIC", dataset.Public, true},
		{" Private ", dataset.Private, true},
		{"", "", false},
		{"secret", "", false},
		{"publi", "", false},
		{"public,private", "", false},
	}
	for _, tc := range cases {
		t.Run("input_"+strings.ReplaceAll(tc.in, " ", "_"), func(t *testing.T) {
			t.Parallel()
			got, ok := dataset.ParseVisibility(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseVisibility(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestDefaultVisibility(t *testing.T) {
	t.Parallel()
	if got := dataset.DefaultVisibility("c1"); got != dataset.Community {
		t.Errorf("with a community: %q", got)
	}
	if got := dataset.DefaultVisibility(""); got != dataset.Private {
		t.Errorf("without a community: %q", got)
	}
}

func TestAddVersion(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 9, 4, 18, 23, 52, 84_000_000, time.UTC)
	file := func(key string) dataset.File {
		return dataset.File{Filename: key + ".csv", ContentType: "text/csv", Size: 10, SHA256: "sum-" + key, BlobKey: key}
	}

	t.Run("first_version_is_1_and_becomes_current", func(t *testing.T) {
		t.Parallel()
		d := dataset.Restore(dataset.Snapshot{ID: "d1", CreatedAt: t0})
		v := d.AddVersion(file("k1"), "u1", t0)
		if v.Number != 1 || v.DatasetID != "d1" || v.CreatedBy != "u1" || !v.CreatedAt.Equal(t0) || v.File != file("k1") {
			t.Errorf("version %+v", v)
		}
		if d.Version() != 1 || d.File() != file("k1") || !d.UpdatedAt().Equal(t0) || len(d.Versions()) != 1 {
			t.Errorf("dataset %+v", d)
		}
	})

	t.Run("versions_count_up_and_older_ones_are_kept", func(t *testing.T) {
		t.Parallel()
		d := dataset.Restore(dataset.Snapshot{ID: "d1"})
		for i := 1; i <= 5; i++ {
			key := string(rune('a' + i))
			v := d.AddVersion(file(key), "u1", t0.Add(time.Duration(i)*time.Minute))
			if v.Number != i || d.Version() != i || d.File().BlobKey != key {
				t.Fatalf("upload %d: version %d, current %d (%s)", i, v.Number, d.Version(), d.File().BlobKey)
			}
		}
		for i := 1; i <= 5; i++ {
			v, ok := d.VersionNumbered(i)
			if !ok || v.Number != i || v.File.BlobKey != string(rune('a'+i)) {
				t.Errorf("VersionNumbered(%d) = %+v, %v", i, v, ok)
			}
		}
		if _, ok := d.VersionNumbered(6); ok {
			t.Error("VersionNumbered(6) found a version that does not exist")
		}
		if _, ok := d.VersionNumbered(0); ok {
			t.Error("VersionNumbered(0) found a version")
		}
		if got, want := d.BlobKeys(), []string{"b", "c", "d", "e", "f"}; !slices.Equal(got, want) {
			t.Errorf("BlobKeys = %q, want %q", got, want)
		}
	})

	t.Run("numbering_follows_the_last_version_not_the_count", func(t *testing.T) {
		t.Parallel()
		d := dataset.Restore(dataset.Snapshot{ID: "d1", Versions: []dataset.Version{{Number: 1}, {Number: 4}}, Version: 4})
		if v := d.AddVersion(file("k"), "u1", t0); v.Number != 5 || d.Version() != 5 {
			t.Errorf("got version %d, current %d; want 5", v.Number, d.Version())
		}
	})

	t.Run("owner_and_creation_time_are_untouched", func(t *testing.T) {
		t.Parallel()
		d := dataset.Restore(dataset.Snapshot{ID: "d1", OwnerID: "owner", CreatedAt: t0})
		d.AddVersion(file("k1"), "owner", t0)
		d.AddVersion(file("k2"), "admin", t0.Add(time.Hour))
		if d.OwnerID() != "owner" || !d.CreatedAt().Equal(t0) || !d.UpdatedAt().Equal(t0.Add(time.Hour)) {
			t.Errorf("dataset %+v", d)
		}
		if v, _ := d.VersionNumbered(2); v.CreatedBy != "admin" {
			t.Errorf("version 2 created by %q", v.CreatedBy)
		}
	})
}

func TestNew(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 9, 4, 18, 23, 52, 0, time.UTC)
	f := dataset.File{Filename: "counts.csv", ContentType: "text/csv", Size: 3, SHA256: "sum", BlobKey: "k1"}

	t.Run("title_defaults_to_the_file_name_and_the_file_is_version_1", func(t *testing.T) {
		t.Parallel()
		d, err := dataset.New("d1", dataset.Draft{Title: "   ", OwnerID: "u1", Tags: []string{" Health", "health", ""}}, f, t0)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID() != "d1" || d.Title() != "counts.csv" || d.OwnerID() != "u1" || d.Visibility() != dataset.Private {
			t.Errorf("dataset %+v", d.Snapshot())
		}
		if !slices.Equal(d.Tags(), []string{"health"}) || d.Version() != 1 || d.File() != f || !d.CreatedAt().Equal(t0) {
			t.Errorf("dataset %+v", d.Snapshot())
		}
		if v, ok := d.VersionNumbered(1); !ok || v.CreatedBy != "u1" || v.DatasetID != "d1" {
			t.Errorf("version 1 = %+v, %v", v, ok)
		}
	})
	t.Run("given_title_is_trimmed_and_a_community_gives_community_visibility", func(t *testing.T) {
		t.Parallel()
		d, err := dataset.New("d1", dataset.Draft{Title: " Counts ", CommunityID: "c1", OwnerID: "u1"}, f, t0)
		if err != nil {
			t.Fatal(err)
		}
		if d.Title() != "Counts" || d.Visibility() != dataset.Community || d.CommunityID() != "c1" {
			t.Errorf("dataset %+v", d.Snapshot())
		}
	})
	for _, vis := range []dataset.Visibility{dataset.Community, dataset.Restricted} {
		t.Run(string(vis)+"_without_a_community_is_refused", func(t *testing.T) {
			t.Parallel()
			d, err := dataset.New("d1", dataset.Draft{OwnerID: "u1", Visibility: vis}, f, t0)
			if err == nil || d != nil {
				t.Fatalf("New = %v, %v; want a refusal", d, err)
			}
		})
	}
}

func TestChangeMetadata(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 9, 4, 18, 23, 52, 0, time.UTC)
	ptr := func(s string) *string { return &s }

	t.Run("given_fields_change_and_the_rest_stay", func(t *testing.T) {
		t.Parallel()
		d := dataset.Restore(dataset.Snapshot{ID: "d1", Title: "old", Description: "kept", License: "CC0", Visibility: dataset.Private})
		vis := dataset.Public
		tags := []string{"A", "a", " b "}
		err := d.ChangeMetadata(dataset.MetadataChange{Title: ptr("  new  "), Visibility: &vis, Tags: &tags}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if d.Title() != "new" || d.Description() != "kept" || d.License() != "CC0" || d.Visibility() != dataset.Public ||
			!slices.Equal(d.Tags(), []string{"a", "b"}) || !d.UpdatedAt().Equal(t0) {
			t.Errorf("dataset %+v", d.Snapshot())
		}
	})
	for _, vis := range []dataset.Visibility{dataset.Community, dataset.Restricted} {
		t.Run(string(vis)+"_without_a_community_is_refused_and_nothing_changes", func(t *testing.T) {
			t.Parallel()
			before := dataset.Snapshot{ID: "d1", Title: "old", Visibility: dataset.Private}
			d := dataset.Restore(before)
			if err := d.ChangeMetadata(dataset.MetadataChange{Title: ptr("new"), Visibility: &vis}, t0); err == nil {
				t.Fatal("ChangeMetadata accepted a visibility that needs a community")
			}
			if d.Title() != "old" || d.Visibility() != dataset.Private || !d.UpdatedAt().IsZero() {
				t.Errorf("dataset changed: %+v", d.Snapshot())
			}
		})
	}
	t.Run("restricted_in_a_community_is_accepted", func(t *testing.T) {
		t.Parallel()
		d := dataset.Restore(dataset.Snapshot{ID: "d1", CommunityID: "c1", Visibility: dataset.Community})
		vis := dataset.Restricted
		if err := d.ChangeMetadata(dataset.MetadataChange{Visibility: &vis}, t0); err != nil || d.Visibility() != vis {
			t.Errorf("ChangeMetadata = %v, visibility %q", err, d.Visibility())
		}
	})
}

func TestSnapshot(t *testing.T) {
	t.Parallel()
	s := dataset.Snapshot{ID: "d1", Title: "t", Tags: []string{"a"}, Version: 2, Revision: 7,
		Versions: []dataset.Version{{Number: 1, File: dataset.File{BlobKey: "k1"}}, {Number: 2, File: dataset.File{BlobKey: "k2"}}}}

	t.Run("restore_takes_the_current_file_from_the_versions", func(t *testing.T) {
		t.Parallel()
		d := dataset.Restore(s)
		if d.File().BlobKey != "k2" || d.Revision() != 7 || d.Version() != 2 {
			t.Errorf("dataset %+v", d.Snapshot())
		}
	})
	t.Run("a_snapshot_shares_nothing_with_the_dataset", func(t *testing.T) {
		t.Parallel()
		d := dataset.Restore(s)
		got := d.Snapshot()
		got.Tags[0], got.Versions[0].Number = "changed", 9
		if !slices.Equal(d.Tags(), []string{"a"}) || d.Versions()[0].Number != 1 {
			t.Errorf("the dataset changed with its snapshot: %+v", d.Snapshot())
		}
	})
	t.Run("bump_revision_counts_one_more", func(t *testing.T) {
		t.Parallel()
		d := dataset.Restore(s)
		d.BumpRevision()
		if d.Revision() != 8 {
			t.Errorf("revision %d, want 8", d.Revision())
		}
	})
}

func TestRekeyBlobs(t *testing.T) {
	t.Parallel()
	d := dataset.Restore(dataset.Snapshot{ID: "d1"})
	d.AddVersion(dataset.File{BlobKey: "old-1"}, "u1", time.Time{})
	d.AddVersion(dataset.File{BlobKey: "old-2"}, "u1", time.Time{})
	d.AddVersion(dataset.File{BlobKey: "kept"}, "u1", time.Time{})
	d.RekeyBlobs(map[string]string{"old-1": "new-1", "old-2": "new-2"})
	if got, want := d.BlobKeys(), []string{"new-1", "new-2", "kept"}; !slices.Equal(got, want) {
		t.Errorf("BlobKeys = %q, want %q", got, want)
	}
	if d.File().BlobKey != "kept" {
		t.Errorf("current file's key %q, want kept", d.File().BlobKey)
	}
	d.RekeyBlobs(map[string]string{"kept": "moved"})
	if d.File().BlobKey != "moved" {
		t.Errorf("current file's key %q, want moved", d.File().BlobKey)
	}
}
