package identitymongo

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the identity records of db, for export and import.
func Sections(db *mongo.Database) []storeport.Section {
	return []storeport.Section{
		mongostore.NewSection(db.Collection(usersCollection), storeport.KindUser, func(d userDoc) any { return d.toDomain() },
			mongostore.WithID(func(u *identity.User) string { return u.ID() }, toUserDoc)),
		mongostore.NewSection(db.Collection(sessionsCollection), storeport.KindSession, func(d sessionDoc) any { return d.toDomain() },
			mongostore.WithID(func(s *identity.Session) string { return s.ID }, toSessionDoc)),
		mongostore.NewSection(db.Collection(tokensCollection), storeport.KindToken, func(d tokenDoc) any { return d.toDomain() },
			mongostore.WithID(func(t *identity.OneTimeToken) string { return t.ID }, toTokenDoc)),
	}
}
