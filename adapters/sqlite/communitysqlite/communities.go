// Package communitysqlite implements the community repositories on the
// embedded SQLite store.
package communitysqlite

import (
	"context"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// CommunityRepository stores communities in "communities" and their
// administrators, in order, in "community_admins"; the unique name key keeps
// names unique ignoring case.
type CommunityRepository struct{ db *sqlitestore.DB }

var _ communityport.CommunityRepository = (*CommunityRepository)(nil)

// NewCommunityRepository returns the repository on db.
func NewCommunityRepository(db *sqlitestore.DB) *CommunityRepository {
	return &CommunityRepository{db: db}
}

const communityColumns = `id, name, description, created_by, logo_key, logo_content_type, logo_etag, created_at,
	updated_at, version`

// Create stores a community; a taken name is community.ErrNameTaken.
func (r *CommunityRepository) Create(ctx context.Context, c *community.Community) error {
	c.BumpRevision()
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertCommunity(ctx, tx, c) })
}

func insertCommunity(ctx context.Context, tx *sqlitestore.Tx, c *community.Community) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO communities (id, name, name_key, description, created_by, logo_key,
		logo_content_type, logo_etag, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID(), c.Name(), community.NameKey(c.Name()), c.Description(), c.CreatedBy(), c.LogoKey(), c.LogoContentType(), c.LogoETag(),
		sqlitestore.Millis(c.CreatedAt()), sqlitestore.Millis(c.UpdatedAt()), c.Revision())
	if err != nil {
		return communityWriteError(ctx, tx, err, c.ID())
	}
	return writeAdmins(ctx, tx, c.ID(), c.AdminIDs())
}

// communityWriteError tells a taken name from a taken id.
func communityWriteError(ctx context.Context, tx *sqlitestore.Tx, err error, id string) error {
	if !sqlitestore.IsUnique(err) {
		return sqlitestore.Translate(err)
	}
	var n int
	if qerr := tx.QueryRowContext(ctx, `SELECT count(*) FROM communities WHERE id = ?`, id).Scan(&n); qerr != nil {
		return sqlitestore.Translate(qerr)
	}
	if n > 0 {
		return kernel.ErrConflict
	}
	return community.ErrNameTaken
}

func writeAdmins(ctx context.Context, tx *sqlitestore.Tx, communityID string, adminIDs []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM community_admins WHERE community_id = ?`, communityID); err != nil {
		return sqlitestore.Translate(err)
	}
	for i, id := range adminIDs {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO community_admins (community_id, user_id, position)
			VALUES (?, ?, ?)`, communityID, id, i); err != nil {
			return sqlitestore.Translate(err)
		}
	}
	return nil
}

// queryCommunities runs a query of communityColumns and loads the
// administrators of what it found.
func queryCommunities(ctx context.Context, q sqlitestore.Querier, query string, args ...any) ([]*community.Community, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	var found []*community.Snapshot
	byID := map[string]*community.Snapshot{}
	var ids []any
	for rows.Next() {
		var (
			c                    community.Snapshot
			createdAt, updatedAt int64
		)
		if err := rows.Scan(&c.ID, &c.Name, &c.Description, &c.CreatedBy, &c.LogoKey, &c.LogoContentType, &c.LogoETag,
			&createdAt, &updatedAt, &c.Revision); err != nil {
			_ = rows.Close()
			return nil, sqlitestore.Translate(err)
		}
		c.CreatedAt, c.UpdatedAt = sqlitestore.Time(createdAt), sqlitestore.Time(updatedAt)
		found = append(found, &c)
		byID[c.ID] = &c
		ids = append(ids, c.ID)
	}
	if err := rows.Close(); err != nil {
		return nil, sqlitestore.Translate(err)
	}
	if err := rows.Err(); err != nil {
		return nil, sqlitestore.Translate(err)
	}
	if len(ids) > 0 {
		if err := loadAdmins(ctx, q, byID, ids); err != nil {
			return nil, err
		}
	}
	out := make([]*community.Community, len(found))
	for i, c := range found {
		out[i] = community.Restore(*c)
	}
	return out, nil
}

