package mongostore

import (
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// ObjectID parses an identifier from the domain. It accepts only the canonical
// form (24 lower-case hex digits, as Hex writes it) so that one document has
// one identifier; false means malformed, which callers of a lookup report as
// not found.
func ObjectID(id string) (bson.ObjectID, bool) {
	oid, err := bson.ObjectIDFromHex(id)
	if err != nil || oid.Hex() != id {
		return bson.ObjectID{}, false
	}
	return oid, true
}

// NewObjectID parses the identifier of a document about to be created. The
// application makes identifiers with kernel.NewID, so a malformed one is a
// bug, reported as an internal error (never as a client's "not found").
func NewObjectID(id string) (bson.ObjectID, error) {
	oid, ok := ObjectID(id)
	if !ok {
		return bson.ObjectID{}, fmt.Errorf("mongostore: cannot create a document with the malformed identifier %q", id)
	}
	return oid, nil
}

// Hex returns the domain identifier of oid.
func Hex(oid bson.ObjectID) string { return oid.Hex() }
