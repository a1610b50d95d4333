package apidoc_test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"

	"github.com/civicdatatrust/civictrust/adapters/http/apidoc"
)

// publicOperations answer without a bearer token; every other operation declares bearerAuth.
var publicOperations = map[string]bool{
	"GET /healthz":                             true,
	"GET /readyz":                              true,
	"GET /.well-known/jwks.json":               true,
	"GET /api/v1/openapi.json":                 true,
	"POST /api/v1/auth/signup":                 true,
	"POST /api/v1/auth/login":                  true,
	"POST /api/v1/auth/refresh":                true,
	"POST /api/v1/auth/password-reset-request": true,
	"POST /api/v1/auth/password-reset":         true,
	"POST /api/v1/auth/verify-email":           true,
	"GET /api/v1/register/data-uses":           true,
	// tus discovery, and a download link (its token is the credential).
	"OPTIONS /api/v1/uploads/":            true,
	"OPTIONS /api/v1/uploads/{upload_id}": true,
	"GET /api/v1/download-links/{token}":  true,
}

// rateLimited operations document 429 with Retry-After.
var rateLimited = []string{
	"POST /api/v1/auth/signup",
	"POST /api/v1/auth/login",
	"POST /api/v1/auth/change-password",
	"POST /api/v1/auth/refresh",
	"POST /api/v1/auth/password-reset-request",
	"POST /api/v1/auth/password-reset",
	"POST /api/v1/auth/verify-email",
	"POST /api/v1/auth/resend-verification",
}

var methods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

type openAPI struct {
	OpenAPI    string                          `json:"openapi"`
	Servers    json.RawMessage                 `json:"servers"`
	Paths      map[string]map[string]operation `json:"paths"`
	Components struct {
		Schemas         map[string]schema         `json:"schemas"`
		Responses       map[string]response       `json:"responses"`
		Headers         map[string]header         `json:"headers"`
		SecuritySchemes map[string]securityScheme `json:"securitySchemes"`
	} `json:"components"`
}

type operation struct {
	OperationID string                 `json:"operationId"`
	Tags        []string               `json:"tags"`
	Summary     string                 `json:"summary"`
	Security    *[]map[string][]string `json:"security"`
	Parameters  []parameter            `json:"parameters"`
	RequestBody *struct {
		Content map[string]json.RawMessage `json:"content"`
	} `json:"requestBody"`
	Responses map[string]response `json:"responses"`
}

type parameter struct {
	Name     string          `json:"name"`
	In       string          `json:"in"`
	Required bool            `json:"required"`
	Schema   json.RawMessage `json:"schema"`
}

type response struct {
	Ref     string            `json:"$ref"`
	Headers map[string]header `json:"headers"`
	Content map[string]struct {
		Schema *schema `json:"schema"`
	} `json:"content"`
}

type header struct {
	Ref      string          `json:"$ref"`
	Required bool            `json:"required"`
	Schema   json.RawMessage `json:"schema"`
}

type schema struct {
	Ref        string                     `json:"$ref"`
	Type       any                        `json:"type"`
	Required   []string                   `json:"required"`
	Properties map[string]json.RawMessage `json:"properties"`
	Pattern    string                     `json:"pattern"`
}

type securityScheme struct {
	Type         string `json:"type"`
	Scheme       string `json:"scheme"`
	BearerFormat string `json:"bearerFormat"`
}

func load(t *testing.T, b []byte) *openAPI {
	t.Helper()
	var d openAPI
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return &d
}

func current(t *testing.T) *openAPI { return load(t, apidoc.Document()) }

