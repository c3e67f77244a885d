#!/usr/bin/env bash
# Every check and every test suite, as CI runs them. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# A Debian package the tests need: installed with apt-get as root, else a sentence on how. Status 1 when it is not there.
install_debian() {
  local package=$1 needs=$2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "installing Debian's $package"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null) && return 0
    echo "Could not install $package with apt-get. $needs." >&2
  else
    echo "$needs: run 'sudo apt-get install $package' and try again." >&2
  fi
  return 1
}

# End-to-end tests drive Debian's Chromium; never a downloaded browser.
command -v chromium >/dev/null 2>&1 || install_debian chromium "The end-to-end tests need Debian's chromium" || exit 1
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

# The cluster tests put Debian's nginx in front of three processes (tests/support/nginx.ts runs it itself).
# Without it they say why they skip, and fail in CI.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] \
  || install_debian nginx-light "The cluster tests need Debian's nginx (they skip without it, and fail in CI)" || true

# The PDF report's tests read the PDF back with Debian's poppler-utils (pdftotext, pdftoppm, pdfinfo).
command -v pdftotext >/dev/null 2>&1 || install_debian poppler-utils "The PDF report's tests need Debian's poppler-utils" || true

# Suites for PostgreSQL and Redis run when those services answer; otherwise they say why they skip.
# In CI they always run: a PostgreSQL that is installed but down is started first.
if [ "${CI:-}" = true ] && [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 \
  && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  step "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || echo "Could not start PostgreSQL; its suites will fail in CI." >&2
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
fi
if [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1; then
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
fi
if [ "${CI:-}" = true ] && [ -z "${TEST_REDIS_URL:-}" ] && command -v redis-server >/dev/null 2>&1 && [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" != PONG ]; then
  step "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || echo "Could not start Redis; its suites will fail in CI." >&2
  for _ in $(seq 1 30); do [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ] && break; sleep 1; done
fi
if [ -z "${TEST_REDIS_URL:-}" ] && command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = PONG ]; then
  export TEST_REDIS_URL="redis://127.0.0.1:6379"
fi

failed_checks=()
step "typecheck"
npx tsc --noEmit || failed_checks+=(typecheck)
step "lint"
npx eslint --max-warnings 0 . || failed_checks+=(lint)
step "next build (for the end-to-end tests)"
npx next build >test-results.build.log 2>&1 || { cat test-results.build.log; failed_checks+=(build); }
rm -f test-results.build.log

step "tests (unit, integration, e2e)"
mkdir -p test-results
rm -f test-results/vitest.json test-results/vitest-pg.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json

# Issue 14: the integration suites again, every server three processes on PostgreSQL + Redis (tests/support/engine.ts, server.ts).
# In CI always (a missing service fails the run); elsewhere when both services answer.
reports=(test-results/vitest.json)
if [ "${CI:-}" = true ] || { [ -n "${TEST_DATABASE_URL:-}" ] && [ -n "${TEST_REDIS_URL:-}" ]; }; then
  step "integration tests again, on PostgreSQL + Redis"
  JOURNEYHUB_TEST_ENGINE=postgres+redis npx vitest run --project integration \
    --reporter=default --reporter=json --outputFile.json=test-results/vitest-pg.json
  reports+=(test-results/vitest-pg.json)
else
  echo "The integration run on PostgreSQL + Redis is skipped: TEST_DATABASE_URL and TEST_REDIS_URL need pg_isready and redis-cli ping to answer on 127.0.0.1."
fi

node scripts/summarize-tests.mjs "${reports[@]}" -- "${failed_checks[@]}"
