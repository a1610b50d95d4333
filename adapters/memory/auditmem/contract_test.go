package auditmem_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/memory/auditmem"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/auditport/auditporttest"
)

func TestStore(t *testing.T) {
	auditporttest.TestStore(t, func(*testing.T) auditport.Store { return auditmem.NewStore() })
}
