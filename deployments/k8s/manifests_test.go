package k8s

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/civicdatatrust/civictrust/configs"
)

// The service's contract with its manifests.
const (
	appName       = "civictrust" // Deployment, container, Service, HPA, PDB
	containerPort = 8000         // HTTP_ADDR :8000
	metricsPort   = 9090         // METRICS_ADDR :9090
	runAsUser     = 65532        // distroless nonroot
	livenessPath  = "/healthz"
	readinessPath = "/readyz"
	// The service accepts MAX_UPLOAD_BYTES of file plus this much multipart
	// framing (adapters/wiring: BodyLimit); the ingress must let that through.
	multipartSlack = 1 << 20
	// Stopping after the HTTP drain (closing the store, flushing logs) gets
	// at least this much of the grace period.
	stopMargin = 5 * time.Second
)

// externalSecrets are created in the namespace by the operator, never
// committed (docs/operations.md).
var externalSecrets = []string{"civictrust-secrets", "civictrust-jwt-keys", "civictrust-tls"}

// goRuntimeVariables are read by the Go runtime, not by configs.Load.
var goRuntimeVariables = []string{"GOMEMLIMIT", "GOGC", "GOMAXPROCS", "GODEBUG", "GOTRACEBACK"}

type overlay struct {
	name     string // directory under deployments/k8s
	replicas int32
	hpaMin   int32
	hpaMax   int32
	// selfContained: every Secret and ConfigMap it references is in the build.
	selfContained bool
	// pinnedImage: the service's image has a release tag or digest, not latest.
	pinnedImage bool
}

var overlays = []overlay{
	{name: "base", replicas: 3, hpaMin: 3, hpaMax: 10},
	{name: "overlays/dev", replicas: 1, hpaMin: 1, hpaMax: 1, selfContained: true},
	{name: "overlays/prod", replicas: 3, hpaMin: 3, hpaMax: 10, pinnedImage: true},
}

// kinds maps apiVersion/kind to the k8s.io/api type it decodes into. Any other
// kind in a build fails the checks: add it here with its type.
var kinds = map[string]func() any{
	"v1/ConfigMap":                           func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                              func() any { return &corev1.Secret{} },
	"v1/Service":                             func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                      func() any { return &corev1.ServiceAccount{} },
	"v1/Namespace":                           func() any { return &corev1.Namespace{} },
	"apps/v1/Deployment":                     func() any { return &appsv1.Deployment{} },
	"apps/v1/StatefulSet":                    func() any { return &appsv1.StatefulSet{} },
	"batch/v1/Job":                           func() any { return &batchv1.Job{} },
	"policy/v1/PodDisruptionBudget":          func() any { return &policyv1.PodDisruptionBudget{} },
	"autoscaling/v2/HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"networking.k8s.io/v1/NetworkPolicy":     func() any { return &networkingv1.NetworkPolicy{} },
	"networking.k8s.io/v1/Ingress":           func() any { return &networkingv1.Ingress{} },
}

// object is one decoded manifest.
type object struct {
	kind string // apiVersion/kind
	name string
	obj  any // pointer to the k8s.io/api type
}

// build is one overlay's output, decoded.
type build struct {
	overlay
	objects []object
}

var (
	buildsMu sync.Mutex
	builds   = map[string]*build{}
)

// render runs kustomize on an overlay (once per test binary) and decodes every
// object strictly.
func render(t *testing.T, o overlay) *build {
	t.Helper()
	buildsMu.Lock()
	defer buildsMu.Unlock()
	if b, ok := builds[o.name]; ok {
		return b
	}
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resMap, err := k.Run(filesys.MakeFsOnDisk(), filepath.FromSlash(o.name))
	if err != nil {
		t.Fatalf("kustomize build %s: %v", o.name, err)
	}
	b := &build{overlay: o}
	for _, res := range resMap.Resources() {
		doc, err := res.AsYAML()
		if err != nil {
			t.Fatalf("%s: %s: %v", o.name, res.CurId(), err)
		}
		obj, err := decode(doc)
		if err != nil {
			t.Fatalf("%s: %v\n%s", o.name, err, doc)
		}
		b.objects = append(b.objects, obj)
	}
	if len(b.objects) == 0 {
		t.Fatalf("%s: kustomize built nothing", o.name)
	}
	builds[o.name] = b
	return b
}

// decode turns one YAML document into its typed k8s.io/api object, refusing
// unknown kinds, unknown fields (case-sensitively, as the API server does),
// duplicate keys and trailing data.
func decode(doc []byte) (object, error) {
	js, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return object{}, err
	}
	var tm metav1.TypeMeta
	var meta struct {
		Metadata metav1.ObjectMeta `json:"metadata"`
	}
	if err := json.Unmarshal(js, &tm); err != nil {
		return object{}, err
	}
	if err := json.Unmarshal(js, &meta); err != nil {
		return object{}, err
	}
	kind := tm.APIVersion + "/" + tm.Kind
	newObj, ok := kinds[kind]
	if !ok {
		return object{}, fmt.Errorf("%s %q: unknown kind (not in the checked list)", kind, meta.Metadata.Name)
	}
	obj := newObj()
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		return object{}, fmt.Errorf("%s %q: %w", kind, meta.Metadata.Name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return object{}, fmt.Errorf("%s %q: trailing data after the object", kind, meta.Metadata.Name)
	}
	// encoding/json matches field names case-insensitively; the API server does
	// not. Decode again the way it does.
	strict, err := sigsjson.UnmarshalStrict(js, newObj())
	if err != nil {
		return object{}, fmt.Errorf("%s %q: %w", kind, meta.Metadata.Name, err)
	}
	if len(strict) > 0 {
		return object{}, fmt.Errorf("%s %q: %w", kind, meta.Metadata.Name, errors.Join(strict...))
	}
	return object{kind: kind, name: meta.Metadata.Name, obj: obj}, nil
}

