#!/bin/sh
# findings_dump.sh - run the hunt and print the whole `findings` table it
# leaves, rowid first, in rowid order, every value as an SQL literal
# (.mode quote: text quoted, integers and reals told apart, reals with 20
# digits, NULL): two hunts gave the same findings exactly when their dumps
# are byte-identical.
#
# Usage (from the root of the tree whose sql/ and vpcflow.so to run):
#   sh tests/hunt/findings_dump.sh LOGS CONTEXT.sql > out.txt
# Before/after a change (OLD: a checkout of the old tree, built):
#   (cd OLD && sh tests/hunt/findings_dump.sh L C) > a
#   sh tests/hunt/findings_dump.sh L C > b && cmp a b
set -e
[ $# -eq 2 ] || { echo "usage: $0 LOGS CONTEXT.sql" >&2; exit 2; }
sqlite3 :memory: -cmd '.load ./vpcflow' \
  -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('$1')" -cmd ".read $2" \
  -cmd '.output /dev/null' -cmd '.read sql/hunt.sql' -cmd '.output stdout' \
  -cmd '.mode quote' -cmd '.headers on' -bail <<'SQL'
SELECT rowid, * FROM findings ORDER BY rowid;
SQL
