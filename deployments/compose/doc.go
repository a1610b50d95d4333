// Package compose holds compose.yaml: the service and MongoDB 7 as a
// single-node replica set on one machine. Its tests check the file statically
// (there is no Docker engine in CI). See docs/operations.md.
package compose
