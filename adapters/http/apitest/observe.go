package apitest

import (
	"encoding/json"
	"flag"
	"fmt"
	"mime"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apidoc"
)

// The end-to-end suites record what every validated response carried, so that
// the document can be checked against what the server really sends: a field
// present in every response of an operation must be `required` (or generated
// clients force their users into casts), a field the document does not name
// is a field no client can use, and an error code must be one the operation
// lists. Run checks it when a package's tests are over.

// location is one place of a response body where objects appear: an
// operation's answer for a status, and a path into the body ("" for the top,
// "user", "data[]").
type location struct {
	operation string // "POST /api/v1/auth/login"
	status    string // "200"
	path      string
}

// objectsSeen is what the objects at one location carried.
type objectsSeen struct {
	count  int
	always map[string]bool // keys present in every object
	ever   map[string]bool // keys present in any object
}

// observations are what a test binary saw; safe for concurrent use.
type observations struct {
	mu      sync.Mutex
	objects map[location]*objectsSeen
	codes   map[location]map[string]bool // path "" only: error codes answered
	answers int
}

func newObservations() *observations {
	return &observations{objects: map[location]*objectsSeen{}, codes: map[location]map[string]bool{}}
}

// seen is this test binary's record.
var seen = newObservations()

// record notes one response that matched the document.
func (o *observations) record(operation string, status int, header map[string][]string, body []byte) {
	ct := ""
	if v := header["Content-Type"]; len(v) > 0 {
		ct = v[0]
	}
	mt, _, _ := mime.ParseMediaType(ct)
	if mt != "application/json" || len(body) == 0 {
		return
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return
	}
	st := fmt.Sprint(status)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.answers++
	o.walk(location{operation, st, ""}, v)
	if m, ok := v.(map[string]any); ok && status >= 400 {
		if code, ok := m["code"].(string); ok {
			l := location{operation, st, ""}
			if o.codes[l] == nil {
				o.codes[l] = map[string]bool{}
			}
			o.codes[l][code] = true
		}
	}
}

func (o *observations) walk(l location, v any) {
	switch x := v.(type) {
	case map[string]any:
		s := o.objects[l]
		if s == nil {
			s = &objectsSeen{always: map[string]bool{}, ever: map[string]bool{}}
			for k := range x {
				s.always[k] = true
			}
			o.objects[l] = s
		}
		s.count++
		for k := range s.always {
			if _, ok := x[k]; !ok {
				delete(s.always, k)
			}
		}
		for k, child := range x {
			s.ever[k] = true
			o.walk(location{l.operation, l.status, join(l.path, k)}, child)
		}
	case []any:
		for _, child := range x {
			o.walk(location{l.operation, l.status, l.path + "[]"}, child)
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Run runs a package's tests, then checks what its end-to-end tests saw
// against the document (see check); use it as the package's TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(apitest.Run(m)) }
//
// A run of every test that saw no JSON answer at all fails: the check would
// have proved nothing.
func Run(m *testing.M) int {
	code := m.Run()
	if code != 0 {
		return code
	}
	filtered := false
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		filtered = true
	}
	seen.mu.Lock()
	answers := seen.answers
	seen.mu.Unlock()
	if answers == 0 && !filtered {
		_, _ = fmt.Fprintln(os.Stderr, "apitest: the end-to-end tests recorded no JSON answer, so the document check proved nothing")
		return 1
	}
	doc, err := loadDocument(apidoc.Document())
	if err != nil {
		_, _ = fmt.Fprintln(os.Stderr, "apitest:", err)
		return 1
	}
	if problems := doc.check(seen); len(problems) > 0 {
		_, _ = fmt.Fprintf(os.Stderr, "apitest: the document does not describe what the server sent (%d problems):\n", len(problems))
		for _, p := range problems {
			_, _ = fmt.Fprintln(os.Stderr, "  "+p)
		}
		return 1
	}
	return 0
}

// document is a parsed OpenAPI document, for the checks.
type document struct {
	root  map[string]any
	paths []docPath
}

type docPath struct {
	template string
	re       *regexp.Regexp
	literals int
}

// loadDocument parses an OpenAPI document.
func loadDocument(b []byte) (*document, error) {
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("parse the document: %w", err)
	}
	d := &document{root: root}
	paths, _ := root["paths"].(map[string]any)
	for p := range paths {
		trimmed := strings.TrimSuffix(p, "/")
		re := regexp.MustCompile(pathPattern(trimmed))
		d.paths = append(d.paths, docPath{template: p, re: re, literals: strings.Count(trimmed, "/") - strings.Count(trimmed, "{")})
	}
	// The most literal template first: /datasets/create before /datasets/{id}.
	sort.Slice(d.paths, func(i, j int) bool {
		if d.paths[i].literals != d.paths[j].literals {
			return d.paths[i].literals > d.paths[j].literals
		}
		return d.paths[i].template < d.paths[j].template
	})
	return d, nil
}

// pathPattern is the regular expression of a path template: literal
// segments as they are, each {param} one segment, an optional trailing slash.
func pathPattern(template string) string {
	var b strings.Builder
	b.WriteString("^")
	rest := template
	for {
		i := strings.Index(rest, "{")
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:i]))
		j := strings.Index(rest[i:], "}")
		if j < 0 {
			b.WriteString(regexp.QuoteMeta(rest[i:]))
			break
		}
		b.WriteString(`[^/]+`)
		rest = rest[i+j+1:]
	}
	b.WriteString("/?$")
	return b.String()
}

