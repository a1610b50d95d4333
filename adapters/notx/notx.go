// Package notx is the Transactor of a store without transactions (the memory
// store, and MongoDB as the adapters use it): fn runs as it is, each of its
// writes on its own.
package notx

import (
	"context"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Transactor runs fn without a transaction.
type Transactor struct{}

var _ platformport.Transactor = Transactor{}

// Atomically runs fn.
func (Transactor) Atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	return fn(ctx)
}
