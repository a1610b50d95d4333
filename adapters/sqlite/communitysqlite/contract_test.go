package communitysqlite_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/communitysqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/communityport/communityporttest"
)

func TestCommunityRepository(t *testing.T) {
	communityporttest.TestCommunityRepository(t, func(t *testing.T) communityport.CommunityRepository {
		return communitysqlite.NewCommunityRepository(sqlitetest.Open(t))
	})
}

func TestMembershipRepository(t *testing.T) {
	communityporttest.TestMembershipRepository(t, func(t *testing.T) communityport.MembershipRepository {
		return communitysqlite.NewMembershipRepository(sqlitetest.Open(t))
	})
}

func TestJoinRequestRepository(t *testing.T) {
	communityporttest.TestJoinRequestRepository(t, func(t *testing.T) communityport.JoinRequestRepository {
		return communitysqlite.NewJoinRequestRepository(sqlitetest.Open(t))
	})
}
