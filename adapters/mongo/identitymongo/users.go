// Package identitymongo implements the identity repositories on MongoDB (and on
// the embedded FerretDB store), using only the subset both support: single-document
// atomic updates, _id lookups and unique keys, no transactions.
package identitymongo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// Collections used by this package.
const (
	usersCollection  = "users"
	emailsCollection = "user_emails"
)

// maxUpdateAttempts bounds optimistic-concurrency retries of one Update.
const maxUpdateAttempts = 64

// staleClaimAge is how old an email claim without its user must be before it is
// considered left over by a crash (and not a sign-up in progress).
const staleClaimAge = 30 * time.Second

// UserRepository stores users in "users". Emails are claimed in "user_emails",
// keyed by the lower-cased address: that gives uniqueness through the primary key
// (safe under concurrent sign-ups) and a primary-key lookup for login.
type UserRepository struct {
	users  *mongo.Collection
	emails *mongo.Collection
	locks  *mongostore.DocLocks
	owners *emailOwners
}

var _ identityport.UserRepository = (*UserRepository)(nil)

// NewUserRepository returns the repository on db; locks is the process's lock table.
func NewUserRepository(db *mongo.Database, locks *mongostore.DocLocks) *UserRepository {
	return &UserRepository{users: db.Collection(usersCollection), emails: db.Collection(emailsCollection), locks: locks,
		owners: newEmailOwners(maxRememberedEmails)}
}

// Indexes are the indexes this package needs.
func Indexes() []mongostore.Index {
	return []mongostore.Index{
		{Collection: usersCollection, Keys: bson.D{{Key: "role_ids", Value: 1}}, Name: "role_ids"},
		{Collection: sessionsCollection, Keys: bson.D{{Key: "user_id", Value: 1}}, Name: "user_id"},
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

type emailClaimDoc struct {
	Email     string    `bson:"_id"`
	UserID    string    `bson:"user_id"`
	ClaimedAt time.Time `bson:"claimed_at"`
}

func toUserDoc(u *identity.User, oid bson.ObjectID) userDoc {
	roles := u.RoleIDs
	if roles == nil {
		roles = []string{}
	}
	return userDoc{
		ID: oid, Name: u.Name, Email: u.Email, Status: u.Active, RoleIDs: roles,
		Auth: authDoc{
			PasswordHash: u.PasswordHash, EmailVerified: u.Auth.EmailVerified, LastLogin: u.Auth.LastLogin,
			FailedLoginAttempts: u.Auth.FailedLoginAttempts, LockedUntil: u.Auth.LockedUntil,
		},
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Version: u.Version,
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
	return &identity.User{
		ID: d.ID.Hex(), Name: d.Name, Email: d.Email, Active: d.Status, RoleIDs: d.RoleIDs,
		PasswordHash: d.Auth.PasswordHash,
		Auth: identity.AuthState{
			EmailVerified: d.Auth.EmailVerified, LastLogin: utc(d.Auth.LastLogin),
			FailedLoginAttempts: d.Auth.FailedLoginAttempts, LockedUntil: utc(d.Auth.LockedUntil),
		},
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version,
	}
}

// Create claims the email, then inserts the user; a taken email is identity.ErrEmailTaken.
func (r *UserRepository) Create(ctx context.Context, u *identity.User) error {
	oid, ok := mongostore.ObjectID(u.ID)
	if !ok {
		return kernel.ErrNotFound
	}
	if err := r.claimEmail(ctx, u.Email, u.ID); err != nil {
		return err
	}
	u.Version = 1
	doc, err := encodeUser(u, oid)
	if err == nil {
		_, err = r.users.InsertOne(ctx, doc)
	}
	if err != nil {
		r.releaseEmail(context.WithoutCancel(ctx), u.Email, u.ID)
		return mongostore.Translate(err)
	}
	// Without the document's lock: no one else can know the new id yet.
	r.locks.Stored(r.users, u.ID, u.Version, doc)
	return nil
}

// encodeUser is the user's document as written, encoded once: the store gets
// it, and the sole writer keeps it (mongostore.DocLocks.Stored), so that Get
// decodes exactly what a read of the store would return (times in
// milliseconds and UTC, empty role lists) and no caller can change it.
func encodeUser(u *identity.User, oid bson.ObjectID) (bson.Raw, error) {
	doc, err := bson.Marshal(toUserDoc(u, oid))
	if err != nil {
		return nil, fmt.Errorf("identitymongo: encode user: %w", err)
	}
	return doc, nil
}

// claimEmail inserts the claim; a claim left by a crashed sign-up is taken over.
func (r *UserRepository) claimEmail(ctx context.Context, email, userID string) error {
	claim := emailClaimDoc{Email: email, UserID: userID, ClaimedAt: time.Now().UTC()}
	_, err := r.emails.InsertOne(ctx, claim)
	if err == nil {
		return nil
	}
	if !mongostore.IsDuplicateKey(err) {
		return mongostore.Translate(err)
	}
	var existing emailClaimDoc
	if err := r.emails.FindOne(ctx, bson.D{{Key: "_id", Value: email}}).Decode(&existing); err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return identity.ErrEmailTaken // released in between; the client may retry
		}
		return mongostore.Translate(err)
	}
	if existing.UserID == userID {
		return nil
	}
	if time.Since(existing.ClaimedAt) < staleClaimAge || r.exists(ctx, existing.UserID) {
		return identity.ErrEmailTaken
	}
	// Orphaned claim: replace it only if it is still the same orphan.
	defer r.locks.Lock(r.emails, email)()
	res, err := r.emails.ReplaceOne(ctx,
		bson.D{{Key: "_id", Value: email}, {Key: "user_id", Value: existing.UserID}}, claim)
	if err != nil {
		return mongostore.Translate(err)
	}
	if res.MatchedCount == 0 {
		return identity.ErrEmailTaken
	}
	return nil
}

func (r *UserRepository) exists(ctx context.Context, userID string) bool {
	oid, ok := mongostore.ObjectID(userID)
	if !ok {
		return false
	}
	n, err := r.users.CountDocuments(ctx, bson.D{{Key: "_id", Value: oid}})
	return err != nil || n > 0 // on error, assume it exists: never steal a live claim
}

func (r *UserRepository) releaseEmail(ctx context.Context, email, userID string) {
	_, _ = r.emails.DeleteOne(ctx, bson.D{{Key: "_id", Value: email}, {Key: "user_id", Value: userID}})
}

// Get returns a user by id; a malformed id is not found. On the embedded
// store, where this process is the only writer, a user it wrote is answered
// from what it wrote, without a read (mongostore.DocLocks.Latest).
func (r *UserRepository) Get(ctx context.Context, id string) (*identity.User, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, identity.ErrUserNotFound
	}
	var d userDoc
	if kept, ok := r.locks.Latest(r.users, id); ok {
		if raw, ok := kept.(bson.Raw); ok && bson.Unmarshal(raw, &d) == nil {
			return d.toDomain(), nil
		}
		d = userDoc{}
	}
	if err := r.users.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		return nil, mongostore.NotFoundAs(err, identity.ErrUserNotFound)
	}
	return d.toDomain(), nil
}

