#!/usr/bin/env bash
# Install (if needed) and start a local PostgreSQL server, with a database for the tests.
# Prints the SQLAlchemy URL of that database on its last line.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h /var/run/postgresql && break
  sleep 1
done
me=$(id -un)
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\"" | grep -q 1 \
  || su postgres -c "createuser --superuser '$me'" >&2
psql -qtAc "SELECT 1 FROM pg_database WHERE datname='tracker_test'" postgres | grep -q 1 \
  || createdb tracker_test >&2
echo "postgresql+psycopg://$me@/tracker_test?host=/var/run/postgresql"
