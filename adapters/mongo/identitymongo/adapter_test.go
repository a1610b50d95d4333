package identitymongo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// The application makes every identifier: one this store cannot hold is a
// bug (an internal error), not a client's "not found".
func TestCreateWithAMalformedIDIsAnInternalError(t *testing.T) {
	db := newDB(t)
	ctx := t.Context()
	now := time.Now().UTC()
	creates := map[string]func(id string) error{
		"user": func(id string) error {
			return identitymongo.NewUserRepository(db).Create(ctx, identity.RestoreUser(identity.UserSnapshot{ID: id, Email: "ada@example.com", CreatedAt: now}))
		},
		"session": func(id string) error {
			return identitymongo.NewSessionRepository(db).Create(ctx, &identity.Session{ID: id, UserID: kernel.NewID(now), CreatedAt: now})
		},
		"token": func(id string) error {
			return identitymongo.NewOneTimeTokenRepository(db).Create(ctx, &identity.OneTimeToken{ID: id, UserID: kernel.NewID(now), CreatedAt: now})
		},
	}
	for name, create := range creates {
		for _, id := range []string{"", "nope", "ZZZZZZZZZZZZZZZZZZZZZZZZ"} {
			if err := create(id); err == nil || kernel.KindOf(err) != kernel.KindInternal {
				t.Errorf("create a %s with id %q: %v (kind %v), want an internal error", name, id, err, kernel.KindOf(err))
			}
		}
	}
}

// bumpVersion changes document id of c behind the repository's back, as
// another writer would.
func bumpVersion(ctx context.Context, t *testing.T, c *mongo.Collection, id string) {
	t.Helper()
	oid, _ := bson.ObjectIDFromHex(id)
	if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}}, bson.D{{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}}); err != nil {
		t.Fatal(err)
	}
}

// An update that loses every compare-and-set gives up with its own
// aggregate's "changed concurrently" error.
func TestAnUpdateThatAlwaysLosesIsStale(t *testing.T) {
	db := newDB(t)
	ctx := t.Context()
	now := time.Now().UTC()

	users := identitymongo.NewUserRepository(db)
	u := identity.RestoreUser(identity.UserSnapshot{ID: kernel.NewID(now), Name: "Ada", Email: "ada@example.com", Active: true, CreatedAt: now, UpdatedAt: now})
	if err := users.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	_, err := users.Update(ctx, u.ID(), func(*identity.User) error { bumpVersion(ctx, t, db.Collection("users"), u.ID()); return nil })
	if !errors.Is(err, identity.ErrStaleUser) || err.Error() != identity.ErrStaleUser.Message {
		t.Errorf("user: %v, want %q", err, identity.ErrStaleUser.Message)
	}

	sessions := identitymongo.NewSessionRepository(db)
	s := &identity.Session{ID: kernel.NewID(now), UserID: u.ID(), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := sessions.Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	_, err = sessions.Update(ctx, s.ID, func(*identity.Session) error { bumpVersion(ctx, t, db.Collection("sessions"), s.ID); return nil })
	// Both share the code concurrent_update; what the client reads differs.
	if !errors.Is(err, identity.ErrStaleSession) || err.Error() != identity.ErrStaleSession.Message {
		t.Errorf("session: %v, want %q", err, identity.ErrStaleSession.Message)
	}
}
