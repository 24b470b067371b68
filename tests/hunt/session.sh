#!/bin/sh
# session.sh - an sqlite3 session over a database made by mkdb.sh, set up as
# time.sh sets up each detection (flows_n in memory, flows_n's indexes
# dropped, the stub prepare.sql), reading SQL from stdin. Relative paths
# sql/... resolve to this checkout's sql/detections and sql/summaries.sql,
# ref/... to tests/hunt/reference/detections.
# Usage (from the repository root): tests/hunt/session.sh ./vpcflow.so DB < SQL
set -eu
so=$(readlink -f "$1") db=$(readlink -f "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/sql"
ln -s "$root/sql/detections" "$scratch/sql/detections"
ln -s "$root/sql/summaries.sql" "$scratch/sql/summaries.sql"
ln -s "$root/tests/hunt/reference/detections" "$scratch/ref"
cp "$root/tests/hunt/stub_prepare.sql" "$scratch/sql/prepare.sql"
cd "$scratch"
{ echo ".restore '$db'"
  echo "DROP INDEX IF EXISTS flows_n_tuple; DROP INDEX IF EXISTS flows_n_raw; DROP INDEX IF EXISTS flows_n_src;"
  echo ".read sql/prepare.sql"
  cat; } | sqlite3 -batch :memory: -cmd ".load $so"
