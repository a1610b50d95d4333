// Package accessapp implements the access use cases: roles, role-base modules,
// role assignment, start-up seeding and authorization decisions.
package accessapp

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

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

// Service implements accessport.Service. Decisions read a snapshot of roles
// and modules held in an atomic pointer: reloaded at once after a change made
// here, every maxAge/2 by a ticker (Start) so that other replicas' changes are
// obeyed within maxAge, and by a request that finds it older than maxAge (the
// ticker's reloads failing). Concurrent reloads are one (singleflight).
type Service struct {
	deps   Deps
	maxAge time.Duration

	snap     atomic.Pointer[snapshot]
	loads    atomic.Uint64 // numbers the loads in the order they start
	reloads  singleflight.Group
	failedAt atomic.Pointer[time.Time] // the last failed reload, nil after a success

	stop    context.CancelFunc // ends the ticker (Close)
	stopped chan struct{}      // closed when the ticker's goroutine has ended
}

var _ accessport.Service = (*Service)(nil)

// New builds the access service; maxAge (≤ 5 s) bounds the snapshot's staleness.
func New(d Deps, maxAge time.Duration) *Service {
	if maxAge <= 0 || maxAge > 5*time.Second {
		maxAge = 2 * time.Second
	}
	return &Service{deps: d, maxAge: maxAge}
}

// Start runs the periodic reload until Close.
func (s *Service) Start() {
	ctx, stop := context.WithCancel(context.Background())
	s.stop, s.stopped = stop, make(chan struct{})
	go func() {
		defer close(s.stopped)
		tick := time.NewTicker(s.maxAge / 2)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				rctx, cancel := context.WithTimeout(ctx, backgroundReloadTimeout)
				_ = s.reload(rctx) // a failure is recorded for the next requests
				cancel()
			}
		}
	}()
}

// backgroundReloadTimeout bounds a reload no request waits for.
const backgroundReloadTimeout = 10 * time.Second

// Close ends the periodic reload, cancelling one in flight, and waits for it
// (or for ctx to end), so that none outlives the store it reads. Requests
// still reload an expired snapshot themselves, on their own contexts.
func (s *Service) Close(ctx context.Context) error {
	if s.stop == nil {
		return nil
	}
	s.stop()
	select {
	case <-s.stopped:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type snapshot struct {
	seq          uint64 // see load
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
	return s.load(ctx)
}

func (s *Service) now() time.Time { return kernel.Truncate(s.deps.Clock.Now()) }

func (s *Service) loaded() *snapshot { return s.snap.Load() }

// reload reads roles and modules into a new snapshot. Callers at the same
// moment share one read of the store and its outcome.
func (s *Service) reload(ctx context.Context) error {
	_, err, _ := s.reloads.Do("snapshot", func() (any, error) {
		err := s.load(ctx)
		if err != nil {
			now := s.deps.Clock.Now()
			s.failedAt.Store(&now)
		} else {
			s.failedAt.Store(nil)
		}
		return nil, err
	})
	return err
}

// load reads a new snapshot and keeps it unless one whose read started later
// is kept already: a slow load never puts back what a later one replaced.
func (s *Service) load(ctx context.Context) error {
	seq := s.loads.Add(1)
	roles, err := s.deps.Roles.List(ctx)
	if err != nil {
		return err
	}
	modules, _, err := s.deps.Modules.List(ctx, accessport.ModuleFilter{}, 0, -1)
	if err != nil {
		return err
	}
	snap := &snapshot{
		seq:          seq,
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
	for {
		cur := s.snap.Load()
		if cur != nil && cur.seq > seq {
			return nil
		}
		if s.snap.CompareAndSwap(cur, snap) {
			return nil
		}
	}
}

// changed reloads the snapshot after a local change, with a read of its own
// (one in flight may have read the store before the change); a failed reload
// only delays the change until the next one.
func (s *Service) changed(ctx context.Context) { _ = s.load(ctx) }

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
	if snap, err = s.reloadForUnknown(ctx, snap); err != nil {
		return nil, false, err
	}
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
