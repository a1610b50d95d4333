package identitymongo_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/porttestkit"
)

// On the embedded store, where this process is the only writer, a login's
// bookkeeping (UpdateFrom the copy the login read) is one write without a
// second read when that copy is the version this process wrote last; any
// other copy is replaced under the lock by what this process last wrote (or,
// when it kept nothing, by a read), so nothing written meanwhile is lost.
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

	// read is now a version behind: apply to the latest, which this process
	// wrote and kept.
	v3, err := repo.UpdateFrom(ctx, read, func(u *identity.User) error { u.Name = "Augusta Ada King"; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := counter.Take(); got["find"] != 0 || got["update"] != 1 {
		t.Fatalf("UpdateFrom a stale copy sent %v, want one update from the kept copy", got)
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

// The sole writer answers reads of a user it wrote from what it wrote: no
// command, and the same user a read of the store returns (times in
// milliseconds, UTC). Users it did not write are read from the store.
func TestTheSoleWriterReadsUsersItWroteWithoutTheStore(t *testing.T) {
	db, counter := mongotest.Counted(t, newDB(t))
	repo := identitymongo.NewUserRepository(db, mongostore.NewSoleWriterDocLocks())
	fresh := func() *identitymongo.UserRepository { // a process that wrote nothing: reads the store
		return identitymongo.NewUserRepository(db, mongostore.NewSoleWriterDocLocks())
	}
	ctx := t.Context()
	now := time.Now() // nanoseconds, local: the store keeps milliseconds, UTC
	ada := &identity.User{ID: kernel.NewID(now), Name: "Ada", Email: "ada@example.com", PasswordHash: "h", Active: true, CreatedAt: now, UpdatedAt: now}
	if err := repo.Create(ctx, ada); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.UpdateFrom(ctx, ada, func(u *identity.User) error { u.RecordSuccessfulLogin(now); return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.GetByEmail(ctx, "ada@example.com"); err != nil { // learns the address's owner
		t.Fatal(err)
	}

	counter.Take()
	kept, err := repo.Get(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	byEmail, err := repo.GetByEmail(ctx, "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got := counter.Take(); len(got) != 0 {
		t.Fatalf("reading a user this process wrote sent %v, want nothing", got)
	}
	stored, err := fresh().Get(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := counter.Take(); got["find"] != 1 {
		t.Fatalf("a process that wrote nothing sent %v, want one find", got)
	}
	if !reflect.DeepEqual(kept, stored) || !reflect.DeepEqual(byEmail, stored) {
		t.Fatalf("from what was written:\n%+v\n%+v\nfrom the store:\n%+v", kept, byEmail, stored)
	}

	// A caller changing its copy changes nothing kept.
	kept.Name, kept.RoleIDs = "changed", append(kept.RoleIDs, "admin")
	*kept.Auth.LastLogin = time.Time{}
	again, err := repo.Get(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, stored) {
		t.Fatalf("after the caller changed its copy: %+v, want %+v", again, stored)
	}
}

// A user deleted while updates of it are under way stays deleted: no update
// finishing meanwhile leaves a copy for later reads (or logins) to find.
func TestTheSoleWriterForgetsADeletedUserWhateverTheRace(t *testing.T) {
	repo := identitymongo.NewUserRepository(newDB(t), mongostore.NewSoleWriterDocLocks())
	ctx := t.Context()
	for round := range 20 {
		now := time.Now().UTC()
		u := &identity.User{ID: kernel.NewID(now), Name: "Ada", Email: fmt.Sprintf("ada%d@example.com", round), PasswordHash: "h", Active: true, CreatedAt: now, UpdatedAt: now}
		if err := repo.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		errs := porttestkit.AtOnce(4, func(i int) error {
			if i == 0 {
				return repo.Delete(ctx, u.ID)
			}
			_, err := repo.UpdateFrom(ctx, u, func(u *identity.User) error { u.RecordSuccessfulLogin(time.Now()); return nil })
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
		if got, err := repo.Get(ctx, u.ID); !errors.Is(err, identity.ErrUserNotFound) {
			t.Fatalf("round %d: Get after the delete = %+v, %v; want ErrUserNotFound", round, got, err)
		}
		if got, err := repo.GetByEmail(ctx, u.Email); !errors.Is(err, identity.ErrUserNotFound) {
			t.Fatalf("round %d: GetByEmail after the delete = %+v, %v; want ErrUserNotFound", round, got, err)
		}
	}
}
