package accessmem

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

// ModuleRepository keeps modules in a map.
type ModuleRepository struct {
	mu   sync.Mutex
	byID map[string]*access.Module
}

var _ accessport.ModuleRepository = (*ModuleRepository)(nil)

// NewModuleRepository returns an empty repository.
func NewModuleRepository() *ModuleRepository {
	return &ModuleRepository{byID: map[string]*access.Module{}}
}

func cloneModule(m *access.Module) *access.Module {
	c := *m
	c.RoleIDs = slices.Clone(m.RoleIDs)
	if c.RoleIDs == nil {
		c.RoleIDs = []string{}
	}
	return &c
}

func (r *ModuleRepository) byName(name, exceptID string) *access.Module {
	for id, m := range r.byID {
		if id != exceptID && access.NameKey(m.Name) == access.NameKey(name) {
			return m
		}
	}
	return nil
}

// Create stores a module with a unique name.
func (r *ModuleRepository) Create(_ context.Context, m *access.Module) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byName(m.Name, "") != nil {
		return access.ErrModuleExists
	}
	r.byID[m.ID] = cloneModule(m)
	return nil
}

// EnsureByName creates the module unless its name exists.
func (r *ModuleRepository) EnsureByName(_ context.Context, m *access.Module) (*access.Module, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if existing := r.byName(m.Name, ""); existing != nil {
		return cloneModule(existing), nil
	}
	r.byID[m.ID] = cloneModule(m)
	return cloneModule(m), nil
}

// Get returns a module.
func (r *ModuleRepository) Get(_ context.Context, id string) (*access.Module, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.byID[id]
	if !ok {
		return nil, access.ErrModuleNotFound
	}
	return cloneModule(m), nil
}

// List returns a filtered page ordered by id.
func (r *ModuleRepository) List(_ context.Context, f accessport.ModuleFilter, skip, limit int) ([]*access.Module, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var all []*access.Module
	for _, m := range r.byID {
		if f.NameContains != "" && !strings.Contains(access.NameKey(m.Name), access.NameKey(f.NameContains)) {
			continue
		}
		if f.RoleID != "" && !m.HasRole(f.RoleID) {
			continue
		}
		all = append(all, cloneModule(m))
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	total := int64(len(all))
	skip = min(max(skip, 0), len(all))
	all = all[skip:]
	if limit >= 0 && limit < len(all) {
		all = all[:limit]
	}
	if all == nil {
		all = []*access.Module{}
	}
	return all, total, nil
}

func (r *ModuleRepository) change(id string, at time.Time, fn func(m *access.Module) error) (*access.Module, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[id]
	if !ok {
		return nil, access.ErrModuleNotFound
	}
	next := cloneModule(cur)
	if err := fn(next); err != nil {
		return nil, err
	}
	next.UpdatedAt = at
	r.byID[id] = next
	return cloneModule(next), nil
}

// Rename changes the name.
func (r *ModuleRepository) Rename(_ context.Context, id, name string, at time.Time) (*access.Module, error) {
	return r.change(id, at, func(m *access.Module) error {
		if r.byName(name, id) != nil {
			return access.ErrModuleExists
		}
		m.Name = name
		return nil
	})
}

// SetRoles replaces the role list.
func (r *ModuleRepository) SetRoles(_ context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error) {
	return r.change(id, at, func(m *access.Module) error { m.RoleIDs = slices.Clone(roleIDs); return nil })
}

// AddRoles adds roles.
func (r *ModuleRepository) AddRoles(_ context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error) {
	return r.change(id, at, func(m *access.Module) error { m.AddRoles(roleIDs...); return nil })
}

// RemoveRoles removes roles.
func (r *ModuleRepository) RemoveRoles(_ context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error) {
	return r.change(id, at, func(m *access.Module) error { m.RemoveRoles(roleIDs...); return nil })
}

// RemoveRoleFromAll unlists roleID everywhere.
func (r *ModuleRepository) RemoveRoleFromAll(_ context.Context, roleID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, m := range r.byID {
		c := cloneModule(m)
		c.RemoveRoles(roleID)
		r.byID[id] = c
	}
	return nil
}

// Delete removes a module.
func (r *ModuleRepository) Delete(_ context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID[id]; !ok {
		return access.ErrModuleNotFound
	}
	delete(r.byID, id)
	return nil
}