func seed(t *testing.T) *openAPI {
	t.Helper()
	b, err := os.ReadFile("testdata/seed-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	return load(t, b)
}

type op struct {
	key          string // "GET /path"
	path, method string
	*operation
}

func (d *openAPI) operations() []op {
	var ops []op
	for p, item := range d.Paths {
		for _, m := range methods {
			if o, ok := item[m]; ok {
				o := o
				ops = append(ops, op{strings.ToUpper(m) + " " + p, p, m, &o})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].key < ops[j].key })
	return ops
}

// resolve follows a response $ref into components.responses.
func (d *openAPI) resolve(t *testing.T, r response) response {
	t.Helper()
	if r.Ref == "" {
		return r
	}
	name, ok := strings.CutPrefix(r.Ref, "#/components/responses/")
	if !ok {
		t.Fatalf("unexpected response ref %q", r.Ref)
	}
	res, ok := d.Components.Responses[name]
	if !ok {
		t.Fatalf("unresolved response ref %q", r.Ref)
	}
	return res
}

func (d *openAPI) header(t *testing.T, h header) header {
	t.Helper()
	if h.Ref == "" {
		return h
	}
	name, _ := strings.CutPrefix(h.Ref, "#/components/headers/")
	res, ok := d.Components.Headers[name]
	if !ok {
		t.Fatalf("unresolved header ref %q", h.Ref)
	}
	return res
}

func (d *openAPI) bodySchemaRef(t *testing.T, r response) string {
	t.Helper()
	c, ok := d.resolve(t, r).Content["application/json"]
	if !ok || c.Schema == nil {
		return ""
	}
	return c.Schema.Ref
}

func Test_document_builds_with_libopenapi(t *testing.T) {
	doc, err := libopenapi.NewDocument(apidoc.Document())
	if err != nil {
		t.Fatalf("NewDocument: %v", err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("BuildV3Model: %v", err)
	}
	if model == nil || model.Model.Paths == nil {
		t.Fatal("no model")
	}
	if got, want := model.Model.Paths.PathItems.Len(), len(current(t).Paths); got != want {
		t.Fatalf("libopenapi sees %d paths, JSON has %d", got, want)
	}
	if refErrs := model.Index.GetReferenceIndexErrors(); len(refErrs) > 0 {
		t.Fatalf("reference errors: %v", refErrs)
	}
}

func Test_document_is_openapi_3_1_without_servers(t *testing.T) {
	d := current(t)
	if d.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", d.OpenAPI)
	}
	if d.Servers != nil {
		t.Errorf("servers must be absent: paths carry the full prefix")
	}
}

func Test_document_is_pretty_printed(t *testing.T) {
	b := apidoc.Document()
	var compact, pretty bytes.Buffer
	if err := json.Compact(&compact, b); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&pretty, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	if !bytes.Equal(pretty.Bytes(), b) {
		t.Error("openapi.json is not indented with two spaces (and one trailing newline)")
	}
}

func Test_every_seed_operation_is_kept(t *testing.T) {
	d, s := current(t), seed(t)
	for _, so := range s.operations() {
		t.Run(so.key, func(t *testing.T) {
			o, ok := d.Paths[so.path][so.method]
			if !ok {
				t.Fatalf("missing")
			}
			if o.OperationID != so.OperationID {
				t.Errorf("operationId = %q, want %q", o.OperationID, so.OperationID)
			}
			if !slices.Equal(o.Tags, so.Tags) {
				t.Errorf("tags = %v, want %v", o.Tags, so.Tags)
			}
			for _, sp := range so.Parameters {
				i := slices.IndexFunc(o.Parameters, func(p parameter) bool { return p.Name == sp.Name && p.In == sp.In })
				if i < 0 {
					t.Errorf("parameter %s in %s missing", sp.Name, sp.In)
					continue
				}
				if o.Parameters[i].Required != sp.Required {
					t.Errorf("parameter %s: required = %v, want %v", sp.Name, o.Parameters[i].Required, sp.Required)
				}
				if !bytes.Equal(o.Parameters[i].Schema, sp.Schema) && !jsonEqual(o.Parameters[i].Schema, sp.Schema) &&
					!pagingBoundsAdded(sp.Name, o.Parameters[i].Schema, sp.Schema) {
					t.Errorf("parameter %s: schema changed: %s", sp.Name, o.Parameters[i].Schema)
				}
			}
			if so.RequestBody != nil {
				if o.RequestBody == nil {
					t.Fatal("request body missing")
				}
				for mt, sc := range so.RequestBody.Content {
					if !jsonEqual(o.RequestBody.Content[mt], sc) && !seedChanges[requestSchemaPointer(so.path, so.method, mt)] {
						t.Errorf("request body %s changed", mt)
					}
				}
			}
			for code := range so.Responses {
				if _, ok := o.Responses[code]; !ok {
					t.Errorf("response %s missing", code)
				}
			}
		})
	}
}

// pagingBoundsAdded reports whether a paging parameter's schema is the
// seed's with bounds added: the contract bounds every page, skip and limit
// (beyond → 422), which the seed left open.
func pagingBoundsAdded(name string, got, seed json.RawMessage) bool {
	if name != "page" && name != "skip" && name != "limit" {
		return false
	}
	var g, s map[string]any
	if json.Unmarshal(got, &g) != nil || json.Unmarshal(seed, &s) != nil {
		return false
	}
	for _, k := range []string{"minimum", "maximum"} {
		if _, inSeed := s[k]; !inSeed {
			delete(g, k)
		}
	}
	gb, _ := json.Marshal(g)
	sb, _ := json.Marshal(s)
	return bytes.Equal(gb, sb)
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

func Test_every_seed_schema_is_kept(t *testing.T) {
	d, s := current(t), seed(t)
	responseOnly := responseOnlySchemas(t)
	for name, ss := range s.Components.Schemas {
		sc, ok := d.Components.Schemas[name]
		if !ok {
			t.Errorf("schema %s missing", name)
			continue
		}
		switch {
		case responseOnly[name]:
			// A response field becoming required is compatible: clients
			// written against the seed already handle it being there.
			if !slices.Equal(sc.Required[:min(len(ss.Required), len(sc.Required))], ss.Required) {
				t.Errorf("schema %s: required = %v, want the seed's %v first", name, sc.Required, ss.Required)
			}
		case !slices.Equal(sc.Required, ss.Required):
			t.Errorf("schema %s: required = %v, want the seed's %v (a request schema)", name, sc.Required, ss.Required)
		}
		for p := range ss.Properties {
			if _, ok := sc.Properties[p]; !ok {
				t.Errorf("schema %s: property %s missing", name, p)
			}
		}
	}
}

func Test_every_operation_has_an_id_a_tag_a_summary_and_a_2xx(t *testing.T) {
	seen := map[string]string{}
	for _, o := range current(t).operations() {
		if o.OperationID == "" {
			t.Errorf("%s: no operationId", o.key)
		} else if prev, dup := seen[o.OperationID]; dup {
			t.Errorf("%s: operationId %s already used by %s", o.key, o.OperationID, prev)
		}
		seen[o.OperationID] = o.key
		if len(o.Tags) == 0 {
			t.Errorf("%s: no tag", o.key)
		}
		if o.Summary == "" {
			t.Errorf("%s: no summary", o.key)
		}
		has2xx := false
		for code := range o.Responses {
			has2xx = has2xx || strings.HasPrefix(code, "2")
		}
		if !has2xx {
			t.Errorf("%s: no 2xx response", o.key)
		}
	}
}

// FastAPI derives operationIds as re.sub(r"\W", "_", name+path) + "_" + method.
func Test_operation_ids_follow_the_fastapi_pattern(t *testing.T) {
	nonWord := regexp.MustCompile(`\W`)
	for _, o := range current(t).operations() {
		suffix := nonWord.ReplaceAllString(o.path, "_") + "_" + o.method
		if !strings.HasSuffix(o.OperationID, suffix) || len(o.OperationID) == len(suffix) {
			t.Errorf("%s: operationId %q does not end in <name>%s", o.key, o.OperationID, suffix)
		}
	}
}

func Test_protected_operations_declare_bearer_security(t *testing.T) {
	d := current(t)
	bs, ok := d.Components.SecuritySchemes["bearerAuth"]
	if !ok || bs.Type != "http" || bs.Scheme != "bearer" || bs.BearerFormat != "JWT" {
		t.Fatalf("bearerAuth = %+v, want http bearer JWT", bs)
	}
	found := map[string]bool{}
	for _, o := range d.operations() {
		if publicOperations[o.key] {
			found[o.key] = true
			if o.Security == nil || len(*o.Security) != 0 {
				t.Errorf("%s: public, want security: []", o.key)
			}
			continue
		}
		if o.Security == nil || len(*o.Security) != 1 {
			t.Errorf("%s: want security [{bearerAuth: []}]", o.key)
			continue
		}
		if _, ok := (*o.Security)[0]["bearerAuth"]; !ok {
			t.Errorf("%s: security does not name bearerAuth", o.key)
		}
		for _, code := range []string{"401", "403"} {
			if _, ok := o.Responses[code]; !ok {
				t.Errorf("%s: protected, no %s", o.key, code)
			}
		}
		if r, ok := o.Responses["401"]; ok {
			h, ok := d.resolve(t, r).Headers["WWW-Authenticate"]
			if !ok || !d.header(t, h).Required {
				t.Errorf("%s: 401 does not require WWW-Authenticate", o.key)
			}
		}
	}
	for k := range publicOperations {
		if !found[k] {
			t.Errorf("public operation %s is not documented", k)
		}
	}
}

func Test_every_response_documents_x_request_id(t *testing.T) {
	d := current(t)
	for _, o := range d.operations() {
		for code, r := range o.Responses {
			h, ok := d.resolve(t, r).Headers["X-Request-ID"]
			if !ok {
				t.Errorf("%s %s: no X-Request-ID header", o.key, code)
				continue
			}
			if hh := d.header(t, h); !hh.Required || !jsonEqual(hh.Schema, json.RawMessage(`{"type":"string"}`)) {
				t.Errorf("%s %s: X-Request-ID must be a required string", o.key, code)
			}
		}
	}
}

func Test_error_responses_use_the_contract_shapes(t *testing.T) {
	d := current(t)
	for _, o := range d.operations() {
		for _, code := range []string{"500", "503"} {
			if _, ok := o.Responses[code]; !ok {
				t.Errorf("%s: no %s", o.key, code)
			}
		}
		for code, r := range o.Responses {
			if code < "400" {
				continue
			}
			want := "#/components/schemas/ErrorResponse"
			switch code {
			case "422":
				want = "#/components/schemas/HTTPValidationError"
			case "500":
				want = "#/components/schemas/InternalError"
			}
			if got := d.bodySchemaRef(t, r); got != want {
				t.Errorf("%s %s: body %q, want %q", o.key, code, got, want)
			}
		}
		if (len(o.Parameters) > 0 || o.RequestBody != nil) && o.Responses["422"].Ref == "" && o.Responses["422"].Content == nil {
			t.Errorf("%s: takes input but documents no 422", o.key)
		}
		if o.RequestBody != nil {
			if _, ok := o.Responses["413"]; !ok {
				t.Errorf("%s: takes a body but documents no 413", o.key)
			}
		}
		for _, p := range o.Parameters {
			if p.In != "path" {
				continue
			}
			if _, ok := o.Responses["404"]; !ok {
				t.Errorf("%s: path id %s but no 404", o.key, p.Name)
			}
			var s schema
			_ = json.Unmarshal(p.Schema, &s)
			if s.Pattern != "" {
				t.Errorf("%s: path id %s has a pattern; malformed ids must reach the server (404)", o.key, p.Name)
			}
		}
	}
	er := d.Components.Schemas["ErrorResponse"]
	if !slices.Equal(er.Required, []string{"detail", "code"}) || er.Properties["detail"] == nil || er.Properties["code"] == nil {
		t.Errorf("ErrorResponse = %+v, want {detail, code}, both required", er)
	}
	if ie := d.Components.Schemas["InternalError"]; !slices.Equal(ie.Required, []string{"detail"}) || len(ie.Properties) != 1 {
		t.Errorf("InternalError = %+v, want {detail} only", ie)
	}
}

func Test_rate_limits_and_lockout_document_retry_after(t *testing.T) {
	d := current(t)
	check := func(key, code string) {
		t.Helper()
		var o *operation
		for _, x := range d.operations() {
			if x.key == key {
				o = x.operation
			}
		}
		if o == nil {
			t.Errorf("%s: not documented", key)
			return
		}
		r, ok := o.Responses[code]
		if !ok {
			t.Errorf("%s: no %s", key, code)
			return
		}
		h, ok := d.resolve(t, r).Headers["Retry-After"]
		if !ok || !d.header(t, h).Required {
			t.Errorf("%s %s: Retry-After not required", key, code)
		}
	}
	for _, k := range rateLimited {
		check(k, "429")
	}
	check("POST /api/v1/auth/login", "423")
}

// Test_document_only_adds_to_the_seed walks the seed: every object key must still be
// there with a value that is itself a superset, every array (tags, required lists,
// parameters, enums) keeps its elements in order, and every scalar is unchanged.
func Test_document_only_adds_to_the_seed(t *testing.T) {
	var s, d any
	b, err := os.ReadFile("testdata/seed-openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(apidoc.Document(), &d); err != nil {
		t.Fatal(err)
	}
	responseOnly := responseOnlySchemas(t)
	var walk func(ptr string, s, d any)
	walk = func(ptr string, s, d any) {
		if seedChanges[ptr] {
			return
		}
		name, inResponse := responseSchemaOf(ptr, responseOnly)
		switch sv := s.(type) {
		case map[string]any:
			dv, ok := d.(map[string]any)
			if !ok {
				t.Errorf("%s: no longer an object", ptr)
				return
			}
			// A response field the seed allowed to be null that the server
			// never sends as null: anyOf [X, null] may become X.
			if branches, isUnion := sv["anyOf"].([]any); isUnion && inResponse && len(sv) == 1 && len(branches) == 2 {
				if _, still := dv["anyOf"]; !still && jsonEqualAny(branches[1], map[string]any{"type": "null"}) {
					walk(ptr+"/anyOf/0", branches[0], dv)
					return
				}
			}
			_ = name
			for k, v := range sv {
				if _, ok := dv[k]; !ok {
					t.Errorf("%s/%s: removed", ptr, escape(k))
					continue
				}
				walk(ptr+"/"+escape(k), v, dv[k])
			}
		case []any:
			dv, ok := d.([]any)
			// A response schema may require more than the seed did.
			grows := inResponse && strings.HasSuffix(ptr, "/required") && ok && len(dv) > len(sv)
			if !ok || len(dv) != len(sv) && !grows {
				t.Errorf("%s: array changed", ptr)
				return
			}
			for i := range sv {
				walk(ptr+"/"+strconv.Itoa(i), sv[i], dv[i])
			}
		default:
			if s != d {
				t.Errorf("%s: %v changed to %v", ptr, s, d)
			}
		}
	}
	walk("#", s, d)
}

// seedChanges are the places where the document departs from the seed on
// purpose, each for a reason a client written against the seed does not
// notice.
var seedChanges = map[string]bool{
	// The seed reused the response schema for the request, so that clients
	// had to send added_at; the request now has its own schema, which takes
	// every body the seed's did.
	requestSchemaPointer("/api/v1/users/add-to-community/{community_id}", "post", "application/json"): true,
	// The holders of a role are users ({id, name}), not roles: the seed's
	// UserRoleResponse named the same two required fields.
	"#/paths/~1api~1v1~1user-roles~1role~1{role_id}/get/responses/200/content/application~1json/schema/items": true,
}

func requestSchemaPointer(path, method, mediaType string) string {
	return "#/paths/" + escape(path) + "/" + method + "/requestBody/content/" + escape(mediaType)
}

func escape(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1") }

// responseSchemaOf tells whether a seed pointer lies in a component schema
// that only responses use, and which.
func responseSchemaOf(ptr string, responseOnly map[string]bool) (string, bool) {
	rest, ok := strings.CutPrefix(ptr, "#/components/schemas/")
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(rest, "/")
	return name, responseOnly[name]
}

func jsonEqualAny(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return jsonEqual(x, y)
}

// responseOnlySchemas are the component schemas that responses use, directly
// or through other schemas, and that no request body or parameter uses.
func responseOnlySchemas(t *testing.T) map[string]bool {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(apidoc.Document(), &root); err != nil {
		t.Fatal(err)
	}
	schemas := root["components"].(map[string]any)["schemas"].(map[string]any)
	var refs func(v any, out map[string]bool)
	refs = func(v any, out map[string]bool) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				if name, ok := strings.CutPrefix(r, "#/components/schemas/"); ok && !out[name] {
					out[name] = true
					refs(schemas[name], out)
				}
			}
			for _, c := range x {
				refs(c, out)
			}
		case []any:
			for _, c := range x {
				refs(c, out)
			}
		}
	}
	inResponses, inRequests := map[string]bool{}, map[string]bool{}
	for _, item := range root["paths"].(map[string]any) {
		for _, o := range item.(map[string]any) {
			op, ok := o.(map[string]any)
			if !ok {
				continue
			}
			refs(op["requestBody"], inRequests)
			refs(op["parameters"], inRequests)
			refs(op["responses"], inResponses)
		}
	}
	refs(root["components"].(map[string]any)["responses"], inResponses)
	out := map[string]bool{}
	for name := range inResponses {
		if !inRequests[name] {
			out[name] = true
		}
	}
	return out
}
