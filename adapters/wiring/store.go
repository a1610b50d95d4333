package wiring

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/blob/fsblob"
	"github.com/civicdatatrust/civictrust/adapters/blob/gridfsblob"
	"github.com/civicdatatrust/civictrust/adapters/blob/memblob"
	"github.com/civicdatatrust/civictrust/adapters/blob/s3blob"
	"github.com/civicdatatrust/civictrust/adapters/embedded"
	"github.com/civicdatatrust/civictrust/adapters/memory/accessmem"
	"github.com/civicdatatrust/civictrust/adapters/memory/communitymem"
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
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// MongoStore backs every repository with MongoDB: MONGODB_URI, or the embedded
// FerretDB store in DATA_DIR when it is empty.
func MongoStore() fx.Option {
	return fx.Options(
		fx.Provide(
			newMongoClient,
			func(c *mongostore.Client) *mongo.Database { return c.DB() },
			newDocLocks,
			func(c *mongostore.Client) platformport.HealthChecker { return c },
			func(db *mongo.Database, l *mongostore.DocLocks) identityport.UserRepository {
				return identitymongo.NewUserRepository(db, l)
			},
			func(db *mongo.Database, l *mongostore.DocLocks) identityport.SessionRepository {
				return identitymongo.NewSessionRepository(db, l)
			},
			func(db *mongo.Database, l *mongostore.DocLocks) identityport.OneTimeTokenRepository {
				return identitymongo.NewOneTimeTokenRepository(db, l)
			},
			func(db *mongo.Database) accessport.RoleRepository { return accessmongo.NewRoleRepository(db) },
			func(db *mongo.Database, l *mongostore.DocLocks) accessport.ModuleRepository {
				return accessmongo.NewModuleRepository(db, l)
			},
			func(db *mongo.Database, l *mongostore.DocLocks) communityport.CommunityRepository {
				return communitymongo.NewCommunityRepository(db, l)
			},
			func(db *mongo.Database) communityport.MembershipRepository {
				return communitymongo.NewMembershipRepository(db)
			},
			func(db *mongo.Database, l *mongostore.DocLocks) communityport.JoinRequestRepository {
				return communitymongo.NewJoinRequestRepository(db, l)
			},
			newBlobStore,
			func(db *mongo.Database) platformport.RateLimitStore { return ratelimitmongo.New(db) },
		),
		mongoDatasetRepositories(),
		mongoGovernanceRepositories(),
	)
}

// newDocLocks is the process's lock table: the embedded store has no other
// writer than this process (it refuses a second one), MongoDB may have many.
func newDocLocks(cfg configs.Config) *mongostore.DocLocks {
	if cfg.Embedded() {
		return mongostore.NewSoleWriterDocLocks()
	}
	return mongostore.NewDocLocks()
}

// storeIndexes are every index the Mongo adapters need.
func storeIndexes() []mongostore.Index {
	var all []mongostore.Index
	all = append(all, identitymongo.Indexes()...)
	all = append(all, accessmongo.Indexes()...)
	all = append(all, communitymongo.Indexes()...)
	all = append(all, datasetmongo.Indexes()...)
	all = append(all, governancemongo.Indexes()...)
	all = append(all, auditmongo.Indexes()...)
	all = append(all, ratelimitmongo.Indexes()...)
	return all
}

