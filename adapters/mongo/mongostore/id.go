package mongostore

import "go.mongodb.org/mongo-driver/v2/bson"

// ObjectID parses an identifier from the domain. It accepts only the canonical
// form (24 lower-case hex digits, as Hex writes it) so that one document has
// one identifier; false means malformed, which callers report as not found.
func ObjectID(id string) (bson.ObjectID, bool) {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil || oid.Hex() != id {
		return bson.ObjectID{}, false
	}
	return oid, true
}

// Hex returns the domain identifier of oid.
func Hex(oid bson.ObjectID) string { return oid.Hex() }
