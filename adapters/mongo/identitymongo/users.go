// Package identitymongo implements the identity repositories on MongoDB: a
// unique index keeps addresses unique, every read-modify-write is one
// compare-and-set on the document's version (mongostore.CompareAndSet).
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

const (
	usersCollection = "users"
	// guardsCollection holds the one document every change that ends an
	// administration writes (see keepingAdmin).
	guardsCollection = "user_guards"
	administration   = "administration"
)

// UserRepository stores users in "users"; a unique index on the address
// (domain addresses are already lower-cased) refuses a second user with it,
// also when both sign up at once.
type UserRepository struct {
	users  *mongo.Collection
	guards *mongo.Collection
}

var _ identityport.UserRepository = (*UserRepository)(nil)

// NewUserRepository returns the repository on db.
func NewUserRepository(db *mongo.Database) *UserRepository {
	return &UserRepository{users: db.Collection(usersCollection), guards: db.Collection(guardsCollection)}
}

// Indexes are the indexes this package needs.
func Indexes() []mongostore.Index {
	return []mongostore.Index{
		{Collection: usersCollection, Keys: bson.D{{Key: "email", Value: 1}}, Unique: true, Name: "email_unique"},
		{Collection: usersCollection, Keys: bson.D{{Key: "role_ids", Value: 1}}, Name: "role_ids"},
		{Collection: sessionsCollection, Keys: bson.D{{Key: "user_id", Value: 1}}, Name: "user_id"},
		{Collection: tokensCollection, Keys: bson.D{{Key: "user_id", Value: 1}, {Key: "purpose", Value: 1}}, Name: "user_purpose"},
	}
}

type authDoc struct {
	PasswordHash        string     `bson:"password_hash"`
	EmailVerified       bool       `bson:"email_verified"`
	LastLogin           *time.Time `bson:"last_login"`
	FailedLoginAttempts int        `bson:"failed_login_attempts"`
	LockedUntil         *time.Time `bson:"locked_until"`
}

type userDoc struct {
	ID        bson.ObjectID `bson:"_id"`
	Name      string        `bson:"name"`
	Email     string        `bson:"email"`
	Status    bool          `bson:"status"`
	RoleIDs   []string      `bson:"role_ids"`
	Auth      authDoc       `bson:"auth"`
	CreatedAt time.Time     `bson:"created_at"`
	UpdatedAt time.Time     `bson:"updated_at"`
	Version   int64         `bson:"version"`
}

func toUserDoc(u *identity.User, oid bson.ObjectID) userDoc {
	s := u.Snapshot()
	roles := s.RoleIDs
	if roles == nil {
		roles = []string{}
	}
	return userDoc{
		ID: oid, Name: s.Name, Email: s.Email, Status: s.Active, RoleIDs: roles,
		Auth: authDoc{
			PasswordHash: s.PasswordHash, EmailVerified: s.Auth.EmailVerified, LastLogin: s.Auth.LastLogin,
			FailedLoginAttempts: s.Auth.FailedLoginAttempts, LockedUntil: s.Auth.LockedUntil,
		},
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Version: s.Revision,
	}
}

func (d userDoc) toDomain() *identity.User {
	utc := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		v := t.UTC()
		return &v
	}
	return identity.RestoreUser(identity.UserSnapshot{
		ID: d.ID.Hex(), Name: d.Name, Email: d.Email, Active: d.Status, RoleIDs: d.RoleIDs,
		PasswordHash: d.Auth.PasswordHash,
		Auth: identity.AuthState{
			EmailVerified: d.Auth.EmailVerified, LastLogin: utc(d.Auth.LastLogin),
			FailedLoginAttempts: d.Auth.FailedLoginAttempts, LockedUntil: utc(d.Auth.LockedUntil),
		},
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Revision: d.Version,
	})
}

