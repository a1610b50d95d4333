// Package datasetsqlite implements the dataset repository on the embedded
// SQLite store.
package datasetsqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// DatasetRepository stores datasets in "datasets", their tags in
// "dataset_tags" and every version in "dataset_versions"; a change of a
// dataset and its versions is one transaction.
type DatasetRepository struct{ db *sqlitestore.DB }

var _ datasetport.DatasetRepository = (*DatasetRepository)(nil)

// NewDatasetRepository returns the repository on db.
func NewDatasetRepository(db *sqlitestore.DB) *DatasetRepository { return &DatasetRepository{db: db} }

const datasetColumns = `id, title, description, community_id, owner_id, visibility, license, version, created_at,
	updated_at, revision, tags`

// Create stores a dataset with its versions.
func (r *DatasetRepository) Create(ctx context.Context, d *dataset.Dataset) error {
	d.BumpRevision()
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertDataset(ctx, tx, d) })
}

func insertDataset(ctx context.Context, tx *sqlitestore.Tx, d *dataset.Dataset) error {
	tags, err := sqlitestore.JSON(d.Tags())
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO datasets (id, title, description, community_id, owner_id, visibility,
		license, version, search_title, search_description, created_at, updated_at, revision, tags)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID(), d.Title(), d.Description(), sqlitestore.NullString(d.CommunityID()), d.OwnerID(), string(d.Visibility()), d.License(),
		d.Version(), searchText(d.Title()), searchText(d.Description()), sqlitestore.Millis(d.CreatedAt()),
		sqlitestore.Millis(d.UpdatedAt()), d.Revision(), tags)
	if sqlitestore.IsUnique(err) {
		return kernel.ErrConflict
	}
	if err != nil {
		return sqlitestore.Translate(err)
	}
	if err := writeTags(ctx, tx, d.ID(), d.Tags()); err != nil {
		return err
	}
	return insertVersions(ctx, tx, d.ID(), d.Versions())
}

// searchText is what `q` is matched against: the text lower-cased as Go
// does it (SQLite's lower() knows only ASCII).
func searchText(s string) string { return strings.ToLower(s) }

func writeTags(ctx context.Context, tx *sqlitestore.Tx, datasetID string, tags []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM dataset_tags WHERE dataset_id = ?`, datasetID); err != nil {
		return sqlitestore.Translate(err)
	}
	for i, tag := range tags {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dataset_tags (dataset_id, tag, position) VALUES (?, ?, ?)`,
			datasetID, tag, i); err != nil {
			return sqlitestore.Translate(err)
		}
	}
	return nil
}

