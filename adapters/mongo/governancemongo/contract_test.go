package governancemongo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/governancemongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/governanceport/governanceporttest"
)

// newDB returns a fresh database with the indexes the service creates at start.
func newDB(t *testing.T) *mongo.Database {
	t.Helper()
	db := mongotest.Database(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := mongostore.EnsureIndexes(ctx, db, governancemongo.Indexes()); err != nil {
		t.Fatalf("EnsureIndexes: %v", err)
	}
	return db
}

// onFerretDB reports whether the tests run on the embedded FerretDB rather
// than on a real MongoDB (MONGODB_TEST_URI).
func onFerretDB() bool { return os.Getenv(mongotest.EnvURI) == "" }

// racyCAS skips the cases that race compare-and-sets on FerretDB.
func racyCAS(names ...string) []governanceporttest.Option {
	if !onFerretDB() {
		return nil
	}
	const reason = "FerretDB v1 evaluates an update's filter and writes in two steps, so concurrent compare-and-sets can both succeed"
	var opts []governanceporttest.Option
	for _, n := range names {
		opts = append(opts, governanceporttest.Skip(n, reason))
	}
	return opts
}

func TestTermsRepository(t *testing.T) {
	governanceporttest.TestTermsRepository(t, func(t *testing.T) governanceport.TermsRepository {
		return governancemongo.NewTermsRepository(newDB(t))
	})
}

func TestConsentRepository(t *testing.T) {
	governanceporttest.TestConsentRepository(t, func(t *testing.T) governanceport.ConsentRepository {
		return governancemongo.NewConsentRepository(newDB(t))
	})
}

func TestAccessRequestRepository(t *testing.T) {
	governanceporttest.TestAccessRequestRepository(t, func(t *testing.T) governanceport.AccessRequestRepository {
		return governancemongo.NewAccessRequestRepository(newDB(t))
	}, racyCAS("concurrent_decisions_apply_once", "concurrent_updates_lose_no_write")...)
}

func TestGrantRepository(t *testing.T) {
	governanceporttest.TestGrantRepository(t, func(t *testing.T) governanceport.GrantRepository {
		return governancemongo.NewGrantRepository(newDB(t))
	}, racyCAS("concurrent_revocations_apply_once", "concurrent_updates_lose_no_write")...)
}

// Every instance opens its own client on the same database, as replicas do.
func TestNoticeClaimRepository(t *testing.T) {
	governanceporttest.TestNoticeClaimRepository(t, func(t *testing.T) func() governanceport.NoticeClaimRepository {
		db := newDB(t)
		return func() governanceport.NoticeClaimRepository {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			c, err := mongostore.Connect(ctx, mongotest.URI(t), db.Name(), mongotest.ClientOptions()...)
			if err != nil {
				t.Fatalf("connect: %v", err)
			}
			t.Cleanup(func() { _ = c.Close(context.Background()) })
			return governancemongo.NewNoticeClaimRepository(c.DB())
		}
	})
}
