package apidoc_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apidoc"
)

// statusOfKind is the HTTP adapter's mapping (httpserver's statusOf) by the
// name of the kernel's kinds; KindInternal answers 500 without a code.
var statusOfKind = map[string]int{
	"KindInvalid": 400, "KindUnauthenticated": 401, "KindForbidden": 403, "KindNotFound": 404,
	"KindConflict": 409, "KindTooLarge": 413, "KindUnsupportedMedia": 415, "KindLocked": 423,
	"KindRateLimited": 429, "KindUnavailable": 503, "KindRangeNotSatisfiable": 416,
}

// sentCode is an error code the server can put in an ErrorResponse, and
// where it is declared.
// answeredOtherwise are codes whose answer has a status no kernel kind maps
// to: tus answers a piece that fails its checksum with 460.
var answeredOtherwise = map[string]int{"checksum_mismatch": 460}

type sentCode struct {
	status int // 0 when the declaration does not say (a literal answer)
	where  string
}

// codesInSource reads every non-test Go file of the layers that declare
// errors and returns the codes a client can receive:
//
//   - kernel.NewError(kind, "code", …), unless its kind is KindInternal (a
//     500 carries no code) or it is declared .WithField(…) with KindInvalid
//     (a problem about one field, answered as a 422 list without a code);
//   - ErrorBody{…, Code: "code"} literals (answers the HTTP adapter writes
//     itself, such as Fiber's own errors and the shutdown's 503).
func codesInSource(t *testing.T) (sent map[string]sentCode, withheld map[string]string) {
	t.Helper()
	sent, withheld = map[string]sentCode{}, map[string]string{}
	root := filepath.Join("..", "..", "..")
	fset := token.NewFileSet()
	for _, dir := range []string{"domain", "ports", "application", "adapters"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() && e.Name() == "testdata" {
				return filepath.SkipDir
			}
			if e.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			collectCodes(fset, f, sent, withheld)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(sent) < 20 {
		t.Fatalf("found only %d codes in the source: the scan is broken", len(sent))
	}
	return sent, withheld
}

func collectCodes(fset *token.FileSet, f *ast.File, sent map[string]sentCode, withheld map[string]string) {
	// Calls that are the receiver of .WithField(…): field problems.
	withField := map[*ast.CallExpr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "WithField" {
				if inner, ok := sel.X.(*ast.CallExpr); ok {
					withField[inner] = true
				}
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if !isNewError(x.Fun) || len(x.Args) < 2 {
				return true
			}
			code, ok := stringLit(x.Args[1])
			if !ok {
				return true
			}
			kind := kindName(x.Args[0])
			where := fset.Position(x.Pos()).String()
			switch {
			case kind == "KindInternal":
				withheld[code] = "500 carries no code (" + where + ")"
			case kind == "KindInvalid" && withField[x]:
				withheld[code] = "422 about one field (" + where + ")"
			default:
				sent[code] = sentCode{status: statusOfKind[kind], where: where}
			}
		case *ast.KeyValueExpr:
			if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Code" {
				if code, ok := stringLit(x.Value); ok {
					if _, known := sent[code]; !known {
						sent[code] = sentCode{where: fset.Position(x.Pos()).String()}
					}
				}
			}
		}
		return true
	})
}

func isNewError(fun ast.Expr) bool {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name == "NewError"
	case *ast.Ident:
		return f.Name == "NewError"
	}
	return false
}