// GetByEmail follows the email claim to the user (two primary-key reads), or,
// when this process found the address's owner before, reads that user
// directly: a user whose document carries the address owns it (the claim is
// taken before any document gets it), so the shortcut is checked by the read
// itself and falls back to the claim when the address moved on.
func (r *UserRepository) GetByEmail(ctx context.Context, email string) (*identity.User, error) {
	if id, ok := r.owners.get(email); ok {
		u, err := r.Get(ctx, id)
		if err == nil && u.Email == email {
			return u, nil
		}
		if err != nil && !errors.Is(err, identity.ErrUserNotFound) {
			return nil, err
		}
		r.owners.forget(email)
	}
	var claim emailClaimDoc
	if err := r.emails.FindOne(ctx, bson.D{{Key: "_id", Value: email}}).Decode(&claim); err != nil {
		return nil, mongostore.NotFoundAs(err, identity.ErrUserNotFound)
	}
	u, err := r.Get(ctx, claim.UserID)
	if err != nil {
		return nil, err
	}
	if u.Email != email {
		return nil, identity.ErrUserNotFound // claim of an email change in progress
	}
	r.owners.remember(email, u.ID)
	return u, nil
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
	users, err := r.find(ctx, bson.D{}, opts)
	return users, total, err
}

func (r *UserRepository) find(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]*identity.User, error) {
	out, err := mongostore.FindAll(ctx, r.users, filter, opts, userDoc.toDomain)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Update is a compare-and-set on the document's version, retried on conflict.
func (r *UserRepository) Update(ctx context.Context, id string, fn func(*identity.User) error) (*identity.User, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, identity.ErrUserNotFound
	}
	for attempt := 0; attempt < maxUpdateAttempts; attempt++ {
		next, done, err := r.tryUpdate(ctx, id, oid, nil, fn)
		if done || err != nil {
			return next, err
		}
		if err := mongostore.Backoff(ctx, attempt); err != nil {
			return nil, err
		}
	}
	return nil, identity.ErrStaleUser
}

