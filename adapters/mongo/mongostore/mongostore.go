// Package mongostore is the Mongo plumbing shared by every repository adapter:
// connecting with timeouts that turn a lost store into a prompt 503,
// translating driver errors into kernel errors, the compare-and-set loop of
// every read-modify-write, ObjectID helpers and idempotent index creation.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Timeouts applied by Connect. timeoutMS, serverSelectionTimeoutMS and
// connectTimeoutMS in the URI override them.
const (
	// serverSelectionTimeout bounds the wait for a usable server.
	serverSelectionTimeout = 5 * time.Second
	// connectTimeout bounds dialling and the handshake of one connection.
	connectTimeout = 5 * time.Second
	// operationTimeout bounds every operation that runs on a context without
	// an earlier deadline (client-side operation timeout), so that a request
	// fails (503) within 5 s when the store goes away rather than hanging.
	operationTimeout = 4 * time.Second
)

// Client is a connection pool to one MongoDB deployment, bound to the
// application's database. It is safe for concurrent use.
type Client struct {
	client *mongo.Client
	db     *mongo.Database
}

// Connect connects to uri, pings it once and returns a client bound to
// database; extra options (a command monitor) apply before the URI's. A store
// that cannot be reached gives an error of kind kernel.KindUnavailable within
// about 5 s; a malformed URI gives a plain error.
func Connect(ctx context.Context, uri, database string, extra ...ConnectOption) (*Client, error) {
	if database == "" {
		return nil, errors.New("mongostore: database name is required")
	}
	opts := options.Client().
		SetServerSelectionTimeout(serverSelectionTimeout).
		SetConnectTimeout(connectTimeout).
		SetTimeout(operationTimeout)
	for _, o := range extra {
		o(opts)
	}
	opts.ApplyURI(uri) // last, so that options given in the URI win
	client, err := mongo.Connect(opts)
	if err != nil {
		// The error never contains the URI (which may hold a password).
		return nil, fmt.Errorf("mongostore: connect: %w", err)
	}
	if err := client.Ping(ctx, nil); err != nil {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), connectTimeout)
		defer cancel()
		_ = client.Disconnect(dctx)
		return nil, Translate(fmt.Errorf("mongostore: ping: %w", shortSelectionError(err)))
	}
	return &Client{client: client, db: client.Database(database)}, nil
}

// DB returns the application's database.
func (c *Client) DB() *mongo.Database { return c.db }

// Ping checks that the store answers (for readiness probes); the error is
// translated, so an unreachable store is kernel.KindUnavailable.
func (c *Client) Ping(ctx context.Context) error {
	return Translate(c.client.Ping(ctx, nil))
}

// Close closes the pool's connections; in-flight operations get ctx's time to finish.
func (c *Client) Close(ctx context.Context) error {
	if err := c.client.Disconnect(ctx); err != nil && !errors.Is(err, mongo.ErrClientDisconnected) {
		return fmt.Errorf("mongostore: disconnect: %w", err)
	}
	return nil
}
