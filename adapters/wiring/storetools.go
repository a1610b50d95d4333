package wiring

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// SQLiteDump is every record of an embedded store opened by the caller (a
// database file other than DATA_DIR/civictrust.db, such as the one an import
// writes before renaming it), with the same sections `civictrust store` uses.
func SQLiteDump(db *sqlitestore.DB) storeport.Store { return newSQLiteDump(db) }

// MongoDump is every record of a MongoDB database the caller connected to
// (such as the earlier embedded store, read through FerretDB).
func MongoDump(db *mongo.Database) storeport.Store { return newMongoDump(db) }

// EmbeddedBlobStore opens the blob store the embedded store uses with cfg
// (BLOB_DRIVER fs or s3).
func EmbeddedBlobStore(cfg configs.Config) (platformport.BlobStore, error) {
	return newBlobStore(cfg, nil)
}
