package datasetsqlite_test

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/memory/datasetmem"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/datasetsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// ageBucket is the number of datasets after which the newest age bucket is
// closed (migration 0010).
const ageBucket = 2000

// someDatasets are n datasets of seven owners and five communities, of every
// visibility, created a second apart from start, except that every 97th was
// created a year earlier (as an import brings them) and every 13th at the
// same moment as the one before it. Every 50th is described as "rare", the
// others as "common".
func someDatasets(t *testing.T, start time.Time, from, n int) []*dataset.Dataset {
	t.Helper()
	out := make([]*dataset.Dataset, 0, n)
	at := start.Add(time.Duration(from) * time.Second)
	for i := from; i < from+n; i++ {
		switch {
		case i%97 == 0:
			at = start.Add(-365*24*time.Hour + time.Duration(i)*time.Second)
		case i%13 != 0:
			at = start.Add(time.Duration(i) * time.Second)
		}
		community := ""
		if i%3 != 0 {
			community = fmt.Sprintf("c%d", i%5)
		}
		vis := []dataset.Visibility{dataset.Public, dataset.Private, dataset.Community, dataset.Restricted}[i%4]
		if community == "" && vis.NeedsCommunity() {
			vis = dataset.Private
		}
		description := "a common word"
		if i%50 == 0 {
			description = "a rare word"
		}
		d, err := dataset.New(kernel.NewID(at), dataset.Draft{Title: fmt.Sprintf("d%d", i), Description: description, CommunityID: community,
			OwnerID: fmt.Sprintf("o%d", i%7), Visibility: vis},
			dataset.File{Filename: "f.csv", ContentType: "text/csv", Size: 1, SHA256: "00", BlobKey: fmt.Sprint("k", i)}, at)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// viewers are the scopes whose lists are compared.
var viewers = []datasetport.Scope{
	{All: true},
	{ViewerID: "o1", Communities: []string{"c1", "c2"}},
	{ViewerID: "o3"},
	{ViewerID: "someone", Communities: []string{"c0", "c4"}},
	{ViewerID: "o2", Communities: []string{"c0", "c1", "c2", "c3", "c4"}},
}

// samePages checks that got answers every page of every viewer's list, near
// and across the buckets' edges, as want does.
func samePages(t *testing.T, got, want datasetport.DatasetRepository) {
	t.Helper()
	samePagesOf(t, got, want, "")
}

// samePagesOf is samePages for the search q.
func samePagesOf(t *testing.T, got, want datasetport.DatasetRepository, q string) {
	t.Helper()
	ctx := t.Context()
	for _, s := range viewers {
		f := datasetport.Filter{Scope: s, Query: q}
		_, total, err := want.List(ctx, f, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		skips := []int{0, 1, 99, ageBucket / 2, ageBucket - 1, ageBucket, ageBucket + 1, 2*ageBucket + 17,
			int(total) - 100, int(total) - 1, int(total), int(total) + 5}
		for skip := 0; skip < int(total); skip += 611 {
			skips = append(skips, skip)
		}
		for _, skip := range skips {
			if skip < 0 {
				continue
			}
			wantPage, wantTotal, err := want.List(ctx, f, skip, 100)
			if err != nil {
				t.Fatal(err)
			}
			gotPage, gotTotal, err := got.List(ctx, f, skip, 100)
			if err != nil {
				t.Fatalf("List(%+v, %d): %v", f, skip, err)
			}
			if gotTotal != wantTotal || !slices.Equal(ids(gotPage), ids(wantPage)) {
				t.Fatalf("List(%+v, skip %d) = %d of %d, first %v; want %d of %d, first %v", f, skip,
					len(gotPage), gotTotal, first(gotPage), len(wantPage), wantTotal, first(wantPage))
			}
		}
	}
}

// atLeastBuckets checks that the datasets fill n buckets, so that the deep
// pages compared do skip buckets.
func atLeastBuckets(t *testing.T, db *sqlitestore.DB, n int) {
	t.Helper()
	var got int
	if err := db.Reader(t.Context()).QueryRowContext(t.Context(),
		`SELECT count(*) FROM dataset_age_counts WHERE visibility = 'public'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got < n {
		t.Fatalf("the public datasets are in %d age buckets; want at least %d", got, n)
	}
}

func ids(ds []*dataset.Dataset) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID()
	}
	return out
}

func first(ds []*dataset.Dataset) string {
	if len(ds) == 0 {
		return "none"
	}
	return ds[0].ID()
}

func createAll(t *testing.T, ds []*dataset.Dataset, repos ...datasetport.DatasetRepository) {
	t.Helper()
	for _, d := range ds {
		for _, r := range repos {
			if err := r.Create(t.Context(), d.Clone()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// changeSome makes every 50th dataset private and deletes every 70th, in
// both stores.
func changeSome(t *testing.T, ds []*dataset.Dataset, repos ...datasetport.DatasetRepository) {
	t.Helper()
	private := dataset.Private
	for i, d := range ds {
		for _, r := range repos {
			switch {
			case i%70 == 0:
				if _, err := r.Delete(t.Context(), d.ID()); err != nil {
					t.Fatal(err)
				}
			case i%50 == 0:
				if _, err := r.Update(t.Context(), d.ID(), func(d *dataset.Dataset) error {
					return d.ChangeMetadata(dataset.MetadataChange{Visibility: &private}, d.CreatedAt())
				}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// A deep page, which skips whole age buckets, is the page an OFFSET over
// every dataset gives, for every viewer, after datasets arrived out of
// order, changed visibility and went.
func TestDeepPagesSkipWholeBucketsExactly(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ds := someDatasets(t, start, 0, 3*ageBucket+500)
	db := sqlitetest.Open(t)
	repo, memory := datasetsqlite.NewDatasetRepository(db), datasetmem.NewDatasetRepository()
	createAll(t, ds, repo, memory)
	atLeastBuckets(t, db, 3)
	samePages(t, repo, memory)
	changeSome(t, ds, repo, memory)
	samePages(t, repo, memory)
}

// A search answers the same pages and totals whether its matches are few
// (read in order, which counts them) or many (counted).
func TestSearchPagesOfFewAndManyMatches(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ds := someDatasets(t, start, 0, ageBucket)
	repo, memory := datasetsqlite.NewDatasetRepository(sqlitetest.Open(t)), datasetmem.NewDatasetRepository()
	createAll(t, ds, repo, memory)
	for _, q := range []string{"rare", "common", "RARE", "d7", "nowhere"} {
		samePagesOf(t, repo, memory, q)
	}
}

// A store written before the buckets existed gets them when migration 0010
// runs, and keeps them right as datasets arrive after it.
func TestDeepPagesOfAStoreWrittenBeforeTheBuckets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civictrust.db")
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	memory := datasetmem.NewDatasetRepository()
	older := sqlitetest.OpenAt(t, path)
	before := someDatasets(t, start, 0, 2*ageBucket+300)
	createAll(t, before, datasetsqlite.NewDatasetRepository(older), memory)
	// What the file held before migration 0010.
	for _, q := range []string{
		`DROP TRIGGER dataset_age_insert`, `DROP TRIGGER dataset_age_delete`, `DROP TRIGGER dataset_age_update`,
		`DROP TABLE dataset_age_buckets`, `DROP TABLE dataset_age_counts`, `DROP TABLE dataset_age_counts_by_community`,
		`DROP TABLE dataset_age_counts_by_owner`, `DELETE FROM schema_migrations WHERE version = 10`,
	} {
		if _, err := older.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	db := sqlitetest.OpenAt(t, path)
	repo := datasetsqlite.NewDatasetRepository(db)
	atLeastBuckets(t, db, 2)
	samePages(t, repo, memory)
	createAll(t, someDatasets(t, start, len(before), ageBucket+100), repo, memory)
	atLeastBuckets(t, db, 3)
	samePages(t, repo, memory)
}

// A search far past its end answers an empty page and the total.
func TestSearchFarPastItsEnd(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	repo := datasetsqlite.NewDatasetRepository(sqlitetest.Open(t))
	createAll(t, someDatasets(t, start, 0, 120), repo)
	for _, skip := range []int{1 << 40, math.MaxInt} {
		page, total, err := repo.List(t.Context(), datasetport.Filter{Scope: datasetport.Scope{All: true}, Query: "common"}, skip, 100)
		if err != nil || len(page) != 0 || total != 117 {
			t.Errorf("List(skip %d) = %d of %d, %v; want none of 117", skip, len(page), total, err)
		}
	}
}