// Create inserts the user; a taken address is identity.ErrEmailTaken.
func (r *UserRepository) Create(ctx context.Context, u *identity.User) error {
	oid, err := mongostore.NewObjectID(u.ID())
	if err != nil {
		return err
	}
	u.BumpRevision()
	_, err = r.users.InsertOne(ctx, toUserDoc(u, oid))
	return mongostore.DuplicateAs(err, identity.ErrEmailTaken)
}

// Get returns a user by id; a malformed id is not found.
func (r *UserRepository) Get(ctx context.Context, id string) (*identity.User, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, identity.ErrUserNotFound
	}
	return r.findOne(ctx, bson.D{{Key: "_id", Value: oid}})
}

// GetByEmail returns the user with the address, through its unique index.
func (r *UserRepository) GetByEmail(ctx context.Context, email string) (*identity.User, error) {
	return r.findOne(ctx, bson.D{{Key: "email", Value: email}})
}

func (r *UserRepository) findOne(ctx context.Context, filter bson.D) (*identity.User, error) {
	var d userDoc
	if err := r.users.FindOne(ctx, filter).Decode(&d); err != nil {
		return nil, mongostore.NotFoundAs(err, identity.ErrUserNotFound)
	}
	return d.toDomain(), nil
}

// List returns users ordered by id and the total count.
func (r *UserRepository) List(ctx context.Context, skip, limit int) ([]*identity.User, int64, error) {
	total, err := r.users.CountDocuments(ctx, bson.D{})
	if err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetSkip(int64(skip))
	if limit >= 0 {
		if limit == 0 {
			return []*identity.User{}, total, nil
		}
		opts.SetLimit(int64(limit))
	}
	users, err := mongostore.FindAll(ctx, r.users, bson.D{}, opts, userDoc.toDomain)
	return users, total, err
}

// Update is a compare-and-set on the document's version, retried when
// another writer came first; moving to a taken address is
// identity.ErrEmailTaken and changes nothing.
func (r *UserRepository) Update(ctx context.Context, id string, fn func(*identity.User) error) (*identity.User, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, identity.ErrUserNotFound
	}
	return mongostore.CompareAndSet(ctx, identity.ErrStaleUser, func() (*identity.User, bool, error) {
		cur, err := r.Get(ctx, id)
		if err != nil {
			return nil, false, err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return nil, false, err
		}
		next.BumpRevision()
		stored, err := mongostore.ReplaceIfVersion(ctx, r.users, oid, "version", cur.Revision(), toUserDoc(next, oid))
		if err != nil {
			return nil, false, mongostore.DuplicateAs(err, identity.ErrEmailTaken)
		}
		return next, stored, nil
	})
}

// UpdateKeepingAdmin is Update refusing to end the last administration. A
// change that does not end one is the plain compare-and-set; one that does
// runs in a transaction with the check (see keepingAdmin).
func (r *UserRepository) UpdateKeepingAdmin(ctx context.Context, id, adminRoleID string, fn func(*identity.User) error) (*identity.User, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, identity.ErrUserNotFound
	}
	return mongostore.CompareAndSet(ctx, identity.ErrStaleUser, func() (*identity.User, bool, error) {
		cur, err := r.Get(ctx, id)
		if err != nil {
			return nil, false, err
		}
		next := cur.Clone()
		if err := fn(next); err != nil {
			return nil, false, err
		}
		next.BumpRevision()
		replace := func(ctx context.Context) (bool, error) {
			stored, err := mongostore.ReplaceIfVersion(ctx, r.users, oid, "version", cur.Revision(), toUserDoc(next, oid))
			if err != nil {
				return false, mongostore.DuplicateAs(err, identity.ErrEmailTaken)
			}
			return stored, nil
		}
		var stored bool
		if identity.StopsAdministering(cur, next, adminRoleID) {
			stored, err = r.keepingAdmin(ctx, oid, adminRoleID, replace)
		} else {
			stored, err = replace(ctx)
		}
		return next, stored, err
	})
}

