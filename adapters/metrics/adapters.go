package metrics

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Handler serves the registry in the Prometheus text format: the metrics
// listener's GET /metrics (never the public port's).
func Handler(g prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	return mux
}

// storeOperation is the label of a command name: the commands the adapters
// send, and "other" for any other, so that the label's values stay bounded.
func storeOperation(name string) string {
	switch name {
	case "find", "insert", "update", "delete", "findAndModify", "aggregate", "getMore", "killCursors",
		"count", "distinct", "createIndexes", "listIndexes", "dropIndexes", "listCollections", "create",
		"drop", "dropDatabase", "ping", "hello", "isMaster", "endSessions", "buildInfo", "listDatabases",
		"commitTransaction", "abortTransaction":
		return name
	}
	return "other"
}

// CommandMonitor times every MongoDB command by name (mongostore.WithMonitor);
// failed commands (timeouts, a store that went away) are timed too.
func (m *Metrics) CommandMonitor() *event.CommandMonitor {
	return &event.CommandMonitor{
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			m.store.WithLabelValues(storeOperation(e.CommandName)).Observe(e.Duration.Seconds())
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			m.store.WithLabelValues(storeOperation(e.CommandName)).Observe(e.Duration.Seconds())
		},
	}
}

// ObserveStore records one operation of the embedded store ("read" or
// "write") that took took.
func (m *Metrics) ObserveStore(operation string, took time.Duration) {
	m.store.WithLabelValues(operation).Observe(took.Seconds())
}

// Blobs times the calls of a blob store and counts the bytes uploads store.
func (m *Metrics) Blobs(b platformport.BlobStore) platformport.BlobStore {
	return timedBlobs{inner: b, m: m}
}

type timedBlobs struct {
	inner platformport.BlobStore
	m     *Metrics
}

func (b timedBlobs) observe(op string, start time.Time) {
	b.m.blob.WithLabelValues(op).Observe(time.Since(start).Seconds())
}

func (b timedBlobs) Put(ctx context.Context, r io.Reader, maxBytes int64) (platformport.BlobInfo, error) {
	defer b.observe("put", time.Now())
	info, err := b.inner.Put(ctx, r, maxBytes)
	if err == nil {
		b.m.uploadBytes.Add(float64(info.Size))
	}
	return info, err
}

func (b timedBlobs) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	defer b.observe("open", time.Now())
	return b.inner.Open(ctx, key, offset, length)
}

func (b timedBlobs) Delete(ctx context.Context, key string) error {
	defer b.observe("delete", time.Now())
	return b.inner.Delete(ctx, key)
}

// Users counts lockouts: an update of the user repository that leaves a
// user locked who was not locked before. The identity use cases stay free of
// metrics; the lock itself is their decision, recorded through this port.
func (m *Metrics) Users(u identityport.UserRepository, now func() time.Time) identityport.UserRepository {
	return lockoutCounter{UserRepository: u, m: m, now: now}
}

type lockoutCounter struct {
	identityport.UserRepository
	m   *Metrics
	now func() time.Time
}

func (r lockoutCounter) Update(ctx context.Context, id string, fn func(u *identity.User) error) (*identity.User, error) {
	locked := false // set by the last run of fn: Update may retry it
	u, err := r.UserRepository.Update(ctx, id, r.noticeLockout(fn, &locked))
	if err == nil && locked {
		r.m.lockouts.Inc()
	}
	return u, err
}

// noticeLockout wraps an update function so that *locked tells whether its
// last run locked an account that was not locked.
func (r lockoutCounter) noticeLockout(fn func(u *identity.User) error, locked *bool) func(u *identity.User) error {
	return func(u *identity.User) error {
		now := r.now()
		was, _ := u.LockedAt(now)
		if err := fn(u); err != nil {
			return err
		}
		is, _ := u.LockedAt(now)
		*locked = !was && is
		return nil
	}
}
