#!/usr/bin/env bash
# Runs every check of the repository against real servers:
#   1. scripts/infra.sh        PostgreSQL, Redis, RabbitMQ (and NGINX) present and running
#   2. typecheck and lint      every project (Nx, cached when nothing changed)
#   3. tests                   every project's vitest suite, one project after another
# Ends with the line "N passed, N failed" (all vitest tests of all projects); exits non-zero on any failure.
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
export NX_VERBOSE_LOGGING="${NX_VERBOSE_LOGGING:-false}"

step() { printf '\n=== %s ===\n' "$*"; }

step "infrastructure"
if ! bash scripts/infra.sh; then
  echo "test: the infrastructure is not available, so no test ran"
  echo "0 passed, 0 failed"
  exit 1
fi

if [[ ! -d node_modules ]]; then
  step "dependencies"
  npm ci || { echo "test: npm ci failed"; echo "0 passed, 0 failed"; exit 1; }
fi

problems=()

step "typecheck and lint"
npx nx run-many -t typecheck lint --outputStyle=static || problems+=("typecheck/lint failed (see above)")

step "tests"
# Each project writes a JSON report next to its own files (.local/ is ignored by git).
for dir in packages/* apps/* tests/*; do rm -f "$dir/.local/vitest-report.json"; done
npx nx run-many -t test --parallel=1 --outputStyle=stream -- \
  --reporter=default --reporter=json --outputFile.json=.local/vitest-report.json ||
  problems+=("some test runs failed")

for problem in "${problems[@]}"; do echo "test: $problem"; done
node scripts/test-summary.mjs
summary_status=$?
((${#problems[@]} == 0 && summary_status == 0))
