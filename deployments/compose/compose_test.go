package compose

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/civicdatatrust/civictrust/configs"
)

const (
	appService   = "civictrust"
	mongoService = "mongo"
)

// file is the part of the Compose specification these checks read. Fields that
// take several forms (string or list, map or list) are kept raw.
type file struct {
	Services map[string]service `json:"services"`
	Volumes  map[string]any     `json:"volumes"`
}

type service struct {
	Image           string          `json:"image"`
	Build           *build          `json:"build"`
	Command         json.RawMessage `json:"command"`
	Environment     json.RawMessage `json:"environment"`
	DependsOn       json.RawMessage `json:"depends_on"`
	Healthcheck     *healthcheck    `json:"healthcheck"`
	Volumes         []string        `json:"volumes"`
	ReadOnly        bool            `json:"read_only"`
	StopGracePeriod string          `json:"stop_grace_period"`
}

type build struct {
	Context    string `json:"context"`
	Dockerfile string `json:"dockerfile"`
}

type healthcheck struct {
	Test json.RawMessage `json:"test"`
}

func load(t *testing.T) file {
	t.Helper()
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Strict YAML: duplicate keys are errors. Unknown keys are allowed (the
	// struct holds only what is checked).
	if _, err := yaml.YAMLToJSONStrict(data); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	var f file
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, name := range []string{appService, mongoService} {
		if _, ok := f.Services[name]; !ok {
			t.Fatalf("compose.yaml has no service %q", name)
		}
	}
	return f
}

// words reads a command or healthcheck test: a list, or a string split on
// white space (the shell form).
func words(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	if len(raw) == 0 {
		return nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("not a string or a list of strings: %s", raw)
	}
	return strings.Fields(s)
}

// environment reads a map or a list of KEY=value.
func environment(t *testing.T, raw json.RawMessage) map[string]string {
	t.Helper()
	env := map[string]string{}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err == nil {
		for k, v := range m {
			if v != nil {
				env[k] = fmt.Sprint(v)
			} else {
				env[k] = ""
			}
		}
		return env
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatalf("environment is not a map or a list: %s", raw)
	}
	for _, kv := range list {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env
}

func TestCompose_mongo_is_a_single_node_replica_set(t *testing.T) {
	f := load(t)
	mongo := f.Services[mongoService]
	if !strings.HasPrefix(mongo.Image, "mongo:7") {
		t.Errorf("mongo image %q, want mongo:7", mongo.Image)
	}
	cmd := words(t, mongo.Command)
	i := slices.Index(cmd, "--replSet")
	if i < 0 || i+1 >= len(cmd) {
		t.Fatalf("mongo command %v does not run --replSet <name>", cmd)
	}
	rs := cmd[i+1]

	app := f.Services[appService]
	env := environment(t, app.Environment)
	u, err := url.Parse(env[configs.EnvMongoDBURI])
	if err != nil || u.Scheme != "mongodb" {
		t.Fatalf("MONGODB_URI %q is not a mongodb:// URI", env[configs.EnvMongoDBURI])
	}
	if got := u.Query().Get("replicaSet"); got != rs {
		t.Errorf("MONGODB_URI replicaSet=%q, mongod runs --replSet %q", got, rs)
	}
	member := mongoService + ":27017"
	if u.Host != member {
		t.Errorf("MONGODB_URI host %q, want %q (the compose service)", u.Host, member)
	}

	// The health check initiates the set with the member name the service
	// connects to, and is what the service waits for.
	if mongo.Healthcheck == nil {
		t.Fatal("mongo has no healthcheck (it initiates the replica set)")
	}
	test := strings.Join(words(t, mongo.Healthcheck.Test), " ")
	for _, want := range []string{"rs.initiate", "_id: '" + rs + "'", "host: '" + member + "'"} {
		if !strings.Contains(test, want) {
			t.Errorf("mongo healthcheck lacks %q: %s", want, test)
		}
	}
	var deps map[string]struct {
		Condition string `json:"condition"`
	}
	if err := json.Unmarshal(app.DependsOn, &deps); err != nil || deps[mongoService].Condition != "service_healthy" {
		t.Errorf("%s does not wait for mongo to be healthy (depends_on condition service_healthy)", appService)
	}
	if !mountsNamedVolume(f, mongo, "/data/db") {
		t.Error("mongo's /data/db is not a named volume")
	}
}

func TestCompose_service_configuration(t *testing.T) {
	f := load(t)
	app := f.Services[appService]
	env := environment(t, app.Environment)
	known := configs.Variables()
	for name := range env {
		if !slices.Contains(known, name) {
			t.Errorf("%s is not a variable the service reads (configs.Variables)", name)
		}
	}
	cfg, err := configs.Load(func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}, "")
	if err != nil {
		t.Fatalf("the service would refuse this configuration:\n%v", err)
	}
	if cfg.BlobDriver != configs.BlobGridFS {
		t.Errorf("BLOB_DRIVER %q, want gridfs", cfg.BlobDriver)
	}
	if cfg.Embedded() {
		t.Error("MONGODB_URI is empty")
	}
	// The signing key and anything else under DATA_DIR survive a restart.
	keys := cfg.JWTKeysDir
	if !mountsNamedVolume(f, app, keys) {
		t.Errorf("JWT_KEYS_DIR %s is not on a named volume: every restart would log everybody out", keys)
	}
	grace, err := time.ParseDuration(app.StopGracePeriod)
	if err != nil || grace <= cfg.ShutdownTimeout {
		t.Errorf("stop_grace_period %q must exceed SHUTDOWN_TIMEOUT %v (Compose's default is 10s)", app.StopGracePeriod, cfg.ShutdownTimeout)
	}
	if !app.ReadOnly {
		t.Error("the service's root filesystem is not read_only (as in Kubernetes)")
	}
}

func TestCompose_builds_the_image_from_the_repository(t *testing.T) {
	f := load(t)
	b := f.Services[appService].Build
	if b == nil {
		t.Fatal("the service is not built here")
	}
	ctx := filepath.FromSlash(b.Context)
	if _, err := os.Stat(filepath.Join(ctx, "go.mod")); err != nil {
		t.Errorf("build context %q is not the repository root: %v", b.Context, err)
	}
	if filepath.ToSlash(b.Dockerfile) != "deployments/docker/Dockerfile" {
		t.Errorf("dockerfile %q, want deployments/docker/Dockerfile", b.Dockerfile)
	}
	if _, err := os.Stat(filepath.Join(ctx, filepath.FromSlash(b.Dockerfile))); err != nil {
		t.Errorf("dockerfile: %v", err)
	}
}

// mountsNamedVolume tells whether dir, or a folder above it, is a declared
// named volume of s.
func mountsNamedVolume(f file, s service, dir string) bool {
	for _, v := range s.Volumes {
		src, target, ok := strings.Cut(v, ":")
		if !ok {
			continue
		}
		target, _, _ = strings.Cut(target, ":")
		if _, named := f.Volumes[src]; !named {
			continue
		}
		rel, err := filepath.Rel(target, dir)
		if err == nil && !strings.HasPrefix(rel, "..") {
			return true
		}
	}
	return false
}