func all[T any](b *build) []T {
	var out []T
	for _, o := range b.objects {
		if v, ok := o.obj.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func one[T interface{ GetName() string }](t *testing.T, b *build, name string) T {
	t.Helper()
	var found []T
	for _, v := range all[T](b) {
		if v.GetName() == name {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		var zero T
		t.Fatalf("%s: want one %T named %q, found %d", b.name, zero, name, len(found))
	}
	return found[0]
}

func forEachOverlay(t *testing.T, check func(t *testing.T, b *build)) {
	t.Helper()
	for _, o := range overlays {
		t.Run(o.name, func(t *testing.T) { check(t, render(t, o)) })
	}
}

// app returns the service's Deployment and its container.
func app(t *testing.T, b *build) (*appsv1.Deployment, *corev1.Container) {
	t.Helper()
	d := one[*appsv1.Deployment](t, b, appName)
	for i := range d.Spec.Template.Spec.Containers {
		if c := &d.Spec.Template.Spec.Containers[i]; c.Name == appName {
			return d, c
		}
	}
	t.Fatalf("%s: Deployment %s has no container %q", b.name, appName, appName)
	return nil, nil
}

// appEnv is the container's environment as the service sees it: envFrom
// ConfigMaps, then env. Secret values come from the build when it has the
// Secret, else from placeholders shaped like the real thing.
func appEnv(t *testing.T, b *build, c *corev1.Container) map[string]string {
	t.Helper()
	placeholders := map[string]string{
		configs.EnvMongoDBURI: "mongodb://db-0.example.org:27017,db-1.example.org:27017/?replicaSet=rs0",
		configs.EnvSMTPURL:    "smtp://user:secret@smtp.example.org:587",
	}
	env := map[string]string{}
	for _, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			cm := one[*corev1.ConfigMap](t, b, from.ConfigMapRef.Name)
			for k, v := range cm.Data {
				env[from.Prefix+k] = v
			}
		case from.SecretRef != nil:
			t.Errorf("%s: envFrom a whole Secret (%s): reference keys one by one", b.name, from.SecretRef.Name)
		}
	}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			env[e.Name] = e.Value
		case e.ValueFrom.SecretKeyRef != nil:
			ref := e.ValueFrom.SecretKeyRef
			if s, ok := secretNamed(b, ref.Name); ok {
				if v, ok := s.Data[ref.Key]; ok {
					env[e.Name] = string(v)
				} else if v, ok := s.StringData[ref.Key]; ok {
					env[e.Name] = v
				}
			} else if v, ok := placeholders[e.Name]; ok {
				env[e.Name] = v
			} else {
				t.Errorf("%s: %s comes from Secret %s, which is not in the build and has no placeholder here", b.name, e.Name, ref.Name)
			}
		case e.ValueFrom.ConfigMapKeyRef != nil:
			ref := e.ValueFrom.ConfigMapKeyRef
			env[e.Name] = one[*corev1.ConfigMap](t, b, ref.Name).Data[ref.Key]
		}
	}
	return env
}

func secretNamed(b *build, name string) (*corev1.Secret, bool) {
	for _, s := range all[*corev1.Secret](b) {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// appConfig loads the container's environment with the service's own loader:
// a value the service would refuse fails here.
func appConfig(t *testing.T, b *build) configs.Config {
	t.Helper()
	_, c := app(t, b)
	env := appEnv(t, b, c)
	cfg, err := configs.Load(func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}, "")
	if err != nil {
		t.Fatalf("%s: the service would refuse this configuration:\n%v", b.name, err)
	}
	return cfg
}

func TestOverlays_build_and_decode_strictly(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		seen := map[string]bool{}
		for _, o := range b.objects {
			id := o.kind + "/" + o.name
			if seen[id] {
				t.Errorf("%s: %s twice", b.name, id)
			}
			seen[id] = true
		}
		for _, want := range []string{
			"apps/v1/Deployment/" + appName,
			"v1/Service/" + appName,
			"policy/v1/PodDisruptionBudget/" + appName,
			"autoscaling/v2/HorizontalPodAutoscaler/" + appName,
			"networking.k8s.io/v1/NetworkPolicy/" + appName,
			"networking.k8s.io/v1/Ingress/" + appName,
		} {
			if !seen[want] {
				t.Errorf("%s: no %s", b.name, want)
			}
		}
		if len(all[*corev1.ConfigMap](b)) == 0 {
			t.Errorf("%s: no ConfigMap", b.name)
		}
	})
}

// The strict decoder is what the other checks stand on: it must refuse what the
// API server would.
func TestDecode_refuses_what_the_API_server_would(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":       "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replica: 3}\n",
		"miscased field":      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {Replicas: 3}\n",
		"duplicate key":       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {A: a, A: b}\n",
		"unknown kind":        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n",
		"wrong version":       "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\n",
		"wrong type":          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: three}\n",
		"probe handler typo":  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: a, readinessProbe: {httpget: {path: /}}}]}}}\n",
		"preStop sleep typo":  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: a, lifecycle: {preStop: {sleep: {second: 5}}}}]}}}\n",
		"bad quantity":        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: a, resources: {limits: {memory: lots}}}]}}}\n",
		"unknown pdb field":   "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: x}\nspec: {minAvailabe: 2}\n",
		"unknown ingress key": "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {rule: []}\n",
	} {
		if _, err := decode([]byte(doc)); err == nil {
			t.Errorf("%s: decoded without error:\n%s", name, doc)
		}
	}
	if _, err := decode([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: 3}\n")); err != nil {
		t.Errorf("a valid Deployment: %v", err)
	}
}

