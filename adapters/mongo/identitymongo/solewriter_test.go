package identitymongo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// On the embedded store, where this process is the only writer, a login's
// bookkeeping (UpdateFrom the copy the login read) is one write without a
// second read when that copy is the version this process wrote last; any
// other copy is read again under the lock, so nothing written meanwhile is
// lost.
func TestTheSoleWriterUpdatesFromTheVersionItWroteWithoutReadingAgain(t *testing.T) {
	db, counter := mongotest.Counted(t, newDB(t)) // with the service's indexes
	repo := identitymongo.NewUserRepository(db, mongostore.NewSoleWriterDocLocks())
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Millisecond)
	ada := &identity.User{ID: kernel.NewID(now), Name: "Ada", Email: "ada@example.com", PasswordHash: "h", Active: true, CreatedAt: now, UpdatedAt: now}
	if err := repo.Create(ctx, ada); err != nil {
		t.Fatal(err)
	}
	login := func(u *identity.User) error { u.RecordSuccessfulLogin(now); return nil }

	read, err := repo.Get(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	counter.Take()
	v2, err := repo.UpdateFrom(ctx, read, login)
	if err != nil {
		t.Fatal(err)
	}
	if got := counter.Take(); got["find"] != 0 || got["update"] != 1 {
		t.Fatalf("UpdateFrom the version this process wrote sent %v, want one update and no find", got)
	}
	if v2.Version != 2 || v2.Auth.LastLogin == nil {
		t.Fatalf("after UpdateFrom: version %d, last login %v", v2.Version, v2.Auth.LastLogin)
	}

	// read is now a version behind: read again, and apply to the latest.
	v3, err := repo.UpdateFrom(ctx, read, func(u *identity.User) error { u.Name = "Augusta Ada King"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := counter.Take(); got["find"] != 1 {
		t.Fatalf("UpdateFrom a stale copy sent %v, want a find first", got)
	}
	if v3.Version != 3 || v3.Auth.LastLogin == nil || v3.Name != "Augusta Ada King" {
		t.Fatalf("UpdateFrom a stale copy lost the newer write: %+v", v3)
	}

	// A write that failed may or may not have reached the store: the version
	// is no longer trusted.
	cancelled, cancelNow := context.WithCancel(ctx)
	cancelNow()
	if _, err := repo.UpdateFrom(cancelled, v3, login); err == nil {
		t.Fatal("UpdateFrom with a cancelled context succeeded")
	}
	counter.Take()
	if _, err := repo.UpdateFrom(ctx, v3, login); err != nil {
		t.Fatal(err)
	}
	if got := counter.Take(); got["find"] != 1 {
		t.Fatalf("UpdateFrom after a failed write sent %v, want a find first", got)
	}

	// A deleted user stays deleted.
	if err := repo.Delete(ctx, ada.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.UpdateFrom(ctx, v3, login); !errors.Is(err, identity.ErrUserNotFound) {
		t.Fatalf("UpdateFrom a deleted user: %v, want ErrUserNotFound", err)
	}
}
