// Package accesssqlite implements the access repositories on the embedded
// SQLite store.
package accesssqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

// RoleRepository stores roles in "roles"; the unique name key keeps names
// unique ignoring case.
type RoleRepository struct{ db *sqlitestore.DB }

var _ accessport.RoleRepository = (*RoleRepository)(nil)

// NewRoleRepository returns the repository on db.
func NewRoleRepository(db *sqlitestore.DB) *RoleRepository { return &RoleRepository{db: db} }

const roleColumns = `id, name, self_assignable, created_at, updated_at`

func scanRole(row sqlitestore.Scanner) (*access.Role, error) {
	var (
		r                    access.Role
		self                 int64
		createdAt, updatedAt int64
	)
	if err := row.Scan(&r.ID, &r.Name, &self, &createdAt, &updatedAt); err != nil {
		return nil, err
	}
	r.SelfAssignable, r.CreatedAt, r.UpdatedAt = sqlitestore.Bool(self), sqlitestore.Time(createdAt), sqlitestore.Time(updatedAt)
	return &r, nil
}

// Create stores a role; a taken name is access.ErrRoleExists.
func (r *RoleRepository) Create(ctx context.Context, role *access.Role) error {
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertRole(ctx, tx, role) })
}

func insertRole(ctx context.Context, tx *sqlitestore.Tx, role *access.Role) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO roles (id, name, name_key, self_assignable, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, role.ID, role.Name, access.NameKey(role.Name), sqlitestore.Int(role.SelfAssignable),
		sqlitestore.Millis(role.CreatedAt), sqlitestore.Millis(role.UpdatedAt))
	return roleWriteError(err)
}

func roleWriteError(err error) error {
	if sqlitestore.IsUnique(err) {
		// The id is the application's fresh one: a clash is the name's.
		return access.ErrRoleExists
	}
	return sqlitestore.Translate(err)
}

// EnsureByName creates the role unless one with its name exists, and returns
// the stored one (one transaction: several processes seeding at once create one).
func (r *RoleRepository) EnsureByName(ctx context.Context, role *access.Role) (*access.Role, error) {
	var out *access.Role
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		existing, err := getRole(ctx, tx, `WHERE name_key = ?`, access.NameKey(role.Name))
		if err == nil {
			out = existing
			return nil
		}
		if !errors.Is(err, access.ErrRoleNotFound) {
			return err
		}
		if err := insertRole(ctx, tx, role); err != nil {
			return err
		}
		c := *role
		out = &c
		return nil
	})
	return out, err
}

func getRole(ctx context.Context, q sqlitestore.Querier, where string, arg any) (*access.Role, error) {
	role, err := scanRole(q.QueryRowContext(ctx, `SELECT `+roleColumns+` FROM roles `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, access.ErrRoleNotFound
	}
	return role, sqlitestore.Translate(err)
}

// Get returns a role by id.
func (r *RoleRepository) Get(ctx context.Context, id string) (*access.Role, error) {
	return getRole(ctx, r.db.Reader(ctx), `WHERE id = ?`, id)
}

// GetByName returns a role by name, ignoring case.
func (r *RoleRepository) GetByName(ctx context.Context, name string) (*access.Role, error) {
	return getRole(ctx, r.db.Reader(ctx), `WHERE name_key = ?`, access.NameKey(name))
}

// List returns every role ordered by id.
func (r *RoleRepository) List(ctx context.Context) ([]*access.Role, error) {
	rows, err := r.db.Reader(ctx).QueryContext(ctx, `SELECT `+roleColumns+` FROM roles ORDER BY id`)
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	defer func() { _ = rows.Close() }()
	var out []*access.Role
	for rows.Next() {
		role, err := scanRole(rows)
		if err != nil {
			return nil, sqlitestore.Translate(err)
		}
		out = append(out, role)
	}
	return out, sqlitestore.Translate(rows.Err())
}

// Update applies fn to the stored role and writes it, in one transaction.
func (r *RoleRepository) Update(ctx context.Context, id string, fn func(r *access.Role) error) (*access.Role, error) {
	var out *access.Role
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		role, err := getRole(ctx, tx, `WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if err := fn(role); err != nil {
			return err
		}
		role.ID = id
		if _, err := tx.ExecContext(ctx, `UPDATE roles SET name = ?, name_key = ?, self_assignable = ?, created_at = ?,
			updated_at = ? WHERE id = ?`, role.Name, access.NameKey(role.Name), sqlitestore.Int(role.SelfAssignable),
			sqlitestore.Millis(role.CreatedAt), sqlitestore.Millis(role.UpdatedAt), id); err != nil {
			return roleWriteError(err)
		}
		out = role
		return nil
	})
	return out, err
}

// Delete removes a role.
func (r *RoleRepository) Delete(ctx context.Context, id string) error {
	res, err := r.db.Exec(ctx, `DELETE FROM roles WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return access.ErrRoleNotFound
	}
	return nil
}
