package mongostore_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// clearedPool stands for the driver's error of a pool cleared after a
// connection failed, which the driver tells apart by its Retryable method.
type clearedPool struct{}

func (clearedPool) Error() string   { return "connection pool for 127.0.0.1:1 was cleared" }
func (clearedPool) Retryable() bool { return true }

func TestAClearedPoolIsUnavailable(t *testing.T) {
	err := mongostore.Translate(fmt.Errorf("find one and update: %w", clearedPool{}))
	if kernel.KindOf(err) != kernel.KindUnavailable {
		t.Fatalf("KindOf(%v) = %v, want unavailable", err, kernel.KindOf(err))
	}
	if !errors.As(err, new(clearedPool)) {
		t.Fatal("the driver's error is no longer wrapped")
	}
}
