package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// pocketbaseAPI speaks PocketBase's public Web API (v0.23 and later): the
// same workload expressed in its collections, with list and view rules
// that give the same visibility as civictrust's.
type pocketbaseAPI struct {
	c *client
	// admin is the superuser: only a superuser may change another user's
	// record, which adding a member does.
	admin *session
	// fileNames maps a dataset's record id to its stored file name, which
	// PocketBase's download URL needs.
	fileNames sync.Map
}

var _ backend = (*pocketbaseAPI)(nil)

// usersCollectionID is the id PocketBase gives its built-in users collection.
const usersCollectionID = "_pb_users_auth_"

// datasetRule is who may list and view a dataset, as civictrust decides it:
// every signed-in user sees public ones, members of a community its
// community ones, the owner its own.
const datasetRule = `@request.auth.id != "" && (visibility = "public" || owner = @request.auth.id || ` +
	`(visibility = "community" && @request.auth.communities.id ?= community))`

func (a *pocketbaseAPI) name() string { return targetPocketBase }

// setup signs the superuser in and creates the collections: communities,
// a relation from users to the communities they belong to, and datasets
// with indexes for the newest-first order and the relations.
func (a *pocketbaseAPI) setup(ctx context.Context, adminEmail, adminPassword string) (*session, error) {
	admin := &session{api: superuserLogin{a}, email: adminEmail, password: adminPassword}
	if _, err := admin.bearer(ctx); err != nil {
		return nil, err
	}
	a.admin = admin
	signedIn := `@request.auth.id != ""`
	var communities struct {
		ID string `json:"id"`
	}
	if _, err := a.c.call(ctx, admin, request{method: http.MethodPost, path: "/api/collections", out: &communities, body: map[string]any{
		"name": "communities", "type": "base",
		"fields": []map[string]any{
			{"name": "name", "type": "text", "required": true, "max": 100},
			{"name": "description", "type": "text", "max": 10000},
			{"name": "created", "type": "autodate", "onCreate": true},
			{"name": "updated", "type": "autodate", "onCreate": true, "onUpdate": true},
		},
		"indexes":  []string{"CREATE UNIQUE INDEX idx_communities_name ON communities (name COLLATE NOCASE)"},
		"listRule": signedIn, "viewRule": signedIn, "createRule": signedIn,
	}}); err != nil {
		return nil, fmt.Errorf("create the communities collection: %w", err)
	}
	if err := a.addUsersCommunities(ctx, admin, communities.ID); err != nil {
		return nil, err
	}
	owner := `owner = @request.auth.id`
	if _, err := a.c.call(ctx, admin, request{method: http.MethodPost, path: "/api/collections", body: map[string]any{
		"name": "datasets", "type": "base",
		"fields": []map[string]any{
			{"name": "title", "type": "text", "required": true, "max": 200},
			{"name": "description", "type": "text", "max": 10000},
			{"name": "owner", "type": "relation", "collectionId": usersCollectionID, "maxSelect": 1, "required": true},
			{"name": "community", "type": "relation", "collectionId": communities.ID, "maxSelect": 1},
			{"name": "visibility", "type": "select", "values": []string{"public", "community", "private"}, "maxSelect": 1, "required": true},
			{"name": "tags", "type": "json"},
			{"name": "license", "type": "text", "max": 100},
			{"name": "file", "type": "file", "maxSelect": 1, "maxSize": 2 << 30, "protected": true, "required": true},
			{"name": "created", "type": "autodate", "onCreate": true},
			{"name": "updated", "type": "autodate", "onCreate": true, "onUpdate": true},
		},
		// No index on visibility: with one, SQLite answers the rule's OR
		// from the visibility and owner indexes and sorts every visible row
		// instead of reading the newest first from idx_datasets_created.
		"indexes": []string{
			"CREATE INDEX idx_datasets_created ON datasets (created)",
			"CREATE INDEX idx_datasets_owner ON datasets (owner)",
			"CREATE INDEX idx_datasets_community ON datasets (community)",
		},
		"listRule": datasetRule, "viewRule": datasetRule,
		"createRule": signedIn + " && " + owner + ` && (community = "" || @request.auth.communities.id ?= community)`,
		"updateRule": owner, "deleteRule": owner,
	}}); err != nil {
		return nil, fmt.Errorf("create the datasets collection: %w", err)
	}
	return admin, nil
}

