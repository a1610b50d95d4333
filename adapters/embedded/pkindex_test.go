package embedded_test

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/embedded"
)

// queryPlan is SQLite's plan for FerretDB's lookup by _id in collection's table.
func queryPlan(t *testing.T, dir, dbName, collection string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, dbName+".sqlite")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	var table string
	if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&table); err != nil {
		t.Fatalf("table of %s: %v", collection, err)
	}
	// The statement FerretDB v1.24's SQLite backend prepares for {_id: v}.
	rows, err := db.Query(fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), `"x"`)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

func TestIndexPrimaryKeysLetsLookupsByIDUseAnIndex(t *testing.T) {
	dir := t.TempDir()
	s := start(t, embedded.Options{Dir: dir})
	c := connect(t, s.URI())
	ctx := t.Context()
	coll := c.Database("pk").Collection("sessions")
	oids := make([]bson.ObjectID, 50)
	for i := range oids {
		oids[i] = bson.NewObjectID()
		if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: oids[i]}, {Key: "n", Value: i}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Database("pk").Collection("claims").InsertOne(ctx, bson.D{{Key: "_id", Value: "ada@example.org"}}); err != nil {
		t.Fatal(err)
	}
	if plan := queryPlan(t, dir, "pk", "sessions"); !strings.Contains(plan, "SCAN") {
		t.Fatalf("before: plan %q; this test expects FerretDB's lookup to scan without the extra index", plan)
	}

	n, err := s.IndexPrimaryKeys(ctx)
	if err != nil || n != 2 {
		t.Fatalf("IndexPrimaryKeys = %d, %v; want 2 (sessions, claims)", n, err)
	}
	for _, name := range []string{"sessions", "claims"} {
		if plan := queryPlan(t, dir, "pk", name); !strings.Contains(plan, "USING INDEX") {
			t.Errorf("%s after IndexPrimaryKeys: plan %q, want an index search", name, plan)
		}
	}
	if n, err := s.IndexPrimaryKeys(ctx); err != nil || n != 0 {
		t.Errorf("second IndexPrimaryKeys = %d, %v; want 0, nil", n, err)
	}

	// Lookups, updates, deletes and the unique _id behave as before.
	var got bson.M
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: oids[17]}}).Decode(&got); err != nil || got["n"] != int32(17) {
		t.Fatalf("FindOne by _id = %v, %v", got, err)
	}
	if res, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: oids[17]}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 1017}}}}); err != nil || res.ModifiedCount != 1 {
		t.Fatalf("UpdateOne by _id = %+v, %v", res, err)
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: oids[17]}}).Decode(&got); err != nil || got["n"] != int32(1017) {
		t.Fatalf("FindOne after the update = %v, %v", got, err)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: oids[3]}}); err == nil {
		t.Fatalf("a second document with _id %v was accepted", oids[3])
	}
	if res, err := coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: oids[3]}}); err != nil || res.DeletedCount != 1 {
		t.Fatalf("DeleteOne by _id = %+v, %v", res, err)
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: oids[3]}}).Err(); !errors.Is(err, mongo.ErrNoDocuments) {
		t.Fatalf("FindOne of the deleted document: %v", err)
	}
	// A dropped collection takes its index along; recreated, it is indexed again.
	if err := coll.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "again"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.IndexPrimaryKeys(ctx); err != nil || n != 1 {
		t.Errorf("IndexPrimaryKeys after a drop and re-create = %d, %v; want 1", n, err)
	}
}