// UpdateFrom saves the read of Update when cur is still the stored version
// (a login's bookkeeping right after the login read the user).
func (r *UserRepository) UpdateFrom(ctx context.Context, cur *identity.User, fn func(*identity.User) error) (*identity.User, error) {
	oid, ok := mongostore.ObjectID(cur.ID)
	if !ok {
		return nil, identity.ErrUserNotFound
	}
	next, done, err := r.tryUpdate(ctx, cur.ID, oid, cur, fn)
	if done || err != nil {
		return next, err
	}
	return r.Update(ctx, cur.ID, fn)
}

// tryUpdate is one compare-and-set attempt from known, or from a fresh read
// when known is nil; done is false when another writer won.
//
// The sole writer's compare-and-set does not check the version (see
// mongostore.DocLocks.VersionFilter), so there known, read without the lock,
// is used only when it is the version this process last wrote; otherwise the
// document is read again under the lock (Get: from what this process wrote,
// when it kept that).
func (r *UserRepository) tryUpdate(ctx context.Context, id string, oid bson.ObjectID, known *identity.User, fn func(*identity.User) error) (next *identity.User, done bool, err error) {
	defer r.locks.Lock(r.users, id)()
	cur := known
	if cur != nil && r.locks.SoleWriter() && !r.locks.Current(r.users, id, cur.Version) {
		cur = nil
	}
	if cur == nil {
		if cur, err = r.Get(ctx, id); err != nil {
			return nil, false, err
		}
	}
	next = cloneUser(cur)
	if err := fn(next); err != nil {
		return nil, false, err
	}
	next.ID, next.Version = id, cur.Version+1
	doc, err := encodeUser(next, oid)
	if err != nil {
		return nil, false, err
	}
	emailChanged := next.Email != cur.Email
	if emailChanged {
		if err := r.claimEmail(ctx, next.Email, id); err != nil {
			return nil, false, err
		}
	}
	res, err := r.users.ReplaceOne(ctx, r.locks.VersionFilter(oid, "version", cur.Version), doc)
	if err != nil || res.MatchedCount != 1 {
		r.locks.Forget(r.users, id)
	} else {
		r.locks.Stored(r.users, id, next.Version, doc)
	}
	if err != nil {
		if emailChanged {
			r.releaseEmail(context.WithoutCancel(ctx), next.Email, id)
		}
		return nil, false, mongostore.Translate(err)
	}
	if res.MatchedCount == 1 {
		if emailChanged {
			r.releaseEmail(context.WithoutCancel(ctx), cur.Email, id)
		}
		return next, true, nil
	}
	if emailChanged {
		r.releaseEmail(context.WithoutCancel(ctx), next.Email, id)
	}
	return nil, false, nil
}

// Delete removes the user, then its email claim. It holds the user's lock, so
// that an update finishing meanwhile cannot record the deleted user as stored.
func (r *UserRepository) Delete(ctx context.Context, id string) error {
	defer r.locks.Lock(r.users, id)()
	u, err := r.Get(ctx, id)
	if err != nil {
		return err
	}
	oid, _ := mongostore.ObjectID(id)
	res, err := r.users.DeleteOne(ctx, bson.D{{Key: "_id", Value: oid}})
	r.locks.Forget(r.users, id)
	if err != nil {
		return mongostore.Translate(err)
	}
	if res.DeletedCount == 0 {
		return identity.ErrUserNotFound
	}
	r.releaseEmail(context.WithoutCancel(ctx), u.Email, id)
	return nil
}

// RemoveRoleFromAll updates each holder through Update: on the embedded store an
// updateMany rewrites whole documents from a stale read and could undo (or be
// undone by) a concurrent Update of the same user.
func (r *UserRepository) RemoveRoleFromAll(ctx context.Context, roleID string) error {
	holders, err := r.ListWithRole(ctx, roleID)
	if err != nil {
		return err
	}
	for _, h := range holders {
		_, err := r.Update(ctx, h.ID, func(u *identity.User) error {
			u.RoleIDs = slices.DeleteFunc(u.RoleIDs, func(x string) bool { return x == roleID })
			return nil
		})
		if err != nil && !errors.Is(err, identity.ErrUserNotFound) { // deleted meanwhile: nothing to remove
			return err
		}
	}
	return nil
}

// CountWithRole counts holders of roleID.
func (r *UserRepository) CountWithRole(ctx context.Context, roleID string) (int64, error) {
	n, err := r.users.CountDocuments(ctx, bson.D{{Key: "role_ids", Value: roleID}})
	return n, mongostore.Translate(err)
}

// ListWithRole lists holders of roleID ordered by id.
func (r *UserRepository) ListWithRole(ctx context.Context, roleID string) ([]*identity.User, error) {
	return r.find(ctx, bson.D{{Key: "role_ids", Value: roleID}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

func cloneUser(u *identity.User) *identity.User {
	c := *u
	c.RoleIDs = append([]string(nil), u.RoleIDs...)
	return &c
}
