package wiring

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/blob/fsblob"
	"github.com/civicdatatrust/civictrust/adapters/blob/gridfsblob"
	"github.com/civicdatatrust/civictrust/adapters/blob/memblob"
	"github.com/civicdatatrust/civictrust/adapters/blob/s3blob"
	"github.com/civicdatatrust/civictrust/adapters/memory/accessmem"
	"github.com/civicdatatrust/civictrust/adapters/memory/auditmem"
	"github.com/civicdatatrust/civictrust/adapters/memory/communitymem"
	"github.com/civicdatatrust/civictrust/adapters/memory/datasetmem"
	"github.com/civicdatatrust/civictrust/adapters/memory/identitymem"
	"github.com/civicdatatrust/civictrust/adapters/memory/ratelimitmem"
	"github.com/civicdatatrust/civictrust/adapters/mongo/accessmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/auditmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/communitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/datasetmongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/governancemongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/identitymongo"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/mongo/ratelimitmongo"
	"github.com/civicdatatrust/civictrust/adapters/notx"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/accesssqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/auditsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/communitysqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/datasetsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/governancesqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/identitysqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/ratelimitsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Store backs every repository with the store the configuration names:
// MongoDB when MONGODB_URI is set, else the embedded SQLite database in
// DATA_DIR.
func Store(cfg configs.Config) fx.Option {
	if cfg.Embedded() {
		return SQLiteStore()
	}
	return MongoStore()
}

// SQLiteFile is where the embedded store keeps its database in DATA_DIR.
func SQLiteFile(cfg configs.Config) string { return dataPath(cfg, "civictrust.db") }

// SQLiteStore backs every repository with the embedded SQLite database.
func SQLiteStore() fx.Option {
	return fx.Provide(
		newSQLiteDB,
		func(db *sqlitestore.DB) platformport.HealthChecker { return db },
		func(db *sqlitestore.DB) platformport.Transactor { return db },
		func(db *sqlitestore.DB) identityport.UserRepository { return identitysqlite.NewUserRepository(db) },
		func(db *sqlitestore.DB) identityport.SessionRepository {
			return identitysqlite.NewSessionRepository(db)
		},
		func(db *sqlitestore.DB) identityport.OneTimeTokenRepository {
			return identitysqlite.NewOneTimeTokenRepository(db)
		},
		func(db *sqlitestore.DB) accessport.RoleRepository { return accesssqlite.NewRoleRepository(db) },
		func(db *sqlitestore.DB) accessport.ModuleRepository { return accesssqlite.NewModuleRepository(db) },
		func(db *sqlitestore.DB) communityport.CommunityRepository {
			return communitysqlite.NewCommunityRepository(db)
		},
		func(db *sqlitestore.DB) communityport.MembershipRepository {
			return communitysqlite.NewMembershipRepository(db)
		},
		func(db *sqlitestore.DB) communityport.JoinRequestRepository {
			return communitysqlite.NewJoinRequestRepository(db)
		},
		func(db *sqlitestore.DB) datasetport.DatasetRepository { return datasetsqlite.NewDatasetRepository(db) },
		func(db *sqlitestore.DB) datasetport.UploadRepository { return datasetsqlite.NewUploadRepository(db) },
		func(db *sqlitestore.DB) auditport.Store { return auditsqlite.NewStore(db) },
		func(db *sqlitestore.DB) platformport.RateLimitStore { return ratelimitsqlite.New(db) },
		func(cfg configs.Config) (blobStore, error) { return newBlobStore(cfg, nil) },
		blobStoreParts,
		newSQLiteDump,
		func(db *sqlitestore.DB) governanceport.TermsRepository {
			return governancesqlite.NewTermsRepository(db)
		},
		func(db *sqlitestore.DB) governanceport.ConsentRepository {
			return governancesqlite.NewConsentRepository(db)
		},
		func(db *sqlitestore.DB) governanceport.AccessRequestRepository {
			return governancesqlite.NewAccessRequestRepository(db)
		},
		func(db *sqlitestore.DB) governanceport.GrantRepository {
			return governancesqlite.NewGrantRepository(db)
		},
		func(db *sqlitestore.DB) governanceport.NoticeClaimRepository {
			return governancesqlite.NewNoticeClaimRepository(db)
		},
	)
}

