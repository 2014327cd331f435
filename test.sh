#!/usr/bin/env bash
# Våga vara digital — run every test.
# Installs what is missing, builds, starts a throwaway PostgreSQL (unless VVD_TEST_POSTGRES is set),
# runs every test project (NUnit; the SPA's Vitest when present) and ends with one line:
#   N passed, N failed[, N skipped]
# and a line per project before it: "==> name: N passed, N failed in M s" (docs/decisions/0005).
# ./test.sh path/to/Tests.csproj … runs only those projects.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
. tools/pg-cluster.sh
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# vstest gives its helper processes (the blame collector) 90 s to connect: on a machine with a load of 15 and more
# that was seen to fail the whole run before its first test. The hang bounds below do the waiting-for-ever guard.
export VSTEST_CONNECTION_TIMEOUT=${VSTEST_CONNECTION_TIMEOUT:-600}

RESULTS=$ROOT/artifacts/test-results
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  echo "==> Installerar $*"
  as_root apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# --- what the tests need -----------------------------------------------------------------------
command -v dotnet >/dev/null || { echo ".NET SDK 10 saknas (dotnet)." >&2; exit 1; }
pg_bin >/dev/null || exit 1
if [ -d tests/VagaVaraDigital.EndToEnd ] && [ ! -x /usr/bin/chromium ]; then apt_install chromium; fi
if [ -f src/VagaVaraDigital.Admin/package.json ] && ! command -v node >/dev/null; then apt_install nodejs npm; fi

# --- build -------------------------------------------------------------------------------------
echo "==> Bygger"
if [ -f src/VagaVaraDigital.Admin/package.json ]; then
  (cd src/VagaVaraDigital.Admin && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent) \
    || { echo "0 passed, 1 failed"; exit 1; }
fi
dotnet build VagaVaraDigital.sln -c Debug -nologo -clp:ErrorsOnly -v q || { echo "0 passed, 1 failed"; exit 1; }

# --- PostgreSQL --------------------------------------------------------------------------------
PGDIR=""
cleanup() {
  if [ -n "$PGDIR" ]; then pg_cluster_stop "$PGDIR"; rm -rf "$PGDIR"; fi
}
trap cleanup EXIT INT TERM
if [ -z "${VVD_TEST_POSTGRES:-}" ]; then
  PGDIR=$(mktemp -d /tmp/vvd-test-pg.XXXXXX)
  PORT=$(pg_free_port)
  echo "==> Startar PostgreSQL för testerna (port $PORT)"
  PG_FSYNC=off pg_cluster_start "$PGDIR" "$PORT" || { echo "0 passed, 1 failed"; exit 1; }
  export VVD_TEST_POSTGRES="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"
fi

# --- run ---------------------------------------------------------------------------------------
# No test may wait silently (docs/decisions/0005-a-hung-test-fails-with-its-name.md):
#  - one test at most VVD_TEST_TIMEOUT_MS (NUnit's DefaultTimeout): it fails with its name and the run goes on;
#  - nothing started or ended for VVD_HANG_TIMEOUT (a fixture, a host that never stops, a hung test the timeout
#    could not end): vstest's blame collector writes a dump and the list of started tests, ends the test host,
#    and the tests it left unfinished count as failed, by name;
#  - the whole project at most VVD_PROJECT_LIMIT (the last resort: `timeout`), and still a result line.
TEST_TIMEOUT_MS=${VVD_TEST_TIMEOUT_MS:-300000}
HANG_TIMEOUT=${VVD_HANG_TIMEOUT:-8m}
PROJECT_LIMIT=${VVD_PROJECT_LIMIT:-45m}
PASSED=0; FAILED=0; SKIPPED=0; STATUS=0
attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }

