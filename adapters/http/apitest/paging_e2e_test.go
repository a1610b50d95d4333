package apitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apidoc"
	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
)

// pagedOperation is a GET operation of the document with paging parameters,
// and each parameter's bounds as documented.
type pagedOperation struct {
	path   string
	params map[string][2]int64 // name → minimum, maximum
}

// pagedOperations reads the document: every GET with a page, skip or limit
// query parameter. A paging parameter without both bounds fails the test.
func pagedOperations(t *testing.T) []pagedOperation {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(apidoc.Document(), &doc); err != nil {
		t.Fatal(err)
	}
	var out []pagedOperation
	for path, ops := range doc.Paths {
		raw, ok := ops["get"]
		if !ok {
			continue
		}
		var op struct {
			Parameters []struct {
				Name   string `json:"name"`
				In     string `json:"in"`
				Schema struct {
					Minimum *int64 `json:"minimum"`
					Maximum *int64 `json:"maximum"`
				} `json:"schema"`
			} `json:"parameters"`
		}
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		po := pagedOperation{path: path, params: map[string][2]int64{}}
		for _, p := range op.Parameters {
			if p.In != "query" || !slices.Contains([]string{"page", "skip", "limit"}, p.Name) {
				continue
			}
			if p.Schema.Minimum == nil || p.Schema.Maximum == nil {
				t.Errorf("GET %s: the %s parameter documents no minimum and maximum", path, p.Name)
				continue
			}
			po.params[p.Name] = [2]int64{*p.Schema.Minimum, *p.Schema.Maximum}
		}
		if len(po.params) > 0 {
			out = append(out, po)
		}
	}
	slices.SortFunc(out, func(a, b pagedOperation) int { return strings.Compare(a.path, b.path) })
	return out
}

// Every page, skip and limit of every list is bounded as documented: beyond
// the bounds (the largest int64 too) the answer is the contract's 422 on that
// parameter, never a 500, a panic or a wrong total.
func TestPagingParametersAreBounded(t *testing.T) {
	t.Parallel()
	app := apitest.Start(t)
	adm := app.Admin()
	community := app.Post("/api/v1/communities", adm.Access, map[string]any{"name": "Paging Club"}).Expect(t, http.StatusCreated).Str("id")
	dataset := app.Upload(http.MethodPost, "/api/v1/datasets/create", adm.Access, map[string]string{"title": "Paged"}, "p.csv",
		strings.NewReader("a,b\n")).Expect(t, http.StatusCreated).Str("id")
	ids := map[string]string{"{user_id}": adm.UserID, "{community_id}": community, "{dataset_id}": dataset}

	ops := pagedOperations(t)
	if len(ops) < 10 {
		t.Fatalf("%d paged operations in the document; the walk is broken", len(ops))
	}
	for _, op := range ops {
		path := op.path
		for k, v := range ids {
			path = strings.ReplaceAll(path, k, v)
		}
		if strings.Contains(path, "{") {
			t.Errorf("GET %s: no id for its path parameters", op.path)
			continue
		}
		for name, bounds := range op.params {
			for _, tc := range []struct {
				value, typ string
			}{
				{strconv.FormatInt(bounds[1]+1, 10), "less_than_equal"},
				{"9223372036854775807", "less_than_equal"},
				{"99999999999999999999999", "less_than_equal"},
				{strconv.FormatInt(bounds[0]-1, 10), "greater_than_equal"},
				{"-9223372036854775808", "greater_than_equal"},
			} {
				t.Run(fmt.Sprintf("%s_%s=%s", strings.ReplaceAll(strings.Trim(op.path, "/"), "/", "_"), name, tc.value), func(t *testing.T) {
					r := app.Get(path+"?"+url.Values{name: {tc.value}}.Encode(), adm.Access)
					r.Expect(t, http.StatusUnprocessableEntity)
					var body struct {
						Detail []httpserver.FieldError `json:"detail"`
					}
					_ = json.Unmarshal(r.Body, &body)
					if len(body.Detail) != 1 || body.Detail[0].Type != tc.typ ||
						len(body.Detail[0].Loc) != 2 || body.Detail[0].Loc[0] != "query" || body.Detail[0].Loc[1] != name {
						t.Errorf("detail %s, want one %s at [query %s]", r.Body, tc.typ, name)
					}
				})
			}
			t.Run(fmt.Sprintf("%s_%s_at_its_maximum", strings.ReplaceAll(strings.Trim(op.path, "/"), "/", "_"), name), func(t *testing.T) {
				r := app.Get(path+"?"+url.Values{name: {strconv.FormatInt(bounds[1], 10)}}.Encode(), adm.Access)
				r.Expect(t, http.StatusOK)
			})
		}
	}

	t.Run("the_last_page_reports_the_true_total", func(t *testing.T) {
		r := app.Get("/api/v1/audit-events?"+url.Values{"page": {strconv.Itoa(httpserver.MaxPage)}}.Encode(), adm.Access).Expect(t, http.StatusOK)
		var body struct {
			Data       []any `json:"data"`
			Pagination struct {
				Total int64 `json:"total"`
			} `json:"pagination"`
		}
		_ = json.Unmarshal(r.Body, &body)
		if len(body.Data) != 0 || body.Pagination.Total == 0 {
			t.Errorf("page %d of the audit events: %d events, total %d; want none and the true total", httpserver.MaxPage, len(body.Data), body.Pagination.Total)
		}
	})
}