func insertVersions(ctx context.Context, tx *sqlitestore.Tx, datasetID string, vs []dataset.Version) error {
	for _, v := range vs {
		f := v.File
		if _, err := tx.ExecContext(ctx, `INSERT INTO dataset_versions (dataset_id, number, filename, content_type, size,
			sha256, blob_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			datasetID, v.Number, f.Filename, f.ContentType, f.Size, f.SHA256, f.BlobKey, v.CreatedBy,
			sqlitestore.Millis(v.CreatedAt)); err != nil {
			if sqlitestore.IsUnique(err) {
				return kernel.ErrConflict
			}
			return sqlitestore.Translate(err)
		}
	}
	return nil
}

// queryDatasets runs a query of datasetColumns and loads the versions of
// what it found in one more query.
func queryDatasets(ctx context.Context, q sqlitestore.Querier, query string, args ...any) ([]*dataset.Dataset, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	var found []*dataset.Snapshot
	byID := map[string]*dataset.Snapshot{}
	var ids []any
	for rows.Next() {
		var (
			d                    dataset.Snapshot
			community            sql.NullString
			visibility           string
			createdAt, updatedAt int64
			tags                 string
		)
		if err := rows.Scan(&d.ID, &d.Title, &d.Description, &community, &d.OwnerID, &visibility, &d.License, &d.Version,
			&createdAt, &updatedAt, &d.Revision, &tags); err != nil {
			_ = rows.Close()
			return nil, sqlitestore.Translate(err)
		}
		if err := sqlitestore.FromJSON(tags, &d.Tags); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("datasetsqlite: the tags of %s: %w", d.ID, err)
		}
		d.CommunityID, d.Visibility = community.String, dataset.Visibility(visibility)
		d.CreatedAt, d.UpdatedAt = sqlitestore.Time(createdAt), sqlitestore.Time(updatedAt)
		found = append(found, &d)
		byID[d.ID] = &d
		ids = append(ids, d.ID)
	}
	if err := rows.Close(); err != nil {
		return nil, sqlitestore.Translate(err)
	}
	if err := rows.Err(); err != nil {
		return nil, sqlitestore.Translate(err)
	}
	if len(ids) > 0 {
		if err := loadVersions(ctx, q, byID, ids); err != nil {
			return nil, err
		}
	}
	out := make([]*dataset.Dataset, len(found))
	for i, d := range found {
		out[i] = dataset.Restore(*d)
	}
	return out, nil
}

func loadVersions(ctx context.Context, q sqlitestore.Querier, byID map[string]*dataset.Snapshot, ids []any) error {
	rows, err := q.QueryContext(ctx, `SELECT dataset_id, number, filename, content_type, size, sha256, blob_key,
		created_by, created_at FROM dataset_versions WHERE dataset_id IN (`+sqlitestore.Placeholders(len(ids))+`)
		ORDER BY dataset_id, number`, ids...)
	if err != nil {
		return sqlitestore.Translate(err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var (
			v         dataset.Version
			createdAt int64
		)
		if err := rows.Scan(&v.DatasetID, &v.Number, &v.File.Filename, &v.File.ContentType, &v.File.Size, &v.File.SHA256,
			&v.File.BlobKey, &v.CreatedBy, &createdAt); err != nil {
			return sqlitestore.Translate(err)
		}
		v.CreatedAt = sqlitestore.Time(createdAt)
		d := byID[v.DatasetID]
		d.Versions = append(d.Versions, v)
	}
	return sqlitestore.Translate(rows.Err())
}

func getDataset(ctx context.Context, q sqlitestore.Querier, id string) (*dataset.Dataset, error) {
	ds, err := queryDatasets(ctx, q, `SELECT `+datasetColumns+` FROM datasets WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, dataset.ErrNotFound
	}
	return ds[0], nil
}

// Get returns a dataset with every version.
func (r *DatasetRepository) Get(ctx context.Context, id string) (*dataset.Dataset, error) {
	return getDataset(ctx, r.db.Reader(ctx), id)
}

// List returns a page of the datasets that match f, newest first, and their number.
func (r *DatasetRepository) List(ctx context.Context, f datasetport.Filter, skip, limit int) ([]*dataset.Dataset, int64, error) {
	q := r.db.Reader(ctx)
	if f.Query != "" {
		if ds, total, ok, err := listFewMatches(ctx, q, f, max(skip, 0), limit); ok || err != nil {
			return ds, total, err
		}
	}
	total, err := countMatching(ctx, q, f)
	if err != nil {
		return nil, 0, err
	}
	if total == 0 || int64(max(skip, 0)) >= total {
		return []*dataset.Dataset{}, total, nil
	}
	from, where, args := listQuery(f)
	if skip > 0 && onlyScoped(f) {
		older, rest, err := skipBuckets(ctx, q, f.Scope, int64(skip))
		if err != nil {
			return nil, 0, err
		}
		if older != nil {
			where, args = where+` AND d.created_at < ?`, append(args, *older)
		}
		skip = int(rest)
	}
	ds, err := queryDatasets(ctx, q, `SELECT `+sqlitestore.Qualified("d", datasetColumns)+` FROM `+from+` WHERE `+where+`
		ORDER BY d.created_at DESC, d.id DESC LIMIT ? OFFSET ?`, append(args, limit, max(skip, 0))...)
	return ds, total, err
}

// fewMatches is how many matches of a search past its page are read
// before the search is counted instead (listFewMatches).
const fewMatches = 1000

// listFewMatches answers a search whose matches are few with one full-text
// query instead of two (a count and a page): it reads every match's place in
// the order, unsorted and at most a bound of them, which gives the total,
// sorts them, and then reads only the page's rows. ok is false when the
// bound is reached: the search is then counted, and the bounded read is all
// it cost.
func listFewMatches(ctx context.Context, q sqlitestore.Querier, f datasetport.Filter, skip, limit int) (
	ds []*dataset.Dataset, total int64, ok bool, err error) {
	if skip > math.MaxInt32 || limit > math.MaxInt32 {
		return nil, 0, false, nil // past any page a client reaches: counted
	}
	bound := skip + limit + fewMatches
	from, where, args := listQuery(f)
	type place struct {
		pk, createdAt int64
		id            string
	}
	var matches []place
	err = sqlitestore.EachRow(ctx, q, `SELECT d.pk, d.created_at, d.id FROM `+from+` WHERE `+where+` LIMIT ?`, append(args, bound),
		func(r sqlitestore.Scanner) (place, error) {
			var m place
			return m, r.Scan(&m.pk, &m.createdAt, &m.id)
		},
		func(m place) error { matches = append(matches, m); return nil })
	if err != nil {
		return nil, 0, false, err
	}
	if len(matches) >= bound {
		return nil, 0, false, nil
	}
	slices.SortFunc(matches, func(a, b place) int { // newest first, as the list
		return cmp.Or(cmp.Compare(b.createdAt, a.createdAt), strings.Compare(b.id, a.id))
	})
	page := matches[min(skip, len(matches)):min(skip+limit, len(matches))]
	if len(page) == 0 {
		return []*dataset.Dataset{}, int64(len(matches)), true, nil
	}
	pks := make([]any, len(page))
	for i, m := range page {
		pks[i] = m.pk
	}
	ds, err = queryDatasets(ctx, q, `SELECT `+sqlitestore.Qualified("d", datasetColumns)+` FROM datasets d
		WHERE d.pk IN (`+sqlitestore.Placeholders(len(pks))+`) ORDER BY d.created_at DESC, d.id DESC`, pks...)
	return ds, int64(len(matches)), err == nil, err
}

// onlyScoped reports whether f is the plain newest-first list of what the
// viewer may see, which the age buckets count.
func onlyScoped(f datasetport.Filter) bool {
	return f.Query == "" && f.Tag == "" && f.CommunityID == "" && f.OwnerID == "" && f.Visibility == ""
}

// skipBuckets finds where the list of what scope sees starts skip datasets
// in, from the counts kept per age bucket (migration 0010): the newest
// buckets that skip passes whole are skipped, and the page is then read from
// the datasets created before the oldest of them (older; nil when skip ends
// in the newest bucket), rest datasets in.
func skipBuckets(ctx context.Context, q sqlitestore.Querier, s datasetport.Scope, skip int64) (older *int64, rest int64, err error) {
	query, args := bucketCounts(s)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var start, n int64
		if err := rows.Scan(&start, &n); err != nil {
			return nil, 0, sqlitestore.Translate(err)
		}
		if n > skip {
			break
		}
		skip -= n
		older = &start
	}
	return older, skip, sqlitestore.Translate(rows.Err())
}