// loadAdmins adds the administrators of the communities of ids, in order.
func loadAdmins(ctx context.Context, q sqlitestore.Querier, byID map[string]*community.Snapshot, ids []any) error {
	admins, err := q.QueryContext(ctx, `SELECT community_id, user_id FROM community_admins WHERE community_id IN (`+
		sqlitestore.Placeholders(len(ids))+`) ORDER BY community_id, position`, ids...)
	if err != nil {
		return sqlitestore.Translate(err)
	}
	defer func() { _ = admins.Close() }()
	for admins.Next() {
		var communityID, userID string
		if err := admins.Scan(&communityID, &userID); err != nil {
			return sqlitestore.Translate(err)
		}
		c := byID[communityID]
		c.AdminIDs = append(c.AdminIDs, userID)
	}
	return sqlitestore.Translate(admins.Err())
}

func getCommunity(ctx context.Context, q sqlitestore.Querier, id string) (*community.Community, error) {
	cs, err := queryCommunities(ctx, q, `SELECT `+communityColumns+` FROM communities WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, community.ErrCommunityNotFound
	}
	return cs[0], nil
}

// Get returns a community by id.
func (r *CommunityRepository) Get(ctx context.Context, id string) (*community.Community, error) {
	return getCommunity(ctx, r.db.Reader(ctx), id)
}

// GetMany returns the communities that exist among ids, in their order.
func (r *CommunityRepository) GetMany(ctx context.Context, ids []string) ([]*community.Community, error) {
	if len(ids) == 0 {
		return []*community.Community{}, nil
	}
	found, err := queryCommunities(ctx, r.db.Reader(ctx), `SELECT `+communityColumns+` FROM communities WHERE id IN (`+
		sqlitestore.Placeholders(len(ids))+`)`, sqlitestore.Args(ids)...)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*community.Community, len(found))
	for _, c := range found {
		byID[c.ID()] = c
	}
	out := make([]*community.Community, 0, len(found))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
			delete(byID, id) // an id given twice is returned once
		}
	}
	return out, nil
}

// List returns a page of communities, oldest first, and the number that match.
func (r *CommunityRepository) List(ctx context.Context, f communityport.ListFilter, skip, limit int) ([]*community.Community, int64, error) {
	where, args := "", []any{}
	if f.NameContains != "" {
		where, args = `WHERE instr(name_key, ?) > 0`, append(args, community.NameKey(f.NameContains))
	}
	var total int64
	if err := r.db.Reader(ctx).QueryRowContext(ctx, `SELECT count(*) FROM communities `+where, args...).Scan(&total); err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	cs, err := queryCommunities(ctx, r.db.Reader(ctx), `SELECT `+communityColumns+` FROM communities `+where+`
		ORDER BY created_at, id LIMIT ? OFFSET ?`, append(args, limit, max(skip, 0))...)
	return cs, total, err
}

// Update applies fn to the stored community and writes the result, in one
// transaction: two administrators leaving at once leave one.
func (r *CommunityRepository) Update(ctx context.Context, id string, fn func(c *community.Community) error) (*community.Community, error) {
	var out *community.Community
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		cur, err := getCommunity(ctx, tx, id)
		if err != nil {
			return err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return err
		}
		next.BumpRevision()
		if _, err := tx.ExecContext(ctx, `UPDATE communities SET name = ?, name_key = ?, description = ?, created_by = ?,
			logo_key = ?, logo_content_type = ?, logo_etag = ?, created_at = ?, updated_at = ?, version = ? WHERE id = ?`,
			next.Name(), community.NameKey(next.Name()), next.Description(), next.CreatedBy(), next.LogoKey(), next.LogoContentType(),
			next.LogoETag(), sqlitestore.Millis(next.CreatedAt()), sqlitestore.Millis(next.UpdatedAt()), next.Revision(), id); err != nil {
			return communityWriteError(ctx, tx, err, "")
		}
		if err := writeAdmins(ctx, tx, id, next.AdminIDs()); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, err
}

// Delete removes a community and returns it as it was.
func (r *CommunityRepository) Delete(ctx context.Context, id string) (*community.Community, error) {
	var out *community.Community
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		c, err := getCommunity(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM communities WHERE id = ?`, id); err != nil {
			return sqlitestore.Translate(err)
		}
		out = c
		return nil
	})
	return out, err
}
