package identitymongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

const sessionsCollection = "sessions"

// SessionRepository stores sessions in "sessions".
type SessionRepository struct {
	c *mongo.Collection
}

var _ identityport.SessionRepository = (*SessionRepository)(nil)

// NewSessionRepository returns the repository on db.
func NewSessionRepository(db *mongo.Database) *SessionRepository {
	return &SessionRepository{c: db.Collection(sessionsCollection)}
}

type sessionDoc struct {
	ID                bson.ObjectID `bson:"_id"`
	UserID            string        `bson:"user_id"`
	RefreshHash       string        `bson:"refresh_hash"`
	PreviousHashes    []string      `bson:"previous_hashes"`
	RotationNonce     string        `bson:"rotation_nonce,omitempty"`
	RotatedAt         time.Time     `bson:"rotated_at"`
	CreatedAt         time.Time     `bson:"created_at"`
	LastUsedAt        time.Time     `bson:"last_used_at"`
	ExpiresAt         time.Time     `bson:"expires_at"`
	AbsoluteExpiresAt time.Time     `bson:"absolute_expires_at"`
	RevokedAt         *time.Time    `bson:"revoked_at"`
	IP                string        `bson:"ip"`
	UserAgent         string        `bson:"user_agent"`
	Version           int64         `bson:"version"`
}

func toSessionDoc(s *identity.Session, oid bson.ObjectID) sessionDoc {
	prev := s.PreviousHashes
	if prev == nil {
		prev = []string{}
	}
	return sessionDoc{
		ID: oid, UserID: s.UserID, RefreshHash: s.RefreshHash, PreviousHashes: prev, RotationNonce: s.RotationNonce, RotatedAt: s.RotatedAt,
		CreatedAt: s.CreatedAt, LastUsedAt: s.LastUsedAt, ExpiresAt: s.ExpiresAt, AbsoluteExpiresAt: s.AbsoluteExpiresAt,
		RevokedAt: s.RevokedAt, IP: s.IP, UserAgent: s.UserAgent, Version: s.Revision,
	}
}

func (d sessionDoc) toDomain() *identity.Session {
	s := &identity.Session{
		ID: d.ID.Hex(), UserID: d.UserID, RefreshHash: d.RefreshHash, PreviousHashes: d.PreviousHashes, RotationNonce: d.RotationNonce,
		RotatedAt: d.RotatedAt.UTC(), CreatedAt: d.CreatedAt.UTC(), LastUsedAt: d.LastUsedAt.UTC(),
		ExpiresAt: d.ExpiresAt.UTC(), AbsoluteExpiresAt: d.AbsoluteExpiresAt.UTC(),
		IP: d.IP, UserAgent: d.UserAgent, Revision: d.Version,
	}
	if d.RevokedAt != nil {
		t := d.RevokedAt.UTC()
		s.RevokedAt = &t
	}
	return s
}

// Create stores a session.
func (r *SessionRepository) Create(ctx context.Context, s *identity.Session) error {
	oid, err := mongostore.NewObjectID(s.ID)
	if err != nil {
		return err
	}
	s.Revision = 1
	_, err = r.c.InsertOne(ctx, toSessionDoc(s, oid))
	return mongostore.Translate(err)
}

// Get returns a session; a malformed id is not found.
func (r *SessionRepository) Get(ctx context.Context, id string) (*identity.Session, error) {
	return mongostore.FindByID(ctx, r.c, id, identity.ErrSessionNotFound, sessionDoc.toDomain)
}

// Update is a compare-and-set on the version: of concurrent refreshes with one
// token exactly one replaces the document; the others read it again and see
// the reuse.
func (r *SessionRepository) Update(ctx context.Context, id string, fn func(*identity.Session) error) (*identity.Session, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, identity.ErrSessionNotFound
	}
	return mongostore.CompareAndSet(ctx, identity.ErrStaleSession, func() (*identity.Session, bool, error) {
		cur, err := r.Get(ctx, id)
		if err != nil {
			return nil, false, err
		}
		next := *cur
		next.PreviousHashes = append([]string(nil), cur.PreviousHashes...)
		if err := fn(&next); err != nil {
			return nil, false, err
		}
		next.ID, next.Revision = id, cur.Revision+1
		stored, err := mongostore.ReplaceIfVersion(ctx, r.c, oid, "version", cur.Revision, toSessionDoc(&next, oid))
		if err != nil {
			return nil, false, mongostore.Translate(err)
		}
		return &next, stored, nil
	})
}

// RevokeAllForUser revokes a user's live sessions but one and returns their
// ids: it finds them, then revokes those still live in one update (each
// session's version moves on, so that a refresh rotating it at that moment
// loses its compare-and-set and reads the revocation). Every id returned is
// revoked: by this call, or by another revocation in between.
func (r *SessionRepository) RevokeAllForUser(ctx context.Context, userID, exceptID string, at time.Time) ([]string, error) {
	live := bson.D{{Key: "user_id", Value: userID}, {Key: "revoked_at", Value: nil}}
	if except, ok := mongostore.ObjectID(exceptID); ok {
		live = append(live, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: except}}})
	}
	type idDoc struct {
		ID bson.ObjectID `bson:"_id"`
	}
	found, err := mongostore.FindAll(ctx, r.c, live, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}),
		func(d idDoc) bson.ObjectID { return d.ID })
	if err != nil || len(found) == 0 {
		return nil, err
	}
	_, err = r.c.UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: found}}}, {Key: "revoked_at", Value: nil}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked_at", Value: at}}}, {Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}})
	if err != nil {
		return nil, mongostore.Translate(err)
	}
	ids := make([]string, len(found))
	for i, oid := range found {
		ids[i] = oid.Hex()
	}
	return ids, nil
}

// ListForUser lists a user's unrevoked sessions, newest first.
func (r *SessionRepository) ListForUser(ctx context.Context, userID string) ([]*identity.Session, error) {
	return mongostore.FindAll(ctx, r.c, bson.D{{Key: "user_id", Value: userID}, {Key: "revoked_at", Value: nil}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}), sessionDoc.toDomain)
}