// operationOf returns "METHOD /template" for a request, or "" when no
// documented operation matches.
func (d *document) operationOf(method, path string) string {
	p, _, _ := strings.Cut(path, "?")
	m := strings.ToLower(method)
	for _, dp := range d.paths {
		if !dp.re.MatchString(p) {
			continue
		}
		item, _ := d.root["paths"].(map[string]any)[dp.template].(map[string]any)
		if _, ok := item[m]; ok {
			return strings.ToUpper(m) + " " + dp.template
		}
	}
	return ""
}

// check compares what was seen with the document and returns the problems,
// each naming the schema to change.
func (d *document) check(o *observations) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var problems []string
	for l, s := range o.objects {
		sch, ptr, err := d.schemaAt(l)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s → %s at %q: %v", l.operation, l.status, l.path, err))
			continue
		}
		if sch == nil {
			continue // free-form (e.g. audit details): any key goes
		}
		required := stringSet(sch["required"])
		props, _ := sch["properties"].(map[string]any)
		for _, k := range sortedKeys(s.always) {
			prop, _ := props[k].(map[string]any)
			if _, sometimes := prop["x-omitted-when"]; sometimes {
				continue // absent in some answers, and the document says when
			}
			if !required[k] {
				problems = append(problems, fmt.Sprintf("missing-required %s %s (in all %d answers of %s → %s at %q)", ptr, k, s.count, l.operation, l.status, l.path))
			}
		}
		if _, free := sch["additionalProperties"]; !free {
			for _, k := range sortedKeys(s.ever) {
				if _, ok := props[k]; !ok {
					problems = append(problems, fmt.Sprintf("undocumented-field %s %s (%s → %s at %q)", ptr, k, l.operation, l.status, l.path))
				}
			}
		}
	}
	for l, codes := range o.codes {
		allowed := d.errorCodes(l.operation, l.status)
		for _, c := range sortedKeys(codes) {
			if !allowed[c] {
				problems = append(problems, fmt.Sprintf("unlisted-code %s %s %s", l.operation, l.status, c))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// errorCodes are the codes an operation documents for a status: those of
// the shared response it refers to (x-error-codes on the response) and its
// own (x-error-codes on the operation, by status).
func (d *document) errorCodes(operation, status string) map[string]bool {
	out := map[string]bool{}
	op := d.operation(operation)
	if op == nil {
		return out
	}
	if own, ok := op["x-error-codes"].(map[string]any); ok {
		for c := range stringSet(own[status]) {
			out[c] = true
		}
	}
	responses, _ := op["responses"].(map[string]any)
	r, _ := responses[status].(map[string]any)
	if r, _, err := d.deref(r, ""); err == nil {
		for c := range stringSet(r["x-error-codes"]) {
			out[c] = true
		}
	}
	return out
}

func (d *document) operation(operation string) map[string]any {
	method, template, _ := strings.Cut(operation, " ")
	item, _ := d.root["paths"].(map[string]any)[template].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	return op
}

// schemaAt resolves the object schema at a location and returns it with its
// JSON pointer; nil without error means a schema that allows any object.
func (d *document) schemaAt(l location) (map[string]any, string, error) {
	op := d.operation(l.operation)
	if op == nil {
		return nil, "", fmt.Errorf("no such operation")
	}
	responses, _ := op["responses"].(map[string]any)
	r, ok := responses[l.status].(map[string]any)
	if !ok {
		return nil, "", fmt.Errorf("status not documented")
	}
	r, _, err := d.deref(r, "")
	if err != nil {
		return nil, "", err
	}
	content, _ := r["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	sch, _ := media["schema"].(map[string]any)
	if sch == nil {
		return nil, "", fmt.Errorf("no application/json schema")
	}
	method, template, _ := strings.Cut(l.operation, " ")
	ptr := "#/paths/" + strings.ReplaceAll(template, "/", "~1") + "/" + strings.ToLower(method) +
		"/responses/" + l.status + "/content/application~1json/schema"
	segments := []string{}
	if l.path != "" {
		segments = splitPath(l.path)
	}
	for _, seg := range segments {
		sch, ptr, err = d.objectOrArray(sch, ptr)
		if err != nil {
			return nil, "", err
		}
		if sch == nil {
			return nil, "", nil
		}
		if seg == "[]" {
			items, ok := sch["items"].(map[string]any)
			if !ok {
				return nil, "", nil // any value (a 422's input)
			}
			sch, ptr = items, ptr+"/items"
			continue
		}
		props, ok := sch["properties"].(map[string]any)
		if !ok {
			return nil, "", nil // a free-form object (a 422's ctx)
		}
		child, ok := props[seg].(map[string]any)
		if !ok {
			return nil, "", nil // free, or reported as undocumented one level up
		}
		sch, ptr = child, ptr+"/properties/"+seg
	}
	sch, ptr, err = d.objectOrArray(sch, ptr)
	if err != nil || sch == nil {
		return nil, "", err
	}
	if _, ok := sch["properties"]; !ok {
		return nil, "", nil
	}
	return sch, ptr, nil
}

// objectOrArray follows $ref and picks the non-null branch of an anyOf or
// oneOf (the seed writes nullable fields as anyOf [X, null]).
func (d *document) objectOrArray(sch map[string]any, ptr string) (map[string]any, string, error) {
	for range 10 {
		var err error
		sch, ptr, err = d.deref(sch, ptr)
		if err != nil {
			return nil, "", err
		}
		var branches []any
		for _, k := range []string{"anyOf", "oneOf"} {
			if b, ok := sch[k].([]any); ok {
				branches = b
				ptr += "/" + k
			}
		}
		if branches == nil {
			return sch, ptr, nil
		}
		next := -1
		for i, b := range branches {
			bm, _ := b.(map[string]any)
			if bm["type"] != "null" {
				if next >= 0 {
					return nil, "", nil // a real union: not checked
				}
				next = i
			}
		}
		if next < 0 {
			return nil, "", nil
		}
		sch, _ = branches[next].(map[string]any)
		ptr += fmt.Sprintf("/%d", next)
	}
	return nil, "", fmt.Errorf("%s: references nest too deep", ptr)
}

// deref follows a local $ref (one level or more); ptr is where sch is, and
// the pointer of the schema it resolves to is returned.
func (d *document) deref(sch map[string]any, ptr string) (map[string]any, string, error) {
	for range 10 {
		ref, ok := sch["$ref"].(string)
		if !ok {
			return sch, ptr, nil
		}
		target, err := d.pointer(ref)
		if err != nil {
			return nil, "", err
		}
		sch, ptr = target, ref
	}
	return nil, "", fmt.Errorf("$ref chain too long")
}

func (d *document) pointer(ref string) (map[string]any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("only local references: %s", ref)
	}
	var cur any = d.root
	for _, part := range strings.Split(rest, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("unresolved %s", ref)
		}
		cur = m[part]
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("unresolved %s", ref)
	}
	return m, nil
}

// splitPath splits "data[].file" into "data", "[]", "file".
func splitPath(p string) []string {
	var out []string
	for _, part := range strings.Split(p, ".") {
		name, arrays, _ := strings.Cut(part, "[]")
		if name != "" {
			out = append(out, name)
		}
		if strings.HasPrefix(part[len(name):], "[]") {
			out = append(out, "[]")
			for strings.HasPrefix(arrays, "[]") {
				out = append(out, "[]")
				arrays = arrays[2:]
			}
		}
	}
	return out
}

func stringSet(v any) map[string]bool {
	out := map[string]bool{}
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			out[s] = true
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