// addUsersCommunities adds the relation field users.communities. A
// collection's fields are replaced as a whole, so the existing ones are
// sent back with it.
func (a *pocketbaseAPI) addUsersCommunities(ctx context.Context, admin *session, communitiesID string) error {
	var users struct {
		Fields []map[string]any `json:"fields"`
	}
	if _, err := a.c.call(ctx, admin, request{method: http.MethodGet, path: "/api/collections/users", out: &users}); err != nil {
		return err
	}
	fields := append(users.Fields, map[string]any{"name": "communities", "type": "relation", "collectionId": communitiesID, "maxSelect": 1000})
	if _, err := a.c.call(ctx, admin, request{method: http.MethodPatch, path: "/api/collections/users",
		body: map[string]any{"fields": fields}}); err != nil {
		return fmt.Errorf("add users.communities: %w", err)
	}
	return nil
}

// superuserLogin signs sessions in as PocketBase superusers.
type superuserLogin struct{ *pocketbaseAPI }

func (s superuserLogin) login(ctx context.Context, email, password string) (string, string, error) {
	return s.authWithPassword(ctx, "_superusers", email, password)
}

func (a *pocketbaseAPI) login(ctx context.Context, email, password string) (string, string, error) {
	return a.authWithPassword(ctx, "users", email, password)
}

func (a *pocketbaseAPI) authWithPassword(ctx context.Context, collection, email, password string) (string, string, error) {
	var out struct {
		Token  string `json:"token"`
		Record struct {
			ID string `json:"id"`
		} `json:"record"`
	}
	_, err := a.c.do(ctx, request{method: http.MethodPost, path: "/api/collections/" + collection + "/auth-with-password", out: &out,
		body: map[string]string{"identity": email, "password": password}})
	return out.Token, out.Record.ID, err
}

type pbRecord struct {
	ID   string `json:"id"`
	File string `json:"file"`
}

func (a *pocketbaseAPI) signUp(ctx context.Context, u person) (string, error) {
	var out pbRecord
	_, err := a.c.do(ctx, request{method: http.MethodPost, path: "/api/collections/users/records", out: &out,
		body: map[string]string{"name": u.name, "email": u.email, "password": u.password, "passwordConfirm": u.password}})
	return out.ID, err
}

// createCommunity creates the community and makes its creator a member.
func (a *pocketbaseAPI) createCommunity(ctx context.Context, owner *session, name string) (string, error) {
	var out pbRecord
	if _, err := a.c.call(ctx, owner, request{method: http.MethodPost, path: "/api/collections/communities/records", out: &out,
		body: map[string]string{"name": name, "description": "Datasets of the " + name + " neighbourhood"}}); err != nil {
		return "", err
	}
	return out.ID, a.addMember(ctx, owner, out.ID, owner.id)
}

// addMember appends the community to the user's communities, as the
// superuser.
func (a *pocketbaseAPI) addMember(ctx context.Context, _ *session, communityID, userID string) error {
	_, err := a.c.call(ctx, a.admin, request{method: http.MethodPatch, path: "/api/collections/users/records/" + userID,
		body: map[string]string{"communities+": communityID}})
	return err
}

func (a *pocketbaseAPI) createDataset(ctx context.Context, s *session, d datasetSpec) (string, error) {
	if _, err := s.bearer(ctx); err != nil {
		return "", err
	}
	tags, _ := json.Marshal(d.tags)
	fields := [][2]string{{"title", d.title}, {"description", d.description}, {"visibility", d.visibility},
		{"tags", string(tags)}, {"license", "CC-BY-4.0"}, {"owner", s.id}}
	if d.communityID != "" {
		fields = append(fields, [2]string{"community", d.communityID})
	}
	body, err := newMultipartBody(fields, "file", d.fileName, d.content, "")
	if err != nil {
		return "", err
	}
	return a.postDataset(ctx, s, body)
}

