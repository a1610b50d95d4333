// Package accessapp implements the access use cases: roles, role-base modules,
// start-up seeding and the in-memory snapshot that authorization decisions read.
package accessapp

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Deps are the driven ports of the access context.
type Deps struct {
	Roles accessport.RoleRepository
	Clock platformport.Clock
}

// Service serves roles from a snapshot that is reloaded from the store when it is
// older than maxAge (so other replicas' changes are seen within it) and at once
// after a change made here.
type Service struct {
	deps   Deps
	maxAge time.Duration

	mu       sync.Mutex // serializes reloads
	snapshot snapshotHolder
}

type snapshot struct {
	loadedAt time.Time
	byID     map[string]*access.Role
	byName   map[string]*access.Role
}

type snapshotHolder struct {
	mu sync.RWMutex
	s  *snapshot
}

func (h *snapshotHolder) get() *snapshot {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.s
}

func (h *snapshotHolder) set(s *snapshot) {
	h.mu.Lock()
	h.s = s
	h.mu.Unlock()
}

// New builds the access service; maxAge bounds the staleness of the role snapshot.
func New(d Deps, maxAge time.Duration) *Service {
	if maxAge <= 0 || maxAge > 5*time.Second {
		maxAge = 2 * time.Second
	}
	return &Service{deps: d, maxAge: maxAge}
}

// Seed creates the built-in roles when absent; safe on every start of every replica.
func (s *Service) Seed(ctx context.Context) error {
	now := kernel.Truncate(s.deps.Clock.Now())
	for _, r := range []access.Role{
		{Name: access.RoleAdmin},
		{Name: access.RoleMember, SelfAssignable: true},
	} {
		r.ID, r.CreatedAt, r.UpdatedAt = kernel.NewID(now), now, now
		if _, err := s.deps.Roles.EnsureByName(ctx, &r); err != nil {
			return err
		}
	}
	return s.reload(ctx)
}

// current returns a snapshot no older than maxAge.
func (s *Service) current(ctx context.Context) (*snapshot, error) {
	if snap := s.snapshot.get(); snap != nil && s.deps.Clock.Now().Sub(snap.loadedAt) < s.maxAge {
		return snap, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if snap := s.snapshot.get(); snap != nil && s.deps.Clock.Now().Sub(snap.loadedAt) < s.maxAge {
		return snap, nil // another goroutine reloaded while we waited
	}
	if err := s.reloadLocked(ctx); err != nil {
		if snap := s.snapshot.get(); snap != nil {
			return snap, nil // serve the last known roles while the store hiccups
		}
		return nil, err
	}
	return s.snapshot.get(), nil
}

func (s *Service) reload(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reloadLocked(ctx)
}

func (s *Service) reloadLocked(ctx context.Context) error {
	roles, err := s.deps.Roles.List(ctx)
	if err != nil {
		return err
	}
	snap := &snapshot{loadedAt: s.deps.Clock.Now(), byID: map[string]*access.Role{}, byName: map[string]*access.Role{}}
	for _, r := range roles {
		snap.byID[r.ID] = r
		snap.byName[access.NameKey(r.Name)] = r
	}
	s.snapshot.set(snap)
	return nil
}

// RoleByRef finds a role by id or case-insensitive name.
func (s *Service) RoleByRef(ctx context.Context, ref string) (*access.Role, bool, error) {
	snap, err := s.current(ctx)
	if err != nil {
		return nil, false, err
	}
	ref = strings.TrimSpace(ref)
	if r, ok := snap.byID[strings.ToLower(ref)]; ok {
		return r, true, nil
	}
	r, ok := snap.byName[access.NameKey(ref)]
	return r, ok, nil
}

// RolesByIDs returns the known roles among ids, in the order given.
func (s *Service) RolesByIDs(ctx context.Context, ids []string) ([]*access.Role, error) {
	snap, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*access.Role, 0, len(ids))
	for _, id := range ids {
		if r, ok := snap.byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// RoleByName returns the role with this name (case-insensitive).
func (s *Service) RoleByName(ctx context.Context, name string) (*access.Role, error) {
	snap, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	if r, ok := snap.byName[access.NameKey(name)]; ok {
		return r, nil
	}
	// Not in the snapshot: it may have been created elsewhere a moment ago.
	if err := s.reload(ctx); err != nil {
		return nil, err
	}
	if r, ok := s.snapshot.get().byName[access.NameKey(name)]; ok {
		return r, nil
	}
	return nil, access.ErrRoleNotFound
}
