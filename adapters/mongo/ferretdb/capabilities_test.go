package ferretdb_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/ferretdb"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
)

// limitation is a way FerretDB differs from MongoDB that contract cases are
// skipped for (the reason is mongotest's constant). mongoDBBehaviour returns
// nil when FerretDB behaves as MongoDB does.
type limitation struct {
	name             string
	reason           string
	mongoDBBehaviour func(ctx context.Context, c *mongo.Collection) error
	// racy: the behaviour depends on timing, so MongoDB's answer once is no
	// proof that the limitation is gone.
	racy bool
}

// TestLimitations pins the limitations the skips name: each must still show
// on FerretDB. When one no longer does (say after an upgrade), the test fails
// so that the skips naming it go and their cases run again.
func TestLimitations(t *testing.T) {
	s := start(t, ferretdb.Options{Dir: t.TempDir()})
	db := connect(t, s.URI()).Database("limits")
	for i, l := range limitations {
		t.Run(l.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := l.mongoDBBehaviour(ctx, db.Collection(fmt.Sprintf("c%02d", i)))
			switch {
			case err != nil:
				t.Logf("%s: %v", l.reason, err)
			case l.racy:
				t.Logf("%s: not seen this time (it depends on timing)", l.reason)
			default:
				t.Errorf("FerretDB now behaves as MongoDB, yet cases are skipped because %s: drop those skips", l.reason)
			}
		})
	}
}

func d(kv ...any) bson.D {
	out := bson.D{}
	for i := 0; i < len(kv); i += 2 {
		out = append(out, bson.E{Key: kv[i].(string), Value: kv[i+1]})
	}
	return out
}

func byID(id any) bson.D { return d("_id", id) }

// isDuplicateKey checks that err is MongoDB's answer to a broken unique index.
func isDuplicateKey(err error) error {
	switch {
	case err == nil:
		return errors.New("the duplicate was accepted")
	case !mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("not a duplicate-key error: %w", err)
	}
	return nil
}

var limitations = []limitation{
	{name: "two_step_updates", reason: mongotest.TwoStepUpdates, racy: true, mongoDBBehaviour: func(ctx context.Context, c *mongo.Collection) error {
		const n = 20
		if _, err := c.InsertOne(ctx, d("_id", 1, "used", nil, "count", 0)); err != nil {
			return err
		}
		var won atomic.Int32
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				res, err := c.UpdateOne(ctx, d("_id", 1, "used", nil), d("$set", d("used", i)))
				if err == nil && res.ModifiedCount == 1 {
					won.Add(1)
				}
				_, _ = c.UpdateOne(ctx, byID(1), d("$inc", d("count", 1)))
			})
		}
		wg.Wait()
		var got struct {
			Count int `bson:"count"`
		}
		if err := c.FindOne(ctx, byID(1)).Decode(&got); err != nil {
			return err
		}
		if won.Load() != 1 || got.Count != n {
			return fmt.Errorf("%d of %d compare-and-sets on one document applied, and %d of %d $inc", won.Load(), n, got.Count, n)
		}
		return nil
	}},
	{name: "no_transactions", reason: mongotest.NoTransactions, mongoDBBehaviour: func(ctx context.Context, c *mongo.Collection) error {
		sess, err := c.Database().Client().StartSession()
		if err != nil {
			return err
		}
		defer sess.EndSession(ctx)
		_, err = sess.WithTransaction(ctx, func(ctx context.Context) (any, error) {
			return c.InsertOne(ctx, byID(1))
		})
		return err
	}},
	{name: "update_breaking_a_unique_index", reason: mongotest.UpdateBreakingUniqueIndex, mongoDBBehaviour: func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("email", 1), Options: options.Index().SetUnique(true)}); err != nil {
			return err
		}
		if _, err := c.InsertMany(ctx, []any{d("_id", 1, "email", "a@x"), d("_id", 2, "email", "b@x")}); err != nil {
			return err
		}
		if _, err := c.ReplaceOne(ctx, byID(2), d("email", "a@x")); isDuplicateKey(err) != nil {
			return fmt.Errorf("replaceOne: %w", isDuplicateKey(err))
		}
		return isDuplicateKey(c.FindOneAndUpdate(ctx, byID(2), d("$set", d("email", "a@x"))).Err())
	}},
	{name: "duplicate_key_without_pattern", reason: mongotest.DuplicateKeyWithoutPattern, mongoDBBehaviour: func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.InsertOne(ctx, byID(1)); err != nil {
			return err
		}
		_, err := c.InsertOne(ctx, byID(1))
		if !mongostore.IsDuplicateID(err) {
			return fmt.Errorf("no keyPattern {_id: 1} in %w", err)
		}
		return nil
	}},
	{name: "index_options_change_accepted", reason: mongotest.IndexOptionsChangeAccepted, mongoDBBehaviour: func(ctx context.Context, c *mongo.Collection) error {
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("k", 1), Options: options.Index().SetName("k")}); err != nil {
			return err
		}
		_, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: d("k", 1), Options: options.Index().SetName("k").SetUnique(true)})
		if err == nil {
			return errors.New("making an existing index unique was accepted silently")
		}
		return nil
	}},
}
