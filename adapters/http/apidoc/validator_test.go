package apidoc_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"

	"github.com/civicdatatrust/civictrust/adapters/http/apidoc"
)

// The end-to-end tests validate every response against the document with
// libopenapi-validator; these cases pin down that the document accepts the shapes
// API.md promises and rejects a response without X-Request-ID.
func Test_contract_shapes_validate_against_the_document(t *testing.T) {
	doc, err := libopenapi.NewDocument(apidoc.Document())
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc, config.WithFormatAssertions(), config.WithStandardBodyDecoders())
	if len(errs) > 0 {
		t.Fatalf("NewValidator: %v", errs)
	}
	const rid = "0f8e2c4a-req"
	cases := []struct {
		name, method, path string
		status             int
		headers            map[string]string
		body               string
		valid              bool
	}{
		{
			name: "signup 422 as the original service answered", method: "POST", path: "/api/v1/auth/signup", status: 422,
			headers: map[string]string{"X-Request-ID": rid},
			body:    `{"detail":[{"type":"value_error","loc":["body","password"],"msg":"Value error, Password must contain at least one digit","input":"stringstT","ctx":{"error":{}},"url":"https://errors.pydantic.dev/2.3/v/value_error"}]}`,
			valid:   true,
		},
		{
			name: "users list without the trailing slash", method: "GET", path: "/api/v1/users", status: 200,
			headers: map[string]string{"X-Request-ID": rid, "X-Total-Count": "1"},
			body:    `[{"id":"66d8a1f0c2b4e5a6b7c8d9e0","name":"Ada","email":"ada@example.com","status":true,"role":"66d8a1f0c2b4e5a6b7c8d9e1","roles":[{"id":"66d8a1f0c2b4e5a6b7c8d9e1","name":"admin"}],"created_at":"2025-09-04T18:23:52.084Z","updated_at":"2025-09-04T18:23:52.084Z"}]`,
			valid:   true,
		},
		{
			name: "401 with WWW-Authenticate", method: "GET", path: "/api/v1/users/nothex", status: 401,
			headers: map[string]string{"X-Request-ID": rid, "WWW-Authenticate": "Bearer"},
			body:    `{"detail":"Not authenticated","code":"not_authenticated"}`,
			valid:   true,
		},
		{
			name: "404 for a malformed id", method: "GET", path: "/api/v1/user-roles/user/zzz", status: 404,
			headers: map[string]string{"X-Request-ID": rid},
			body:    `{"detail":"User not found","code":"user_not_found"}`,
			valid:   true,
		},
		{
			name: "500 carries only detail", method: "POST", path: "/api/v1/auth/login", status: 500,
			headers: map[string]string{"X-Request-ID": rid},
			body:    `{"detail":"Internal Server Error"}`,
			valid:   true,
		},
		{
			name: "login 423 with Retry-After", method: "POST", path: "/api/v1/auth/login", status: 423,
			headers: map[string]string{"X-Request-ID": rid, "Retry-After": "900"},
			body:    `{"detail":"Account locked","code":"account_locked"}`,
			valid:   true,
		},
		{
			name: "role-base module envelope", method: "GET", path: "/api/v1/role-base-modules/66d8a1f0c2b4e5a6b7c8d9e0", status: 200,
			headers: map[string]string{"X-Request-ID": rid},
			body:    `{"status":"success","message":"Module retrieved","data":{"id":"66d8a1f0c2b4e5a6b7c8d9e0","module_name":"users","user_roles":["66d8a1f0c2b4e5a6b7c8d9e1"],"created_at":"2025-09-04T18:23:52.084Z","updated_at":"2025-09-04T18:23:52.084Z"}}`,
			valid:   true,
		},
		{
			name: "logout 204", method: "POST", path: "/api/v1/auth/logout", status: 204,
			headers: map[string]string{"X-Request-ID": rid},
			valid:   true,
		},
		{
			name: "missing X-Request-ID", method: "GET", path: "/healthz", status: 200,
			body:  `{"status":"ok"}`,
			valid: false,
		},
		{
			name: "401 without WWW-Authenticate", method: "GET", path: "/api/v1/auth/me", status: 401,
			headers: map[string]string{"X-Request-ID": rid},
			body:    `{"detail":"Not authenticated","code":"not_authenticated"}`,
			valid:   false,
		},
		{
			name: "undocumented status", method: "GET", path: "/healthz", status: 418,
			headers: map[string]string{"X-Request-ID": rid},
			body:    `{"detail":"teapot"}`,
			valid:   false,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			resp := &http.Response{StatusCode: tc.status, Header: http.Header{}, Body: http.NoBody, Request: req}
			if tc.body != "" {
				resp.Header.Set("Content-Type", "application/json")
				resp.Body = io.NopCloser(strings.NewReader(tc.body))
			}
			for k, val := range tc.headers {
				resp.Header.Set(k, val)
			}
			ok, verrs := v.ValidateHttpResponse(req, resp)
			var msgs []string
			for _, e := range verrs {
				msgs = append(msgs, e.Message+": "+e.Reason)
			}
			if ok != tc.valid {
				t.Errorf("valid = %v, want %v; %s", ok, tc.valid, strings.Join(msgs, "; "))
			} else if !ok {
				t.Logf("rejected as expected: %s", strings.Join(msgs, "; "))
			}
		})
	}
}

// The seed described the body of POST /users/add-to-community/{id} with its
// response schema, added_at included; the server never needed it.
func Test_add_to_community_takes_a_body_without_added_at(t *testing.T) {
	doc, err := libopenapi.NewDocument(apidoc.Document())
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc, config.WithFormatAssertions())
	if len(errs) > 0 {
		t.Fatalf("NewValidator: %v", errs)
	}
	for _, tc := range []struct {
		body  string
		valid bool
	}{
		{`{"user_id":"66d8a1f0c2b4e5a6b7c8d9e0"}`, true},
		{`{"user_id":"66d8a1f0c2b4e5a6b7c8d9e0","community_id":"66d8a1f0c2b4e5a6b7c8d9e1","added_at":"2025-09-04T18:23:52.084Z"}`, true},
		{`{"community_id":"66d8a1f0c2b4e5a6b7c8d9e1"}`, false},
	} {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/users/add-to-community/66d8a1f0c2b4e5a6b7c8d9e1", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer x")
		ok, verrs := v.ValidateHttpRequest(req)
		if ok != tc.valid {
			var msgs []string
			for _, e := range verrs {
				msgs = append(msgs, e.Message+": "+e.Reason)
			}
			t.Errorf("%s: valid = %v, want %v; %s", tc.body, ok, tc.valid, strings.Join(msgs, "; "))
		}
	}
}