# Runs one test project and prints "==> name: N passed, N failed[, N skipped] in M s", whatever happened to it.
run_project() {
  local proj=$1 name dir trx started elapsed rc counters total passed failed skipped hung reason what
  name=$(basename "$proj" .csproj); dir="$RESULTS/$name"; trx="$dir/$name.trx"
  echo "==> $name"
  started=$(date +%s)
  timeout --kill-after=30s "$PROJECT_LIMIT" \
    dotnet test "$proj" --no-build -c Debug --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$dir" --blame-hang --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type mini \
      -- NUnit.DefaultTimeout="$TEST_TIMEOUT_MS"
  rc=$?
  elapsed=$(( $(date +%s) - started ))
  passed=0; failed=0; skipped=0; reason=""
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    total=$(attr total "$counters"); passed=$(attr passed "$counters"); failed=$(attr failed "$counters")
    total=${total:-0}; passed=${passed:-0}; failed=${failed:-0}
    skipped=$((total - passed - failed))
    # Tests the blame collector saw start and never end (the host was ended while they ran).
    hung=$(cat "$dir"/*/Sequence_*.xml 2>/dev/null | sed -n 's/.*<Test Name="\([^"]*\)".*Completed="False".*/\1/p' | sort -u)
    if [ -n "$hung" ]; then
      if grep -q 'inactivity time' "$trx"; then what="HÄNGDE (ingen händelse på $HANG_TIMEOUT; dump och testlista i $dir)"
      # A crash: the collector hears of tests with a lag, so the one that killed the host may be this one or the next.
      else what="KRASCHADE under eller strax efter detta test (testvärden dog; se $dir)"; fi
      while read -r t; do echo "   $t: $what"; done <<<"$hung"
      failed=$((failed + $(wc -l <<<"$hung")))
    elif grep -q 'The active test run was aborted' "$trx"; then
      reason="testvärden avbröts utanför ett test (uppstart, nedstängning eller krasch; se $dir)"
    fi
  else
    reason="inga resultat"
  fi
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then reason="avbröts efter $PROJECT_LIMIT${reason:+; $reason}"; fi
  if [ -n "$reason" ]; then echo "   $name: $reason"; failed=$((failed + 1)); fi
  [ "$rc" != 0 ] || [ "$failed" -gt 0 ] && STATUS=1
  PASSED=$((PASSED + passed)); FAILED=$((FAILED + failed)); SKIPPED=$((SKIPPED + skipped))
  local line="$passed passed, $failed failed"
  [ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
  echo "==> $name: $line in $elapsed s"
}

if [ $# -gt 0 ]; then
  # ./test.sh path/to/Project.csproj …: only those (built in Debug), without Vitest and the mail-fault run.
  for proj in "$@"; do run_project "$proj"; done
  ONLY_PROJECTS=1
else
  for proj in tests/*/*.csproj; do run_project "$proj"; done
fi

if [ -z "${ONLY_PROJECTS:-}" ] && [ -f src/VagaVaraDigital.Admin/package.json ] && grep -q '"test"' src/VagaVaraDigital.Admin/package.json; then
  echo "==> VagaVaraDigital.Admin (Vitest)"
  json="$RESULTS/vitest.json"; started=$(date +%s); p=0; f=1; s=0
  (cd src/VagaVaraDigital.Admin && timeout --kill-after=30s "$PROJECT_LIMIT" npx vitest run --reporter=default --reporter=json --outputFile="$json") || STATUS=1
  if [ -f "$json" ]; then
    read -r p f s < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests,r.numFailedTests,r.numPendingTests+(r.numTodoTests||0))' "$json")
  else
    echo "   VagaVaraDigital.Admin (Vitest): inga resultat"
  fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f)); SKIPPED=$((SKIPPED + s))
  line="$p passed, $f failed"; [ "$s" -gt 0 ] && line="$line, $s skipped"
  echo "==> VagaVaraDigital.Admin (Vitest): $line in $(( $(date +%s) - started )) s"
fi

# E-mail reliability, short form (tools/VagaVaraDigital.MailFaults: kill -9 mid-send, two worker processes,
# PostgreSQL stopped and started; private clusters of its own). Counts as one test.
faults=tools/VagaVaraDigital.MailFaults/bin/Debug/net10.0/vvd-mail-faults.dll
if [ -z "${ONLY_PROJECTS:-}" ] && [ -f "$faults" ]; then
  echo "==> E-post: feltålighet (kort form)"
  started=$(date +%s)
  if timeout --kill-after=30s 10m dotnet "$faults" fault --short; then p=1; f=0; else p=0; f=1; STATUS=1; fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  echo "==> E-post: feltålighet (kort form): $p passed, $f failed in $(( $(date +%s) - started )) s"
fi

[ "$FAILED" -gt 0 ] && STATUS=1
line="$PASSED passed, $FAILED failed"
[ "$SKIPPED" -gt 0 ] && line="$line, $SKIPPED skipped"
echo "$line"
exit $STATUS