func TestDeployment_probes(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		_, c := app(t, b)
		port := containerPortOf(t, c, "http")
		if port != containerPort {
			t.Errorf("container port http = %d, want %d", port, containerPort)
		}
		for _, p := range []struct {
			name  string
			probe *corev1.Probe
			path  string
		}{
			{"livenessProbe", c.LivenessProbe, livenessPath},
			{"readinessProbe", c.ReadinessProbe, readinessPath},
			{"startupProbe", c.StartupProbe, livenessPath},
		} {
			if p.probe == nil || p.probe.HTTPGet == nil {
				t.Errorf("%s: want an httpGet probe", p.name)
				continue
			}
			if p.probe.HTTPGet.Path != p.path {
				t.Errorf("%s: path %q, want %q", p.name, p.probe.HTTPGet.Path, p.path)
			}
			if got := resolvePort(t, c, p.probe.HTTPGet.Port); got != containerPort {
				t.Errorf("%s: port %s is %d, want %d", p.name, p.probe.HTTPGet.Port.String(), got, containerPort)
			}
		}
		// The readiness probe must notice a dead store or a drain well within
		// the service's 5 s promise, and not before /readyz's own 2 s timeout.
		if r := c.ReadinessProbe; r != nil {
			if r.TimeoutSeconds < 3 {
				t.Errorf("readinessProbe timeoutSeconds %d: /readyz pings the store for up to 2 s", r.TimeoutSeconds)
			}
			if r.PeriodSeconds > 5 {
				t.Errorf("readinessProbe periodSeconds %d > 5", r.PeriodSeconds)
			}
		}
		// The startup probe covers the service's 2 minute start timeout.
		if s := c.StartupProbe; s != nil {
			if budget := time.Duration(s.PeriodSeconds*s.FailureThreshold) * time.Second; budget < 2*time.Minute {
				t.Errorf("startupProbe allows %v to start, want at least 2m (index creation on a large database)", budget)
			}
		}
	})
}

func containerPortOf(t *testing.T, c *corev1.Container, name string) int32 {
	t.Helper()
	for _, p := range c.Ports {
		if p.Name == name {
			if p.Protocol != "" && p.Protocol != corev1.ProtocolTCP {
				t.Errorf("port %s: protocol %s", name, p.Protocol)
			}
			return p.ContainerPort
		}
	}
	t.Fatalf("container %s has no port named %q", c.Name, name)
	return 0
}

func resolvePort(t *testing.T, c *corev1.Container, p intstr.IntOrString) int32 {
	t.Helper()
	if p.Type == intstr.String {
		return containerPortOf(t, c, p.StrVal)
	}
	return p.IntVal
}

func TestDeployment_security_context(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		d, _ := app(t, b)
		pod := d.Spec.Template.Spec
		ps := pod.SecurityContext
		switch {
		case ps == nil:
			t.Fatal("no pod securityContext")
		case !isTrue(ps.RunAsNonRoot):
			t.Error("pod: runAsNonRoot is not true")
		case ps.RunAsUser == nil || *ps.RunAsUser != runAsUser:
			t.Errorf("pod: runAsUser is not %d", runAsUser)
		case ps.SeccompProfile == nil || ps.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault:
			t.Error("pod: seccompProfile is not RuntimeDefault")
		}
		if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
			t.Error("pod: automountServiceAccountToken is not false (the service never calls the Kubernetes API)")
		}
		for _, c := range slices.Concat(pod.InitContainers, pod.Containers) {
			cs := c.SecurityContext
			if cs == nil {
				t.Errorf("container %s: no securityContext", c.Name)
				continue
			}
			if !isTrue(cs.RunAsNonRoot) {
				t.Errorf("container %s: runAsNonRoot is not true", c.Name)
			}
			if cs.RunAsUser == nil || *cs.RunAsUser != runAsUser {
				t.Errorf("container %s: runAsUser is not %d", c.Name, runAsUser)
			}
			if !isTrue(cs.ReadOnlyRootFilesystem) {
				t.Errorf("container %s: readOnlyRootFilesystem is not true", c.Name)
			}
			if cs.AllowPrivilegeEscalation == nil || *cs.AllowPrivilegeEscalation {
				t.Errorf("container %s: allowPrivilegeEscalation is not false", c.Name)
			}
			if isTrue(cs.Privileged) {
				t.Errorf("container %s: privileged", c.Name)
			}
			if cs.Capabilities == nil || !slices.Equal(cs.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(cs.Capabilities.Add) > 0 {
				t.Errorf("container %s: capabilities must drop ALL and add none, got %+v", c.Name, cs.Capabilities)
			}
			if cs.SeccompProfile == nil || cs.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
				t.Errorf("container %s: seccompProfile is not RuntimeDefault", c.Name)
			}
		}
		// A read-only root needs a writable /tmp (the embedded store's socket,
		// temporary files).
		if !mountsEmptyDir(pod, appName, "/tmp") {
			t.Error("no emptyDir mounted at /tmp")
		}
	})
}

func isTrue(b *bool) bool { return b != nil && *b }

// deref prints a pointer's value, or "unset".
func deref[T any](p *T) string {
	if p == nil {
		return "unset"
	}
	return fmt.Sprint(*p)
}

func mountsEmptyDir(pod corev1.PodSpec, container, path string) bool {
	for _, c := range pod.Containers {
		if c.Name != container {
			continue
		}
		for _, m := range c.VolumeMounts {
			if m.MountPath != path {
				continue
			}
			for _, v := range pod.Volumes {
				if v.Name == m.Name && v.EmptyDir != nil {
					return true
				}
			}
		}
	}
	return false
}