// newMongoClient starts the embedded store when needed, connects, and creates
// the indexes; the stop hooks close the client, then stop the embedded store.
func newMongoClient(lc fx.Lifecycle, cfg configs.Config, log zerolog.Logger, obs storeObserver) (*mongostore.Client, error) {
	ctx := context.Background()
	uri := cfg.MongoDBURI
	var store *embedded.Store
	if cfg.Embedded() {
		s, err := embedded.Start(ctx, embedded.Options{Dir: dataPath(cfg, "db"), Logger: log.With().Str("component", "ferretdb").Logger()})
		if err != nil {
			return nil, fmt.Errorf("start the embedded store: %w", err)
		}
		store, uri = s, s.URI()
	}
	client, err := mongostore.Connect(ctx, uri, cfg.MongoDBDatabase, obs.options()...)
	if err != nil {
		if store != nil {
			_ = store.Stop(ctx)
		}
		return nil, fmt.Errorf("connect to the store: %w", err)
	}
	var indexer *primaryKeyIndexer
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			if err := mongostore.EnsureIndexes(ctx, client.DB(), storeIndexes()); err != nil {
				return err
			}
			if store != nil {
				// Only a speed-up: without it the store still answers, by scanning.
				if _, err := store.IndexPrimaryKeys(ctx); err != nil {
					log.Warn().Err(err).Msg("index the embedded store's collections by _id")
				}
				indexer = startPrimaryKeyIndexer(store, log)
			}
			return nil
		},
		OnStop: func(ctx context.Context) error {
			indexer.stop()
			err := client.Close(ctx)
			if store != nil {
				if serr := store.Stop(ctx); serr != nil && err == nil {
					err = serr
				}
			}
			return err
		},
	})
	return client, nil
}

// primaryKeyIndexEvery is how often the embedded store's collections created
// since the start (a first sign-up, a first join request) get their _id index.
const primaryKeyIndexEvery = time.Minute

// primaryKeyIndexFirst is when the first pass after the start runs.
const primaryKeyIndexFirst = 5 * time.Second

// primaryKeyIndexer runs embedded.Store.IndexPrimaryKeys in the background.
type primaryKeyIndexer struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func startPrimaryKeyIndexer(store *embedded.Store, log zerolog.Logger) *primaryKeyIndexer {
	ctx, cancel := context.WithCancel(context.Background())
	ix := &primaryKeyIndexer{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(ix.done)
		// The first pass comes soon: the start itself creates collections
		// (the first admin's address claim, the audit head record).
		next := time.NewTimer(primaryKeyIndexFirst)
		defer next.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-next.C:
				if _, err := store.IndexPrimaryKeys(ctx); err != nil && ctx.Err() == nil {
					log.Warn().Err(err).Msg("index the embedded store's new collections")
				}
				next.Reset(primaryKeyIndexEvery)
			}
		}
	}()
	return ix
}

// stop ends the background indexing and waits for it (nil: never started).
func (ix *primaryKeyIndexer) stop() {
	if ix == nil {
		return
	}
	ix.cancel()
	<-ix.done
}

// MemoryStore backs every repository with the in-memory adapters (tests, demos).
func MemoryStore() fx.Option {
	return fx.Options(memoryDatasetRepositories(), memoryGovernanceRepositories(), fx.Provide(
		func() identityport.UserRepository { return identitymem.NewUserRepository() },
		func() identityport.SessionRepository { return identitymem.NewSessionRepository() },
		func() identityport.OneTimeTokenRepository { return identitymem.NewOneTimeTokenRepository() },
		func() accessport.RoleRepository { return accessmem.NewRoleRepository() },
		func() accessport.ModuleRepository { return accessmem.NewModuleRepository() },
		func() communityport.CommunityRepository { return communitymem.NewCommunityRepository() },
		func() communityport.MembershipRepository { return communitymem.NewMembershipRepository() },
		func() communityport.JoinRequestRepository { return communitymem.NewJoinRequestRepository() },
		func() platformport.BlobStore { return memblob.New() },
		func() platformport.HealthChecker { return alwaysHealthy{} },
		func() platformport.RateLimitStore { return ratelimitmem.New() },
	))
}

// newBlobStore opens the blob store BLOB_DRIVER names: a folder (fs), GridFS
// in the application's database (gridfs) or an S3 bucket (s3).
func newBlobStore(cfg configs.Config, db *mongo.Database) (platformport.BlobStore, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	switch cfg.BlobDriver {
	case configs.BlobFS:
		return fsblob.New(cfg.BlobDir)
	case configs.BlobGridFS:
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
