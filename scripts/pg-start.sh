#!/usr/bin/env bash
# Starts a local PostgreSQL for the storage tests (127.0.0.1:5432, role owly/owly, database owly_test)
# and prints the export line for OWLY_PG_URL. Idempotent; meant for CI and developer machines (Debian,
# run as root). Usage: eval "$(scripts/pg-start.sh | tail -n 1)"
set -euo pipefail

PORT="${OWLY_PG_PORT:-5432}"

log() { echo "pg-start: $*" >&2; }

# The client (psql) alone may be preinstalled: look for the server binary itself.
if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

VERSION="$(basename "$(dirname "$(dirname "$(ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)")")")"

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
  log "creating cluster $VERSION/main on port $PORT"
  pg_createcluster "$VERSION" main --port "$PORT" >&2
fi

# Listen on loopback only.
CONF="/etc/postgresql/$VERSION/main/postgresql.conf"
if ! grep -q "^listen_addresses = '127.0.0.1'" "$CONF"; then
  echo "listen_addresses = '127.0.0.1'" >>"$CONF"
fi

STATUS="$(pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}')"
if [ "$STATUS" != "online" ]; then
  log "starting cluster $VERSION/main"
  pg_ctlcluster "$VERSION" main start >&2
fi

for _ in $(seq 1 30); do
  if su postgres -c "pg_isready -q -h 127.0.0.1 -p $PORT"; then break; fi
  sleep 1
done
su postgres -c "pg_isready -h 127.0.0.1 -p $PORT" >&2

psql_su() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -p $PORT -c \"$1\""; }

if [ "$(psql_su "SELECT 1 FROM pg_roles WHERE rolname='owly'")" != "1" ]; then
  log "creating role owly"
  psql_su "CREATE ROLE owly LOGIN PASSWORD 'owly'"
fi
if [ "$(psql_su "SELECT 1 FROM pg_database WHERE datname='owly_test'")" != "1" ]; then
  log "creating database owly_test"
  psql_su "CREATE DATABASE owly_test OWNER owly"
fi

echo "export OWLY_PG_URL='jdbc:postgresql://127.0.0.1:$PORT/owly_test?user=owly&password=owly'"