// Every pod of every overlay (the service, MongoDB, jobs) meets the baseline of
// the restricted Pod Security Standard: the dev namespace enforces it.
func TestAllPods_meet_the_restricted_pod_security_standard(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		for name, pod := range podSpecs(b) {
			ps := pod.SecurityContext
			if ps == nil {
				ps = &corev1.PodSecurityContext{}
			}
			if pod.HostNetwork || pod.HostPID || pod.HostIPC {
				t.Errorf("%s: uses host namespaces", name)
			}
			for _, v := range pod.Volumes {
				if v.HostPath != nil {
					t.Errorf("%s: hostPath volume %s", name, v.Name)
				}
			}
			for _, c := range slices.Concat(pod.InitContainers, pod.Containers) {
				cs := c.SecurityContext
				if cs == nil {
					cs = &corev1.SecurityContext{}
				}
				if !isTrue(cs.RunAsNonRoot) && !isTrue(ps.RunAsNonRoot) {
					t.Errorf("%s/%s: runAsNonRoot not set", name, c.Name)
				}
				if (cs.RunAsUser != nil && *cs.RunAsUser == 0) || (ps.RunAsUser != nil && *ps.RunAsUser == 0) {
					t.Errorf("%s/%s: runs as uid 0", name, c.Name)
				}
				if cs.AllowPrivilegeEscalation == nil || *cs.AllowPrivilegeEscalation {
					t.Errorf("%s/%s: allowPrivilegeEscalation is not false", name, c.Name)
				}
				if isTrue(cs.Privileged) {
					t.Errorf("%s/%s: privileged", name, c.Name)
				}
				if cs.Capabilities == nil || !slices.Contains(cs.Capabilities.Drop, "ALL") {
					t.Errorf("%s/%s: capabilities do not drop ALL", name, c.Name)
				}
				seccomp := cs.SeccompProfile
				if seccomp == nil {
					seccomp = ps.SeccompProfile
				}
				if seccomp == nil || seccomp.Type != corev1.SeccompProfileTypeRuntimeDefault {
					t.Errorf("%s/%s: seccompProfile is not RuntimeDefault", name, c.Name)
				}
				if len(c.Resources.Requests) == 0 || len(c.Resources.Limits) == 0 {
					t.Errorf("%s/%s: no resource requests or limits", name, c.Name)
				}
				if c.Image == "" || imageTag(c.Image) == "" {
					t.Errorf("%s/%s: image %q has no tag or digest", name, c.Name, c.Image)
				}
			}
		}
	})
}

func podSpecs(b *build) map[string]corev1.PodSpec {
	pods := map[string]corev1.PodSpec{}
	for _, d := range all[*appsv1.Deployment](b) {
		pods["Deployment/"+d.Name] = d.Spec.Template.Spec
	}
	for _, s := range all[*appsv1.StatefulSet](b) {
		pods["StatefulSet/"+s.Name] = s.Spec.Template.Spec
	}
	for _, j := range all[*batchv1.Job](b) {
		pods["Job/"+j.Name] = j.Spec.Template.Spec
	}
	return pods
}

func TestDeployment_resources(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		_, c := app(t, b)
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, okReq := c.Resources.Requests[r]
			lim, okLim := c.Resources.Limits[r]
			if !okReq || !okLim || req.IsZero() || lim.IsZero() {
				t.Errorf("%s: want both a request and a limit, got request %v limit %v", r, req.String(), lim.String())
				continue
			}
			if req.Cmp(lim) > 0 {
				t.Errorf("%s: request %s above limit %s", r, req.String(), lim.String())
			}
		}
		// argon2id hashes take 19 MiB each, HASH_CONCURRENCY of them at once.
		if lim := c.Resources.Limits[corev1.ResourceMemory]; lim.Value() < 256<<20 {
			t.Errorf("memory limit %s is below 256Mi", lim.String())
		}
	})
}

func TestDeployment_replicas_and_autoscaler(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		d, _ := app(t, b)
		if d.Spec.Replicas == nil || *d.Spec.Replicas != b.replicas {
			t.Errorf("replicas %s, want %d", deref(d.Spec.Replicas), b.replicas)
		}
		h := one[*autoscalingv2.HorizontalPodAutoscaler](t, b, appName)
		ref := h.Spec.ScaleTargetRef
		if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != d.Name {
			t.Errorf("HPA targets %s %s %q, want apps/v1 Deployment %q", ref.APIVersion, ref.Kind, ref.Name, d.Name)
		}
		if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas != b.hpaMin || h.Spec.MaxReplicas != b.hpaMax {
			t.Errorf("HPA min %s max %d, want %d..%d", deref(h.Spec.MinReplicas), h.Spec.MaxReplicas, b.hpaMin, b.hpaMax)
		}
		if h.Spec.MinReplicas != nil && d.Spec.Replicas != nil && *d.Spec.Replicas < *h.Spec.MinReplicas {
			t.Errorf("Deployment replicas %d below the HPA minimum %d", *d.Spec.Replicas, *h.Spec.MinReplicas)
		}
		cpu := false
		for _, m := range h.Spec.Metrics {
			if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Name == corev1.ResourceCPU &&
				m.Resource.Target.Type == autoscalingv2.UtilizationMetricType && m.Resource.Target.AverageUtilization != nil {
				cpu = true
			}
		}
		if !cpu {
			t.Error("HPA has no CPU utilization target")
		}
	})
}

