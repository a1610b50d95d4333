package mongotest

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
)

// Commands counts, by name ("find", "insert", "update" …), the commands a
// client sent: what a test asserts when the number of round trips is the
// behaviour (one insert per audit event, no read before a write).
type Commands struct {
	mu sync.Mutex
	n  map[string]int
}

// Take returns the counts since the last Take (or since the client
// connected) and starts again from zero.
func (c *Commands) Take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = map[string]int{}
	return n
}

// Counted returns db's database reached through a second client whose
// commands are counted; the client is closed when the test ends.
func Counted(t testing.TB, db *mongo.Database) (*mongo.Database, *Commands) {
	t.Helper()
	c := &Commands{n: map[string]int{}}
	monitor := &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.n[e.CommandName]++
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, err := mongostore.Connect(ctx, URI(t), db.Name(), mongostore.WithMonitor(monitor))
	if err != nil {
		t.Fatalf("mongotest: connect a counted client: %v", err)
	}
	t.Cleanup(func() { _ = client.Close(context.Background()) })
	return client.DB(), c
}