// bucketCounts is the query of how many datasets scope sees in each age
// bucket, newest bucket first. Its three parts never count a dataset twice,
// as in countParts: the open ones, the community-only ones of the viewer's
// communities, and the viewer's own that neither of those counts.
func bucketCounts(s datasetport.Scope) (string, []any) {
	if s.All {
		vs := dataset.Visibilities()
		args := make([]any, len(vs))
		for i, v := range vs {
			args[i] = string(v)
		}
		return `SELECT bucket, sum(n) FROM dataset_age_counts WHERE visibility IN (` + sqlitestore.Placeholders(len(vs)) + `)
			GROUP BY bucket ORDER BY bucket DESC`, args
	}
	parts := []string{`SELECT bucket, n FROM dataset_age_counts WHERE visibility IN ('public', 'restricted')`}
	args := []any{}
	communities := sqlitestore.Args(s.Communities)
	if len(communities) > 0 {
		parts = append(parts, `SELECT bucket, n FROM dataset_age_counts_by_community WHERE community_id IN (`+
			sqlitestore.Placeholders(len(communities))+`)`)
		args = append(args, communities...)
	}
	if s.ViewerID != "" {
		own := `SELECT bucket, n FROM dataset_age_counts_by_owner WHERE owner_id = ?`
		args = append(args, s.ViewerID)
		if len(communities) > 0 {
			own += ` AND (visibility = 'private' OR community_id NOT IN (` + sqlitestore.Placeholders(len(communities)) + `))`
			args = append(args, communities...)
		}
		parts = append(parts, own)
	}
	return `SELECT bucket, sum(n) FROM (` + strings.Join(parts, ` UNION ALL `) + `) GROUP BY bucket ORDER BY bucket DESC`, args
}

