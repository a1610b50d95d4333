// Package docker holds the service's container image (Dockerfile; its build
// context is the repository root, filtered by the top-level .dockerignore).
// There is no Docker engine in CI: its tests check the Dockerfile and
// .dockerignore statically. See docs/operations.md.
package docker
