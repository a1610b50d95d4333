package accessmongo

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the access records of db, for export and import.
func Sections(db *mongo.Database) []storeport.Section {
	return []storeport.Section{
		mongostore.NewSection(db.Collection(rolesCollection), storeport.KindRole, func(d roleDoc) any { return d.toDomain() },
			mongostore.WithID(func(r *access.Role) string { return r.ID }, toRoleDoc)),
		mongostore.NewSection(db.Collection(modulesCollection), storeport.KindModule, func(d moduleDoc) any { return d.toDomain() },
			mongostore.WithID(func(m *access.Module) string { return m.ID }, toModuleDoc)),
	}
}
