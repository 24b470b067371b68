#!/bin/bash
# hunt-data.sh - make (or reuse) one dataset of `make bench-hunt`.
#
#   hunt-data.sh KIND RECORDS      prints the dataset's directory on stdout
#
# KIND realistic: tests/bench/huntgen (the scenario's world at scale, gzip
#   files in S3 layout, a v5 and a v2 subscription) into
#   $BENCH_HUNT_DIR/realistic-RECORDS/ with context.sql and truth.tsv.
# KIND random: tests/bench/gen -5 (random addresses, one plain v5 file)
#   into $BENCH_HUNT_DIR/random-RECORDS/flows.log, with a context.sql.
# A dataset is reused when its .stamp names the same generator version,
# seed and size; otherwise it is written again (into a temporary directory
# renamed at the end, so a reader never sees half a dataset).
# Environment: BENCH_HUNT_DIR (default /work/benchdata), BENCH_HUNT_SEED
# (default 20260213), HUNTGEN, BENCH_GEN (the two generator binaries),
# BENCH_HUNT_JOBS (gzip writer processes, default 2).
set -u
export LC_ALL=C
KIND=${1:?usage: hunt-data.sh KIND RECORDS}
N=${2:?usage: hunt-data.sh KIND RECORDS}
DIR=${BENCH_HUNT_DIR:-/work/benchdata}
SEED=${BENCH_HUNT_SEED:-20260213}
JOBS=${BENCH_HUNT_JOBS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
die() { echo "hunt-data: $*" >&2; exit 2; }
case $N in ''|*[!0-9]*) die "RECORDS must be a positive integer";; esac
[ "$N" -gt 0 ] || die "RECORDS must be > 0"
mkdir -p "$DIR" || die "cannot create $DIR"
DIR=$(cd "$DIR" && pwd)
OUT=$DIR/$KIND-$N

case $KIND in
  realistic)
    GEN=${HUNTGEN:?HUNTGEN is not set}
    [ -x "$GEN" ] || die "$GEN is missing"
    want="huntgen v$("$GEN" -V) seed $SEED target $N"
    ;;
  random)
    GEN=${BENCH_GEN:?BENCH_GEN is not set}
    [ -x "$GEN" ] || die "$GEN is missing"
    want="gen $(md5sum < "$HERE/gen.c" | cut -c1-12) -5 seed $SEED rows $N"
    ;;
  *) die "unknown kind '$KIND' (realistic, random)" ;;
esac

# One writer per dataset: a second run waits here for the first to finish
# (and then reuses its data).
if command -v flock >/dev/null; then
  exec 9>"$DIR/.lock-$KIND-$N"
  flock 9 || die "cannot lock $DIR/.lock-$KIND-$N"
fi
if [ -f "$OUT/.stamp" ] && [ "$(head -1 "$OUT/.stamp")" = "$want" ]; then
  echo "$OUT"
  exit 0
fi

TMP=$DIR/.tmp-$KIND-$N.$$
rm -rf "$TMP"
mkdir -p "$TMP" || die "cannot create $TMP"
trap 'rm -rf "$TMP"' EXIT
t0=$EPOCHREALTIME
if [ "$KIND" = realistic ]; then
  counts=$(nice -n 10 "$GEN" -s "$SEED" -j "$JOBS" "$N" "$TMP") || die "huntgen failed"
  # cell 0 is the bundled scenario's VPC: its ground truth applies
  cp "$ROOT/fixtures/scenario/truth.tsv" "$TMP/truth.tsv" || die "no fixtures/scenario/truth.tsv"
else
  nice -n 10 "$GEN" -5 -s "$SEED" -o "$TMP/flows.log" "$N" || die "gen failed"
  counts="records $N v5 $N"
  cat > "$TMP/context.sql" <<'EOF'
-- User tables for the hunt over random-address data (tests/bench/gen): two
-- zones that split 10/8, one allowed port, and two listed ranges.
CREATE TEMP TABLE IF NOT EXISTS ioc(addr TEXT, note TEXT);
INSERT INTO ioc VALUES ('45.0.0.0/8', 'scanner range'), ('203.0.113.0/24', 'test list');
CREATE TEMP TABLE IF NOT EXISTS zones(cidr TEXT, zone TEXT);
INSERT INTO zones VALUES ('10.0.0.0/9', 'low'), ('10.128.0.0/9', 'high');
CREATE TEMP TABLE IF NOT EXISTS allowed(src_zone TEXT, dst_zone TEXT, port INTEGER);
INSERT INTO allowed VALUES ('low', 'high', 443), ('high', 'low', 443);
EOF
fi
t1=$EPOCHREALTIME
printf '%s\n%s\ngenerated %s in %.1f s\n' "$want" "$counts" \
  "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b - a}')" \
  > "$TMP/.stamp"
rm -rf "$OUT"
mv -T "$TMP" "$OUT" || die "cannot move $TMP to $OUT"
trap - EXIT
echo "$OUT"
