// Package accessmongo implements the access repositories on MongoDB.
package accessmongo

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

const rolesCollection = "user_roles"

// RoleRepository stores roles in "user_roles"; a unique index on the lower-cased
// name keeps names unique case-insensitively, also across replicas.
type RoleRepository struct{ c *mongo.Collection }

var _ accessport.RoleRepository = (*RoleRepository)(nil)

// NewRoleRepository returns the repository on db.
func NewRoleRepository(db *mongo.Database) *RoleRepository {
	return &RoleRepository{c: db.Collection(rolesCollection)}
}

// Indexes are the indexes this package needs.
func Indexes() []mongostore.Index {
	return append([]mongostore.Index{
		{Collection: rolesCollection, Keys: bson.D{{Key: "name_key", Value: 1}}, Unique: true, Name: "name_key_unique"},
	}, moduleIndexes()...)
}

type roleDoc struct {
	ID             bson.ObjectID `bson:"_id"`
	Name           string        `bson:"name"`
	NameKey        string        `bson:"name_key"`
	SelfAssignable bool          `bson:"self_assignable"`
	CreatedAt      time.Time     `bson:"created_at"`
	UpdatedAt      time.Time     `bson:"updated_at"`
}

func toRoleDoc(r *access.Role, oid bson.ObjectID) roleDoc {
	return roleDoc{ID: oid, Name: r.Name, NameKey: access.NameKey(r.Name), SelfAssignable: r.SelfAssignable,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (d roleDoc) toDomain() *access.Role {
	return &access.Role{ID: d.ID.Hex(), Name: d.Name, SelfAssignable: d.SelfAssignable,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
}

// Create stores a role; a taken name is access.ErrRoleExists.
func (r *RoleRepository) Create(ctx context.Context, role *access.Role) error {
	oid, err := mongostore.NewObjectID(role.ID)
	if err != nil {
		return err
	}
	_, err = r.c.InsertOne(ctx, toRoleDoc(role, oid))
	return mongostore.DuplicateAs(err, access.ErrRoleExists)
}

// EnsureByName inserts the role unless its name exists; the unique index settles races.
func (r *RoleRepository) EnsureByName(ctx context.Context, role *access.Role) (*access.Role, error) {
	return ensureByName(role, func() (*access.Role, error) { return r.GetByName(ctx, role.Name) },
		func() error { return r.Create(ctx, role) }, access.ErrRoleNotFound, access.ErrRoleExists)
}

// Get returns a role by id; a malformed id is not found.
func (r *RoleRepository) Get(ctx context.Context, id string) (*access.Role, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, access.ErrRoleNotFound
	}
	return r.findOne(ctx, bson.D{{Key: "_id", Value: oid}})
}

// GetByName returns a role by case-insensitive name.
func (r *RoleRepository) GetByName(ctx context.Context, name string) (*access.Role, error) {
	return r.findOne(ctx, bson.D{{Key: "name_key", Value: access.NameKey(name)}})
}

func (r *RoleRepository) findOne(ctx context.Context, filter bson.D) (*access.Role, error) {
	var d roleDoc
	if err := r.c.FindOne(ctx, filter).Decode(&d); err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil, access.ErrRoleNotFound
		}
		return nil, mongostore.Translate(err)
	}
	return d.toDomain(), nil
}

// List returns every role ordered by id.
func (r *RoleRepository) List(ctx context.Context) ([]*access.Role, error) {
	out, err := mongostore.FindAll(ctx, r.c, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), roleDoc.toDomain)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Update replaces the role after fn; a role is small and changed rarely, so a
// plain replace guarded by the unique name index is enough.
func (r *RoleRepository) Update(ctx context.Context, id string, fn func(*access.Role) error) (*access.Role, error) {
	cur, err := r.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := fn(cur); err != nil {
		return nil, err
	}
	oid, _ := mongostore.ObjectID(id)
	cur.ID = id
	res, err := r.c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: oid}}, toRoleDoc(cur, oid))
	if err != nil {
		return nil, mongostore.DuplicateAs(err, access.ErrRoleExists)
	}
	if res.MatchedCount == 0 {
		return nil, access.ErrRoleNotFound
	}
	return cur, nil
}

// Delete removes a role.
func (r *RoleRepository) Delete(ctx context.Context, id string) error {
	return deleteByID(ctx, r.c, id, access.ErrRoleNotFound)
}