// listQuery is what a listing reads for f: FROM (driven by the most
// selective filter, so that the planner, which has no statistics, never
// starts from a large set) and WHERE.
func listQuery(f datasetport.Filter) (from, where string, args []any) {
	conds := []string{}
	switch needle := searchText(f.Query); {
	case needle != "" && utf8.RuneCountInString(needle) >= 3:
		// A phrase of the text's trigrams: the text contains the needle.
		from = `datasets_text t CROSS JOIN datasets d ON d.pk = t.rowid`
		conds, args = append(conds, `t.datasets_text MATCH ?`), append(args, `"`+strings.ReplaceAll(needle, `"`, `""`)+`"`)
	case f.Tag != "":
		from = `dataset_tags g CROSS JOIN datasets d ON d.id = g.dataset_id`
		conds, args = append(conds, `g.tag = ?`), append(args, f.Tag)
	case f.CommunityID != "":
		from = `datasets d INDEXED BY datasets_by_community`
	case f.OwnerID != "":
		from = `datasets d INDEXED BY datasets_by_owner`
	case f.Visibility != "":
		from = `datasets d INDEXED BY datasets_by_visibility`
	default:
		from = `datasets d INDEXED BY datasets_by_age`
	}
	if needle := searchText(f.Query); needle != "" && utf8.RuneCountInString(needle) < 3 {
		// Too short for a trigram: each row is looked at.
		conds, args = append(conds, `(instr(d.search_title, ?) > 0 OR instr(d.search_description, ?) > 0)`), append(args, needle, needle)
	}
	if f.Tag != "" && !strings.HasPrefix(from, "dataset_tags") {
		conds, args = append(conds, `d.id IN (SELECT dataset_id FROM dataset_tags WHERE tag = ?)`), append(args, f.Tag)
	}
	if f.CommunityID != "" {
		conds, args = append(conds, `d.community_id = ?`), append(args, f.CommunityID)
	}
	if f.OwnerID != "" {
		conds, args = append(conds, `d.owner_id = ?`), append(args, f.OwnerID)
	}
	if f.Visibility != "" {
		conds, args = append(conds, `d.visibility = ?`), append(args, string(f.Visibility))
	}
	if scope, scopeArgs := scopeCondition("d", f.Scope); scope != "" {
		conds, args = append(conds, scope), append(args, scopeArgs...)
	}
	if len(conds) == 0 {
		return from, "1", args
	}
	return from, strings.Join(conds, " AND "), args
}

// scopeCondition is the visibility rule on the columns of table t, "" for
// everything (global admins).
func scopeCondition(t string, s datasetport.Scope) (string, []any) {
	if s.All {
		return "", nil
	}
	// Public and restricted datasets are listed to every signed-in user (a
	// restricted one's file needs a grant, which is not the list's concern).
	cond, args := t+`.visibility IN ('public', 'restricted')`, []any{}
	if s.ViewerID != "" {
		cond, args = cond+` OR `+t+`.owner_id = ?`, append(args, s.ViewerID)
	}
	if len(s.Communities) > 0 {
		cond += ` OR (` + t + `.visibility = 'community' AND ` + t + `.community_id IN (` + sqlitestore.Placeholders(len(s.Communities)) + `))`
		args = append(args, sqlitestore.Args(s.Communities)...)
	}
	return "(" + cond + ")", args
}

