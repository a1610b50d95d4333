# Civic Data Trust backend. Two commands matter on a fresh machine:
#   make run    serve on :8000 with the embedded store in ./data
#   make test   every test (domain, contract suites on memory and the embedded store, end to end)

GO            ?= go
BIN           := bin
GOLANGCI_LINT := $(BIN)/golangci-lint
GOLANGCI_VERSION := v2.15.0
VERSION       ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS       := -s -w -X main.version=$(VERSION)
TEST_TIMEOUT  ?= 15m

.PHONY: run build test test-race lint fmt vet bench check-deploy ts-client ts-check tus-check clean

run:
	@echo "compiling civictrust (the first time: module downloads and about 2 minutes of building)…" >&2
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/civictrust

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/civictrust ./cmd/civictrust

test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

test-race:
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...

$(GOLANGCI_LINT):
	GOBIN=$(CURDIR)/$(BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)

lint: $(GOLANGCI_LINT)
	$(GOLANGCI_LINT) run ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

# Static checks of deployments/ (also part of `make test`): kustomize build of
# every overlay with strict k8s.io/api decoding, compose.yaml, the Dockerfile and
# .dockerignore. No Docker engine or cluster is needed (or used).
check-deploy:
	$(GO) vet ./deployments/...
	$(GO) test -count=1 ./deployments/...

# The TypeScript client (clients/typescript, needs Node.js 20+ and npm):
# ts-client regenerates its types from the OpenAPI document after a change to it;
# ts-check is what CI runs after make test (build, serve, npm ci, drift check,
# tsc --strict, the example flow against the real service).
ts-client:
	cd clients/typescript && npm ci && node scripts/generate.mjs ../../adapters/http/apidoc/openapi.json src/schema.d.ts

ts-check:
	bash clients/typescript/run-e2e.sh

# tus-check installs tus-js-client (clients/tus-e2e, Node.js 20+ and npm) and
# runs the test that uploads with it; make test skips that test without it.
tus-check:
	cd clients/tus-e2e && npm ci --no-audit --no-fund
	$(GO) test -count=1 -run TestTusJSClient ./adapters/http/datasethttp/

# Benchmarks are measurements, not tests: they never run in `make test`.
# `make bench` builds the server, starts it on an empty data folder, seeds it
# through its API (10k users; 1k, 10k and 100k datasets) and times what users
# see. POCKETBASE=/path/to/pocketbase runs the same against PocketBase, side by
# side; BENCH_FLAGS passes more flags (-sizes, -duration, …). The commands and
# the results are in docs/benchmarks.md.
POCKETBASE  ?=
BENCH_FLAGS ?=
bench: build
	$(GO) run ./cmd/civictrust-bench -civictrust $(BIN)/civictrust $(if $(POCKETBASE),-pocketbase $(POCKETBASE)) $(BENCH_FLAGS)

clean:
	rm -rf $(BIN)
