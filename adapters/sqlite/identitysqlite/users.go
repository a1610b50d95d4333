// Package identitysqlite implements the identity repositories on the embedded
// SQLite store.
package identitysqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// UserRepository stores users in "users" and their roles, in order, in
// "user_roles". The unique index on email keeps addresses unique.
type UserRepository struct{ db *sqlitestore.DB }

var _ identityport.UserRepository = (*UserRepository)(nil)

// NewUserRepository returns the repository on db.
func NewUserRepository(db *sqlitestore.DB) *UserRepository { return &UserRepository{db: db} }

const userColumns = `id, name, email, active, password_hash, email_verified, last_login, failed_login_attempts,
	locked_until, created_at, updated_at, version`

// scanUser reads one row of userColumns; the roles are read apart.
func scanUser(row sqlitestore.Scanner) (*identity.UserSnapshot, error) {
	var (
		u                          identity.UserSnapshot
		active, verified           int64
		lastLogin, lockedUntil     sql.NullInt64
		createdAt, updatedAt       int64
		failedAttempts, versionRaw int64
	)
	if err := row.Scan(&u.ID, &u.Name, &u.Email, &active, &u.PasswordHash, &verified, &lastLogin, &failedAttempts,
		&lockedUntil, &createdAt, &updatedAt, &versionRaw); err != nil {
		return nil, err
	}
	u.Active = sqlitestore.Bool(active)
	u.Auth = identity.AuthState{
		EmailVerified: sqlitestore.Bool(verified), LastLogin: sqlitestore.TimePtr(lastLogin),
		FailedLoginAttempts: int(failedAttempts), LockedUntil: sqlitestore.TimePtr(lockedUntil),
	}
	u.CreatedAt, u.UpdatedAt, u.Revision = sqlitestore.Time(createdAt), sqlitestore.Time(updatedAt), versionRaw
	return &u, nil
}

// Create inserts a new user; a taken email is identity.ErrEmailTaken, a taken
// id a conflict.
func (r *UserRepository) Create(ctx context.Context, u *identity.User) error {
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		u.BumpRevision()
		return insertUser(ctx, tx, u)
	})
}

// insertUser writes u as it is (its version included): Create and the import
// of a store export.
func insertUser(ctx context.Context, tx *sqlitestore.Tx, u *identity.User) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID(), u.Name(), u.Email(), sqlitestore.Int(u.Active()), u.PasswordHash(), sqlitestore.Int(u.Auth().EmailVerified),
		sqlitestore.NullMillis(u.Auth().LastLogin), u.Auth().FailedLoginAttempts, sqlitestore.NullMillis(u.Auth().LockedUntil),
		sqlitestore.Millis(u.CreatedAt()), sqlitestore.Millis(u.UpdatedAt()), u.Revision())
	if err != nil {
		return translateUserWrite(ctx, tx, err, u.Email(), u.ID())
	}
	return writeRoles(ctx, tx, u.ID(), u.RoleIDs())
}

// translateUserWrite tells a taken email from a taken id.
func translateUserWrite(ctx context.Context, q sqlitestore.Querier, err error, email, id string) error {
	if !sqlitestore.IsUnique(err) {
		return sqlitestore.Translate(err)
	}
	var owner string
	switch qerr := q.QueryRowContext(ctx, `SELECT id FROM users WHERE email = ?`, email).Scan(&owner); {
	case qerr == nil && owner != id:
		return identity.ErrEmailTaken
	case qerr != nil && !errors.Is(qerr, sql.ErrNoRows):
		return sqlitestore.Translate(qerr)
	}
	return kernel.ErrConflict
}

