// Package k8s holds the Kubernetes manifests of the service (kustomize: base/,
// overlays/dev, overlays/prod). It has no code: its tests build every overlay
// with the kustomize Go module, decode every object strictly into its
// k8s.io/api type and check what operations relies on (probes, security
// context, resources, replicas, selectors, graceful termination, upload size,
// configuration variables). See docs/operations.md.
package k8s
