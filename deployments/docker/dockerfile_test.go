package docker

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/configs"
)

const (
	repoRoot   = "../.."
	finalImage = "gcr.io/distroless/static-debian12:nonroot"
	nonRootUID = "65532"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	keyword string // upper case
	args    string
	line    int
}

func parseDockerfile(t *testing.T) []instruction {
	t.Helper()
	f, err := os.Open("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		out     []instruction
		pending strings.Builder
		start   int
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if pending.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if pending.Len() > 0 && strings.HasPrefix(line, "#") {
			continue // comments inside a continued instruction
		}
		if pending.Len() == 0 {
			start = n
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			pending.WriteString(cont + " ")
			continue
		}
		pending.WriteString(line)
		kw, args, _ := strings.Cut(pending.String(), " ")
		out = append(out, instruction{keyword: strings.ToUpper(kw), args: strings.TrimSpace(args), line: start})
		pending.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if pending.Len() > 0 {
		t.Fatal("Dockerfile ends inside a continued line")
	}
	return out
}

// stages splits the instructions at each FROM; global ARGs before the first
// FROM are stage -1's and returned separately.
func stages(ins []instruction) (global []instruction, st [][]instruction) {
	for _, in := range ins {
		if in.keyword == "FROM" {
			st = append(st, []instruction{in})
			continue
		}
		if len(st) == 0 {
			global = append(global, in)
			continue
		}
		st[len(st)-1] = append(st[len(st)-1], in)
	}
	return global, st
}

func TestDockerfile_final_image(t *testing.T) {
	global, st := stages(parseDockerfile(t))
	if len(st) < 2 {
		t.Fatalf("want a multi-stage build, got %d stage(s)", len(st))
	}
	final := st[len(st)-1]
	if got := strings.Fields(final[0].args)[0]; got != finalImage {
		t.Errorf("final stage FROM %s, want %s", got, finalImage)
	}
	var user, entrypoint string
	var exposes, volumes []string
	env := map[string]string{}
	for _, in := range final {
		switch in.keyword {
		case "USER":
			user = in.args
		case "ENTRYPOINT":
			entrypoint = in.args
		case "EXPOSE":
			exposes = append(exposes, strings.Fields(in.args)...)
		case "VOLUME":
			volumes = append(volumes, in.args)
		case "ENV":
			for _, kv := range strings.Fields(in.args) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					t.Errorf("line %d: ENV %q: use the KEY=value form", in.line, in.args)
				}
				env[k] = v
			}
		case "RUN":
			t.Errorf("line %d: RUN in the final stage: distroless has no shell", in.line)
		case "ADD":
			t.Errorf("line %d: ADD in the final stage: use COPY", in.line)
		}
	}
	for _, in := range slices.Concat(global, slices.Concat(st...)) {
		if in.keyword == "HEALTHCHECK" {
			t.Errorf("line %d: HEALTHCHECK: Kubernetes probes /healthz and /readyz (and distroless has no curl)", in.line)
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	if uid != nonRootUID {
		t.Errorf("final USER %q, want %s (distroless nonroot; runAsUser in the manifests)", user, nonRootUID)
	}
	if entrypoint != `["/civictrust"]` {
		t.Errorf("ENTRYPOINT %s, want [\"/civictrust\"] (exec form: the binary gets SIGTERM)", entrypoint)
	}
	if !slices.Contains(exposes, "8000") {
		t.Errorf("EXPOSE %v, want 8000", exposes)
	}
	if env["DATA_DIR"] != "/data" || !slices.Contains(volumes, `["/data"]`) {
		t.Errorf("embedded mode: want ENV DATA_DIR=/data and VOLUME [\"/data\"], got DATA_DIR=%q VOLUME %v", env["DATA_DIR"], volumes)
	}
	known := configs.Variables()
	for k := range env {
		if !slices.Contains(known, k) {
			t.Errorf("ENV %s is not a variable the service reads (configs.Variables)", k)
		}
	}
}

// The build stage compiles the binary exactly like `make build`: static,
// trimmed paths, stripped, version stamped.
func TestDockerfile_build_stage(t *testing.T) {
	global, st := stages(parseDockerfile(t))
	build := st[0]
	from := strings.Fields(build[0].args)
	image := from[len(from)-3] // FROM [--platform=…] image AS name
	if !strings.HasPrefix(image, "golang:") {
		t.Fatalf("first stage FROM %s, want golang", image)
	}
	// The Go version of the builder is go.mod's.
	goVersion := goModVersion(t)
	if v := strings.TrimPrefix(image, "golang:"); v == "${GO_VERSION}" {
		v = argDefault(global, "GO_VERSION")
		if !strings.HasPrefix(goVersion+".", v+".") {
			t.Errorf("ARG GO_VERSION=%s, but go.mod says go %s", v, goVersion)
		}
	}
	var all strings.Builder
	for _, in := range build {
		all.WriteString(in.keyword + " " + in.args + "\n")
	}
	text := all.String()
	for _, want := range []string{
		"CGO_ENABLED=0",
		"go build -trimpath",
		`-ldflags "-s -w -X main.version=${VERSION}"`,
		"./cmd/civictrust",
		"--mount=type=cache,target=/go/pkg/mod",
		"--mount=type=cache,target=/root/.cache/go-build",
		"COPY go.mod go.sum ./",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("build stage lacks %q", want)
		}
	}
	// The Makefile's build uses the same flags (one source of truth for how
	// the binary is made).
	mk, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^LDFLAGS\s*:?=\s*-s -w -X main\.version=\$\(VERSION\)\s*$`).Match(mk) ||
		!strings.Contains(string(mk), `CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)"`) {
		t.Error("Makefile's build flags differ from the Dockerfile's: keep them the same")
	}
}

func goModVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return string(m[1])
}

func argDefault(ins []instruction, name string) string {
	for _, in := range ins {
		if in.keyword == "ARG" {
			if k, v, ok := strings.Cut(in.args, "="); ok && k == name {
				return v
			}
		}
	}
	return ""
}

// dockerignore reads the top-level .dockerignore (patterns only).
func dockerignore(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// ignored tells whether the build context leaves p out, following Docker's
// rules for the patterns used here: path.Match on the path or any of its
// parent folders, "**/" matching any number of leading folders, "!" re-adding.
func ignored(patterns []string, p string) bool {
	out := false
	for _, pat := range patterns {
		neg := strings.HasPrefix(pat, "!")
		pat = strings.TrimPrefix(strings.TrimPrefix(pat, "!"), "/")
		pat = strings.TrimSuffix(pat, "/")
		if matchPath(pat, p) {
			out = !neg
		}
	}
	return out
}

func matchPath(pat, p string) bool {
	parts := strings.Split(p, "/")
	for i := 1; i <= len(parts); i++ {
		prefix := strings.Join(parts[:i], "/")
		if rest, ok := strings.CutPrefix(pat, "**/"); ok {
			for j := 0; j < i; j++ {
				if ok, _ := path.Match(rest, strings.Join(parts[j:i], "/")); ok {
					return true
				}
			}
			continue
		}
		if ok, _ := path.Match(pat, prefix); ok {
			return true
		}
	}
	return false
}

var embedDirective = regexp.MustCompile(`(?m)^//go:embed (.+)$`)

func TestDockerignore(t *testing.T) {
	patterns := dockerignore(t)
	for _, p := range []string{
		".git/config", ".env", "configs/.env", "data/store.db", "bin/golangci-lint",
		"web/node_modules/x/index.js", "adapters/x.test", "docs/operations.md",
	} {
		if !ignored(patterns, p) {
			t.Errorf("%s is sent to the Docker build", p)
		}
	}
	// What `go build ./cmd/civictrust` needs must stay in the context.
	need := []string{"go.mod", "go.sum"}
	err := filepath.WalkDir(repoRoot, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && (rel == ".git" || rel == "data" || rel == "bin" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || strings.HasPrefix(rel, "deployments/") {
			return nil
		}
		need = append(need, rel)
		// Files the package embeds.
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range embedDirective.FindAllStringSubmatch(string(src), -1) {
			for _, name := range strings.Fields(m[1]) {
				if !strings.ContainsAny(name, "*?[") {
					need = append(need, path.Join(path.Dir(rel), strings.Trim(name, `"`)))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(need, "adapters/http/apidoc/openapi.json") {
		t.Error("the //go:embed scan found nothing: fix the scan")
	}
	for _, p := range need {
		if ignored(patterns, p) {
			t.Errorf("%s is needed by the build but .dockerignore leaves it out", p)
		}
	}
}

func TestDockerignoreMatcher(t *testing.T) {
	pats := []string{"data", "**/*.test", "docs", "!docs/keep.md", "**/node_modules"}
	for p, want := range map[string]bool{
		"data": true, "data/x": true, "cmd/data": false, "a/b/c.test": true, "x.test": true,
		"docs/a.md": true, "docs/keep.md": false, "a/node_modules/b": true, "go.mod": false,
	} {
		if got := ignored(pats, p); got != want {
			t.Errorf("ignored(%q) = %v, want %v", p, got, want)
		}
	}
}