// writeRoles replaces a user's roles with roleIDs, in that order.
func writeRoles(ctx context.Context, tx *sqlitestore.Tx, userID string, roleIDs []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, userID); err != nil {
		return sqlitestore.Translate(err)
	}
	for i, role := range roleIDs {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO user_roles (user_id, role_id, position) VALUES (?, ?, ?)`,
			userID, role, i); err != nil {
			return sqlitestore.Translate(err)
		}
	}
	return nil
}

// Get returns a user by id.
func (r *UserRepository) Get(ctx context.Context, id string) (*identity.User, error) {
	return getUser(ctx, r.db.Reader(ctx), `WHERE id = ?`, id)
}

// GetByEmail returns a user by (lower-cased) email.
func (r *UserRepository) GetByEmail(ctx context.Context, email string) (*identity.User, error) {
	return getUser(ctx, r.db.Reader(ctx), `WHERE email = ?`, email)
}

func getUser(ctx context.Context, q sqlitestore.Querier, where string, arg any) (*identity.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, identity.ErrUserNotFound
	}
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	if err := loadRoles(ctx, q, []*identity.UserSnapshot{u}); err != nil {
		return nil, err
	}
	return identity.RestoreUser(*u), nil
}

// loadRoles fills in the roles of users, one query for all of them.
func loadRoles(ctx context.Context, q sqlitestore.Querier, users []*identity.UserSnapshot) error {
	if len(users) == 0 {
		return nil
	}
	byID := make(map[string]*identity.UserSnapshot, len(users))
	ids := make([]any, 0, len(users))
	for _, u := range users {
		byID[u.ID] = u
		ids = append(ids, u.ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT user_id, role_id FROM user_roles WHERE user_id IN (`+
		sqlitestore.Placeholders(len(ids))+`) ORDER BY user_id, position`, ids...)
	if err != nil {
		return sqlitestore.Translate(err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var userID, roleID string
		if err := rows.Scan(&userID, &roleID); err != nil {
			return sqlitestore.Translate(err)
		}
		u := byID[userID]
		u.RoleIDs = append(u.RoleIDs, roleID)
	}
	return sqlitestore.Translate(rows.Err())
}

// queryUsers runs a query of userColumns and loads the roles of what it found.
func queryUsers(ctx context.Context, q sqlitestore.Querier, query string, args ...any) ([]*identity.User, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	var found []*identity.UserSnapshot
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			_ = rows.Close()
			return nil, sqlitestore.Translate(err)
		}
		found = append(found, u)
	}
	if err := rows.Close(); err != nil {
		return nil, sqlitestore.Translate(err)
	}
	if err := rows.Err(); err != nil {
		return nil, sqlitestore.Translate(err)
	}
	if err := loadRoles(ctx, q, found); err != nil {
		return nil, err
	}
	var out []*identity.User
	for _, u := range found {
		out = append(out, identity.RestoreUser(*u))
	}
	return out, nil
}

// List returns users ordered by id, and their number.
func (r *UserRepository) List(ctx context.Context, skip, limit int) ([]*identity.User, int64, error) {
	var total int64
	if err := r.db.Reader(ctx).QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&total); err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	users, err := queryUsers(ctx, r.db.Reader(ctx), `SELECT `+userColumns+` FROM users ORDER BY id LIMIT ? OFFSET ?`,
		limit, max(skip, 0))
	return users, total, err
}

// Update applies fn to the stored user and writes the result, in one
// transaction: concurrent updates (of any process) apply one after the other.
func (r *UserRepository) Update(ctx context.Context, id string, fn func(u *identity.User) error) (*identity.User, error) {
	return r.update(ctx, id, "", fn)
}

// UpdateKeepingAdmin is Update refusing to end the last administration; the
// write transaction, one at a time on the file, makes the check and the write
// one step.
func (r *UserRepository) UpdateKeepingAdmin(ctx context.Context, id, adminRoleID string, fn func(u *identity.User) error) (*identity.User, error) {
	return r.update(ctx, id, adminRoleID, fn)
}

