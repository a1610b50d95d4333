package ratelimitmem_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/memory/ratelimitmem"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/platformport/platformporttest"
)

func TestRateLimitStore(t *testing.T) {
	platformporttest.TestRateLimitStore(t, func(*testing.T) platformport.RateLimitStore { return ratelimitmem.New() },
		platformporttest.RateLimitStoreSkips{})
}
