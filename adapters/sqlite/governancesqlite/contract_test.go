package governancesqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/governancesqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/governanceport/governanceporttest"
)

func TestTermsRepository(t *testing.T) {
	governanceporttest.TestTermsRepository(t, func(t *testing.T) governanceport.TermsRepository {
		return governancesqlite.NewTermsRepository(sqlitetest.Open(t))
	})
}

func TestConsentRepository(t *testing.T) {
	governanceporttest.TestConsentRepository(t, func(t *testing.T) governanceport.ConsentRepository {
		return governancesqlite.NewConsentRepository(sqlitetest.Open(t))
	})
}

func TestAccessRequestRepository(t *testing.T) {
	governanceporttest.TestAccessRequestRepository(t, func(t *testing.T) governanceport.AccessRequestRepository {
		return governancesqlite.NewAccessRequestRepository(sqlitetest.Open(t))
	})
}

func TestGrantRepository(t *testing.T) {
	governanceporttest.TestGrantRepository(t, func(t *testing.T) governanceport.GrantRepository {
		return governancesqlite.NewGrantRepository(sqlitetest.Open(t))
	})
}

// Each repository opened is another connection to the same file, as another
// process's would be.
func TestNoticeClaimRepository(t *testing.T) {
	governanceporttest.TestNoticeClaimRepository(t, func(t *testing.T) func() governanceport.NoticeClaimRepository {
		path := filepath.Join(t.TempDir(), "civictrust.db")
		return func() governanceport.NoticeClaimRepository {
			return governancesqlite.NewNoticeClaimRepository(sqlitetest.OpenAt(t, path))
		}
	})
}