func (a *pocketbaseAPI) postDataset(ctx context.Context, s *session, body *multipartBody) (string, error) {
	defer body.close()
	var out pbRecord
	_, err := a.c.call(ctx, s, request{method: http.MethodPost, path: "/api/collections/datasets/records", out: &out,
		body: body.reader, contentType: body.contentType, contentLength: body.length})
	if err == nil {
		a.fileNames.Store(out.ID, out.File)
	}
	return out.ID, err
}

func (a *pocketbaseAPI) getDataset(ctx context.Context, s *session, id string) error {
	_, err := a.c.call(ctx, s, request{method: http.MethodGet, path: "/api/collections/datasets/records/" + id})
	return err
}

// searchFilter is PocketBase's filter for civictrust's q: the word in the
// title or the description, case-insensitively.
func searchFilter(word string) string {
	quoted := "'" + strings.ReplaceAll(word, "'", `\'`) + "'"
	return "(title ~ " + quoted + " || description ~ " + quoted + ")"
}

func (a *pocketbaseAPI) listDatasets(ctx context.Context, s *session, q listQuery) error {
	v := url.Values{"perPage": {strconv.Itoa(q.limit)}, "sort": {"-created"}}
	if q.page > 1 {
		v.Set("page", strconv.Itoa(q.page))
	}
	if q.q != "" {
		v.Set("filter", searchFilter(q.q))
	}
	r := request{method: http.MethodGet, path: "/api/collections/datasets/records?" + v.Encode()}
	var out struct {
		TotalItems int `json:"totalItems"`
	}
	if q.total != nil {
		r.out = &out
	}
	_, err := a.c.call(ctx, s, r)
	if q.total != nil {
		*q.total = out.TotalItems
	}
	return err
}

func (a *pocketbaseAPI) listUsers(ctx context.Context, admin *session, limit int) error {
	_, err := a.c.call(ctx, admin, request{method: http.MethodGet, path: "/api/collections/users/records?perPage=" + strconv.Itoa(limit)})
	return err
}

func (a *pocketbaseAPI) actorEvents(context.Context, *session, string, int) error {
	return errUnsupported
}

func (a *pocketbaseAPI) auditEvents(context.Context, *session) (int, error) { return 0, errUnsupported }

func (a *pocketbaseAPI) uploadRoutes() []uploadRoute { return []uploadRoute{pocketbaseMultipart{a}} }

// download fetches a protected file: a short-lived file token, then the file.
func (a *pocketbaseAPI) download(ctx context.Context, s *session, id string) (int64, error) {
	name, ok := a.fileNames.Load(id)
	if !ok {
		return 0, fmt.Errorf("no file name known for dataset %s", id)
	}
	var token struct {
		Token string `json:"token"`
	}
	if _, err := a.c.call(ctx, s, request{method: http.MethodPost, path: "/api/files/token", out: &token}); err != nil {
		return 0, err
	}
	n, err := a.c.call(ctx, s, request{method: http.MethodGet,
		path: "/api/files/datasets/" + id + "/" + url.PathEscape(name.(string)) + "?token=" + url.QueryEscape(token.Token)})
	return n, err
}

func (a *pocketbaseAPI) deleteDataset(ctx context.Context, s *session, id string) error {
	_, err := a.c.call(ctx, s, request{method: http.MethodDelete, path: "/api/collections/datasets/records/" + id, want: http.StatusNoContent})
	return err
}

// pocketbaseMultipart is a record create with the file streamed from disk.
type pocketbaseMultipart struct{ a *pocketbaseAPI }

func (pocketbaseMultipart) label() string { return "multipart POST /api/collections/datasets/records" }

func (m pocketbaseMultipart) upload(ctx context.Context, s *session, path string) (string, error) {
	if _, err := s.bearer(ctx); err != nil {
		return "", err
	}
	body, err := newMultipartBody([][2]string{{"title", "Sensor dump " + filepath.Base(path)}, {"visibility", "private"}, {"owner", s.id}},
		"file", filepath.Base(path), nil, path)
	if err != nil {
		return "", err
	}
	id, err := m.a.postDataset(ctx, s, body)
	if err != nil {
		return "", fmt.Errorf("upload %s: %w", filepath.Base(path), err)
	}
	return id, nil
}