// Every selector that is meant to pick the service's pods picks exactly the
// Deployment's pod template, and nothing else in the build.
func TestSelectors_match_the_pod_labels(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		d, _ := app(t, b)
		podLabels := labels.Set(d.Spec.Template.Labels)
		others := map[string]labels.Set{}
		for name, pod := range podTemplates(b) {
			if name != "Deployment/"+d.Name {
				others[name] = pod
			}
		}
		check := func(what string, sel labels.Selector) {
			t.Helper()
			if sel.Empty() {
				t.Errorf("%s: empty selector selects every pod", what)
				return
			}
			if !sel.Matches(podLabels) {
				t.Errorf("%s: selector %s does not match the pod labels %s", what, sel, podLabels)
			}
			for name, l := range others {
				if sel.Matches(l) {
					t.Errorf("%s: selector %s also matches %s", what, sel, name)
				}
			}
		}
		labelSel := func(what string, ls *metav1.LabelSelector) {
			t.Helper()
			if ls == nil {
				t.Errorf("%s: no selector", what)
				return
			}
			sel, err := metav1.LabelSelectorAsSelector(ls)
			if err != nil {
				t.Errorf("%s: %v", what, err)
				return
			}
			check(what, sel)
		}

		labelSel("Deployment.spec.selector", d.Spec.Selector)
		labelSel("PodDisruptionBudget", one[*policyv1.PodDisruptionBudget](t, b, appName).Spec.Selector)
		labelSel("NetworkPolicy", &one[*networkingv1.NetworkPolicy](t, b, appName).Spec.PodSelector)
		check("Service", labels.SelectorFromSet(one[*corev1.Service](t, b, appName).Spec.Selector))
		for i, tsc := range d.Spec.Template.Spec.TopologySpreadConstraints {
			labelSel(fmt.Sprintf("topologySpreadConstraints[%d]", i), tsc.LabelSelector)
		}

		pdb := one[*policyv1.PodDisruptionBudget](t, b, appName)
		switch {
		case pdb.Spec.MaxUnavailable != nil:
			if pdb.Spec.MaxUnavailable.IntValue() != 1 {
				t.Errorf("PDB maxUnavailable %s, want 1", pdb.Spec.MaxUnavailable.String())
			}
		case pdb.Spec.MinAvailable != nil:
			if d.Spec.Replicas != nil && int32(pdb.Spec.MinAvailable.IntValue()) >= *d.Spec.Replicas {
				t.Errorf("PDB minAvailable %s with %d replicas blocks every drain", pdb.Spec.MinAvailable.String(), *d.Spec.Replicas)
			}
		default:
			t.Error("PDB sets neither maxUnavailable nor minAvailable")
		}
	})
}

func podTemplates(b *build) map[string]labels.Set {
	out := map[string]labels.Set{}
	for _, d := range all[*appsv1.Deployment](b) {
		out["Deployment/"+d.Name] = d.Spec.Template.Labels
	}
	for _, s := range all[*appsv1.StatefulSet](b) {
		out["StatefulSet/"+s.Name] = s.Spec.Template.Labels
	}
	for _, j := range all[*batchv1.Job](b) {
		out["Job/"+j.Name] = j.Spec.Template.Labels
	}
	return out
}

func TestService_routes_to_the_container_port(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		_, c := app(t, b)
		s := one[*corev1.Service](t, b, appName)
		if s.Spec.Type != "" && s.Spec.Type != corev1.ServiceTypeClusterIP {
			t.Errorf("Service type %s, want ClusterIP", s.Spec.Type)
		}
		if len(s.Spec.Ports) != 1 {
			t.Fatalf("Service has %d ports, want 1", len(s.Spec.Ports))
		}
		p := s.Spec.Ports[0]
		if p.Port != 80 || resolvePort(t, c, p.TargetPort) != containerPort {
			t.Errorf("Service port %d -> %s, want 80 -> %d", p.Port, p.TargetPort.String(), containerPort)
		}
	})
}

// SIGTERM comes after the preStop sleep; the service then drains for
// SHUTDOWN_TIMEOUT. The grace period must cover both with room to close the
// store, or in-flight uploads are killed.
func TestDeployment_graceful_termination(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		d, c := app(t, b)
		cfg := appConfig(t, b)
		if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil {
			t.Fatal("no preStop sleep (the image has no shell: use lifecycle.preStop.sleep)")
		}
		if c.Lifecycle.PreStop.Exec != nil {
			t.Error("preStop exec: the distroless image has no shell or sleep binary")
		}
		preStop := time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
		if preStop < 3*time.Second {
			t.Errorf("preStop sleep %v: endpoints and ingress controllers need a few seconds to drop the pod", preStop)
		}
		grace := d.Spec.Template.Spec.TerminationGracePeriodSeconds
		if grace == nil {
			t.Fatal("terminationGracePeriodSeconds not set")
		}
		need := preStop + cfg.ShutdownTimeout + stopMargin
		if got := time.Duration(*grace) * time.Second; got < need {
			t.Errorf("terminationGracePeriodSeconds %v < preStop %v + SHUTDOWN_TIMEOUT %v + %v", got, preStop, cfg.ShutdownTimeout, stopMargin)
		}
		// A rolling update never takes serving capacity away.
		if s := d.Spec.Strategy; s.RollingUpdate == nil || s.RollingUpdate.MaxUnavailable == nil || s.RollingUpdate.MaxUnavailable.IntValue() != 0 {
			t.Error("rolling update: maxUnavailable is not 0")
		}
	})
}

