#!/usr/bin/env bash
# Våga vara digital — run the platform on this machine.
#   ./run.sh        private PostgreSQL under .data/, migrations, demo data, SPA, API on http://127.0.0.1:5080
# With ConnectionStrings__Postgres set, that database is used and no cluster is started.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
. tools/pg-cluster.sh

HTTP_PORT=${VVD_HTTP_PORT:-5080}
PG_PORT=${VVD_PG_PORT:-5433}
DATA=$ROOT/.data
mkdir -p "$DATA"

# One run at a time: a second ./run.sh says so instead of touching the cluster.
exec 9>"$DATA/run.lock"
if ! flock -n 9; then
  echo "Våga vara digital körs redan från den här mappen (låset $DATA/run.lock är taget). Avsluta den först." >&2
  exit 1
fi

need() { command -v "$1" >/dev/null 2>&1; }
if ! need dotnet; then echo ".NET SDK 10 saknas (dotnet). Installera det och försök igen." >&2; exit 1; fi

echo "==> Bygger"
dotnet build "$ROOT/VagaVaraDigital.sln" -c Release -nologo -clp:ErrorsOnly -v q
if [ -f "$ROOT/src/VagaVaraDigital.Admin/package.json" ]; then
  echo "==> Bygger administrationsgränssnittet"
  (cd "$ROOT/src/VagaVaraDigital.Admin" && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent)
fi

STARTED_PG=""
APP_PID=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  if [ -n "$STARTED_PG" ]; then
    echo "==> Stoppar PostgreSQL"
    pg_cluster_stop "$DATA/pg"
  fi
}
trap cleanup INT TERM EXIT

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  echo "==> Startar PostgreSQL i $DATA/pg (port $PG_PORT)"
  pg_cluster_start "$DATA/pg" "$PG_PORT"
  STARTED_PG=1
  pg_create_owner_and_database "$PG_PORT" vvd
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Database=vvd;Username=vvd_app"
  export ConnectionStrings__PostgresMigrations="Host=127.0.0.1;Port=$PG_PORT;Database=vvd;Username=vvd_owner"
fi

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export VVD_DATA_DIR=${VVD_DATA_DIR:-$DATA}
export AdminApp__Path=${AdminApp__Path:-$ROOT/src/VagaVaraDigital.Api/wwwroot/app}
export DOTNET_NOLOGO=1

VVD="dotnet $ROOT/tools/VagaVaraDigital.Cli/bin/Release/net10.0/vvd.dll"
echo "==> Migrerar"
$VVD migrate
echo "==> Demodata"
DEMO_OUT=$($VVD seed-demo | tee /dev/stderr)

export ASPNETCORE_URLS="http://127.0.0.1:$HTTP_PORT"
export Identity__Issuer=${Identity__Issuer:-http://127.0.0.1:$HTTP_PORT/}
export ASPNETCORE_CONTENTROOT="$ROOT/src/VagaVaraDigital.Api/bin/Release/net10.0"
dotnet "$ROOT/src/VagaVaraDigital.Api/bin/Release/net10.0/VagaVaraDigital.Api.dll" &
APP_PID=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then echo "Appen startade inte." >&2; exit 1; fi
  sleep 0.5
done

cat <<TXT

  Våga vara digital körs.

  App:          http://127.0.0.1:$HTTP_PORT/
  Ett län:      http://127.0.0.1:$HTTP_PORT/t/uppsala/
  API-dokument: http://127.0.0.1:$HTTP_PORT/docs   (OpenAPI: /openapi/v1.json)
  Hälsa:        http://127.0.0.1:$HTTP_PORT/health/ready
$(printf '%s\n' "$DEMO_OUT" | sed -n '/^Inloggning/,$p' | sed 's/^/  /')

  Avsluta med Ctrl-C.
TXT

wait "$APP_PID"
