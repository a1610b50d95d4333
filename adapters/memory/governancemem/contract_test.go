package governancemem_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/memory/governancemem"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/governanceport/governanceporttest"
)

func TestTermsRepository(t *testing.T) {
	governanceporttest.TestTermsRepository(t, func(*testing.T) governanceport.TermsRepository {
		return governancemem.NewTermsRepository()
	})
}

func TestConsentRepository(t *testing.T) {
	governanceporttest.TestConsentRepository(t, func(*testing.T) governanceport.ConsentRepository {
		return governancemem.NewConsentRepository()
	})
}

func TestAccessRequestRepository(t *testing.T) {
	governanceporttest.TestAccessRequestRepository(t, func(*testing.T) governanceport.AccessRequestRepository {
		return governancemem.NewAccessRequestRepository()
	})
}

func TestGrantRepository(t *testing.T) {
	governanceporttest.TestGrantRepository(t, func(*testing.T) governanceport.GrantRepository {
		return governancemem.NewGrantRepository()
	})
}

// One repository is one store: every instance of the service shares it.
func TestNoticeClaimRepository(t *testing.T) {
	governanceporttest.TestNoticeClaimRepository(t, func(*testing.T) func() governanceport.NoticeClaimRepository {
		repo := governancemem.NewNoticeClaimRepository()
		return func() governanceport.NoticeClaimRepository { return repo }
	})
}
