package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// A small document: GET /things/{id} answers a Thing, whose "name" is
// optional and whose "note" is absent at times (and says so).
const checkDoc = `{
  "openapi": "3.1.0",
  "paths": {
    "/things/{id}": {"get": {
      "x-error-codes": {"404": ["thing_not_found"]},
      "responses": {
        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
        "404": {"$ref": "#/components/responses/NotFound"}
      }
    }},
    "/things/": {"get": {"responses": {
      "200": {"content": {"application/json": {"schema": {"type": "object", "required": ["data"], "properties": {
        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
      }}}}}
    }}}
  },
  "components": {
    "responses": {"NotFound": {"x-error-codes": ["not_found"], "content": {"application/json": {"schema": {"type": "object"}}}}},
    "schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {
      "id": {"type": "string"},
      "name": {"type": "string"},
      "note": {"type": "string", "x-omitted-when": "there is none"},
      "owner": {"anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]}
    }}, "Owner": {"type": "object", "required": [], "properties": {"id": {"type": "string"}}}}
  }
}`

func checked(t *testing.T, answers ...[3]string) []string {
	t.Helper()
	doc, err := loadDocument([]byte(checkDoc))
	if err != nil {
		t.Fatal(err)
	}
	o := newObservations()
	for _, a := range answers {
		op := doc.operationOf(http.MethodGet, a[0])
		if op == "" {
			t.Fatalf("no operation for %s", a[0])
		}
		status := 200
		if a[1] != "200" {
			status = 404
		}
		o.record(op, status, http.Header{"Content-Type": {"application/json"}}, []byte(a[2]))
	}
	return doc.check(o)
}

func TestCheckFindsFieldsAlwaysSentButNotRequired(t *testing.T) {
	problems := checked(t,
		[3]string{"/things/1", "200", `{"id":"1","name":"a","note":"n","owner":{"id":"u"}}`},
		[3]string{"/things/2", "200", `{"id":"2","name":"b","owner":null}`},
		[3]string{"/things", "200", `{"data":[{"id":"3","name":"c","owner":{"id":"u"}}]}`},
	)
	want := []string{
		"missing-required #/components/schemas/Thing name (in all 2 answers of GET /things/{id} → 200 at \"\")",
		"missing-required #/components/schemas/Thing name (in all 1 answers of GET /things/ → 200 at \"data[]\")",
		"missing-required #/components/schemas/Thing owner (in all 2 answers of GET /things/{id} → 200 at \"\")",
		"missing-required #/components/schemas/Thing owner (in all 1 answers of GET /things/ → 200 at \"data[]\")",
		// a null owner is no object: one answer had one
		"missing-required #/components/schemas/Owner id (in all 1 answers of GET /things/{id} → 200 at \"owner\")",
		"missing-required #/components/schemas/Owner id (in all 1 answers of GET /things/ → 200 at \"data[].owner\")",
	}
	for _, w := range want {
		if !contains(problems, w) {
			t.Errorf("missing problem %q in:\n%s", w, strings.Join(problems, "\n"))
		}
	}
	if len(problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(problems), len(want), strings.Join(problems, "\n"))
	}
}

func TestCheckAcceptsADocumentThatRequiresWhatIsSent(t *testing.T) {
	if problems := checked(t,
		[3]string{"/things/1", "200", `{"id":"1","note":"n"}`},
		[3]string{"/things/2", "200", `{"id":"2"}`},
		[3]string{"/things/3", "404", `{"detail":"Thing not found","code":"thing_not_found"}`},
		[3]string{"/things/4", "404", `{"detail":"Not found","code":"not_found"}`},
	); len(problems) > 0 {
		t.Errorf("problems:\n%s", strings.Join(problems, "\n"))
	}
}

func TestCheckFindsUndocumentedFieldsAndUnlistedCodes(t *testing.T) {
	problems := checked(t,
		[3]string{"/things/1", "200", `{"id":"1","colour":"red"}`},
		[3]string{"/things/2", "404", `{"detail":"Gone","code":"thing_gone"}`},
	)
	for _, w := range []string{
		"undocumented-field #/components/schemas/Thing colour",
		"unlisted-code GET /things/{id} 404 thing_gone",
	} {
		found := false
		for _, p := range problems {
			found = found || strings.HasPrefix(p, w)
		}
		if !found {
			t.Errorf("missing problem %q in:\n%s", w, strings.Join(problems, "\n"))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
