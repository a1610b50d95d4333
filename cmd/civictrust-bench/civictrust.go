package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// civictrustAPI speaks this service's API (/api/v1).
type civictrustAPI struct{ c *client }

var _ backend = (*civictrustAPI)(nil)

func (a *civictrustAPI) name() string { return targetCivictrust }

// setup signs the administrator in: the server created it at start from
// ADMIN_EMAIL and ADMIN_PASSWORD, and an empty store needs nothing else.
func (a *civictrustAPI) setup(ctx context.Context, adminEmail, adminPassword string) (*session, error) {
	return signIn(ctx, a, adminEmail, adminPassword)
}

func (a *civictrustAPI) signUp(ctx context.Context, u person) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	_, err := a.c.do(ctx, request{method: http.MethodPost, path: "/api/v1/auth/signup", want: http.StatusCreated, out: &out,
		body: map[string]string{"name": u.name, "email": u.email, "password": u.password, "role": "member"}})
	return out.ID, err
}

func (a *civictrustAPI) login(ctx context.Context, email, password string) (string, string, error) {
	var out struct {
		AccessToken string `json:"access_token"`
		User        struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	_, err := a.c.do(ctx, request{method: http.MethodPost, path: "/api/v1/auth/login", out: &out,
		body: map[string]string{"email": email, "password": password}})
	return out.AccessToken, out.User.ID, err
}

func (a *civictrustAPI) createCommunity(ctx context.Context, owner *session, name string) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	_, err := a.c.call(ctx, owner, request{method: http.MethodPost, path: "/api/v1/communities", want: http.StatusCreated, out: &out,
		body: map[string]string{"name": name, "description": "Datasets of the " + name + " neighbourhood"}})
	return out.ID, err
}

func (a *civictrustAPI) addMember(ctx context.Context, owner *session, communityID, userID string) error {
	_, err := a.c.call(ctx, owner, request{method: http.MethodPost, path: "/api/v1/communities/" + communityID + "/members",
		want: http.StatusCreated, body: map[string]string{"user_id": userID}})
	return err
}

func (a *civictrustAPI) createDataset(ctx context.Context, s *session, d datasetSpec) (string, error) {
	fields := [][2]string{{"title", d.title}, {"description", d.description}, {"visibility", d.visibility},
		{"tags", strings.Join(d.tags, ",")}, {"license", "CC-BY-4.0"}}
	if d.communityID != "" {
		fields = append(fields, [2]string{"community_id", d.communityID})
	}
	body, err := newMultipartBody(fields, "file", d.fileName, d.content, "")
	if err != nil {
		return "", err
	}
	return a.postDataset(ctx, s, body)
}

func (a *civictrustAPI) postDataset(ctx context.Context, s *session, body *multipartBody) (string, error) {
	defer body.close()
	var out struct {
		ID string `json:"id"`
	}
	_, err := a.c.call(ctx, s, request{method: http.MethodPost, path: "/api/v1/datasets/create", want: http.StatusCreated, out: &out,
		body: body.reader, contentType: body.contentType, contentLength: body.length})
	return out.ID, err
}

func (a *civictrustAPI) getDataset(ctx context.Context, s *session, id string) error {
	_, err := a.c.call(ctx, s, request{method: http.MethodGet, path: "/api/v1/datasets/" + id})
	return err
}

func (a *civictrustAPI) listDatasets(ctx context.Context, s *session, q listQuery) error {
	v := url.Values{"limit": {strconv.Itoa(q.limit)}}
	if q.page > 1 {
		v.Set("page", strconv.Itoa(q.page))
	}
	if q.q != "" {
		v.Set("q", q.q)
	}
	r := request{method: http.MethodGet, path: "/api/v1/datasets?" + v.Encode()}
	var out struct {
		Pagination struct {
			Total int `json:"total"`
		} `json:"pagination"`
	}
	if q.total != nil {
		r.out = &out
	}
	_, err := a.c.call(ctx, s, r)
	if q.total != nil {
		*q.total = out.Pagination.Total
	}
	return err
}

func (a *civictrustAPI) listUsers(ctx context.Context, admin *session, limit int) error {
	_, err := a.c.call(ctx, admin, request{method: http.MethodGet, path: "/api/v1/users?limit=" + strconv.Itoa(limit)})
	return err
}

func (a *civictrustAPI) actorEvents(ctx context.Context, admin *session, actorID string, limit int) error {
	_, err := a.c.call(ctx, admin, request{method: http.MethodGet,
		path: "/api/v1/audit-events?actor_id=" + url.QueryEscape(actorID) + "&limit=" + strconv.Itoa(limit)})
	return err
}

func (a *civictrustAPI) auditEvents(ctx context.Context, admin *session) (int, error) {
	var out struct {
		Pagination struct {
			Total int `json:"total"`
		} `json:"pagination"`
	}
	_, err := a.c.call(ctx, admin, request{method: http.MethodGet, path: "/api/v1/audit-events?limit=1", out: &out})
	return out.Pagination.Total, err
}

func (a *civictrustAPI) uploadRoutes() []uploadRoute { return []uploadRoute{civictrustMultipart{a}} }

func (a *civictrustAPI) download(ctx context.Context, s *session, id string) (int64, error) {
	n, err := a.c.call(ctx, s, request{method: http.MethodGet, path: "/api/v1/datasets/" + id + "/download"})
	return n, err
}

func (a *civictrustAPI) deleteDataset(ctx context.Context, s *session, id string) error {
	_, err := a.c.call(ctx, s, request{method: http.MethodDelete, path: "/api/v1/datasets/" + id, want: http.StatusNoContent})
	return err
}

// civictrustMultipart is POST /api/v1/datasets/create with the file streamed
// from disk.
type civictrustMultipart struct{ a *civictrustAPI }

func (civictrustMultipart) label() string { return "multipart POST /api/v1/datasets/create" }

func (m civictrustMultipart) upload(ctx context.Context, s *session, path string) (string, error) {
	body, err := newMultipartBody([][2]string{{"title", "Sensor dump " + filepath.Base(path)}, {"visibility", "private"}},
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
