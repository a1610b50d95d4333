package accesshttp_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// accStartReplicas starts n apps on one store, all at the same moment, and
// returns them once every one is up: by default on one database file (as
// processes on one host share it); with apitest.OnMongo-style options from
// accOnOneMongo, on one MongoDB database.
func accStartReplicas(t *testing.T, n int, store ...apitest.Option) []*apitest.App {
	t.Helper()
	if len(store) == 0 {
		store = []apitest.Option{apitest.WithEnv("DATA_DIR", t.TempDir())}
	}
	apps := make([]*apitest.App, n)
	errs := porttestkit.Concurrently(n, func(i int) error {
		var err error
		apps[i], err = apitest.TryStart(t, store...)
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
	return apps
}

// accOnOneMongo points every replica at one new MongoDB database.
func accOnOneMongo(t *testing.T) []apitest.Option {
	db := mongotest.Database(t)
	return []apitest.Option{
		apitest.WithEnv("MONGODB_URI", mongotest.URI(t)),
		apitest.WithEnv("MONGODB_DATABASE", db.Name()),
	}
}

// Two instances on one store: seeding at the same moment makes one of each
// built-in, and a module change made through one is obeyed by the other within 5 s.
func TestReplicas_share_roles_and_modules(t *testing.T) {
	t.Parallel()
	t.Run("embedded_store", func(t *testing.T) {
		t.Parallel()
		accShareRolesAndModules(t, accStartReplicas(t, 2))
	})
	t.Run("mongodb", func(t *testing.T) {
		t.Parallel()
		accShareRolesAndModules(t, accStartReplicas(t, 2, accOnOneMongo(t)...))
	})
}

func accShareRolesAndModules(t *testing.T, apps []*apitest.App) {
	a, b := apps[0], apps[1]

	t.Run("concurrent_first_start_seeds_each_built_in_once", func(t *testing.T) {
		adminA := a.Admin()
		count := map[string]int{}
		for _, r := range a.Get(accRoles, adminA.Access).Expect(t, http.StatusOK).Array() {
			name, _ := r["name"].(string)
			count[name]++
		}
		if count["admin"] != 1 || count["member"] != 1 || len(count) != 2 {
			t.Errorf("roles after two concurrent first starts: %v, want one admin and one member", count)
		}
		r := a.Get(accModules+"?limit=100", adminA.Access).Expect(t, http.StatusOK)
		if p := accPage(t, r); p.Total != 6 {
			t.Errorf("module total %d after two concurrent first starts, want 6", p.Total)
		}
		names := map[string]int{}
		for _, m := range accList(t, r) {
			name, _ := m["module_name"].(string)
			names[name]++
		}
		for _, want := range []string{"users", "user-roles", "role-base-modules", "communities", "datasets", "audit"} {
			if names[want] != 1 {
				t.Errorf("module %s seeded %d times", want, names[want])
			}
		}
		// One bootstrap admin, reachable through both instances.
		users := a.Get(accRoles+"/role/"+accRoleIDByName(t, a, adminA.Access, "admin"), adminA.Access).
			Expect(t, http.StatusOK).Array()
		if len(users) != 1 {
			t.Errorf("admin holders after two concurrent first starts: %v", users)
		}
		if adminB := b.Admin(); adminB.UserID != adminA.UserID {
			t.Errorf("instances disagree on the admin: %s vs %s", adminA.UserID, adminB.UserID)
		}
	})

	t.Run("a_module_change_through_one_instance_is_obeyed_by_the_other", func(t *testing.T) {
		adminA := a.Admin()
		member := a.Member("Roamer")
		// Each instance signs its own tokens: sign in on B too.
		email := accEmailOf(t, a, adminA.Access, member.UserID)
		memberB := b.Login(email, "Member-Passw0rd")
		b.Get(accUsers, memberB.Access).Expect(t, http.StatusForbidden)

		usersModule := accModuleIDByName(t, a, adminA.Access, "users")
		memberRole := accRoleIDByName(t, a, adminA.Access, "member")
		a.Put(accModules+"/"+usersModule+"/add-roles", adminA.Access, map[string]any{"user_role_ids": []string{memberRole}}).
			Expect(t, http.StatusOK)
		a.Get(accUsers, member.Access).Expect(t, http.StatusOK) // at once where the change was made
		accEventually(t, b, memberB.Access, http.StatusOK, 5*time.Second)

		a.Put(accModules+"/"+usersModule+"/remove-roles", adminA.Access, map[string]any{"user_role_ids": []string{memberRole}}).
			Expect(t, http.StatusOK)
		a.Get(accUsers, member.Access).Expect(t, http.StatusForbidden)
		accEventually(t, b, memberB.Access, http.StatusForbidden, 5*time.Second)
	})

	t.Run("a_new_role_and_its_assignment_through_one_instance_are_obeyed_by_the_other", func(t *testing.T) {
		adminA := a.Admin()
		member := a.Member("Wanderer")
		memberB := b.Login(accEmailOf(t, a, adminA.Access, member.UserID), "Member-Passw0rd")
		b.Get(accUsers, memberB.Access).Expect(t, http.StatusForbidden)

		role := accCreateRole(t, a, adminA.Access, "replica-reader")
		accCreateModule(t, a, adminA.Access, "replica-extra", role)
		a.Post(accRoles+"/user/"+member.UserID+"/role/"+role, adminA.Access, nil).Expect(t, http.StatusCreated)
		a.Put(accModules+"/"+accModuleIDByName(t, a, adminA.Access, "users")+"/add-roles", adminA.Access,
			map[string]any{"user_role_ids": []string{role}}).Expect(t, http.StatusOK)
		// B reads the user's roles at each request and the module's from its
		// snapshot of modules, reloaded within 5 s: allow that plus one poll.
		accEventually(t, b, memberB.Access, http.StatusOK, 6*time.Second)

		// Deleting the role unlists it from the module: a snapshot change (≤ 5 s).
		a.Delete(accRoles+"/"+role, adminA.Access).Expect(t, http.StatusNoContent)
		accEventually(t, b, memberB.Access, http.StatusForbidden, 5*time.Second)
	})
}

// Two admins taking admin from each other at the same moment through two
// instances must not leave the service without one: on the embedded store
// and on MongoDB, round after round.
func TestReplicas_keep_an_admin_under_concurrent_unassigns(t *testing.T) {
	t.Parallel()
	t.Run("embedded_store", func(t *testing.T) {
		t.Parallel()
		accKeepAnAdmin(t, accStartReplicas(t, 2))
	})
	t.Run("mongodb", func(t *testing.T) {
		t.Parallel()
		mongotest.SkipOnFerretDB(t, mongotest.NoTransactions)
		accKeepAnAdmin(t, accStartReplicas(t, 2, accOnOneMongo(t)...))
	})
}

func accKeepAnAdmin(t *testing.T, apps []*apitest.App) {
	a, b := apps[0], apps[1]
	adminA := a.Admin()
	adminRole := accRoleIDByName(t, a, adminA.Access, "admin")
	for round := range 20 {
		deputy := a.Member(fmt.Sprintf("Deputy %d", round))
		a.Post(accRoles+"/user/"+deputy.UserID+"/role/"+adminRole, adminA.Access, nil).Expect(t, http.StatusCreated)
		deputyB := b.Login(accEmailOf(t, a, adminA.Access, deputy.UserID), "Member-Passw0rd")
		// Through replica a the admin demotes the deputy; through b, at once, the deputy the admin.
		statuses := porttestkit.AtOnce(2, func(i int) int {
			if i == 0 {
				return accRawDelete(a, accRoles+"/user/"+deputy.UserID+"/role/"+adminRole, adminA.Access)
			}
			return accRawDelete(b, accRoles+"/user/"+adminA.UserID+"/role/"+adminRole, deputyB.Access)
		})
		var holders []map[string]any
		for _, try := range []struct {
			app *apitest.App
			tok string
		}{{a, adminA.Access}, {b, deputyB.Access}} {
			if r := try.app.Get(accRoles+"/role/"+adminRole, try.tok); r.Status == http.StatusOK {
				holders = r.Array()
				break
			}
		}
		if len(holders) == 0 {
			t.Fatalf("round %d: statuses %v: no admin left", round, statuses)
		}
		for _, st := range statuses {
			// 403: the caller had already lost admin when its request was checked.
			if st != http.StatusNoContent && st != http.StatusConflict && st != http.StatusForbidden {
				t.Errorf("round %d: statuses %v, want 204, 409 or 403 each", round, statuses)
			}
		}
		// Make the bootstrap admin the only admin again for the next round.
		ids := accIDs(holders)
		if !slices.Contains(ids, adminA.UserID) {
			a.Post(accRoles+"/user/"+adminA.UserID+"/role/"+adminRole, deputy.Access, nil).Expect(t, http.StatusCreated)
		}
		if slices.Contains(ids, deputy.UserID) {
			a.Delete(accRoles+"/user/"+deputy.UserID+"/role/"+adminRole, adminA.Access).Expect(t, http.StatusNoContent)
		}
	}
}

// accEventually polls GET /users on app every 200 ms until it answers want,
// and fails after limit.
func accEventually(t *testing.T, app *apitest.App, token string, want int, limit time.Duration) {
	t.Helper()
	began := time.Now()
	deadline := began.Add(limit)
	var last *apitest.Response
	for {
		last = app.Get(accUsers, token)
		if last.Status == want {
			took := time.Since(began)
			if took > limit {
				t.Fatalf("the other instance answered %d only after %v, want within %v", want, took.Round(time.Millisecond), limit)
			}
			t.Logf("the other instance answered %d after %v", want, took.Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other instance still answers %d %s after %v, want %d", last.Status, last.Body, limit, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// accEmailOf reads a user's email as admin.
func accEmailOf(t *testing.T, app *apitest.App, admin, userID string) string {
	t.Helper()
	u := app.Get(fmt.Sprintf("%s/%s", accUsers, userID), admin).Expect(t, http.StatusOK).JSON()
	email, _ := u["email"].(string)
	if email == "" {
		t.Fatalf("user %s without email: %v", userID, u)
	}
	return email
}
