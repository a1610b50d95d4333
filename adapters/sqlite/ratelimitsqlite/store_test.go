package ratelimitsqlite_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/ratelimitsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/platformport/platformporttest"
)

func TestRateLimitStore(t *testing.T) {
	platformporttest.TestRateLimitStore(t, func(t *testing.T) platformport.RateLimitStore {
		return ratelimitsqlite.New(sqlitetest.Open(t))
	}, platformporttest.RateLimitStoreSkips{})
}