func kindName(e ast.Expr) string {
	switch k := e.(type) {
	case *ast.SelectorExpr:
		return k.Sel.Name
	case *ast.Ident:
		return k.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

type errorCodeSchema struct {
	Description      string   `json:"description"`
	Enum             []string `json:"enum"`
	EnumDescriptions []string `json:"x-enum-descriptions"`
}

func documentedCodes(t *testing.T) errorCodeSchema {
	t.Helper()
	var d struct {
		Components struct {
			Schemas struct {
				ErrorCode errorCodeSchema `json:"ErrorCode"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(apidoc.Document(), &d); err != nil {
		t.Fatal(err)
	}
	return d.Components.Schemas.ErrorCode
}

var tableRow = regexp.MustCompile("^\\| `([a-z0-9_]+)` \\| ([0-9]{3}|4xx) \\| (.+) \\|$")

// codeTable reads the ErrorCode description's table: code → status.
func codeTable(t *testing.T, s errorCodeSchema) (order []string, status map[string]string) {
	t.Helper()
	status = map[string]string{}
	for _, line := range strings.Split(s.Description, "\n") {
		if m := tableRow.FindStringSubmatch(line); m != nil {
			order = append(order, m[1])
			status[m[1]] = m[2]
		}
	}
	return order, status
}

func Test_every_error_code_the_server_sends_is_documented_and_no_other(t *testing.T) {
	sent, withheld := codesInSource(t)
	doc := documentedCodes(t)
	documented := map[string]bool{}
	for _, c := range doc.Enum {
		if documented[c] {
			t.Errorf("ErrorCode lists %s twice", c)
		}
		documented[c] = true
	}
	var missing, extra []string
	for c, s := range sent {
		if !documented[c] {
			missing = append(missing, c+" ("+s.where+")")
		}
	}
	for c := range documented {
		if _, ok := sent[c]; !ok {
			why := "declared nowhere"
			if w, ok := withheld[c]; ok {
				why = "never sent: " + w
			}
			extra = append(extra, c+" ("+why+")")
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, m := range missing {
		t.Errorf("code not in the document's ErrorCode enum: %s", m)
	}
	for _, e := range extra {
		t.Errorf("ErrorCode lists a code the server does not send: %s", e)
	}

	order, status := codeTable(t, doc)
	if !slices.Equal(order, doc.Enum) {
		t.Errorf("the table's rows %v are not the enum %v, in order", order, doc.Enum)
	}
	if len(doc.EnumDescriptions) != len(doc.Enum) {
		t.Errorf("%d x-enum-descriptions for %d codes", len(doc.EnumDescriptions), len(doc.Enum))
	}
	for c, s := range sent {
		if answered, ok := answeredOtherwise[c]; ok {
			s.status = answered
		}
		if s.status != 0 && status[c] != "" && status[c] != strconv.Itoa(s.status) {
			t.Errorf("code %s: the table says %s, its kind answers %d (%s)", c, status[c], s.status, s.where)
		}
	}
}

// Test_operations_list_only_documented_codes_under_matching_statuses checks the
// x-error-codes of operations and shared responses; that they cover what the
// server answers is checked by the end-to-end suites (apitest.Run).
func Test_operations_list_only_documented_codes_under_matching_statuses(t *testing.T) {
	_, status := codeTable(t, documentedCodes(t))
	var d struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Responses map[string]struct {
				Codes []string `json:"x-error-codes"`
			} `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(apidoc.Document(), &d); err != nil {
		t.Fatal(err)
	}
	check := func(where, st string, codes []string) {
		for _, c := range codes {
			s, ok := status[c]
			switch {
			case !ok:
				t.Errorf("%s: %s is not an ErrorCode", where, c)
			case s != "4xx" && s != st:
				t.Errorf("%s: %s is answered with %s, listed under %s", where, c, s, st)
			}
		}
	}
	shared := 0
	for name, r := range d.Components.Responses {
		if len(r.Codes) == 0 {
			continue
		}
		shared++
		var sample string
		for _, c := range r.Codes {
			sample = status[c]
		}
		check("components.responses."+name, sample, r.Codes)
	}
	listed := 0
	for path, item := range d.Paths {
		for method, raw := range item {
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
				Codes     map[string][]string        `json:"x-error-codes"`
			}
			if json.Unmarshal(raw, &op) != nil {
				continue
			}
			for st, codes := range op.Codes {
				where := strings.ToUpper(method) + " " + path
				if _, ok := op.Responses[st]; !ok {
					t.Errorf("%s: x-error-codes for %s, which it does not document", where, st)
				}
				check(where, st, codes)
				listed++
			}
		}
	}
	if shared < 5 || listed < 40 {
		t.Errorf("only %d shared responses and %d operation statuses list codes", shared, listed)
	}
}
