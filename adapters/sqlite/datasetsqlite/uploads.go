package datasetsqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// UploadRepository stores resumable uploads in "dataset_uploads"; an update
// is a read and a write in one transaction.
type UploadRepository struct{ db *sqlitestore.DB }

var _ datasetport.UploadRepository = (*UploadRepository)(nil)

// NewUploadRepository returns the repository on db.
func NewUploadRepository(db *sqlitestore.DB) *UploadRepository { return &UploadRepository{db: db} }

const uploadColumns = `id, owner_id, dataset_id, new_dataset, filename, declared_type, metadata, size, received,
	stage_key, hash_state, head, created_at, expires_at, lock_holder, locked_until, release_asked, result_dataset,
	result_version, revision`

// newDatasetRecord is the JSON of a new dataset's metadata.
type newDatasetRecord struct {
	Title       *string  `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	CommunityID string   `json:"community_id,omitempty"`
	Visibility  *string  `json:"visibility,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	License     string   `json:"license,omitempty"`
}

func toNewDatasetRecord(n dataset.NewDataset) newDatasetRecord {
	r := newDatasetRecord{Title: n.Title, Description: n.Description, CommunityID: n.CommunityID, Tags: n.Tags, License: n.License}
	if n.Visibility != nil {
		v := string(*n.Visibility)
		r.Visibility = &v
	}
	return r
}

func (r newDatasetRecord) toDomain() dataset.NewDataset {
	n := dataset.NewDataset{Title: r.Title, Description: r.Description, CommunityID: r.CommunityID, Tags: r.Tags, License: r.License}
	if r.Visibility != nil {
		v := dataset.Visibility(*r.Visibility)
		n.Visibility = &v
	}
	return n
}

func uploadValues(u *dataset.Upload) ([]any, error) {
	fields, err := sqlitestore.JSON(toNewDatasetRecord(u.New))
	if err != nil {
		return nil, err
	}
	result, version := sql.NullString{}, 0
	if u.Result != nil {
		result, version = sql.NullString{String: u.Result.DatasetID, Valid: true}, u.Result.Version
	}
	return []any{u.ID, u.OwnerID, u.DatasetID, fields, u.Filename, u.DeclaredType, u.Metadata, u.Size, u.Offset,
		u.StageKey, blob(u.Hash), blob(u.Head), sqlitestore.Millis(u.CreatedAt), sqlitestore.Millis(u.ExpiresAt),
		u.Lock.Holder, sqlitestore.Millis(u.Lock.Until), sqlitestore.Int(u.Lock.ReleaseAsked), result, version,
		u.Revision}, nil
}

// blob stores nil as an empty BLOB (the columns are NOT NULL).
func blob(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func scanUpload(row sqlitestore.Scanner) (*dataset.Upload, error) {
	var (
		u                       dataset.Upload
		fields                  string
		created, expires, until int64
		releaseAsked            int64
		result                  sql.NullString
		version                 int
	)
	if err := row.Scan(&u.ID, &u.OwnerID, &u.DatasetID, &fields, &u.Filename, &u.DeclaredType, &u.Metadata, &u.Size,
		&u.Offset, &u.StageKey, &u.Hash, &u.Head, &created, &expires, &u.Lock.Holder, &until, &releaseAsked, &result,
		&version, &u.Revision); err != nil {
		return nil, err
	}
	var rec newDatasetRecord
	if err := sqlitestore.FromJSON(fields, &rec); err != nil {
		return nil, err
	}
	u.New = rec.toDomain()
	u.CreatedAt, u.ExpiresAt = sqlitestore.Time(created), sqlitestore.Time(expires)
	u.Lock.ReleaseAsked = sqlitestore.Bool(releaseAsked)
	if u.Lock.Holder != "" {
		u.Lock.Until = sqlitestore.Time(until)
	}
	if result.Valid {
		u.Result = &dataset.UploadResult{DatasetID: result.String, Version: version}
	}
	return &u, nil
}

func oneUpload(ctx context.Context, q sqlitestore.Querier, id string) (*dataset.Upload, error) {
	u, err := scanUpload(q.QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM dataset_uploads WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dataset.ErrUploadNotFound
	}
	return u, sqlitestore.Translate(err)
}

// Create stores an upload; a taken id is kernel.ErrConflict.
func (r *UploadRepository) Create(ctx context.Context, u *dataset.Upload) error {
	u.Revision = 1
	values, err := uploadValues(u)
	if err != nil {
		return err
	}
	_, err = r.db.Exec(ctx, `INSERT INTO dataset_uploads (`+uploadColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, values...)
	if sqlitestore.IsUnique(err) {
		return kernel.ErrConflict
	}
	return err
}

// Get returns an upload.
func (r *UploadRepository) Get(ctx context.Context, id string) (*dataset.Upload, error) {
	return oneUpload(ctx, r.db.Reader(ctx), id)
}

// Update applies fn to the stored upload and writes the result in one
// transaction.
func (r *UploadRepository) Update(ctx context.Context, id string, fn func(*dataset.Upload) error) (*dataset.Upload, error) {
	var out *dataset.Upload
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		cur, err := oneUpload(ctx, tx, id)
		if err != nil {
			return err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return err
		}
		next.ID, next.Revision = cur.ID, cur.Revision+1
		values, err := uploadValues(next)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dataset_uploads SET (`+uploadColumns+`) =
			(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`, append(values, id)...); err != nil {
			return sqlitestore.Translate(err)
		}
		out = next
		return nil
	})
	return out, err
}

// Delete removes an upload.
func (r *UploadRepository) Delete(ctx context.Context, id string) error {
	res, err := r.db.Exec(ctx, `DELETE FROM dataset_uploads WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return sqlitestore.Translate(err)
		}
		return dataset.ErrUploadNotFound
	}
	return nil
}

// Expired returns the uploads expired at now, the soonest first.
func (r *UploadRepository) Expired(ctx context.Context, now time.Time, limit int) ([]*dataset.Upload, error) {
	out := []*dataset.Upload{}
	err := sqlitestore.EachRow(ctx, r.db.Reader(ctx), `SELECT `+uploadColumns+` FROM dataset_uploads
		WHERE expires_at <= ? ORDER BY expires_at, id LIMIT ?`, []any{sqlitestore.Millis(now), limit}, scanUpload,
		func(u *dataset.Upload) error { out = append(out, u); return nil })
	return out, err
}
