package accesssqlite

import (
	"context"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

// ModuleRepository stores modules in "modules" and the roles each lists, in
// order, in "module_roles".
type ModuleRepository struct{ db *sqlitestore.DB }

var _ accessport.ModuleRepository = (*ModuleRepository)(nil)

// NewModuleRepository returns the repository on db.
func NewModuleRepository(db *sqlitestore.DB) *ModuleRepository { return &ModuleRepository{db: db} }

const moduleColumns = `id, name, created_at, updated_at`

// Create stores a module; a taken name is access.ErrModuleExists.
func (r *ModuleRepository) Create(ctx context.Context, m *access.Module) error {
	return r.db.Write(ctx, func(tx *sqlitestore.Tx) error { return insertModule(ctx, tx, m) })
}

func insertModule(ctx context.Context, tx *sqlitestore.Tx, m *access.Module) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO modules (id, name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		m.ID, m.Name, access.NameKey(m.Name), sqlitestore.Millis(m.CreatedAt), sqlitestore.Millis(m.UpdatedAt))
	if err != nil {
		return moduleWriteError(err)
	}
	return addRoles(ctx, tx, m.ID, m.RoleIDs)
}

func moduleWriteError(err error) error {
	if sqlitestore.IsUnique(err) {
		return access.ErrModuleExists
	}
	return sqlitestore.Translate(err)
}

// addRoles lists roleIDs after the module's roles, each once.
func addRoles(ctx context.Context, tx *sqlitestore.Tx, moduleID string, roleIDs []string) error {
	for _, role := range roleIDs {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO module_roles (module_id, role_id, position)
			SELECT ?, ?, coalesce(max(position) + 1, 0) FROM module_roles WHERE module_id = ?`, moduleID, role, moduleID); err != nil {
			return sqlitestore.Translate(err)
		}
	}
	return nil
}

// EnsureByName creates the module unless one with its name exists, and
// returns the stored one.
func (r *ModuleRepository) EnsureByName(ctx context.Context, m *access.Module) (*access.Module, error) {
	var out *access.Module
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		existing, err := getModule(ctx, tx, `WHERE name_key = ?`, access.NameKey(m.Name))
		if err == nil {
			out = existing
			return nil
		}
		if !errors.Is(err, access.ErrModuleNotFound) {
			return err
		}
		if err := insertModule(ctx, tx, m); err != nil {
			return err
		}
		out, err = getModule(ctx, tx, `WHERE id = ?`, m.ID)
		return err
	})
	return out, err
}

func getModule(ctx context.Context, q sqlitestore.Querier, where string, arg any) (*access.Module, error) {
	ms, err := queryModules(ctx, q, `SELECT `+moduleColumns+` FROM modules `+where, arg)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, access.ErrModuleNotFound
	}
	return ms[0], nil
}

// queryModules runs a query of moduleColumns and loads each module's roles.
func queryModules(ctx context.Context, q sqlitestore.Querier, query string, args ...any) ([]*access.Module, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	out := []*access.Module{}
	byID := map[string]*access.Module{}
	ids := []any{}
	for rows.Next() {
		var (
			m                    access.Module
			createdAt, updatedAt int64
		)
		if err := rows.Scan(&m.ID, &m.Name, &createdAt, &updatedAt); err != nil {
			_ = rows.Close()
			return nil, sqlitestore.Translate(err)
		}
		m.CreatedAt, m.UpdatedAt, m.RoleIDs = sqlitestore.Time(createdAt), sqlitestore.Time(updatedAt), []string{}
		out = append(out, &m)
		byID[m.ID] = &m
		ids = append(ids, m.ID)
	}
	if err := rows.Close(); err != nil {
		return nil, sqlitestore.Translate(err)
	}
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return out, sqlitestore.Translate(err)
	}
	roles, err := q.QueryContext(ctx, `SELECT module_id, role_id FROM module_roles WHERE module_id IN (`+
		sqlitestore.Placeholders(len(ids))+`) ORDER BY module_id, position`, ids...)
	if err != nil {
		return nil, sqlitestore.Translate(err)
	}
	defer func() { _ = roles.Close() }()
	for roles.Next() {
		var moduleID, roleID string
		if err := roles.Scan(&moduleID, &roleID); err != nil {
			return nil, sqlitestore.Translate(err)
		}
		m := byID[moduleID]
		m.RoleIDs = append(m.RoleIDs, roleID)
	}
	return out, sqlitestore.Translate(roles.Err())
}

// Get returns a module.
func (r *ModuleRepository) Get(ctx context.Context, id string) (*access.Module, error) {
	return getModule(ctx, r.db.Reader(ctx), `WHERE id = ?`, id)
}

// List returns a filtered page of modules ordered by id, and the number that match.
func (r *ModuleRepository) List(ctx context.Context, f accessport.ModuleFilter, skip, limit int) ([]*access.Module, int64, error) {
	where, args := "WHERE 1", []any{}
	if f.NameContains != "" {
		where += ` AND instr(name_key, ?) > 0`
		args = append(args, access.NameKey(f.NameContains))
	}
	if f.RoleID != "" {
		where += ` AND id IN (SELECT module_id FROM module_roles WHERE role_id = ?)`
		args = append(args, f.RoleID)
	}
	var total int64
	if err := r.db.Reader(ctx).QueryRowContext(ctx, `SELECT count(*) FROM modules `+where, args...).Scan(&total); err != nil {
		return nil, 0, sqlitestore.Translate(err)
	}
	ms, err := queryModules(ctx, r.db.Reader(ctx), `SELECT `+moduleColumns+` FROM modules `+where+` ORDER BY id LIMIT ? OFFSET ?`,
		append(args, limit, max(skip, 0))...)
	return ms, total, err
}

// change applies fn to module id within one transaction and stamps updated_at.
func (r *ModuleRepository) change(ctx context.Context, id string, at time.Time, fn func(tx *sqlitestore.Tx) error) (*access.Module, error) {
	var out *access.Module
	err := r.db.Write(ctx, func(tx *sqlitestore.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE modules SET updated_at = ? WHERE id = ?`, sqlitestore.Millis(at), id)
		if err != nil {
			return sqlitestore.Translate(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return access.ErrModuleNotFound
		}
		if err := fn(tx); err != nil {
			return err
		}
		out, err = getModule(ctx, tx, `WHERE id = ?`, id)
		return err
	})
	return out, err
}

