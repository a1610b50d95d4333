package communitymongo

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the community records of db, for export and import.
func Sections(db *mongo.Database) []storeport.Section {
	return []storeport.Section{
		mongostore.NewSection(db.Collection(communitiesCollection), storeport.KindCommunity, func(d communityDoc) any { return d.toDomain() },
			mongostore.WithID(func(c *community.Community) string { return c.ID() }, toCommunityDoc)),
		mongostore.NewSection(db.Collection(membershipsCollection), storeport.KindMembership, func(d membershipDoc) any { return d.toDomain() },
			mongostore.Record(func(m *community.Membership) (any, error) { return toMembershipDoc(m), nil })),
		mongostore.NewSection(db.Collection(joinRequestsCollection), storeport.KindJoinRequest, func(d joinRequestDoc) any { return d.toDomain() },
			mongostore.WithID(func(r *community.JoinRequest) string { return r.ID }, toJoinRequestDoc)),
	}
}
