package mongotest_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
)

func TestDatabase(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	valid := regexp.MustCompile(`^[A-Za-z0-9_-]{1,63}$`)

	var names []string
	t.Run("a_very_long_subtest_name_with spaces/and/slashes_that_goes_on_and_on_and_on_and_on", func(t *testing.T) {
		db := mongotest.Database(t)
		names = append(names, db.Name())
		if _, err := db.Collection("c").InsertOne(ctx, bson.D{{Key: "x", Value: 1}}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("second", func(t *testing.T) {
		db := mongotest.Database(t)
		names = append(names, db.Name())
		n, err := db.Collection("c").CountDocuments(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("fresh database has %d documents", n)
		}
	})
	if len(names) != 2 || names[0] == names[1] {
		t.Fatalf("names %v", names)
	}
	for _, n := range names {
		if !valid.MatchString(n) {
			t.Errorf("invalid database name %q", n)
		}
	}

	// the databases were dropped at the subtests' cleanup
	db := mongotest.Database(t)
	all, err := db.Client().ListDatabaseNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range all {
		if n == names[0] || n == names[1] {
			t.Errorf("database %s was not dropped", n)
		}
	}
}
