#!/bin/sh
# core_hygiene.sh - the files core_hygiene.sql reads, made under
# /tmp/vpcflow_core_hygiene from the fixtures (run with .system, from the
# repository root, with LD_PRELOAD unset: the sanitizer runtimes would make
# the tools below report their own leaks). "clean" removes them.
set -e
d=/tmp/vpcflow_core_hygiene
rm -rf "$d"
[ "${1:-}" = clean ] && exit 0
mkdir -p "$d/empty/sub" "$d/other" "$d/firehose" "$d/tree"
touch "$d/other/a.txt" "$d/other/flows.csv"
# a Firehose delivery: no extension (3 default-format records)
cp fixtures/v2/headerless.log "$d/firehose/vpc-flow-stream-1-2026-11-23-10-00-00-0a1b2c3d"
# v5 records without their header line
tail -n +2 fixtures/v5/service.log > "$d/v5-noheader.log"
cp fixtures/v2/basic.log fixtures/v5/service.log "$d/v5-noheader.log" "$d/tree/"
# a header only, with a field AWS never defined: a note, no lost line
printf 'version srcaddr mystery-field\n' > "$d/header-only.log"
