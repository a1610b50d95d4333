package accessapp_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/memory/accessmem"
	"github.com/civicdatatrust/civictrust/application/accessapp"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// flakyRoles fails List with err, after a delay, while err is set.
type flakyRoles struct {
	accessport.RoleRepository
	mu    sync.Mutex
	err   error
	delay time.Duration
	lists atomic.Int64
}

func (r *flakyRoles) fail(err error, delay time.Duration) {
	r.mu.Lock()
	r.err, r.delay = err, delay
	r.mu.Unlock()
}

func (r *flakyRoles) List(ctx context.Context) ([]*access.Role, error) {
	r.lists.Add(1)
	r.mu.Lock()
	err, delay := r.err, r.delay
	r.mu.Unlock()
	if err != nil {
		time.Sleep(delay)
		return nil, err
	}
	return r.RoleRepository.List(ctx)
}

func TestSnapshotWhileTheStoreIsAway(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 9, 4, 18, 0, 0, 0, time.UTC)}
	roles := &flakyRoles{RoleRepository: accessmem.NewRoleRepository()}
	svc := accessapp.New(accessapp.Deps{Roles: roles, Modules: accessmem.NewModuleRepository(), Clock: clock}, 2*time.Second)
	ctx := context.Background()
	if err := svc.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authorize(ctx, kernel.Principal{UserID: "u"}); err != nil {
		t.Fatal(err)
	}
	unavailable := kernel.Unavailable(errors.New("server selection timeout"))

	t.Run("concurrent_requests_share_one_failed_reload_instead_of_queueing", func(t *testing.T) {
		clock.add(3 * time.Second) // the snapshot is stale
		const delay = 300 * time.Millisecond
		roles.fail(unavailable, delay)
		before := roles.lists.Load()
		start := time.Now()
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() { _, errs[i] = svc.Authorize(ctx, kernel.Principal{UserID: "u"}) })
		}
		wg.Wait()
		took := time.Since(start)
		if took > 2*delay {
			t.Errorf("6 concurrent requests took %v with a store that fails after %v: they queued", took, delay)
		}
		if n := roles.lists.Load() - before; n != 1 {
			t.Errorf("%d reload attempts for 6 concurrent requests, want 1", n)
		}
		for i, err := range errs {
			if err != nil && kernel.KindOf(err) != kernel.KindUnavailable {
				t.Errorf("request %d: %v, want nil or unavailable", i, err)
			}
		}
	})

	t.Run("right_after_a_failure_the_last_snapshot_serves_at_once", func(t *testing.T) {
		before := roles.lists.Load()
		if _, err := svc.Authorize(ctx, kernel.Principal{UserID: "u"}); err != nil {
			t.Errorf("Authorize within the backoff: %v, want the last snapshot", err)
		}
		if roles.lists.Load() != before {
			t.Error("a request within the backoff tried the store again")
		}
	})

	t.Run("after_the_backoff_the_store_is_tried_again_and_its_return_is_seen", func(t *testing.T) {
		clock.add(1500 * time.Millisecond)
		roles.fail(nil, 0)
		before := roles.lists.Load()
		if _, err := svc.Authorize(ctx, kernel.Principal{UserID: "u"}); err != nil {
			t.Fatal(err)
		}
		if roles.lists.Load() != before+1 {
			t.Errorf("%d reloads after the backoff, want 1", roles.lists.Load()-before)
		}
	})

	t.Run("other_errors_keep_the_last_snapshot", func(t *testing.T) {
		clock.add(3 * time.Second)
		roles.fail(errors.New("decode: corrupt document"), 0)
		if _, err := svc.Authorize(ctx, kernel.Principal{UserID: "u"}); err != nil {
			t.Errorf("Authorize after a non-availability failure: %v, want the last snapshot", err)
		}
		roles.fail(nil, 0)
	})
}

// gatedRoles holds List until the gate opens or the caller's context ends,
// saying on listing when one waits and, when the context ended it, on ended
// how (when ended is not nil); lists counts the calls.
type gatedRoles struct {
	accessport.RoleRepository
	gate    chan struct{}
	listing chan struct{}
	ended   chan error
	lists   atomic.Int64
}

func (r *gatedRoles) List(ctx context.Context) ([]*access.Role, error) {
	r.lists.Add(1)
	select {
	case r.listing <- struct{}{}:
	default:
	}
	select {
	case <-r.gate:
		return r.RoleRepository.List(ctx)
	case <-ctx.Done():
		select {
		case r.ended <- ctx.Err():
		default:
		}
		return nil, ctx.Err()
	}
}

