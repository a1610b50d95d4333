package accesshttp_test

import (
	"os"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

// TestMain checks, once the tests are over, that the OpenAPI document
// describes every answer they saw (see apitest.Run).
func TestMain(m *testing.M) { os.Exit(apitest.Run(m)) }
