package auditmem_test

import (
	"slices"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/memory/auditmem"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/auditport/auditporttest"
)

func TestStore(t *testing.T) {
	auditporttest.TestStore(t, func(_ *testing.T, n int) []auditport.Store {
		return slices.Repeat([]auditport.Store{auditmem.NewStore()}, n)
	})
}