// newSQLiteDump is every record of the embedded store, for `civictrust store`.
func newSQLiteDump(db *sqlitestore.DB) storeport.Store {
	return sqlitestore.NewDump(db, identitysqlite.Sections(db), accesssqlite.Sections(db), communitysqlite.Sections(db),
		datasetsqlite.Sections(db), governancesqlite.Sections(db), auditsqlite.Sections(db))
}

// newSQLiteDB opens DATA_DIR/civictrust.db and closes it on stop. A data
// folder of the earlier embedded store (FerretDB) is refused rather than
// silently ignored: its data would seem lost.
func newSQLiteDB(lc fx.Lifecycle, cfg configs.Config, obs storeObserver) (*sqlitestore.DB, error) {
	if err := refuseFerretDBFolder(cfg); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	opts := sqlitestore.Options{}
	if obs.Metrics != nil {
		opts.Observe = obs.Metrics.ObserveStore
	}
	db, err := sqlitestore.Open(ctx, SQLiteFile(cfg), opts)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.Hook{OnStop: func(context.Context) error { return db.Close() }})
	return db, nil
}

// FerretDBFolder is where the earlier embedded store (FerretDB on SQLite)
// kept its databases in DATA_DIR.
func FerretDBFolder(cfg configs.Config) string { return dataPath(cfg, "db") }

// ErrFerretDBData is a data folder of the earlier embedded store that has
// not been brought over.
var ErrFerretDBData = errors.New("data of the earlier embedded store")

// refuseFerretDBFolder fails when DATA_DIR holds the earlier store's
// databases and no SQLite database yet: the data must be brought over first.
func refuseFerretDBFolder(cfg configs.Config) error {
	if _, err := os.Stat(SQLiteFile(cfg)); err == nil {
		return nil
	}
	matches, _ := filepath.Glob(filepath.Join(FerretDBFolder(cfg), "*.sqlite"))
	if len(matches) == 0 {
		return nil
	}
	return fmt.Errorf("%w in %s: bring it over with `civictrust-ferretdb-import` (see docs/operations.md), then start again",
		ErrFerretDBData, FerretDBFolder(cfg))
}

// MongoStore backs every repository with MongoDB (MONGODB_URI).
func MongoStore() fx.Option {
	return fx.Options(mongoGovernanceRepositories(), fx.Provide(
		newMongoClient,
		func(c *mongostore.Client) *mongo.Database { return c.DB() },
		func(c *mongostore.Client) platformport.HealthChecker { return c },
		// Each write on its own: see docs/operations.md, "Audit trail".
		func() platformport.Transactor { return notx.Transactor{} },
		func(db *mongo.Database) identityport.UserRepository { return identitymongo.NewUserRepository(db) },
		func(db *mongo.Database) identityport.SessionRepository { return identitymongo.NewSessionRepository(db) },
		func(db *mongo.Database) identityport.OneTimeTokenRepository {
			return identitymongo.NewOneTimeTokenRepository(db)
		},
		func(db *mongo.Database) accessport.RoleRepository { return accessmongo.NewRoleRepository(db) },
		func(db *mongo.Database) accessport.ModuleRepository { return accessmongo.NewModuleRepository(db) },
		func(db *mongo.Database) communityport.CommunityRepository {
			return communitymongo.NewCommunityRepository(db)
		},
		func(db *mongo.Database) communityport.MembershipRepository {
			return communitymongo.NewMembershipRepository(db)
		},
		func(db *mongo.Database) communityport.JoinRequestRepository {
			return communitymongo.NewJoinRequestRepository(db)
		},
		func(db *mongo.Database) datasetport.DatasetRepository { return datasetmongo.NewDatasetRepository(db) },
		func(db *mongo.Database) datasetport.UploadRepository { return datasetmongo.NewUploadRepository(db) },
		func(db *mongo.Database) auditport.Store { return auditmongo.NewStore(db) },
		func(db *mongo.Database) platformport.RateLimitStore { return ratelimitmongo.New(db) },
		newBlobStore,
		blobStoreParts,
		newMongoDump,
	))
}

// newMongoDump is every record of the MongoDB store, for `civictrust store`.
func newMongoDump(db *mongo.Database) storeport.Store {
	return mongostore.NewDump(identitymongo.Sections(db), accessmongo.Sections(db), communitymongo.Sections(db),
		datasetmongo.Sections(db), governancemongo.Sections(db), auditmongo.Sections(db))
}