// Every variable the container gets is one the service reads (configs.Variables)
// or a Go runtime setting, and the whole environment passes the service's own
// configuration checks.
func TestDeployment_environment_is_the_services_configuration(t *testing.T) {
	known := map[string]bool{}
	for _, v := range slices.Concat(configs.Variables(), goRuntimeVariables) {
		known[v] = true
	}
	forEachOverlay(t, func(t *testing.T, b *build) {
		_, c := app(t, b)
		for _, name := range slices.Sorted(maps.Keys(appEnv(t, b, c))) {
			if !known[name] {
				t.Errorf("%s is not a variable the service reads (configs.Variables)", name)
			}
		}
		cfg := appConfig(t, b)
		if cfg.Embedded() {
			t.Error("MONGODB_URI is empty: the embedded store lives on one host, Kubernetes runs replicas on many")
		}
		if cfg.BlobDriver == configs.BlobFS {
			t.Error("BLOB_DRIVER=fs: replicas do not share a folder; use gridfs or s3")
		}
		if u, err := url.Parse(cfg.MongoDBURI); err == nil && u.Scheme == "mongodb" && u.Query().Get("replicaSet") == "" && !strings.Contains(u.Host, ",") {
			t.Errorf("MONGODB_URI names no replica set (transactions need one)")
		}
		// The signing keys folder is a volume; where replicas share keys, it is
		// a Secret mounted read-only.
		d, _ := app(t, b)
		v, m := volumeAt(d.Spec.Template.Spec, c, cfg.JWTKeysDir)
		switch {
		case v == nil:
			t.Errorf("JWT_KEYS_DIR %s is not a mounted volume", cfg.JWTKeysDir)
		case b.replicas > 1 || b.hpaMax > 1:
			if v.Secret == nil || !m.ReadOnly {
				t.Errorf("JWT_KEYS_DIR %s: with several replicas every one needs the same keys: mount a Secret read-only", cfg.JWTKeysDir)
			}
		}
	})
}

func volumeAt(pod corev1.PodSpec, c *corev1.Container, path string) (*corev1.Volume, *corev1.VolumeMount) {
	for i := range c.VolumeMounts {
		m := &c.VolumeMounts[i]
		if filepath.Clean(m.MountPath) != filepath.Clean(path) {
			continue
		}
		for j := range pod.Volumes {
			if pod.Volumes[j].Name == m.Name {
				return &pod.Volumes[j], m
			}
		}
	}
	return nil, nil
}

func TestIngress_lets_the_largest_upload_through(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		cfg := appConfig(t, b)
		ing := one[*networkingv1.Ingress](t, b, appName)
		raw, ok := ing.Annotations["nginx.ingress.kubernetes.io/proxy-body-size"]
		if !ok {
			t.Fatal("no nginx.ingress.kubernetes.io/proxy-body-size annotation (nginx's default is 1m)")
		}
		size, err := nginxSize(raw)
		if err != nil {
			t.Fatalf("proxy-body-size %q: %v", raw, err)
		}
		if need := cfg.MaxUploadBytes + multipartSlack; size != 0 && size < need {
			t.Errorf("proxy-body-size %q = %d bytes < MAX_UPLOAD_BYTES %d + %d of multipart framing: nginx would refuse uploads the service accepts",
				raw, size, cfg.MaxUploadBytes, multipartSlack)
		}
		if got := ing.Annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"]; got != "off" {
			t.Errorf("proxy-request-buffering %q, want \"off\" (stream uploads instead of spooling them)", got)
		}
		svc := one[*corev1.Service](t, b, appName)
		if len(ing.Spec.Rules) == 0 {
			t.Fatal("Ingress has no rules")
		}
		for _, r := range ing.Spec.Rules {
			if r.HTTP != nil && !slices.ContainsFunc(r.HTTP.Paths, func(p networkingv1.HTTPIngressPath) bool {
				return p.Path == "/api" && p.PathType != nil && *p.PathType == networkingv1.PathTypePrefix
			}) {
				t.Errorf("rule %q does not route the /api prefix", r.Host)
			}
			if r.HTTP == nil || len(r.HTTP.Paths) == 0 {
				t.Errorf("rule %q has no paths", r.Host)
				continue
			}
			for _, p := range r.HTTP.Paths {
				be := p.Backend.Service
				if be == nil || be.Name != svc.Name || (be.Port.Name != svc.Spec.Ports[0].Name && be.Port.Number != svc.Spec.Ports[0].Port) {
					t.Errorf("path %s: backend is not Service %s port %s", p.Path, svc.Name, svc.Spec.Ports[0].Name)
				}
				if p.Path == "" || p.Path == "/" || strings.HasPrefix("/metrics", p.Path) || strings.HasPrefix("/readyz", p.Path) {
					t.Errorf("path %q exposes /metrics or the probes outside the cluster", p.Path)
				}
			}
		}
	})
}

// nginxSize parses an nginx size: a number with an optional k, m or g suffix
// (powers of 1024). 0 means no limit.
func nginxSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'k', 'K':
			mult, s = 1<<10, s[:n-1]
		case 'm', 'M':
			mult, s = 1<<20, s[:n-1]
		case 'g', 'G':
			mult, s = 1<<30, s[:n-1]
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, errors.New("not an nginx size (e.g. 1025m)")
	}
	return n * mult, nil
}

