package identitysqlite_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/identitysqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/identityport/identityporttest"
)

func TestUserRepository(t *testing.T) {
	identityporttest.TestUserRepository(t, func(t *testing.T) identityport.UserRepository {
		return identitysqlite.NewUserRepository(sqlitetest.Open(t))
	})
}

func TestSessionRepository(t *testing.T) {
	identityporttest.TestSessionRepository(t, func(t *testing.T) identityport.SessionRepository {
		return identitysqlite.NewSessionRepository(sqlitetest.Open(t))
	})
}

func TestOneTimeTokenRepository(t *testing.T) {
	identityporttest.TestOneTimeTokenRepository(t, func(t *testing.T) identityport.OneTimeTokenRepository {
		return identitysqlite.NewOneTimeTokenRepository(sqlitetest.Open(t))
	})
}
