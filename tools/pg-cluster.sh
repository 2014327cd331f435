# shellcheck shell=bash
# Private PostgreSQL cluster helpers, sourced by run.sh and test.sh.
#   pg_bin                   prints the PostgreSQL bin folder, installing the server package when missing
#   pg_cluster_start DIR PORT  initdb (first time) and start a cluster in DIR on 127.0.0.1:PORT
#   pg_cluster_stop DIR        stop it (fast shutdown)
#   pg_free_port             prints a free loopback TCP port

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL saknas: installerar postgresql …" >&2
    if [ "$(id -u)" = 0 ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    else
      echo "Installera PostgreSQL (apt-get install postgresql) och försök igen." >&2; return 1
    fi
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  echo "$bin"
}

# Runs a PostgreSQL program as the postgres OS user when we are root (initdb refuses root).
pg_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_cluster_start() {
  local dir=$1 port=$2 bin
  bin=$(pg_bin) || return 1
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
  # every folder above DIR must be traversable by the postgres user
  if [ "$(id -u)" = 0 ]; then
    local p; p=$(dirname "$(readlink -f "$dir")")
    while [ "$p" != "/" ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    pg_as "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; return 1; }
  fi
  pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=300 -c fsync=${PG_FSYNC:-on}" -w -t 60 start >/dev/null \
    || { tail -n 30 "$dir/postgres.log" >&2; return 1; }
}

pg_cluster_stop() {
  local dir=$1 bin
  bin=$(pg_bin) || return 1
  [ -f "$dir/data/postmaster.pid" ] && pg_as "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1
  return 0
}

# psql as the cluster's superuser against DB (default postgres)
pg_psql() {
  local port=$1 db=${2:-postgres}; shift 2 || true
  "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
}

pg_free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# The owner role runs migrations and owns every table; it may create the application role.
pg_create_owner_and_database() {
  local port=$1 db=$2
  pg_psql "$port" postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vvd_owner') THEN CREATE ROLE vvd_owner LOGIN CREATEROLE; END IF;
END \$\$;
SQL
  if [ -z "$(pg_psql "$port" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    pg_psql "$port" postgres -c "CREATE DATABASE \"$db\" OWNER vvd_owner"
  fi
}
