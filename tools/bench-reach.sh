#!/usr/bin/env bash
# Runs the reach benchmark (issue 8) on the seed-bench data set in a throwaway PostgreSQL cluster.
#   tools/bench-reach.sh [iterations] [rounds]
# With VVD_BENCH_POSTGRES set (a superuser connection), that server is used and no cluster is started;
# with VVD_BENCH_DB set too, that database is reused when it already holds the data set.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VVD_BENCH_POSTGRES:-}" ]; then
  . tools/pg-cluster.sh
  DIR=$(mktemp -d /tmp/vvd-bench-pg.XXXXXX); PORT=$(pg_free_port)
  trap 'pg_cluster_stop "$DIR"; rm -rf "$DIR"' EXIT
  PG_FSYNC=off pg_cluster_start "$DIR" "$PORT"
  export VVD_BENCH_POSTGRES="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres;Maximum Pool Size=50"
fi
dotnet run -c Release --project tools/VagaVaraDigital.Bench.Reach -- "$@"
