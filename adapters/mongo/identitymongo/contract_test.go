package identitymongo_test

import (
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/accessmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/identityport/identityporttest"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// newDB returns a fresh database with every index the service creates at start.
func newDB(t *testing.T) *mongo.Database {
	t.Helper()
	return mongotest.Indexed(t, append(identitymongo.Indexes(), accessmongo.Indexes()...)...)
}

func TestUserRepository(t *testing.T) {
	unfaithful := mongotest.Unfaithful{
		"concurrent_updates_lose_nothing":                       mongotest.TwoStepUpdates,
		"update_to_taken_email_is_conflict_and_changes_nothing": mongotest.UpdateBreakingUniqueIndex,
		"keeping_admin_refuses_to_end_the_last_administration":  mongotest.NoTransactions,
		"keeping_admin_lets_one_of_two_administrators_go":       mongotest.NoTransactions,
		"administrators_removing_each_other_at_once_leave_one":  mongotest.NoTransactions,
	}
	identityporttest.TestUserRepository(t, func(t *testing.T) identityport.UserRepository {
		unfaithful.Skip(t)
		return identitymongo.NewUserRepository(newDB(t))
	})
}

func TestSessionRepository(t *testing.T) {
	unfaithful := mongotest.Unfaithful{"concurrent_refreshes_with_one_secret_rotate_once": mongotest.TwoStepUpdates}
	identityporttest.TestSessionRepository(t, func(t *testing.T) identityport.SessionRepository {
		unfaithful.Skip(t)
		return identitymongo.NewSessionRepository(newDB(t))
	})
}

func TestOneTimeTokenRepository(t *testing.T) {
	unfaithful := mongotest.Unfaithful{"concurrent_consumes_admit_one": mongotest.TwoStepUpdates}
	identityporttest.TestOneTimeTokenRepository(t, func(t *testing.T) identityport.OneTimeTokenRepository {
		unfaithful.Skip(t)
		return identitymongo.NewOneTimeTokenRepository(newDB(t))
	})
}

// Two replicas on one store: a lookup by address through one of them always
// finds what the other changed last.
func TestGetByEmailAcrossReplicas(t *testing.T) {
	db := newDB(t)
	a := identitymongo.NewUserRepository(db)
	b := identitymongo.NewUserRepository(mongotest.Reconnect(t, db))
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Millisecond)
	ada := identity.RestoreUser(identity.UserSnapshot{ID: kernel.NewID(now), Name: "Ada", Email: "ada@example.com", PasswordHash: "h", Active: true, CreatedAt: now, UpdatedAt: now})
	if err := a.Create(ctx, ada); err != nil {
		t.Fatal(err)
	}
	if u, err := a.GetByEmail(ctx, "ada@example.com"); err != nil || u.ID() != ada.ID() {
		t.Fatalf("replica a, first lookup: %v, %v", u, err)
	}
	if _, err := b.Update(ctx, ada.ID(), func(u *identity.User) error {
		_, err := u.ChangeAccount(identity.AccountChange{Email: new("countess@example.com")}, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	grace := identity.RestoreUser(identity.UserSnapshot{ID: kernel.NewID(now.Add(time.Second)), Name: "Grace", Email: "ada@example.com", PasswordHash: "h", Active: true, CreatedAt: now, UpdatedAt: now})
	if err := b.Create(ctx, grace); err != nil {
		t.Fatal(err)
	}
	u, err := a.GetByEmail(ctx, "ada@example.com")
	if err != nil || u.ID() != grace.ID() {
		t.Fatalf("replica a after the address moved to another user: got %+v, %v; want %s", u, err, grace.ID())
	}
	if err := b.Delete(ctx, grace.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GetByEmail(ctx, "ada@example.com"); !errors.Is(err, identity.ErrUserNotFound) {
		t.Fatalf("replica a after the owner was deleted elsewhere: %v", err)
	}
}

// A user deleted while updates of it are under way stays deleted: no update
// finishing meanwhile writes it back.
func TestADeletedUserStaysDeletedWhateverTheRace(t *testing.T) {
	repo := identitymongo.NewUserRepository(newDB(t))
	ctx := t.Context()
	for round := range 20 {
		now := time.Now().UTC()
		u := identity.RestoreUser(identity.UserSnapshot{ID: kernel.NewID(now), Name: "Ada", Email: "ada@example.com", PasswordHash: "h", Active: true, CreatedAt: now, UpdatedAt: now})
		if err := repo.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		errs := porttestkit.AtOnce(4, func(i int) error {
			if i == 0 {
				return repo.Delete(ctx, u.ID())
			}
			_, err := repo.Update(ctx, u.ID(), func(u *identity.User) error {
				u.RecordSuccessfulLogin(time.Now(), u.Auth().FailedLoginAttempts)
				return nil
			})
			if errors.Is(err, identity.ErrUserNotFound) {
				return nil
			}
			return err
		})
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if got, err := repo.Get(ctx, u.ID()); !errors.Is(err, identity.ErrUserNotFound) {
			t.Fatalf("round %d: Get after the delete = %+v, %v; want ErrUserNotFound", round, got, err)
		}
		if got, err := repo.GetByEmail(ctx, u.Email()); !errors.Is(err, identity.ErrUserNotFound) {
			t.Fatalf("round %d: GetByEmail after the delete = %+v, %v; want ErrUserNotFound", round, got, err)
		}
	}
}