// A role another replica created, held by the caller, shows in Authorize's
// role names once the ticker has reloaded the snapshot; requests never wait
// for that reload, but one that finds the snapshot older than maxAge does.
func TestThePeriodicReloadRunsWhileRequestsGoOn(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 9, 4, 18, 0, 0, 0, time.UTC)}
	store := accessmem.NewRoleRepository()
	roles := &gatedRoles{RoleRepository: store, gate: make(chan struct{}), listing: make(chan struct{}, 1)}
	close(roles.gate) // open while seeding and loading the first snapshot
	const maxAge = 400 * time.Millisecond
	svc := accessapp.New(accessapp.Deps{Roles: roles, Modules: accessmem.NewModuleRepository(), Clock: clock}, maxAge)
	ctx := context.Background()
	if err := svc.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	caller := kernel.Principal{UserID: "u", RoleIDs: []string{"role-auditor"}}
	if _, err := svc.Authorize(ctx, caller); err != nil {
		t.Fatal(err)
	}
	// Another replica creates the role; the store now holds every read.
	if err := store.Create(ctx, &access.Role{ID: "role-auditor", Name: "Auditor"}); err != nil {
		t.Fatal(err)
	}
	roles.gate = make(chan struct{})
	select { // drain what the first loads said
	case <-roles.listing:
	default:
	}
	svc.Start()
	t.Cleanup(func() { _ = svc.Close(context.Background()) })
	authorize := func() <-chan kernel.Principal {
		done := make(chan kernel.Principal, 1)
		go func() {
			p, err := svc.Authorize(ctx, caller)
			if err != nil {
				t.Error(err)
			}
			done <- p
		}()
		return done
	}

	select {
	case <-roles.listing: // the ticker's reload is reading the store
	case <-time.After(5 * time.Second):
		t.Fatal("no periodic reload started")
	}
	select {
	case p := <-authorize():
		if slices.Contains(p.RoleNames, "auditor") {
			t.Fatal("the new role is known before any reload finished")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a request waited for the periodic reload although its snapshot was younger than maxAge")
	}

	clock.add(time.Second) // past maxAge, the reload still waiting for the store
	waiting := authorize()
	select {
	case <-waiting:
		t.Fatal("a request went on with a snapshot older than maxAge")
	case <-time.After(200 * time.Millisecond):
	}
	close(roles.gate)
	if p := <-waiting; !slices.Contains(p.RoleNames, "auditor") {
		t.Fatalf("role names %v after the reload, want auditor among them", p.RoleNames)
	}
}

// Close ends a periodic reload that waits on the store, and waits for it;
// none runs after it. On stop the store is closed next: no reload may be left
// reading it.
func TestCloseEndsThePeriodicReload(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 9, 4, 18, 0, 0, 0, time.UTC)}
	roles := &gatedRoles{RoleRepository: accessmem.NewRoleRepository(), gate: make(chan struct{}), listing: make(chan struct{}, 1), ended: make(chan error, 1)}
	close(roles.gate) // open while seeding and loading the first snapshot
	const maxAge = 200 * time.Millisecond
	svc := accessapp.New(accessapp.Deps{Roles: roles, Modules: accessmem.NewModuleRepository(), Clock: clock}, maxAge)
	ctx := context.Background()
	if err := svc.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	roles.gate = make(chan struct{}) // the store stops answering
	select {                         // drain what the first loads said
	case <-roles.listing:
	default:
	}
	svc.Start()
	select {
	case <-roles.listing:
	case <-time.After(5 * time.Second):
		t.Fatal("no periodic reload started")
	}
	// Well under the reload's own timeout (10 s).
	closing, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := svc.Close(closing); err != nil {
		t.Fatalf("Close = %v: the periodic reload went on", err)
	}
	select {
	case err := <-roles.ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the periodic reload ended with %v, want context.Canceled", err)
		}
	default:
		t.Fatal("Close returned while the periodic reload was still waiting on the store")
	}

	close(roles.gate) // the store answers again
	before := roles.lists.Load()
	time.Sleep(3 * maxAge) // several ticks' worth
	if n := roles.lists.Load() - before; n != 0 {
		t.Errorf("%d periodic reloads after Close, want none", n)
	}
}

// A sign-up may name any role: references to unknown roles reload the
// snapshot (the role may have been created on another replica a moment ago),
// but at most once per interval, however many arrive.
func TestUnknownRolesReloadAtMostOncePerInterval(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 9, 4, 18, 0, 0, 0, time.UTC)}
	roles := &flakyRoles{RoleRepository: accessmem.NewRoleRepository()}
	svc := accessapp.New(accessapp.Deps{Roles: roles, Modules: accessmem.NewModuleRepository(), Clock: clock}, 2*time.Second)
	ctx := context.Background()
	if err := svc.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	clock.add(300 * time.Millisecond)
	before := roles.lists.Load()
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if _, ok, err := svc.RoleByRef(ctx, fmt.Sprintf("no-such-role-%d", i)); err != nil || ok {
				t.Errorf("RoleByRef of an unknown role: %v, %v", ok, err)
			}
		})
	}
	wg.Wait()
	if n := roles.lists.Load() - before; n != 1 {
		t.Errorf("%d reloads for 50 unknown roles, want 1", n)
	}
	// A role created elsewhere is found once the interval has passed.
	if err := roles.Create(ctx, &access.Role{ID: "role-late", Name: "Late"}); err != nil {
		t.Fatal(err)
	}
	clock.add(300 * time.Millisecond)
	if _, ok, err := svc.RoleByRef(ctx, "late"); err != nil || !ok {
		t.Fatalf("RoleByRef of a role created meanwhile: %v, %v", ok, err)
	}
}
