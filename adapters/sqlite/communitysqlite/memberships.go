package communitysqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/communityport"
)

// MembershipRepository stores memberships in "memberships", keyed by
// (community, user).
type MembershipRepository struct{ db *sqlitestore.DB }

var _ communityport.MembershipRepository = (*MembershipRepository)(nil)

// NewMembershipRepository returns the repository on db.
func NewMembershipRepository(db *sqlitestore.DB) *MembershipRepository {
	return &MembershipRepository{db: db}
}

const membershipColumns = `community_id, user_id, role, added_at`

// Add stores a membership; a second one of the pair is community.ErrAlreadyMember.
func (r *MembershipRepository) Add(ctx context.Context, m *community.Membership) error {
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertMembership(ctx, tx, m) })
}

func insertMembership(ctx context.Context, tx *sqlitestore.Tx, m *community.Membership) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO memberships (`+membershipColumns+`) VALUES (?, ?, ?, ?)`,
		m.CommunityID, m.UserID, string(m.Role), sqlitestore.Millis(m.AddedAt))
	if sqlitestore.IsUnique(err) {
		return community.ErrAlreadyMember
	}
	return sqlitestore.Translate(err)
}

func scanMembership(row sqlitestore.Scanner) (*community.Membership, error) {
	var (
		m       community.Membership
		role    string
		addedAt int64
	)
	if err := row.Scan(&m.CommunityID, &m.UserID, &role, &addedAt); err != nil {
		return nil, err
	}
	m.Role, m.AddedAt = community.Role(role), sqlitestore.Time(addedAt)
	return &m, nil
}

// Get returns one membership.
func (r *MembershipRepository) Get(ctx context.Context, communityID, userID string) (*community.Membership, error) {
	m, err := scanMembership(r.db.Reader(ctx).QueryRowContext(ctx, `SELECT `+membershipColumns+` FROM memberships
		WHERE community_id = ? AND user_id = ?`, communityID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, community.ErrNotMember
	}
	return m, sqlitestore.Translate(err)
}

// Remove deletes one membership.
func (r *MembershipRepository) Remove(ctx context.Context, communityID, userID string) error {
	res, err := r.db.Exec(ctx, `DELETE FROM memberships WHERE community_id = ? AND user_id = ?`, communityID, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return community.ErrNotMember
	}
	return nil
}

// ListByCommunity returns a page of a community's memberships, oldest first.
func (r *MembershipRepository) ListByCommunity(ctx context.Context, communityID string, skip, limit int) ([]*community.Membership, int64, error) {
	return r.list(ctx, `community_id = ?`, `added_at, user_id`, communityID, skip, limit)
}

// ListByUser returns a page of a user's memberships, oldest first.
func (r *MembershipRepository) ListByUser(ctx context.Context, userID string, skip, limit int) ([]*community.Membership, int64, error) {
	return r.list(ctx, `user_id = ?`, `added_at, community_id`, userID, skip, limit)
}

// list is a page of the memberships where the condition on arg holds, in
// order, oldest first (ties in the order of their key, as their index has them).
func (r *MembershipRepository) list(ctx context.Context, where, order, arg string, skip, limit int) ([]*community.Membership, int64, error) {
	var total int64
	if err := r.db.Reader(ctx).QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE `+where, arg).Scan(&total); err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	rows, err := r.db.Reader(ctx).QueryContext(ctx, `SELECT `+membershipColumns+` FROM memberships WHERE `+where+`
		ORDER BY `+order+` LIMIT ? OFFSET ?`, arg, limit, max(skip, 0))
	if err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	defer func() { _ = rows.Close() }()
	out := []*community.Membership{}
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, 0, sqlitestore.Translate(err)
		}
		out = append(out, m)
	}
	return out, total, sqlitestore.Translate(rows.Err())
}

// Count returns the number of members of each community that has any.
func (r *MembershipRepository) Count(ctx context.Context, communityIDs []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(communityIDs) == 0 {
		return out, nil
	}
	rows, err := r.db.Reader(ctx).QueryContext(ctx, `SELECT community_id, count(*) FROM memberships WHERE community_id IN (`+
		sqlitestore.Placeholders(len(communityIDs))+`) GROUP BY community_id`, sqlitestore.Args(communityIDs)...)
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, sqlitestore.Translate(err)
		}
		out[id] = n
	}
	return out, sqlitestore.Translate(rows.Err())
}

// RemoveAllInCommunity deletes every membership of a community.
func (r *MembershipRepository) RemoveAllInCommunity(ctx context.Context, communityID string) error {
	_, err := r.db.Exec(ctx, `DELETE FROM memberships WHERE community_id = ?`, communityID)
	return err
}