func (r *UserRepository) update(ctx context.Context, id, adminRoleID string, fn func(u *identity.User) error) (*identity.User, error) {
	var out *identity.User
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		cur, err := getUser(ctx, tx, `WHERE id = ?`, id)
		if err != nil {
			return err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return err
		}
		if adminRoleID != "" && identity.StopsAdministering(cur, next, adminRoleID) {
			if err := anotherAdmin(ctx, tx, id, adminRoleID); err != nil {
				return err
			}
		}
		next.BumpRevision()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, email = ?, active = ?, password_hash = ?,
			email_verified = ?, last_login = ?, failed_login_attempts = ?, locked_until = ?, created_at = ?,
			updated_at = ?, version = ? WHERE id = ?`,
			next.Name(), next.Email(), sqlitestore.Int(next.Active()), next.PasswordHash(), sqlitestore.Int(next.Auth().EmailVerified),
			sqlitestore.NullMillis(next.Auth().LastLogin), next.Auth().FailedLoginAttempts,
			sqlitestore.NullMillis(next.Auth().LockedUntil), sqlitestore.Millis(next.CreatedAt()),
			sqlitestore.Millis(next.UpdatedAt()), next.Revision(), id); err != nil {
			return translateUserWrite(ctx, tx, err, next.Email(), id)
		}
		if !sameRoles(cur.RoleIDs(), next.RoleIDs()) {
			if err := writeRoles(ctx, tx, id, next.RoleIDs()); err != nil {
				return err
			}
		}
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func sameRoles(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Delete removes a user (their roles go with them).
func (r *UserRepository) Delete(ctx context.Context, id string) error {
	res, err := r.db.Exec(ctx, `DELETE FROM users WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return identity.ErrUserNotFound
	}
	return nil
}

// DeleteKeepingAdmin is Delete refusing to remove the last administrator.
func (r *UserRepository) DeleteKeepingAdmin(ctx context.Context, id, adminRoleID string) error {
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		cur, err := getUser(ctx, tx, `WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if identity.StopsAdministering(cur, nil, adminRoleID) {
			if err := anotherAdmin(ctx, tx, id, adminRoleID); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
		return sqlitestore.Translate(err)
	})
}

// anotherAdmin fails with identity.ErrLastAdmin unless an active user other
// than id holds adminRoleID.
func anotherAdmin(ctx context.Context, tx *sqlitestore.Tx, id, adminRoleID string) error {
	var found bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM user_roles ur JOIN users u ON u.id = ur.user_id
		WHERE ur.role_id = ? AND ur.user_id <> ? AND u.active = 1)`, adminRoleID, id).Scan(&found)
	if err != nil {
		return sqlitestore.Translate(err)
	}
	if !found {
		return identity.ErrLastAdmin
	}
	return nil
}

// RemoveRoleFromAll takes roleID from every user.
func (r *UserRepository) RemoveRoleFromAll(ctx context.Context, roleID string) error {
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET version = version + 1
			WHERE id IN (SELECT user_id FROM user_roles WHERE role_id = ?)`, roleID); err != nil {
			return sqlitestore.Translate(err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE role_id = ?`, roleID)
		return sqlitestore.Translate(err)
	})
}

// CountWithRole counts the holders of roleID.
func (r *UserRepository) CountWithRole(ctx context.Context, roleID string) (int64, error) {
	var n int64
	err := r.db.Reader(ctx).QueryRowContext(ctx, `SELECT count(*) FROM user_roles WHERE role_id = ?`, roleID).Scan(&n)
	return n, sqlitestore.Translate(err)
}

// ListWithRole lists the holders of roleID, ordered by id.
func (r *UserRepository) ListWithRole(ctx context.Context, roleID string) ([]*identity.User, error) {
	return queryUsers(ctx, r.db.Reader(ctx), `SELECT `+sqlitestore.Qualified("u", userColumns)+` FROM user_roles ur
		JOIN users u ON u.id = ur.user_id WHERE ur.role_id = ? ORDER BY ur.user_id`, roleID)
}