// DeleteKeepingAdmin is Delete refusing to remove the last administrator.
func (r *UserRepository) DeleteKeepingAdmin(ctx context.Context, id, adminRoleID string) error {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return identity.ErrUserNotFound
	}
	_, err := mongostore.CompareAndSet(ctx, identity.ErrStaleUser, func() (struct{}, bool, error) {
		cur, err := r.Get(ctx, id)
		if err != nil {
			return struct{}{}, false, err
		}
		remove := func(ctx context.Context) (bool, error) {
			res, err := r.users.DeleteOne(ctx, bson.D{{Key: "_id", Value: oid}, {Key: "version", Value: cur.Revision()}})
			if err != nil {
				return false, mongostore.Translate(err)
			}
			return res.DeletedCount == 1, nil
		}
		var deleted bool
		if identity.StopsAdministering(cur, nil, adminRoleID) {
			deleted, err = r.keepingAdmin(ctx, oid, adminRoleID, remove)
		} else {
			deleted, err = remove(ctx)
		}
		return struct{}{}, deleted, err
	})
	return err
}

// keepingAdmin runs write in a transaction that first makes sure an active
// user other than oid holds adminRoleID (identity.ErrLastAdmin otherwise).
// The transaction also writes the administration guard document: a
// transaction reads a snapshot, so two administrators removing each other at
// once would each see the other still there; writing one document in common
// makes the second of them conflict, and it is retried on what the first did.
func (r *UserRepository) keepingAdmin(ctx context.Context, oid bson.ObjectID, adminRoleID string, write func(ctx context.Context) (bool, error)) (bool, error) {
	sess, err := r.users.Database().Client().StartSession()
	if err != nil {
		return false, mongostore.Translate(err)
	}
	defer sess.EndSession(ctx)
	done, err := sess.WithTransaction(ctx, func(ctx context.Context) (any, error) {
		if _, err := r.guards.UpdateOne(ctx, bson.D{{Key: "_id", Value: administration}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "changes", Value: 1}}}}, options.UpdateOne().SetUpsert(true)); err != nil {
			return false, err
		}
		others, err := r.users.CountDocuments(ctx, bson.D{
			{Key: "_id", Value: bson.D{{Key: "$ne", Value: oid}}},
			{Key: "role_ids", Value: adminRoleID},
			{Key: "status", Value: true},
		}, options.Count().SetLimit(1))
		if err != nil {
			return false, err
		}
		if others == 0 {
			return false, identity.ErrLastAdmin
		}
		return write(ctx)
	})
	if err != nil {
		return false, mongostore.Translate(err)
	}
	return done.(bool), nil
}

// Delete removes the user, and with it the address.
func (r *UserRepository) Delete(ctx context.Context, id string) error {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return identity.ErrUserNotFound
	}
	res, err := r.users.DeleteOne(ctx, bson.D{{Key: "_id", Value: oid}})
	if err != nil {
		return mongostore.Translate(err)
	}
	if res.DeletedCount == 0 {
		return identity.ErrUserNotFound
	}
	return nil
}

// RemoveRoleFromAll pulls roleID from every holder in one update; each
// holder's version moves on, so that a compare-and-set that read the user
// before cannot put the role back.
func (r *UserRepository) RemoveRoleFromAll(ctx context.Context, roleID string) error {
	_, err := r.users.UpdateMany(ctx, bson.D{{Key: "role_ids", Value: roleID}}, bson.D{
		{Key: "$pull", Value: bson.D{{Key: "role_ids", Value: roleID}}},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
	})
	return mongostore.Translate(err)
}

// CountWithRole counts holders of roleID.
func (r *UserRepository) CountWithRole(ctx context.Context, roleID string) (int64, error) {
	n, err := r.users.CountDocuments(ctx, bson.D{{Key: "role_ids", Value: roleID}})
	return n, mongostore.Translate(err)
}

// ListWithRole lists holders of roleID ordered by id.
func (r *UserRepository) ListWithRole(ctx context.Context, roleID string) ([]*identity.User, error) {
	return mongostore.FindAll(ctx, r.users, bson.D{{Key: "role_ids", Value: roleID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), userDoc.toDomain)
}
