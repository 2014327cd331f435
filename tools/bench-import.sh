#!/usr/bin/env bash
# Runs the invitee import benchmark against a throwaway PostgreSQL cluster.
#   tools/bench-import.sh [rows=50000] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/pg-cluster.sh
DIR=$(mktemp -d /tmp/vvd-bench-pg.XXXXXX); PORT=$(pg_free_port)
trap 'pg_cluster_stop "$DIR"; rm -rf "$DIR"' EXIT
pg_cluster_start "$DIR" "$PORT"
VVD_BENCH_POSTGRES="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres" \
  dotnet run -c Release --project tools/VagaVaraDigital.Bench.Import -- "$@"