// Rename changes the name; a taken one is access.ErrModuleExists.
func (r *ModuleRepository) Rename(ctx context.Context, id, name string, at time.Time) (*access.Module, error) {
	return r.change(ctx, id, at, func(tx *sqlitestore.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE modules SET name = ?, name_key = ? WHERE id = ?`, name, access.NameKey(name), id)
		return moduleWriteError(err)
	})
}

// SetRoles replaces the role list.
func (r *ModuleRepository) SetRoles(ctx context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error) {
	return r.change(ctx, id, at, func(tx *sqlitestore.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM module_roles WHERE module_id = ?`, id); err != nil {
			return sqlitestore.Translate(err)
		}
		return addRoles(ctx, tx, id, roleIDs)
	})
}

// AddRoles lists more roles, each once, after the others.
func (r *ModuleRepository) AddRoles(ctx context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error) {
	return r.change(ctx, id, at, func(tx *sqlitestore.Tx) error { return addRoles(ctx, tx, id, roleIDs) })
}

// RemoveRoles unlists roles.
func (r *ModuleRepository) RemoveRoles(ctx context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error) {
	return r.change(ctx, id, at, func(tx *sqlitestore.Tx) error {
		if len(roleIDs) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM module_roles WHERE module_id = ? AND role_id IN (`+
			sqlitestore.Placeholders(len(roleIDs))+`)`, append([]any{id}, sqlitestore.Args(roleIDs)...)...)
		return sqlitestore.Translate(err)
	})
}

// RemoveRoleFromAll unlists roleID from every module.
func (r *ModuleRepository) RemoveRoleFromAll(ctx context.Context, roleID string) error {
	_, err := r.db.Exec(ctx, `DELETE FROM module_roles WHERE role_id = ?`, roleID)
	return err
}

// Delete removes a module.
func (r *ModuleRepository) Delete(ctx context.Context, id string) error {
	res, err := r.db.Exec(ctx, `DELETE FROM modules WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return access.ErrModuleNotFound
	}
	return nil
}
