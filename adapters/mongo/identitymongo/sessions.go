package identitymongo

import (
	"context"
	"errors"
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
	c     *mongo.Collection
	locks *mongostore.DocLocks
}

var _ identityport.SessionRepository = (*SessionRepository)(nil)

// NewSessionRepository returns the repository on db; locks is the process's lock table.
func NewSessionRepository(db *mongo.Database, locks *mongostore.DocLocks) *SessionRepository {
	return &SessionRepository{c: db.Collection(sessionsCollection), locks: locks}
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
		RevokedAt: s.RevokedAt, IP: s.IP, UserAgent: s.UserAgent, Version: s.Version,
	}
}

func (d sessionDoc) toDomain() *identity.Session {
	s := &identity.Session{
		ID: d.ID.Hex(), UserID: d.UserID, RefreshHash: d.RefreshHash, PreviousHashes: d.PreviousHashes, RotationNonce: d.RotationNonce,
		RotatedAt: d.RotatedAt.UTC(), CreatedAt: d.CreatedAt.UTC(), LastUsedAt: d.LastUsedAt.UTC(),
		ExpiresAt: d.ExpiresAt.UTC(), AbsoluteExpiresAt: d.AbsoluteExpiresAt.UTC(),
		IP: d.IP, UserAgent: d.UserAgent, Version: d.Version,
	}
	if d.RevokedAt != nil {
		t := d.RevokedAt.UTC()
		s.RevokedAt = &t
	}
	return s
}

// Create stores a session.
func (r *SessionRepository) Create(ctx context.Context, s *identity.Session) error {
	oid, ok := mongostore.ObjectID(s.ID)
	if !ok {
		return identity.ErrSessionNotFound
	}
	s.Version = 1
	_, err := r.c.InsertOne(ctx, toSessionDoc(s, oid))
	return mongostore.Translate(err)
}

// Get returns a session; a malformed id is not found.
func (r *SessionRepository) Get(ctx context.Context, id string) (*identity.Session, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, identity.ErrSessionNotFound
	}
	var d sessionDoc
	if err := r.c.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		return nil, mongostore.NotFoundAs(err, identity.ErrSessionNotFound)
	}
	return d.toDomain(), nil
}

// Update is a compare-and-set on the version: of concurrent refreshes with one
// token exactly one replaces the document; the others re-read and see reuse.
func (r *SessionRepository) Update(ctx context.Context, id string, fn func(*identity.Session) error) (*identity.Session, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, identity.ErrSessionNotFound
	}
	for attempt := 0; attempt < maxUpdateAttempts; attempt++ {
		next, done, err := r.tryUpdate(ctx, id, oid, fn)
		if done || err != nil {
			return next, err
		}
		if err := mongostore.Backoff(ctx, attempt); err != nil {
			return nil, err
		}
	}
	return nil, identity.ErrStaleUser
}

// tryUpdate is one compare-and-set attempt (under the process-wide document
// lock, see lockDoc); done is false when another writer won.
func (r *SessionRepository) tryUpdate(ctx context.Context, id string, oid bson.ObjectID, fn func(*identity.Session) error) (*identity.Session, bool, error) {
	defer r.locks.Lock(r.c, id)()
	cur, err := r.Get(ctx, id)
	if err != nil {
		return nil, false, err
	}
	next := *cur
	next.PreviousHashes = append([]string(nil), cur.PreviousHashes...)
	if err := fn(&next); err != nil {
		return nil, false, err
	}
	next.ID, next.Version = id, cur.Version+1
	res, err := r.c.ReplaceOne(ctx, r.locks.VersionFilter(oid, "version", cur.Version), toSessionDoc(&next, oid))
	if err != nil {
		return nil, false, mongostore.Translate(err)
	}
	return &next, res.MatchedCount == 1, nil
}

// RevokeAllForUser revokes a user's live sessions but one and returns their ids.
// Each session is revoked through Update: on the embedded store an updateMany
// rewrites whole documents from a stale read, so a refresh rotating at the same
// moment could undo the revocation.
func (r *SessionRepository) RevokeAllForUser(ctx context.Context, userID, exceptID string, at time.Time) ([]string, error) {
	live, err := r.ListForUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, s := range live {
		if s.ID == exceptID {
			continue
		}
		_, err := r.Update(ctx, s.ID, func(x *identity.Session) error {
			if x.RevokedAt != nil {
				return errAlreadyRevoked
			}
			x.Revoke(at)
			return nil
		})
		switch {
		case err == nil:
			ids = append(ids, s.ID)
		case errors.Is(err, errAlreadyRevoked):
		default:
			return ids, err
		}
	}
	return ids, nil
}

// errAlreadyRevoked aborts the revocation of a session revoked meanwhile.
var errAlreadyRevoked = errors.New("identitymongo: session already revoked")

// ListForUser lists a user's unrevoked sessions, newest first.
func (r *SessionRepository) ListForUser(ctx context.Context, userID string) ([]*identity.Session, error) {
	return mongostore.FindAll(ctx, r.c, bson.D{{Key: "user_id", Value: userID}, {Key: "revoked_at", Value: nil}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}), sessionDoc.toDomain)
}