func TestNginxSize(t *testing.T) {
	for in, want := range map[string]int64{"1025m": 1025 << 20, "1g": 1 << 30, "512K": 512 << 10, "100": 100, "0": 0} {
		if got, err := nginxSize(in); err != nil || got != want {
			t.Errorf("nginxSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "m", "1.5g", "-1m", "1t"} {
		if _, err := nginxSize(in); err == nil {
			t.Errorf("nginxSize(%q): no error", in)
		}
	}
}

func TestNetworkPolicy_allows_what_the_service_needs(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		np := one[*networkingv1.NetworkPolicy](t, b, appName)
		if !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) || !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) {
			t.Errorf("policyTypes %v, want Ingress and Egress", np.Spec.PolicyTypes)
		}
		in := false
		for _, r := range np.Spec.Ingress {
			if len(r.From) == 0 {
				t.Error("an ingress rule admits every source")
			}
			for _, p := range r.Ports {
				if p.Port != nil && p.Port.IntValue() == containerPort {
					in = true
				}
			}
		}
		if !in {
			t.Errorf("no ingress rule admits TCP %d", containerPort)
		}
		allowed := map[string]bool{}
		for _, r := range np.Spec.Egress {
			for _, p := range r.Ports {
				proto := corev1.ProtocolTCP
				if p.Protocol != nil {
					proto = *p.Protocol
				}
				if p.Port != nil {
					allowed[fmt.Sprintf("%s/%d", proto, p.Port.IntValue())] = true
				}
			}
		}
		for _, want := range []string{"UDP/53", "TCP/53", "TCP/27017"} {
			if !allowed[want] {
				t.Errorf("egress does not allow %s", want)
			}
		}
		if !allowed["TCP/587"] && !allowed["TCP/465"] && !allowed["TCP/25"] {
			t.Error("egress allows no SMTP port")
		}
	})
}

// The metrics have their own port: the service listens for them where the
// pods are scraped, nothing routes the public to it, and the NetworkPolicy
// admits the scraper to it and only to it.
func TestMetrics_are_scraped_on_their_own_port(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		d, c := app(t, b)
		cfg := appConfig(t, b)
		if cfg.MetricsAddr != fmt.Sprintf(":%d", metricsPort) {
			t.Errorf("METRICS_ADDR %q, want :%d", cfg.MetricsAddr, metricsPort)
		}
		if cfg.HTTPAddr == cfg.MetricsAddr {
			t.Errorf("METRICS_ADDR is the public HTTP_ADDR %s", cfg.HTTPAddr)
		}
		if got := containerPortOf(t, c, "metrics"); got != metricsPort {
			t.Errorf("container port metrics = %d, want %d", got, metricsPort)
		}
		ann := d.Spec.Template.Annotations
		if ann["prometheus.io/scrape"] != "true" || ann["prometheus.io/port"] != strconv.Itoa(metricsPort) || ann["prometheus.io/path"] != "/metrics" {
			t.Errorf("scrape annotations %v, want /metrics on port %d", ann, metricsPort)
		}
		svc := one[*corev1.Service](t, b, appName)
		for _, p := range svc.Spec.Ports {
			if resolvePort(t, c, p.TargetPort) == metricsPort {
				t.Errorf("the Service routes port %d to the metrics", p.Port)
			}
		}
		for _, ing := range all[*networkingv1.Ingress](b) {
			for _, r := range ing.Spec.Rules {
				if r.HTTP == nil {
					continue
				}
				for _, p := range r.HTTP.Paths {
					if be := p.Backend.Service; be != nil && (be.Port.Number == metricsPort || be.Port.Name == "metrics") {
						t.Errorf("the Ingress routes %s to the metrics port", p.Path)
					}
				}
			}
		}
		np := one[*networkingv1.NetworkPolicy](t, b, appName)
		scraped := false
		for _, r := range np.Spec.Ingress {
			admitsMetrics, admitsAPI := false, false
			for _, p := range r.Ports {
				switch {
				case p.Port == nil:
					admitsMetrics, admitsAPI = true, true // every port
				case p.Port.IntValue() == metricsPort || p.Port.StrVal == "metrics":
					admitsMetrics = true
				case p.Port.IntValue() == containerPort || p.Port.StrVal == "http":
					admitsAPI = true
				}
			}
			if len(r.Ports) == 0 {
				admitsMetrics, admitsAPI = true, true
			}
			if !admitsMetrics {
				continue
			}
			if admitsAPI {
				t.Error("one NetworkPolicy rule admits its sources to the API and the metrics alike")
			}
			for _, f := range r.From {
				ns, pod := f.NamespaceSelector, f.PodSelector
				if f.IPBlock != nil || ns == nil || pod == nil || len(ns.MatchLabels)+len(ns.MatchExpressions) == 0 ||
					len(pod.MatchLabels)+len(pod.MatchExpressions) == 0 {
					t.Errorf("the metrics port admits %+v: want the scraper's pods in the scraper's namespace only", f)
				}
				if ns != nil && ns.MatchLabels["kubernetes.io/metadata.name"] == "ingress-nginx" {
					t.Error("the ingress controller is admitted to the metrics port")
				}
			}
			scraped = len(r.From) > 0
		}
		if !scraped {
			t.Errorf("no NetworkPolicy rule admits the scraper to port %d", metricsPort)
		}
	})
}

// Every ConfigMap and Secret the pods use is either in the build or one of the
// documented, operator-made Secrets; dev is self-contained; prod commits no
// Secret.
func TestReferences_resolve(t *testing.T) {
	forEachOverlay(t, func(t *testing.T, b *build) {
		have := map[string]bool{}
		for _, o := range b.objects {
			have[o.kind+"/"+o.name] = true
		}
		need := func(kind, name, from string) {
			t.Helper()
			if have[kind+"/"+name] {
				return
			}
			if kind == "v1/Secret" && slices.Contains(externalSecrets, name) && !b.selfContained {
				return
			}
			t.Errorf("%s references %s %q, which is not in the build", from, kind, name)
		}
		for podName, pod := range podSpecs(b) {
			for _, c := range slices.Concat(pod.InitContainers, pod.Containers) {
				for _, f := range c.EnvFrom {
					if f.ConfigMapRef != nil {
						need("v1/ConfigMap", f.ConfigMapRef.Name, podName)
					}
					if f.SecretRef != nil {
						need("v1/Secret", f.SecretRef.Name, podName)
					}
				}
				for _, e := range c.Env {
					if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
						need("v1/Secret", e.ValueFrom.SecretKeyRef.Name, podName)
					}
					if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil {
						need("v1/ConfigMap", e.ValueFrom.ConfigMapKeyRef.Name, podName)
					}
				}
			}
			for _, v := range pod.Volumes {
				if v.Secret != nil {
					need("v1/Secret", v.Secret.SecretName, podName)
				}
				if v.ConfigMap != nil {
					need("v1/ConfigMap", v.ConfigMap.Name, podName)
				}
			}
			if pod.ServiceAccountName != "" {
				need("v1/ServiceAccount", pod.ServiceAccountName, podName)
			}
		}
		for _, ing := range all[*networkingv1.Ingress](b) {
			for _, tls := range ing.Spec.TLS {
				need("v1/Secret", tls.SecretName, "Ingress/"+ing.Name)
			}
		}
		if b.name == "overlays/prod" {
			for _, s := range all[*corev1.Secret](b) {
				t.Errorf("prod commits Secret %q: create it in the cluster instead", s.Name)
			}
		}
	})
}

