package accessmongo

import (
	"context"
	"errors"
	"regexp"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/ports/accessport"
)

const modulesCollection = "role_base_modules"

// ModuleRepository stores modules in "role_base_modules". Every change is one
// atomic update of the document (role lists with $addToSet and $pullAll), so
// concurrent changes to one module never lose each other.
type ModuleRepository struct {
	c *mongo.Collection
}

var _ accessport.ModuleRepository = (*ModuleRepository)(nil)

// NewModuleRepository returns the repository on db.
func NewModuleRepository(db *mongo.Database) *ModuleRepository {
	return &ModuleRepository{c: db.Collection(modulesCollection)}
}

func moduleIndexes() []mongostore.Index {
	return []mongostore.Index{
		{Collection: modulesCollection, Keys: bson.D{{Key: "name_key", Value: 1}}, Unique: true, Name: "name_key_unique"},
	}
}

type moduleDoc struct {
	ID        bson.ObjectID `bson:"_id"`
	Name      string        `bson:"module_name"`
	NameKey   string        `bson:"name_key"`
	RoleIDs   []string      `bson:"user_roles"`
	CreatedAt time.Time     `bson:"created_at"`
	UpdatedAt time.Time     `bson:"updated_at"`
}

func toModuleDoc(m *access.Module, oid bson.ObjectID) moduleDoc {
	roles := m.RoleIDs
	if roles == nil {
		roles = []string{}
	}
	return moduleDoc{ID: oid, Name: m.Name, NameKey: access.NameKey(m.Name), RoleIDs: roles, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func (d moduleDoc) toDomain() *access.Module {
	roles := d.RoleIDs
	if roles == nil {
		roles = []string{}
	}
	return &access.Module{ID: d.ID.Hex(), Name: d.Name, RoleIDs: roles, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
}

// Create stores a module; a taken name is access.ErrModuleExists.
func (r *ModuleRepository) Create(ctx context.Context, m *access.Module) error {
	oid, err := mongostore.NewObjectID(m.ID)
	if err != nil {
		return err
	}
	_, err = r.c.InsertOne(ctx, toModuleDoc(m, oid))
	return mongostore.DuplicateAs(err, access.ErrModuleExists)
}

// EnsureByName inserts the module unless its name exists; the unique index settles races.
func (r *ModuleRepository) EnsureByName(ctx context.Context, m *access.Module) (*access.Module, error) {
	byName := bson.D{{Key: "name_key", Value: access.NameKey(m.Name)}}
	return ensureByName(m, func() (*access.Module, error) { return r.findOne(ctx, byName) },
		func() error { return r.Create(ctx, m) }, access.ErrModuleNotFound, access.ErrModuleExists)
}

// Get returns a module; a malformed id is not found.
func (r *ModuleRepository) Get(ctx context.Context, id string) (*access.Module, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, access.ErrModuleNotFound
	}
	return r.findOne(ctx, bson.D{{Key: "_id", Value: oid}})
}

func (r *ModuleRepository) findOne(ctx context.Context, filter bson.D) (*access.Module, error) {
	var d moduleDoc
	if err := r.c.FindOne(ctx, filter).Decode(&d); err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil, access.ErrModuleNotFound
		}
		return nil, mongostore.Translate(err)
	}
	return d.toDomain(), nil
}

// List returns a page of modules ordered by id and the number that match.
func (r *ModuleRepository) List(ctx context.Context, f accessport.ModuleFilter, skip, limit int) ([]*access.Module, int64, error) {
	filter := bson.D{}
	if f.NameContains != "" {
		filter = append(filter, bson.E{Key: "name_key", Value: bson.D{{Key: "$regex", Value: regexp.QuoteMeta(access.NameKey(f.NameContains))}}})
	}
	if f.RoleID != "" {
		filter = append(filter, bson.E{Key: "user_roles", Value: f.RoleID})
	}
	total, err := r.c.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, mongostore.Translate(err)
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetSkip(int64(skip))
	if limit >= 0 {
		opts.SetLimit(int64(limit))
	}
	out, err := mongostore.FindAll(ctx, r.c, filter, opts, moduleDoc.toDomain)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// update applies one atomic update and returns the module after it.
func (r *ModuleRepository) update(ctx context.Context, id string, update bson.D) (*access.Module, error) {
	oid, ok := mongostore.ObjectID(id)
	if !ok {
		return nil, access.ErrModuleNotFound
	}
	var d moduleDoc
	err := r.c.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: oid}}, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, access.ErrModuleNotFound
	}
	if err != nil {
		return nil, mongostore.DuplicateAs(err, access.ErrModuleExists)
	}
	return d.toDomain(), nil
}

func set(at time.Time, fields ...bson.E) bson.E {
	return bson.E{Key: "$set", Value: append(bson.D{{Key: "updated_at", Value: at}}, fields...)}
}

// Rename changes the name (unique index guards it).
func (r *ModuleRepository) Rename(ctx context.Context, id, name string, at time.Time) (*access.Module, error) {
	return r.update(ctx, id, bson.D{set(at, bson.E{Key: "module_name", Value: name}, bson.E{Key: "name_key", Value: access.NameKey(name)})})
}

// SetRoles replaces the role list.
func (r *ModuleRepository) SetRoles(ctx context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error) {
	if roleIDs == nil {
		roleIDs = []string{}
	}
	return r.update(ctx, id, bson.D{set(at, bson.E{Key: "user_roles", Value: roleIDs})})
}

// AddRoles adds roles with $addToSet.
func (r *ModuleRepository) AddRoles(ctx context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error) {
	return r.update(ctx, id, bson.D{
		{Key: "$addToSet", Value: bson.D{{Key: "user_roles", Value: bson.D{{Key: "$each", Value: roleIDs}}}}},
		set(at),
	})
}

// RemoveRoles removes roles with $pullAll.
func (r *ModuleRepository) RemoveRoles(ctx context.Context, id string, roleIDs []string, at time.Time) (*access.Module, error) {
	return r.update(ctx, id, bson.D{
		{Key: "$pullAll", Value: bson.D{{Key: "user_roles", Value: roleIDs}}},
		set(at),
	})
}

// RemoveRoleFromAll unlists roleID from every module, in one update.
func (r *ModuleRepository) RemoveRoleFromAll(ctx context.Context, roleID string) error {
	_, err := r.c.UpdateMany(ctx, bson.D{{Key: "user_roles", Value: roleID}},
		bson.D{{Key: "$pull", Value: bson.D{{Key: "user_roles", Value: roleID}}}})
	return mongostore.Translate(err)
}

// Delete removes a module.
func (r *ModuleRepository) Delete(ctx context.Context, id string) error {
	return deleteByID(ctx, r.c, id, access.ErrModuleNotFound)
}