// countMatching counts the datasets that match f: from the counts kept per
// community and owner when f filters on nothing else, else by counting them.
func countMatching(ctx context.Context, q sqlitestore.Querier, f datasetport.Filter) (int64, error) {
	var total int64
	if f.Query != "" || f.Tag != "" {
		from, where, args := listQuery(f)
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE `+where, args...).Scan(&total)
		return total, sqlitestore.Translate(err)
	}
	for _, part := range countParts(f) {
		var n int64
		if err := q.QueryRowContext(ctx, part.query, part.args...).Scan(&n); err != nil {
			return 0, sqlitestore.Translate(err)
		}
		total += n
	}
	return total, nil
}

type countPart struct {
	query string
	args  []any
}

// countParts are the sums of kept counts whose total is the number of
// datasets that match f (no q, no tag). A dataset is visible to the viewer
// either whoever owns it (public, or of the viewer's communities: counted
// per community) or only because the viewer owns it (counted from the
// viewer's own counts): the two parts never count a dataset twice.
func countParts(f datasetport.Filter) []countPart {
	filters, fargs := []string{}, []any{}
	if f.CommunityID != "" {
		filters, fargs = append(filters, `community_id = ?`), append(fargs, f.CommunityID)
	}
	if f.Visibility != "" {
		filters, fargs = append(filters, `visibility = ?`), append(fargs, string(f.Visibility))
	}
	and := func(conds ...string) string {
		conds = append(conds, filters...)
		if len(conds) == 0 {
			return "1"
		}
		return strings.Join(conds, " AND ")
	}
	anyone, anyoneArgs := scopeCondition("c", datasetport.Scope{All: f.Scope.All, Communities: f.Scope.Communities})
	if f.OwnerID != "" {
		// One owner's datasets: their own counts, in the scope.
		scope, sargs := scopeCondition("c", f.Scope)
		conds := []string{`c.owner_id = ?`}
		if scope != "" {
			conds = append(conds, scope)
		}
		return []countPart{{`SELECT coalesce(sum(n), 0) FROM dataset_counts_by_owner c WHERE ` + and(conds...),
			append(append([]any{f.OwnerID}, sargs...), fargs...)}}
	}
	var parts []countPart
	conds := []string{}
	if anyone != "" {
		conds = append(conds, anyone)
	}
	parts = append(parts, countPart{`SELECT coalesce(sum(n), 0) FROM dataset_counts_by_community c WHERE ` + and(conds...),
		append(append([]any{}, anyoneArgs...), fargs...)})
	if !f.Scope.All && f.Scope.ViewerID != "" {
		own := []string{`c.owner_id = ?`}
		if anyone != "" {
			own = append(own, `NOT `+anyone)
		}
		parts = append(parts, countPart{`SELECT coalesce(sum(n), 0) FROM dataset_counts_by_owner c WHERE ` + and(own...),
			append(append([]any{f.Scope.ViewerID}, anyoneArgs...), fargs...)})
	}
	return parts
}

// Update applies fn to the stored dataset and writes the result, in one
// transaction: concurrent uploads of versions each get their own number.
func (r *DatasetRepository) Update(ctx context.Context, id string, fn func(d *dataset.Dataset) error) (*dataset.Dataset, error) {
	var out *dataset.Dataset
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		cur, err := getDataset(ctx, tx, id)
		if err != nil {
			return err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return err
		}
		next.BumpRevision()
		tags, err := sqlitestore.JSON(next.Tags())
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE datasets SET title = ?, description = ?, community_id = ?, owner_id = ?,
			visibility = ?, license = ?, version = ?, search_title = ?, search_description = ?, created_at = ?,
			updated_at = ?, revision = ?, tags = ? WHERE id = ?`,
			next.Title(), next.Description(), sqlitestore.NullString(next.CommunityID()), next.OwnerID(), string(next.Visibility()),
			next.License(), next.Version(), searchText(next.Title()), searchText(next.Description()),
			sqlitestore.Millis(next.CreatedAt()), sqlitestore.Millis(next.UpdatedAt()), next.Revision(), tags, id); err != nil {
			return sqlitestore.Translate(err)
		}
		if err := writeTags(ctx, tx, id, next.Tags()); err != nil {
			return err
		}
		if err := writeVersions(ctx, tx, cur, next); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, err
}

// writeVersions stores the versions next has beyond cur's; a change to an
// existing version rewrites them all.
func writeVersions(ctx context.Context, tx *sqlitestore.Tx, cur, next *dataset.Dataset) error {
	had, has := cur.Versions(), next.Versions()
	n := len(had)
	if len(has) >= n && sameVersions(had, has[:n]) {
		return insertVersions(ctx, tx, next.ID(), has[n:])
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM dataset_versions WHERE dataset_id = ?`, next.ID()); err != nil {
		return sqlitestore.Translate(err)
	}
	return insertVersions(ctx, tx, next.ID(), has)
}

func sameVersions(a, b []dataset.Version) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// Delete removes a dataset (its tags and versions go with it) and returns it
// as it was, with every version.
func (r *DatasetRepository) Delete(ctx context.Context, id string) (*dataset.Dataset, error) {
	var out *dataset.Dataset
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		d, err := getDataset(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM datasets WHERE id = ?`, id); err != nil {
			return sqlitestore.Translate(err)
		}
		out = d
		return nil
	})
	return out, err
}

// CountInCommunity counts a community's datasets.
func (r *DatasetRepository) CountInCommunity(ctx context.Context, communityID string) (int64, error) {
	var n int64
	err := r.db.Reader(ctx).QueryRowContext(ctx, `SELECT count(*) FROM datasets WHERE community_id = ?`, communityID).Scan(&n)
	return n, sqlitestore.Translate(err)
}
