#!/usr/bin/env bash
# Våga vara digital — run every test.
# Installs what is missing, builds, starts a throwaway PostgreSQL (unless VVD_TEST_POSTGRES is set),
# runs every test project (NUnit; the SPA's Vitest when present) and ends with one line:
#   N passed, N failed[, N skipped]
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
. tools/pg-cluster.sh
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

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
PASSED=0; FAILED=0; SKIPPED=0; STATUS=0
count_trx() {
  local trx=$1 counters total passed failed
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  PASSED=$((PASSED + ${passed:-0})); FAILED=$((FAILED + ${failed:-0}))
  SKIPPED=$((SKIPPED + ${total:-0} - ${passed:-0} - ${failed:-0}))
}

for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  echo "==> $name"
  dotnet test "$proj" --no-build -c Debug --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$RESULTS/$name" || STATUS=1
  trx="$RESULTS/$name/$name.trx"
  if [ -f "$trx" ]; then count_trx "$trx"; else echo "   (inga resultat från $name)"; FAILED=$((FAILED + 1)); STATUS=1; fi
done

if [ -f src/VagaVaraDigital.Admin/package.json ] && grep -q '"test"' src/VagaVaraDigital.Admin/package.json; then
  echo "==> VagaVaraDigital.Admin (Vitest)"
  json="$RESULTS/vitest.json"
  (cd src/VagaVaraDigital.Admin && npx vitest run --reporter=default --reporter=json --outputFile="$json") || STATUS=1
  if [ -f "$json" ]; then
    read -r p f s < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests,r.numFailedTests,r.numPendingTests+(r.numTodoTests||0))' "$json")
    PASSED=$((PASSED + p)); FAILED=$((FAILED + f)); SKIPPED=$((SKIPPED + s))
  else
    FAILED=$((FAILED + 1)); STATUS=1
  fi
fi

# E-mail reliability, short form (tools/VagaVaraDigital.MailFaults: kill -9 mid-send, two worker processes,
# PostgreSQL stopped and started; private clusters of its own). Counts as one test.
faults=tools/VagaVaraDigital.MailFaults/bin/Debug/net10.0/vvd-mail-faults.dll
if [ -f "$faults" ]; then
  echo "==> E-post: feltålighet (kort form)"
  if dotnet "$faults" fault --short; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); STATUS=1; fi
fi

[ "$FAILED" -gt 0 ] && STATUS=1
line="$PASSED passed, $FAILED failed"
[ "$SKIPPED" -gt 0 ] && line="$line, $SKIPPED skipped"
echo "$line"
exit $STATUS
