package governancemongo

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Sections are the governance records of db, for export and import.
func Sections(db *mongo.Database) []storeport.Section {
	return []storeport.Section{
		mongostore.NewSection(db.Collection(termsCollection), storeport.KindTerms, func(d termsDoc) any { return d.toDomain() },
			mongostore.WithID(func(t *governance.Terms) string { return t.ID }, toTermsDoc)),
		mongostore.NewSection(db.Collection(consentsCollection), storeport.KindConsent, func(d consentDoc) any { return d.toDomain() },
			mongostore.WithID(func(c *governance.Consent) string { return c.ID }, toConsentDoc)),
		mongostore.NewSection(db.Collection(requestsCollection), storeport.KindAccessRequest, func(d requestDoc) any { return d.toDomain() },
			mongostore.WithID(func(r *governance.AccessRequest) string { return r.ID }, toRequestDoc)),
		mongostore.NewSection(db.Collection(grantsCollection), storeport.KindGrant, func(d grantDoc) any { return d.toDomain() },
			mongostore.WithID(func(g *governance.Grant) string { return g.ID }, toGrantDoc)),
		mongostore.NewSection(db.Collection(claimsCollection), storeport.KindNoticeClaim,
			func(d claimDoc) any {
				return &governance.NoticeClaim{GrantID: d.GrantID, Notice: governance.Notice(d.Notice), ClaimedAt: d.ClaimedAt.UTC()}
			},
			mongostore.Record(func(c *governance.NoticeClaim) (any, error) {
				return claimDoc{Key: claimKey(c.GrantID, c.Notice), GrantID: c.GrantID, Notice: string(c.Notice), ClaimedAt: c.ClaimedAt}, nil
			})),
	}
}
