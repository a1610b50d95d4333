// Package accessapp implements the access use cases: roles, role-base modules,
// role assignment, start-up seeding and authorization decisions.
package accessapp

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Deps are the driven ports of the access context.
type Deps struct {
	Roles   accessport.RoleRepository
	Modules accessport.ModuleRepository
	Holders accessport.RoleHolders
	Clock   platformport.Clock
	// Audit receives the context's audit events (nil: none are recorded);
	// Reporter hears about events that could not be written.
	Audit    auditport.Log
	Reporter platformport.ErrorReporter
}

// Service implements accessport.Service. Decisions read a snapshot of roles and
// modules that is reloaded at once after a change made here and at least every
// maxAge otherwise, so other replicas' changes are obeyed within maxAge. The
// periodic reload runs in the background from half of maxAge on, so that
// requests do not wait for it (see current).
type Service struct {
	deps   Deps
	maxAge time.Duration

	reloadMu   sync.Mutex
	reloads    reloadState // guarded by reloadMu, see current
	refreshing atomic.Bool // a background refresh is running (see refreshAhead)
	snapMu     sync.RWMutex
	snap       *snapshot

	// background is what background reloads run on; Close cancels it and
	// waits for the running one, so that none outlives the store it reads.
	// Once it is cancelled, none starts.
	background     context.Context
	stopBackground context.CancelFunc
	backgroundMu   sync.Mutex     // orders starting a background reload against Close
	inBackground   sync.WaitGroup // the background reload running, if any

}

var _ accessport.Service = (*Service)(nil)

// New builds the access service; maxAge (≤ 5 s) bounds the snapshot's staleness.
func New(d Deps, maxAge time.Duration) *Service {
	if maxAge <= 0 || maxAge > 5*time.Second {
		maxAge = 2 * time.Second
	}
	background, stop := context.WithCancel(context.Background())
	return &Service{deps: d, maxAge: maxAge, background: background, stopBackground: stop}
}

// Close ends background work: it cancels the running background reload, if
// any, and waits for it (or for ctx to end); none starts afterwards. Requests
// still reload an expired snapshot themselves, on their own contexts.
func (s *Service) Close(ctx context.Context) error {
	s.backgroundMu.Lock()
	s.stopBackground()
	s.backgroundMu.Unlock()
	done := make(chan struct{})
	go func() {
		s.inBackground.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type snapshot struct {
	loadedAt     time.Time
	rolesByID    map[string]*access.Role
	rolesByName  map[string]*access.Role
	modulesByKey map[string]*access.Module

	// byRoles keeps, for role sets seen, what holding them gives (see
	// snapshot.access): at most maxKeptAccess of them.
	byRoles     sync.Map // strings.Join(role IDs, "\x00") → roleAccess
	byRolesSize atomic.Int32
}

// Seed creates the built-in roles and modules when absent. It is idempotent and
// safe when several replicas start at once: creation relies on unique indexes.
func (s *Service) Seed(ctx context.Context) error {
	now := s.now()
	ids := map[string]string{}
	for _, r := range []access.Role{
		{Name: access.RoleAdmin},
		{Name: access.RoleMember, SelfAssignable: true},
	} {
		r.ID, r.CreatedAt, r.UpdatedAt = kernel.NewID(now), now, now
		stored, err := s.deps.Roles.EnsureByName(ctx, &r)
		if err != nil {
			return err
		}
		ids[r.Name] = stored.ID
	}
	for _, dm := range access.DefaultModules() {
		m := access.Module{ID: kernel.NewID(now), Name: dm.Name, CreatedAt: now, UpdatedAt: now}
		for _, name := range dm.RoleNames {
			m.RoleIDs = append(m.RoleIDs, ids[name])
		}
		if _, err := s.deps.Modules.EnsureByName(ctx, &m); err != nil {
			return err
		}
	}
	return s.reload(ctx)
}

func (s *Service) now() time.Time { return kernel.Truncate(s.deps.Clock.Now()) }

func (s *Service) loaded() *snapshot {
	s.snapMu.RLock()
	defer s.snapMu.RUnlock()
	return s.snap
}

func (s *Service) reload(ctx context.Context) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	return s.reloadLocked(ctx)
}

func (s *Service) reloadLocked(ctx context.Context) error {
	roles, err := s.deps.Roles.List(ctx)
	if err != nil {
		return err
	}
	modules, _, err := s.deps.Modules.List(ctx, accessport.ModuleFilter{}, 0, -1)
	if err != nil {
		return err
	}
	snap := &snapshot{
		loadedAt:     s.deps.Clock.Now(),
		rolesByID:    make(map[string]*access.Role, len(roles)),
		rolesByName:  make(map[string]*access.Role, len(roles)),
		modulesByKey: make(map[string]*access.Module, len(modules)),
	}
	for _, r := range roles {
		snap.rolesByID[r.ID] = r
		snap.rolesByName[access.NameKey(r.Name)] = r
	}
	for _, m := range modules {
		snap.modulesByKey[access.NameKey(m.Name)] = m
	}
	s.snapMu.Lock()
	s.snap = snap
	s.snapMu.Unlock()
	return nil
}

// changed reloads the snapshot after a local change; a failed reload only
// delays the change until the next one.
func (s *Service) changed(ctx context.Context) { _ = s.reload(ctx) }

// RoleByRef finds a role by id or case-insensitive name.
func (s *Service) RoleByRef(ctx context.Context, ref string) (*access.Role, bool, error) {
	snap, err := s.current(ctx)
	if err != nil {
		return nil, false, err
	}
	ref = strings.TrimSpace(ref)
	if r, ok := snap.rolesByID[strings.ToLower(ref)]; ok {
		return r, true, nil
	}
	if r, ok := snap.rolesByName[access.NameKey(ref)]; ok {
		return r, true, nil
	}
	// Maybe created on another replica a moment ago.
	if err := s.reload(ctx); err != nil {
		return nil, false, err
	}
	snap = s.loaded()
	if r, ok := snap.rolesByID[strings.ToLower(ref)]; ok {
		return r, true, nil
	}
	r, ok := snap.rolesByName[access.NameKey(ref)]
	return r, ok, nil
}

// RolesByIDs returns the known roles among ids, in the order given.
func (s *Service) RolesByIDs(ctx context.Context, ids []string) ([]*access.Role, error) {
	snap, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	return snap.roles(ids), nil
}

func (snap *snapshot) roles(ids []string) []*access.Role {
	out := make([]*access.Role, 0, len(ids))
	for _, id := range ids {
		if r, ok := snap.rolesByID[id]; ok {
			out = append(out, r)
		}
	}
	return out
}

// RoleByName returns the role with this name (case-insensitive).
func (s *Service) RoleByName(ctx context.Context, name string) (*access.Role, error) {
	r, ok, err := s.RoleByRef(ctx, name)
	if err != nil {
		return nil, err
	}
	if !ok || access.NameKey(r.Name) != access.NameKey(name) {
		return nil, access.ErrRoleNotFound
	}
	return r, nil
}
