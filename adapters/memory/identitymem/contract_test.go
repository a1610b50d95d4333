package identitymem_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/memory/identitymem"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/identityport/identityporttest"
)

func TestUserRepository(t *testing.T) {
	identityporttest.TestUserRepository(t, func(*testing.T) identityport.UserRepository {
		return identitymem.NewUserRepository()
	})
}

func TestSessionRepository(t *testing.T) {
	identityporttest.TestSessionRepository(t, func(*testing.T) identityport.SessionRepository {
		return identitymem.NewSessionRepository()
	})
}

func TestOneTimeTokenRepository(t *testing.T) {
	identityporttest.TestOneTimeTokenRepository(t, func(*testing.T) identityport.OneTimeTokenRepository {
		return identitymem.NewOneTimeTokenRepository()
	})
}