// storeIndexes are every index the Mongo adapters need.
func storeIndexes() []mongostore.Index {
	var all []mongostore.Index
	all = append(all, identitymongo.Indexes()...)
	all = append(all, accessmongo.Indexes()...)
	all = append(all, communitymongo.Indexes()...)
	all = append(all, datasetmongo.Indexes()...)
	all = append(all, auditmongo.Indexes()...)
	all = append(all, ratelimitmongo.Indexes()...)
	all = append(all, governancemongo.Indexes()...)
	return all
}

// newMongoClient connects to MONGODB_URI and creates the indexes at start;
// the stop hook closes the client.
func newMongoClient(lc fx.Lifecycle, cfg configs.Config, obs storeObserver) (*mongostore.Client, error) {
	client, err := mongostore.Connect(context.Background(), cfg.MongoDBURI, cfg.MongoDBDatabase, obs.options()...)
	if err != nil {
		return nil, fmt.Errorf("connect to the store: %w", err)
	}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error { return mongostore.EnsureIndexes(ctx, client.DB(), storeIndexes()) },
		OnStop:  client.Close,
	})
	return client, nil
}

// MemoryStore backs every repository with the in-memory adapters (tests, demos).
func MemoryStore() fx.Option {
	return fx.Options(memoryGovernanceRepositories(), fx.Provide(
		func() identityport.UserRepository { return identitymem.NewUserRepository() },
		func() identityport.SessionRepository { return identitymem.NewSessionRepository() },
		func() identityport.OneTimeTokenRepository { return identitymem.NewOneTimeTokenRepository() },
		func() accessport.RoleRepository { return accessmem.NewRoleRepository() },
		func() accessport.ModuleRepository { return accessmem.NewModuleRepository() },
		func() communityport.CommunityRepository { return communitymem.NewCommunityRepository() },
		func() communityport.MembershipRepository { return communitymem.NewMembershipRepository() },
		func() communityport.JoinRequestRepository { return communitymem.NewJoinRequestRepository() },
		func() datasetport.DatasetRepository { return datasetmem.NewDatasetRepository() },
		func() datasetport.UploadRepository { return datasetmem.NewUploadRepository() },
		func() auditport.Store { return auditmem.NewStore() },
		func() blobStore { return memblob.New() },
		blobStoreParts,
		func() platformport.HealthChecker { return alwaysHealthy{} },
		func() platformport.Transactor { return notx.Transactor{} },
		func() platformport.RateLimitStore { return ratelimitmem.New() },
	))
}

// blobStore is a blob store that also stages blobs arriving in pieces
// (resumable uploads): every blob adapter is both.
type blobStore interface {
	platformport.BlobStore
	platformport.StagingStore
}

// blobStoreParts provides the two ports of one blob store apart, so that a
// decorator of the BlobStore (metrics, tests) leaves the staging alone.
func blobStoreParts(b blobStore) (platformport.BlobStore, platformport.StagingStore) { return b, b }

// newBlobStore opens the blob store BLOB_DRIVER names: a folder (fs), GridFS
// in the application's MongoDB database (gridfs; db is nil on the embedded
// store, which the configuration refuses) or an S3 bucket (s3).
func newBlobStore(cfg configs.Config, db *mongo.Database) (blobStore, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	switch cfg.BlobDriver {
	case configs.BlobFS:
		return fsblob.New(cfg.BlobDir)
	case configs.BlobGridFS:
		if db == nil {
			return nil, errors.New("BLOB_DRIVER=gridfs needs MONGODB_URI")
		}
		return gridfsblob.New(ctx, db)
	case configs.BlobS3:
		return s3blob.New(ctx, s3blob.Options{
			Endpoint: cfg.S3Endpoint, Bucket: cfg.S3Bucket, Region: cfg.S3Region,
			AccessKeyID: cfg.S3AccessKeyID, SecretAccessKey: cfg.S3SecretAccessKey,
		})
	default:
		return nil, fmt.Errorf("unknown BLOB_DRIVER %q", cfg.BlobDriver)
	}
}

type alwaysHealthy struct{}

func (alwaysHealthy) Ping(context.Context) error { return nil }
