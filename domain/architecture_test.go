package domain_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/civicdatatrust/civictrust"

type pkg struct {
	ImportPath string
	Imports    []string
}

// listPackages runs `go list -json ./...` from the module root.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = ".."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func layer(path string) string {
	rest := strings.TrimPrefix(path, module+"/")
	top, _, _ := strings.Cut(rest, "/")
	// apitest boots the composition root for end-to-end tests: it is wiring too.
	if top == "adapters" && (strings.HasPrefix(rest, "adapters/wiring") || strings.HasSuffix(rest, "/apitest")) {
		return "wiring"
	}
	return top
}

// context returns the bounded context of a domain/ports/application package ("" for shared ones).
func context(path string) string {
	rest := strings.TrimPrefix(path, module+"/")
	parts := strings.Split(rest, "/")
	if len(parts) < 2 {
		return ""
	}
	c := parts[1]
	for _, suffix := range []string{"porttest", "port", "app"} {
		c = strings.TrimSuffix(c, suffix)
	}
	if c == "kernel" || c == "platform" {
		return ""
	}
	return c
}

// The layer rule of STYLE.md: domain is pure, ports depend on domain, application
// on domain and ports, adapters never on application or cmd; only wiring and cmd know fx.
func TestLayersImportOnlyWhatTheyMay(t *testing.T) {
	forbiddenThirdParty := []string{"github.com/gofiber", "go.mongodb.org", "go.uber.org/fx", "github.com/rs/zerolog", "github.com/golang-jwt"}
	for _, p := range listPackages(t) {
		from := layer(p.ImportPath)
		for _, imp := range p.Imports {
			internal := strings.HasPrefix(imp, module+"/")
			to := layer(imp)
			thirdParty := !internal && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".")
			bad := ""
			switch from {
			case "domain":
				if thirdParty || (internal && to != "domain") {
					bad = "domain may import only the standard library and domain"
				}
				if internal && to == "domain" && context(imp) != "" && context(imp) != context(p.ImportPath) && !strings.HasSuffix(p.ImportPath, "_test") {
					bad = "a context's domain may not import another context's domain"
				}
				for _, std := range []string{"net/http", "database/sql", "os/exec"} {
					if imp == std && !strings.HasSuffix(p.ImportPath, "domain") {
						bad = "domain may not do I/O through " + std
					}
				}
			case "ports":
				if (internal && to != "domain" && to != "ports") || (thirdParty && !strings.HasSuffix(p.ImportPath, "porttest")) {
					bad = "ports may import only the standard library, domain and ports"
				}
			case "application":
				// golang.org/x/sync is the Go team's extension of sync (singleflight).
				if (internal && to != "domain" && to != "ports") || (thirdParty && !strings.HasPrefix(imp, "golang.org/x/sync/")) {
					bad = "application may import only the standard library, domain and ports"
				}
			case "adapters":
				if internal && (to == "application" || to == "cmd" || to == "wiring") {
					bad = "adapters may not import application, cmd or wiring"
				}
				if imp == "go.uber.org/fx" || strings.HasPrefix(imp, "go.uber.org/fx/") {
					bad = "only wiring and cmd may import fx"
				}
			}
			if from != "wiring" && from != "cmd" && from != "adapters" {
				for _, f := range forbiddenThirdParty {
					if strings.HasPrefix(imp, f) && bad == "" && !strings.HasSuffix(p.ImportPath, "porttest") {
						bad = "framework import outside adapters"
					}
				}
			}
			if bad != "" {
				t.Errorf("%s imports %s: %s", p.ImportPath, imp, bad)
			}
		}
	}
}
