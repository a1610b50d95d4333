// Package accessmem implements the access repositories in memory.
package accessmem

import (
	"context"
	"sort"
	"sync"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

// RoleRepository keeps roles in a map.
type RoleRepository struct {
	mu   sync.Mutex
	byID map[string]access.Role
}

var _ accessport.RoleRepository = (*RoleRepository)(nil)

// NewRoleRepository returns an empty repository.
func NewRoleRepository() *RoleRepository { return &RoleRepository{byID: map[string]access.Role{}} }

func (r *RoleRepository) nameTaken(name, exceptID string) bool {
	for id, x := range r.byID {
		if id != exceptID && access.NameKey(x.Name) == access.NameKey(name) {
			return true
		}
	}
	return false
}

// Create stores a role with a unique name.
func (r *RoleRepository) Create(_ context.Context, role *access.Role) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.nameTaken(role.Name, "") {
		return access.ErrRoleExists
	}
	r.byID[role.ID] = *role
	return nil
}

// EnsureByName creates the role unless its name exists.
func (r *RoleRepository) EnsureByName(_ context.Context, role *access.Role) (*access.Role, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range r.byID {
		if access.NameKey(x.Name) == access.NameKey(role.Name) {
			return &x, nil
		}
	}
	r.byID[role.ID] = *role
	c := *role
	return &c, nil
}

// Get returns a role by id.
func (r *RoleRepository) Get(_ context.Context, id string) (*access.Role, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	x, ok := r.byID[id]
	if !ok {
		return nil, access.ErrRoleNotFound
	}
	return &x, nil
}

// GetByName returns a role by case-insensitive name.
func (r *RoleRepository) GetByName(_ context.Context, name string) (*access.Role, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range r.byID {
		if access.NameKey(x.Name) == access.NameKey(name) {
			return &x, nil
		}
	}
	return nil, access.ErrRoleNotFound
}

// List returns every role ordered by id.
func (r *RoleRepository) List(_ context.Context) ([]*access.Role, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*access.Role, 0, len(r.byID))
	for _, x := range r.byID {
		out = append(out, &x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Update applies fn atomically.
func (r *RoleRepository) Update(_ context.Context, id string, fn func(*access.Role) error) (*access.Role, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	x, ok := r.byID[id]
	if !ok {
		return nil, access.ErrRoleNotFound
	}
	if err := fn(&x); err != nil {
		return nil, err
	}
	if r.nameTaken(x.Name, id) {
		return nil, access.ErrRoleExists
	}
	x.ID = id
	r.byID[id] = x
	return &x, nil
}

// Delete removes a role.
func (r *RoleRepository) Delete(_ context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID[id]; !ok {
		return access.ErrRoleNotFound
	}
	delete(r.byID, id)
	return nil
}
