// Package identitymem implements the identity repositories in memory, for tests
// and for anyone swapping adapters.
package identitymem

import (
	"context"
	"slices"
	"sort"
	"sync"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// UserRepository keeps users in a map.
type UserRepository struct {
	mu      sync.Mutex
	byID    map[string]*identity.User
	byEmail map[string]string
}

var _ identityport.UserRepository = (*UserRepository)(nil)

// NewUserRepository returns an empty repository.
func NewUserRepository() *UserRepository {
	return &UserRepository{byID: map[string]*identity.User{}, byEmail: map[string]string{}}
}

// Create stores a new user; a taken email is identity.ErrEmailTaken.
func (r *UserRepository) Create(_ context.Context, u *identity.User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byEmail[u.Email()]; ok {
		return identity.ErrEmailTaken
	}
	if _, ok := r.byID[u.ID()]; ok {
		return kernel.ErrConflict
	}
	u.BumpRevision()
	r.byID[u.ID()] = u.Clone()
	r.byEmail[u.Email()] = u.ID()
	return nil
}

// Get returns a user by id.
func (r *UserRepository) Get(_ context.Context, id string) (*identity.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	u, ok := r.byID[id]
	if !ok {
		return nil, identity.ErrUserNotFound
	}
	return u.Clone(), nil
}

// GetByEmail returns a user by (lower-cased) email.
func (r *UserRepository) GetByEmail(ctx context.Context, email string) (*identity.User, error) {
	r.mu.Lock()
	id, ok := r.byEmail[email]
	r.mu.Unlock()
	if !ok {
		return nil, identity.ErrUserNotFound
	}
	return r.Get(ctx, id)
}

// List returns users ordered by id.
func (r *UserRepository) List(_ context.Context, skip, limit int) ([]*identity.User, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, 0, len(r.byID))
	for id := range r.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	total := int64(len(ids))
	if skip > len(ids) {
		skip = len(ids)
	}
	ids = ids[skip:]
	if limit >= 0 && limit < len(ids) {
		ids = ids[:limit]
	}
	out := make([]*identity.User, 0, len(ids))
	for _, id := range ids {
		out = append(out, r.byID[id].Clone())
	}
	return out, total, nil
}

// Update applies fn to a copy and stores it if fn succeeds.
func (r *UserRepository) Update(_ context.Context, id string, fn func(*identity.User) error) (*identity.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.update(id, "", fn)
}

// UpdateKeepingAdmin is Update refusing to end the last administration.
func (r *UserRepository) UpdateKeepingAdmin(_ context.Context, id, adminRoleID string, fn func(*identity.User) error) (*identity.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.update(id, adminRoleID, fn)
}

// update applies fn under r.mu; with adminRoleID set it keeps an administrator.
func (r *UserRepository) update(id, adminRoleID string, fn func(*identity.User) error) (*identity.User, error) {
	cur, ok := r.byID[id]
	if !ok {
		return nil, identity.ErrUserNotFound
	}
	next := cur.Clone()
	if err := fn(next); err != nil {
		return nil, err
	}
	if adminRoleID != "" && identity.StopsAdministering(cur, next, adminRoleID) && !r.anotherAdmin(id, adminRoleID) {
		return nil, identity.ErrLastAdmin
	}
	if next.Email() != cur.Email() {
		if owner, taken := r.byEmail[next.Email()]; taken && owner != id {
			return nil, identity.ErrEmailTaken
		}
		delete(r.byEmail, cur.Email())
		r.byEmail[next.Email()] = id
	}
	next.BumpRevision()
	r.byID[id] = next
	return next.Clone(), nil
}

// anotherAdmin reports, under r.mu, whether a user other than id administers.
func (r *UserRepository) anotherAdmin(id, adminRoleID string) bool {
	for other, u := range r.byID {
		if other != id && u.Administers(adminRoleID) {
			return true
		}
	}
	return false
}

// DeleteKeepingAdmin is Delete refusing to remove the last administrator.
func (r *UserRepository) DeleteKeepingAdmin(_ context.Context, id, adminRoleID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	u, ok := r.byID[id]
	if !ok {
		return identity.ErrUserNotFound
	}
	if identity.StopsAdministering(u, nil, adminRoleID) && !r.anotherAdmin(id, adminRoleID) {
		return identity.ErrLastAdmin
	}
	delete(r.byEmail, u.Email())
	delete(r.byID, id)
	return nil
}

// Delete removes a user.
func (r *UserRepository) Delete(_ context.Context, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	u, ok := r.byID[id]
	if !ok {
		return identity.ErrUserNotFound
	}
	delete(r.byEmail, u.Email())
	delete(r.byID, id)
	return nil
}

// RemoveRoleFromAll takes roleID from every user.
func (r *UserRepository) RemoveRoleFromAll(_ context.Context, roleID string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, u := range r.byID {
		if u.HasRole(roleID) {
			c := u.Clone()
			c.RemoveRole(roleID, u.UpdatedAt()) // the role went, not a change of the account
			c.BumpRevision()
			r.byID[id] = c
		}
	}
	return nil
}

// CountWithRole counts holders of roleID.
func (r *UserRepository) CountWithRole(ctx context.Context, roleID string) (int64, error) {
	us, err := r.ListWithRole(ctx, roleID)
	return int64(len(us)), err
}

// ListWithRole lists holders of roleID ordered by id.
func (r *UserRepository) ListWithRole(_ context.Context, roleID string) ([]*identity.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*identity.User
	for _, u := range r.byID {
		if slices.Contains(u.RoleIDs(), roleID) {
			out = append(out, u.Clone())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out, nil
}
