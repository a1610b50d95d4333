#!/usr/bin/env bash
# The TypeScript client's check, against the real service:
#
#   1. builds the service and starts it on a free loopback port with a
#      temporary DATA_DIR (RATE_LIMITS=off, MAIL_DRIVER=file);
#   2. installs the client from package.json and package-lock.json (npm ci);
#   3. generates the types from the served document and fails when they differ
#      from the committed src/schema.d.ts (run `npm run generate` against a
#      running service, or scripts/generate.mjs on the document, to update);
#   4. type-checks with tsc --strict and refuses `!`, casts and `??` in the flow;
#   5. runs the example flow with Node.js (20 or later);
#   6. stops the service, whatever happened.
#
# Usage: clients/typescript/run-e2e.sh (from anywhere).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/civictrust-ts.XXXXXX")
server_pid=""

cleanup() {
	local status=$?
	if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [[ $status -ne 0 && -s "$work/server.log" ]]; then
		echo "--- the service's log (last 40 lines) ---" >&2
		tail -n 40 "$work/server.log" >&2
	fi
	rm -rf "$work"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '== %s\n' "$*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]')
if (( node_major < 20 )); then
	echo "Node.js 20 or later is needed, this is $(node --version)" >&2
	exit 1
fi

say "build the service"
(cd "$root" && timeout 600 go build -o "$work/civictrust" ./cmd/civictrust)

say "start it on a free loopback port"
mkdir -p "$work/run"
(
	cd "$work/run" # no .env of the repository is read
	exec env DATA_DIR="$work/data" HTTP_ADDR=127.0.0.1:0 METRICS_ADDR= RATE_LIMITS=off MAIL_DRIVER=file \
		LOG_LEVEL=info LOG_FORMAT=json ADMIN_EMAIL= ADMIN_PASSWORD= SHUTDOWN_READINESS_DELAY=0s \
		"$work/civictrust" serve
) >"$work/server.log" 2>&1 &
server_pid=$!
addr=""
for _ in $(seq 1 1200); do # 120 s
	addr=$(sed -n 's/.*"message":"listening".*"addr":"\([^"]*\)".*/\1/p; s/.*"addr":"\([^"]*\)".*"message":"listening".*/\1/p' "$work/server.log" | head -n 1)
	[[ -n "$addr" ]] && break
	if ! kill -0 "$server_pid" 2>/dev/null; then
		echo "the service exited before listening" >&2
		exit 1
	fi
	sleep 0.1
done
if [[ -z "$addr" ]]; then
	echo "the service did not listen within 120 s" >&2
	exit 1
fi
base="http://$addr"
say "listening on $base"

cd "$here"
say "npm ci"
timeout 600 npm ci --no-audit --no-fund

say "generate the types from $base/api/v1/openapi.json and compare them with src/schema.d.ts"
timeout 120 node scripts/generate.mjs "$base/api/v1/openapi.json" "$work/schema.d.ts"
if ! diff -u src/schema.d.ts "$work/schema.d.ts" >"$work/drift.diff"; then
	head -n 80 "$work/drift.diff" >&2
	echo "src/schema.d.ts is not what the served document generates: regenerate it (see the top of this script)" >&2
	exit 1
fi

say "type-check (tsc --strict) and look for !, casts and ??"
timeout 300 npx tsc --strict --noEmit -p .
node scripts/check-style.mjs src/flow.ts

say "build and run the example flow"
rm -rf dist
timeout 300 npx tsc -p .
CIVICTRUST_URL="$base" timeout 120 node dist/flow.js
say "TypeScript client check passed"
