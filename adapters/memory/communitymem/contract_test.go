package communitymem_test

import (
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/memory/communitymem"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/communityport/communityporttest"
)

func TestCommunityRepository(t *testing.T) {
	communityporttest.TestCommunityRepository(t, func(*testing.T) communityport.CommunityRepository {
		return communitymem.NewCommunityRepository()
	})
}

func TestMembershipRepository(t *testing.T) {
	communityporttest.TestMembershipRepository(t, func(*testing.T) communityport.MembershipRepository {
		return communitymem.NewMembershipRepository()
	})
}

func TestJoinRequestRepository(t *testing.T) {
	communityporttest.TestJoinRequestRepository(t, func(*testing.T) communityport.JoinRequestRepository {
		return communitymem.NewJoinRequestRepository()
	})
}