func TestProd_image_is_pinned(t *testing.T) {
	for _, o := range overlays {
		if !o.pinnedImage {
			continue
		}
		b := render(t, o)
		_, c := app(t, b)
		tag := imageTag(c.Image)
		if tag == "" || tag == "latest" {
			t.Errorf("%s: image %q: pin a release tag or digest, never latest", o.name, c.Image)
		}
		if !strings.Contains(strings.Split(c.Image, "/")[0], ".") {
			t.Errorf("%s: image %q is not from a registry host", o.name, c.Image)
		}
		if c.ImagePullPolicy == corev1.PullAlways {
			t.Errorf("%s: imagePullPolicy Always with a pinned tag", o.name)
		}
		if cfg := appConfig(t, b); cfg.JWTActiveKID == "" {
			t.Errorf("%s: JWT_ACTIVE_KID is not pinned: a key added to the Secret would sign on the first restarted replica before the others know it", o.name)
		}
		if cfg := appConfig(t, b); !strings.HasPrefix(cfg.PublicBaseURL, "https://") {
			t.Errorf("%s: PUBLIC_BASE_URL %q is not https", o.name, cfg.PublicBaseURL)
		}
	}
}

// imageTag returns the tag or digest of an image reference ("" when none).
func imageTag(image string) string {
	if _, digest, ok := strings.Cut(image, "@"); ok {
		return digest
	}
	last := image[strings.LastIndex(image, "/")+1:]
	if _, tag, ok := strings.Cut(last, ":"); ok {
		return tag
	}
	return ""
}

func TestImageTag(t *testing.T) {
	for in, want := range map[string]string{
		"civictrust":                                "",
		"civictrust:dev":                            "dev",
		"localhost:5000/civictrust":                 "",
		"localhost:5000/civictrust:v1":              "v1",
		"ghcr.io/x/civictrust:v1.0.0@sha256:abc":    "sha256:abc",
		"ghcr.io/civicdatatrust/civictrust:latest":  "latest",
		"registry.example.org:443/team/app:1.2.3-0": "1.2.3-0",
	} {
		if got := imageTag(in); got != want {
			t.Errorf("imageTag(%q) = %q, want %q", in, got, want)
		}
	}
}

// The dev overlay's MongoDB is a single-member replica set that the service's
// MONGODB_URI names, member host included.
func TestDev_mongo_is_a_replica_set_the_service_points_at(t *testing.T) {
	b := render(t, overlays[1])
	cfg := appConfig(t, b)
	u, err := url.Parse(cfg.MongoDBURI)
	if err != nil {
		t.Fatalf("MONGODB_URI: %v", err)
	}
	rs := u.Query().Get("replicaSet")

	sts := one[*appsv1.StatefulSet](t, b, "mongo")
	if sts.Spec.Replicas == nil || *sts.Spec.Replicas != 1 {
		t.Errorf("mongo replicas %s, want 1", deref(sts.Spec.Replicas))
	}
	c := sts.Spec.Template.Spec.Containers[0]
	if !strings.HasPrefix(c.Image, "mongo:7") {
		t.Errorf("mongo image %q, want mongo:7", c.Image)
	}
	args := slices.Concat(c.Command, c.Args)
	i := slices.Index(args, "--replSet")
	if i < 0 || i+1 >= len(args) || args[i+1] != rs || rs == "" {
		t.Errorf("mongod args %v: want --replSet %q (MONGODB_URI's replicaSet)", args, rs)
	}
	// The member is <statefulset>-0.<headless service>:27017.
	member := fmt.Sprintf("%s-0.%s:27017", sts.Name, sts.Spec.ServiceName)
	if u.Host != member {
		t.Errorf("MONGODB_URI host %q, want the member %q", u.Host, member)
	}
	svc := one[*corev1.Service](t, b, sts.Spec.ServiceName)
	if svc.Spec.ClusterIP != corev1.ClusterIPNone || !svc.Spec.PublishNotReadyAddresses {
		t.Error("mongo Service is not headless with publishNotReadyAddresses (the member name must resolve before rs.initiate)")
	}
	if len(sts.Spec.VolumeClaimTemplates) == 0 {
		t.Error("mongo keeps its data in no PersistentVolumeClaim")
	}
	// Something runs rs.initiate with the same member.
	initiated := false
	for _, j := range all[*batchv1.Job](b) {
		for _, jc := range j.Spec.Template.Spec.Containers {
			script := strings.Join(slices.Concat(jc.Command, jc.Args), " ")
			if strings.Contains(script, "rs.initiate") && strings.Contains(script, "'"+rs+"'") && strings.Contains(script, member) {
				initiated = true
			}
		}
	}
	if !initiated {
		t.Errorf("no Job runs rs.initiate for %s with member %s", rs, member)
	}
}
