#!/bin/bash
# bench.sh - the runner behind `make bench` (see tests/bench/bench.mk).
#
# Makes (or reuses) deterministic data in BENCH_DIR, then times each query on
# vpcflow and on the peers present, and prints one table. Environment:
#   BENCH_ROWS BENCH_DIR BENCH_RUNS BENCH_PEERS   as documented in bench.mk
#   BENCH_GEN    the generator binary (built from tests/bench/gen.c)
#   BENCH_SO     the vpcflow.so to load
#   BENCH_DUCKDB_THREADS   DuckDB's threads (default 2)
#   BENCH_S3     1 (default): also read the .gz and .parquet from a local
#                S3 server (tests/s3/server.js: s3rver from build/s3rver,
#                which make s3-check installs; 127.0.0.1 only); 0: not
#   BENCH_S3RVER the s3rver module (default build/s3rver/node_modules/s3rver)
#
# Every measurement is one whole process: sqlite3 (vpcflow, or the native
# table made by .import) or node running duck.mjs (DuckDB). Wall time is taken
# around /usr/bin/time with bash's EPOCHREALTIME (ms resolution); peak RSS and
# CPU time come from GNU time. Shown: the median wall and CPU of BENCH_RUNS
# runs and the largest RSS. rows/s and MB/s are per wall second over the
# *uncompressed* file. ratio = vpcflow wall / peer wall (< 1: vpcflow faster).
# Each run's result is normalised (floats to 6 decimals, rows sorted; for
# ORDER BY ... LIMIT only the order-key values and the rows above the last key,
# so ties at the cut do not count) and hashed; an engine whose answer differs
# from vpcflow's prints MISMATCH and the script exits 1 at the end.
set -u
export LC_ALL=C

ROWS=${BENCH_ROWS:-10000000}
DIR=${BENCH_DIR:-/tmp/vpcflow-bench}
RUNS=${BENCH_RUNS:-3}
PEERS=${BENCH_PEERS:-sqlite duckdb}
GEN=${BENCH_GEN:?BENCH_GEN is not set: run this through make bench}
SO=${BENCH_SO:?BENCH_SO is not set: run this through make bench}
DTHREADS=${BENCH_DUCKDB_THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 2; }
case $ROWS in ''|*[!0-9]*) die "BENCH_ROWS must be a positive integer";; esac
case $RUNS in ''|*[!0-9]*) die "BENCH_RUNS must be a positive integer";; esac
[ "$ROWS" -gt 0 ] || die "BENCH_ROWS must be > 0"
[ "$RUNS" -gt 0 ] || die "BENCH_RUNS must be > 0"
[ -x "$TIME" ] || die "GNU time is missing: make bench-deps (or apt-get install time)"
command -v sqlite3 >/dev/null || die "sqlite3 is missing: make deps"
[ -x "$GEN" ] || die "generator $GEN is missing"
[ -f "$SO" ] || die "$SO is missing"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash >= 5 (EPOCHREALTIME)"
mkdir -p "$DIR" || die "cannot create $DIR"
DIR=$(cd "$DIR" && pwd)
WORK=$DIR/run.$$
mkdir -p "$WORK"
# Everything printed also goes to $DIR/last-$ROWS.txt.
LOG=$DIR/last-$ROWS.txt
exec > >(tee "$LOG") 2>&1
TEE_PID=$!
finish() { [ -n "${S3_PID:-}" ] && kill "$S3_PID" 2>/dev/null; rm -rf "$WORK"; exec 1>&- 2>&-; wait "$TEE_PID" 2>/dev/null; }
trap finish EXIT

want_sqlite=0; want_duck=0
for p in $PEERS; do
  case $p in
    sqlite) want_sqlite=1 ;;
    duckdb) want_duck=1 ;;
    none) ;;
    *) die "unknown peer '$p' in BENCH_PEERS (sqlite, duckdb, none)" ;;
  esac
done

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b - a}'; }
mb() { awk -v b="$1" 'BEGIN{printf "%.1f", b / 1e6}'; }
fsize() { stat -c %s "$1"; }

# ------------------------------------------------------------------ machine
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem_gib=$(awk '/^MemTotal:/{printf "%.1f", $2 / 1048576}' /proc/meminfo)
echo "vpcflow bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($cpu_model), ${mem_gib} GiB RAM"
echo "  sqlite3 $(sqlite3 -version | cut -d' ' -f1), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  data in $DIR, $ROWS rows, median of $RUNS runs"

# --------------------------------------------------------------------- data
ROWS5=$(( ROWS / 5 )); [ "$ROWS5" -gt 0 ] || ROWS5=1
V2=$DIR/flows_$ROWS.log
GZ=$V2.gz
V5=$DIR/flows_v5_$ROWS5.log
GENID=$(md5sum < "$HERE/gen.c" | cut -c1-12)

# stamp_ok FILE WANT: FILE exists, its .ok stamp says WANT and FILE's size.
stamp_ok() {
  [ -f "$1" ] && [ -f "$1.ok" ] && [ "$(cat "$1.ok")" = "$2 size=$(fsize "$1")" ]
}
# timed OUT_VAR CMD...: run CMD, store its wall seconds in OUT_VAR.
timed() {
  local var=$1 t0 t1; shift
  t0=$(now); "$@" || die "failed: $*"; t1=$(now)
  printf -v "$var" '%s' "$(elapsed "$t0" "$t1")"
}
gen_file() {   # gen_file FILE STAMP ROWS [-5]
  local f=$1 stamp=$2 n=$3 t; shift 3
  rm -f "$f" "$f.ok"
  timed t "$GEN" "$@" -o "$f.tmp" "$n"
  mv "$f.tmp" "$f"
  echo "$stamp size=$(fsize "$f")" > "$f.ok"
  echo "  generated $(basename "$f"): $(mb "$(fsize "$f")") MB in $t s" \
       "($(awk -v b="$(fsize "$f")" -v t="$t" 'BEGIN{printf "%.0f", b / 1e6 / t}') MB/s)"
}
s2="gen=$GENID rows=$ROWS v2"
if stamp_ok "$V2" "$s2"; then
  echo "  reusing $(basename "$V2") ($(mb "$(fsize "$V2")") MB)"
else
  rm -f "$GZ" "$GZ.ok"
  gen_file "$V2" "$s2" "$ROWS"
fi
sgz="$s2 gzip-6"
if stamp_ok "$GZ" "$sgz"; then
  echo "  reusing $(basename "$GZ") ($(mb "$(fsize "$GZ")") MB)"
else
  rm -f "$GZ" "$GZ.ok"
  timed t sh -c 'gzip -6 -n -c "$1" > "$2.tmp"' sh "$V2" "$GZ"
  mv "$GZ.tmp" "$GZ"
  echo "$sgz size=$(fsize "$GZ")" > "$GZ.ok"
  echo "  compressed $(basename "$GZ"): $(mb "$(fsize "$GZ")") MB in $t s (gzip -6)"
fi
s5="gen=$GENID rows=$ROWS5 v5"
if stamp_ok "$V5" "$s5"; then
  echo "  reusing $(basename "$V5") ($(mb "$(fsize "$V5")") MB)"
else
  gen_file "$V5" "$s5" "$ROWS5" -5
fi
V2_BYTES=$(fsize "$V2")
V5_BYTES=$(fsize "$V5")
cat "$V2" "$GZ" "$V5" > /dev/null    # page cache hot for every engine

# ------------------------------------------------------------------ engines
# A private copy of the extension: others may rebuild vpcflow.so meanwhile.
cp "$SO" "$WORK/vpcflow.so" || die "cannot copy $SO"
so_src=$(cd "$(dirname "$SO")" && git rev-parse --short HEAD 2>/dev/null)
if [ -n "$so_src" ]; then
  [ -n "$(cd "$(dirname "$SO")" && git status --porcelain -- ext 2>/dev/null)" ] && so_src="$so_src + local changes in ext/"
  so_src=", source $so_src"
fi
echo "  vpcflow.so: built $(date -u -r "$SO" '+%Y-%m-%d %H:%M UTC')$so_src"
SO=$WORK/vpcflow.so
sql_str() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
has_fn() {
  sqlite3 -batch :memory: -cmd ".load '$SO'" "SELECT $1" >/dev/null 2>&1
}
HAVE_BREADTH=0; has_fn "port_breadth(1)" && HAVE_BREADTH=1
HAVE_CIDR=0; has_fn "ip_in_cidr('10.1.2.3','10.0.0.0/8')" && HAVE_CIDR=1

NODE_DIR=$DIR/node
HAVE_DUCK=0; DUCK_VER=""
if [ "$want_duck" = 1 ]; then
  if command -v node >/dev/null && [ -f "$NODE_DIR/node_modules/@duckdb/node-api/package.json" ]; then
    HAVE_DUCK=1
    DUCK_VER=$(node -p "require('$NODE_DIR/node_modules/@duckdb/node-api/package.json').version")
    echo "  DuckDB: @duckdb/node-api $DUCK_VER, node $(node --version), threads=$DTHREADS"
  else
    echo "  DuckDB: not installed, its column is skipped (make bench-deps BENCH_DIR=$DIR)"
  fi
fi

# The SQLite baseline: .import into a file database, reused across runs.
DB=$DIR/native_$ROWS.db
HAVE_SQLITE=0
if [ "$want_sqlite" = 1 ]; then
  sdb="$s2 size=$V2_BYTES"
  if [ -f "$DB" ] && [ -f "$DB.ok" ] && [ "$(head -1 "$DB.ok")" = "$sdb" ]; then
    read -r IMP_WALL IMP_CPU IMP_RSS < <(sed -n 2p "$DB.ok")
    imp_note="(import reused from an earlier run)"
  else
    rm -f "$DB" "$DB.ok" "$DB.tmp"
    cat > "$WORK/import.sql" <<EOF
CREATE TABLE t(version INTEGER, account_id TEXT, interface_id TEXT,
  srcaddr TEXT, dstaddr TEXT, srcport INTEGER, dstport INTEGER,
  protocol INTEGER, packets INTEGER, bytes INTEGER, start INTEGER,
  "end" INTEGER, action TEXT, log_status TEXT);
.mode csv
.separator " "
.import --skip 1 $(sql_str "$V2") t
UPDATE t SET version=NULLIF(version,'-'), account_id=NULLIF(account_id,'-'),
  interface_id=NULLIF(interface_id,'-'), srcaddr=NULLIF(srcaddr,'-'),
  dstaddr=NULLIF(dstaddr,'-'), srcport=NULLIF(srcport,'-'),
  dstport=NULLIF(dstport,'-'), protocol=NULLIF(protocol,'-'),
  packets=NULLIF(packets,'-'), bytes=NULLIF(bytes,'-'), start=NULLIF(start,'-'),
  "end"=NULLIF("end",'-'), action=NULLIF(action,'-')
  WHERE log_status <> 'OK';
EOF
    t0=$(now)
    if $TIME -f '%U %S %M' -o "$WORK/import.time" \
         sqlite3 -batch -bail "$DB.tmp" < "$WORK/import.sql" > "$WORK/import.out" 2>&1; then
      t1=$(now)
      mv "$DB.tmp" "$DB"
      IMP_WALL=$(elapsed "$t0" "$t1")
      IMP_CPU=$(awk '{printf "%.2f", $1 + $2}' "$WORK/import.time")
      IMP_RSS=$(awk '{printf "%.0f", $3 / 1024}' "$WORK/import.time")
      printf '%s\n%s %s %s\n' "$sdb" "$IMP_WALL" "$IMP_CPU" "$IMP_RSS" > "$DB.ok"
      imp_note="(import measured now)"
    else
      echo "  SQLite .import FAILED:"; sed 's/^/    /' "$WORK/import.out" | head -5
      rm -f "$DB.tmp"
      IMP_WALL=""
    fi
  fi
  if [ -n "${IMP_WALL:-}" ]; then
    HAVE_SQLITE=1
    echo "  SQLite native table: .import + '-' to NULL took $IMP_WALL s wall, ${IMP_CPU} s cpu," \
         "${IMP_RSS} MiB peak RSS, $(awk -v r="$ROWS" -v t="$IMP_WALL" 'BEGIN{printf "%.2f M rows/s", r / t / 1e6}')" \
         "$imp_note; DB $(mb "$(fsize "$DB")") MB (not in the times below)"
  fi
fi
[ "$HAVE_BREADTH" = 1 ] || echo "  port_breadth() is not in this vpcflow.so: Q4b is n/a"
[ "$HAVE_CIDR" = 1 ] || echo "  ip_in_cidr() is not in this vpcflow.so: its line is n/a"

# ------------------------------------------------------------ measurement
# canon MODE: normalise one result on stdin (see the header comment).
canon() {
  awk -F'|' -v OFS='|' -v mode="$1" '
    { for (i = 1; i <= NF; i++)
        if ($i ~ /^-?[0-9]*\.[0-9]+([eE][-+]?[0-9]+)?$/) $i = sprintf("%.6f", $i)
      n++; row[n] = $0; key[n] = $3 }
    END {
      print "n=" n
      for (i = 1; i <= n; i++) {
        if (mode == "topk") { print "k=" key[i]; if (key[i] != key[n]) print "r=" row[i] }
        else print "r=" row[i]
      }
    }' | sort | md5sum | cut -c1-10
}

declare -A M_WALL M_CPU M_RSS M_HASH M_ROWS M_ERR
# measure ENGINE FILE KIND CANON SQL: sets R_KEY; results in the M_* arrays.
measure() {
  local eng=$1 file=$2 kind=$3 mode=$4 sql=$5 i t0 t1 rc
  R_KEY="$eng|$file|$sql"
  [ -n "${M_WALL[$R_KEY]+x}${M_ERR[$R_KEY]+x}" ] && return 0
  local cmd=() in=/dev/null
  case $eng in
    vpcflow)
      printf '.load %s\nCREATE VIRTUAL TABLE temp.t USING vpcflow(%s);\n%s;\n' \
        "'$SO'" "$(sql_str "$file")" "$sql" > "$WORK/q.sql"
      cmd=(sqlite3 -batch -bail :memory:); in=$WORK/q.sql ;;
    sqlite)
      printf '%s;\n' "$sql" > "$WORK/q.sql"
      cmd=(sqlite3 -batch -bail -readonly "$DB"); in=$WORK/q.sql ;;
    vpcflow-s3)
      printf '.load %s\nCREATE VIRTUAL TABLE temp.t USING vpcflow(%s);\n%s;\n' \
        "'$SO'" "$(sql_str "$file")" "$sql" > "$WORK/q.sql"
      cmd=(env AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
           "AWS_ENDPOINT_URL_S3=http://127.0.0.1:$S3_PORT" sqlite3 -batch -bail :memory:)
      in=$WORK/q.sql ;;
    duckdb)
      cmd=(node "$HERE/duck.mjs" --node "$NODE_DIR" --file "$file" --kind "$kind"
           --threads "$DTHREADS" --timing "$WORK/inner" --sql "$sql") ;;
  esac
  local walls="" cpus="" inners="" rss=0 h="" hashes=""
  for (( i = 1; i <= RUNS; i++ )); do
    rm -f "$WORK/inner"
    t0=$(now)
    $TIME -f '%U %S %M' -o "$WORK/time" "${cmd[@]}" < "$in" > "$WORK/out" 2> "$WORK/err"
    rc=$?
    t1=$(now)
    if [ $rc -ne 0 ]; then
      M_ERR[$R_KEY]="exit $rc: $(grep -v '^Command exited' "$WORK/err" | head -1 | cut -c1-70)"
      return 0
    fi
    walls="$walls $(elapsed "$t0" "$t1")"
    cpus="$cpus $(awk '{printf "%.2f", $1 + $2}' "$WORK/time")"
    rss=$(awk -v r="$rss" '{m = $3 / 1024; printf "%.0f", (m > r ? m : r)}' "$WORK/time")
    [ -f "$WORK/inner" ] && inners="$inners $(cat "$WORK/inner")"
    h=$(canon "$mode" < "$WORK/out")
    case " $hashes " in *" $h "*) ;; *) hashes="$hashes $h" ;; esac
  done
  local med='{ a[NR] = $1 } END { if (NR % 2) printf "%.3f", a[(NR + 1) / 2];
                                  else printf "%.3f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
  M_WALL[$R_KEY]=$(printf '%s\n' $walls | sort -n | awk "$med")
  M_CPU[$R_KEY]=$(printf '%s\n' $cpus | sort -n | awk "$med")
  M_RSS[$R_KEY]=$rss
  M_ROWS[$R_KEY]=$(wc -l < "$WORK/out")
  # More than one distinct answer over the runs: the engine is not stable.
  if [ "$(echo $hashes | wc -w)" -gt 1 ]; then M_HASH[$R_KEY]="UNSTABLE:$(echo $hashes | tr ' ' ,)"
  else M_HASH[$R_KEY]=${hashes# }; fi
  if [ -n "$inners" ]; then
    M_ROWS[$R_KEY]="${M_ROWS[$R_KEY]} rows, in-process $(printf '%s\n' $inners | sort -n | awk "$med") s"
  else
    M_ROWS[$R_KEY]="${M_ROWS[$R_KEY]} rows"
  fi
}

FMT='%-26s %-14s %8s %7s %8s %7s %8s %7s  %-10s %s\n'
BAD=0
header() {
  echo
  echo "== $1"
  printf "$FMT" query engine "wall s" "cpu s" "rows/s" "MB/s" "RSS MiB" ratio answer note
}
# line LABEL ENGINE KEY NROWS NBYTES REFWALL REFHASH [NOTE]
line() {
  local label=$1 eng=$2 key=$3 n=$4 bytes=$5 refw=$6 refh=$7 note=${8:-}
  [ -n "$label" ] && CUR=$label
  if [ -n "${M_ERR[$key]+x}" ]; then
    printf "$FMT" "$label" "$eng" ERROR - - - - - "-" "${M_ERR[$key]}"
    MISMATCHES="${MISMATCHES:-}  $CUR: $eng failed: ${M_ERR[$key]}"$'\n'
    BAD=1; return
  fi
  local w=${M_WALL[$key]} h=${M_HASH[$key]} ans ratio="-"
  if [ -z "$refh" ]; then ans=$h
  elif [ "$h" = "$refh" ]; then ans="same"
  else ans="MISMATCH"; BAD=1
    MISMATCHES="${MISMATCHES:-}  $CUR: $eng answer $h, vpcflow $refh"$'\n'; fi
  case $h in UNSTABLE*) ans="UNSTABLE"; BAD=1
    MISMATCHES="${MISMATCHES:-}  $CUR: $eng gave different answers across runs ($h)"$'\n' ;; esac
  [ -n "$refw" ] && ratio=$(awk -v a="$refw" -v b="$w" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf "$FMT" "$label" "$eng" "$w" "${M_CPU[$key]}" \
    "$(awk -v n="$n" -v w="$w" 'BEGIN{ if (w > 0) printf "%.2f M", n / w / 1e6; else print "-" }')" \
    "$(awk -v b="$bytes" -v w="$w" 'BEGIN{ if (w > 0) printf "%.0f", b / w / 1e6; else print "-" }')" \
    "${M_RSS[$key]}" "$ratio" "$ans" "${M_ROWS[$key]}${note:+; $note}"
}
# bench_query LABEL FILE KIND NROWS NBYTES CANON SQL [PEER_SQL [PEER_NOTE]]
# vpcflow, then every peer present (the native table only for the plain file).
bench_query() {
  local label=$1 file=$2 kind=$3 n=$4 bytes=$5 mode=$6 sql=$7
  local psql=${8:-$7} pnote=${9:-} vkey refw refh
  measure vpcflow "$file" "$kind" "$mode" "$sql"; vkey=$R_KEY
  line "$label" vpcflow "$vkey" "$n" "$bytes" "" ""
  refw=${M_WALL[$vkey]:-}; refh=${M_HASH[$vkey]:-}
  if [ "$HAVE_SQLITE" = 1 ] && [ "$file" = "$V2" ]; then
    measure sqlite "$file" "$kind" "$mode" "$psql"
    line "" sqlite-native "$R_KEY" "$n" "$bytes" "$refw" "$refh" "$pnote"
  fi
  if [ "$HAVE_DUCK" = 1 ]; then
    measure duckdb "$file" "$kind" "$mode" "$psql"
    line "" "duckdb-${DTHREADS}t" "$R_KEY" "$n" "$bytes" "$refw" "$refh" "$pnote"
  fi
}

Q1="SELECT count(*) FROM t"
Q2="SELECT srcaddr, dstaddr, SUM(bytes) total FROM t GROUP BY 1,2 ORDER BY 3 DESC LIMIT 20"
Q3="SELECT srcaddr, dstport, COUNT(*) c FROM t WHERE action='REJECT' GROUP BY 1,2 ORDER BY 3 DESC LIMIT 50"
Q4="SELECT srcaddr, COUNT(DISTINCT dstport) breadth, AVG(CAST(action='REJECT' AS INTEGER)) reject_ratio FROM t GROUP BY 1 HAVING breadth > 100 ORDER BY 2 DESC"
Q4B="SELECT srcaddr, port_breadth(dstport) breadth, AVG(CAST(action='REJECT' AS INTEGER)) reject_ratio FROM t GROUP BY 1 HAVING breadth > 100 ORDER BY 2 DESC"
Q5="SELECT * FROM t WHERE dstport = 3389 AND action='ACCEPT'"
SUM="SELECT sum(bytes) FROM t"

echo
echo "ratio = vpcflow wall / peer wall (below 1: vpcflow faster); rows/s and MB/s per wall second"
echo "over the uncompressed data; answer = hash of vpcflow's result, 'same' when a peer agrees."

header "Q1-Q5 on $(basename "$V2") ($(mb "$V2_BYTES") MB, $ROWS rows)"
bench_query "Q1 count(*)"          "$V2" v2 "$ROWS" "$V2_BYTES" rows "$Q1"
bench_query "Q2 top talkers"       "$V2" v2 "$ROWS" "$V2_BYTES" topk "$Q2"
bench_query "Q3 rejects"           "$V2" v2 "$ROWS" "$V2_BYTES" topk "$Q3"
bench_query "Q4 scan count(DISTINCT)" "$V2" v2 "$ROWS" "$V2_BYTES" rows "$Q4"
if [ "$HAVE_BREADTH" = 1 ]; then
  measure vpcflow "$V2" v2 rows "$Q4B"; k4b=$R_KEY
  measure vpcflow "$V2" v2 rows "$Q4"
  # port_breadth must give exactly Q4's answer; the peers run plain Q4.
  line "Q4b scan port_breadth" vpcflow "$k4b" "$ROWS" "$V2_BYTES" "" "${M_HASH[$R_KEY]:-}" \
       "answer vs vpcflow Q4"
  for e in sqlite duckdb; do
    [ "$e" = sqlite ] && [ "$HAVE_SQLITE" != 1 ] && continue
    [ "$e" = duckdb ] && [ "$HAVE_DUCK" != 1 ] && continue
    measure "$e" "$V2" v2 rows "$Q4"
    lbl=$e; [ "$e" = sqlite ] && lbl=sqlite-native; [ "$e" = duckdb ] && lbl="duckdb-${DTHREADS}t"
    line "" "$lbl" "$R_KEY" "$ROWS" "$V2_BYTES" "${M_WALL[$k4b]:-}" "${M_HASH[$k4b]:-}" "peer runs Q4"
  done
else
  printf "$FMT" "Q4b scan port_breadth" vpcflow n/a n/a n/a n/a n/a n/a n/a "port_breadth() not available"
fi
bench_query "Q5 selective 3389"    "$V2" v2 "$ROWS" "$V2_BYTES" rows "$Q5"

header "Q1-Q5 on $(basename "$GZ") ($(mb "$(fsize "$GZ")") MB gzip; MB/s of the uncompressed data)"
bench_query "Q1 count(*)"          "$GZ" v2 "$ROWS" "$V2_BYTES" rows "$Q1"
bench_query "Q2 top talkers"       "$GZ" v2 "$ROWS" "$V2_BYTES" topk "$Q2"
bench_query "Q3 rejects"           "$GZ" v2 "$ROWS" "$V2_BYTES" topk "$Q3"
bench_query "Q4 scan count(DISTINCT)" "$GZ" v2 "$ROWS" "$V2_BYTES" rows "$Q4"
if [ "$HAVE_BREADTH" = 1 ]; then
  bench_query "Q4b scan port_breadth" "$GZ" v2 "$ROWS" "$V2_BYTES" rows "$Q4B" "$Q4" "peer runs Q4"
fi
bench_query "Q5 selective 3389"    "$GZ" v2 "$ROWS" "$V2_BYTES" rows "$Q5"

header "throughput: plain, gzip, v5"
bench_query "count(*) .log"        "$V2" v2 "$ROWS" "$V2_BYTES" rows "$Q1"
bench_query "sum(bytes) .log"      "$V2" v2 "$ROWS" "$V2_BYTES" rows "$SUM"
bench_query "count(*) .log.gz"     "$GZ" v2 "$ROWS" "$V2_BYTES" rows "$Q1"
bench_query "sum(bytes) .log.gz"   "$GZ" v2 "$ROWS" "$V2_BYTES" rows "$SUM"
bench_query "count(*) v5"          "$V5" v5 "$ROWS5" "$V5_BYTES" rows "$Q1"
bench_query "sum(bytes) v5"        "$V5" v5 "$ROWS5" "$V5_BYTES" rows "$SUM"
if [ "$HAVE_CIDR" = 1 ]; then
  bench_query "ip_in_cidr 10/8 count" "$V2" v2 "$ROWS" "$V2_BYTES" rows \
    "SELECT count(*) FROM t WHERE ip_in_cidr(srcaddr,'10.0.0.0/8')" \
    "SELECT count(*) FROM t WHERE srcaddr LIKE '10.%'" "peer: LIKE '10.%'"
else
  printf "$FMT" "ip_in_cidr 10/8 count" vpcflow n/a n/a n/a n/a n/a n/a n/a "ip_in_cidr() not available"
fi

# ip_in_cidr with and without push-down: "+srcaddr" hides the column from
# xBestIndex, so SQLite calls the function on every row itself.
if [ "$HAVE_CIDR" = 1 ]; then
  measure vpcflow "$V2" v2 rows "SELECT count(*) FROM t WHERE ip_in_cidr(srcaddr,'10.0.0.0/8')"
  kpush=$R_KEY
  measure vpcflow "$V2" v2 rows "SELECT count(*) FROM t WHERE ip_in_cidr(+srcaddr,'10.0.0.0/8')"
  line "ip_in_cidr not pushed" vpcflow "$R_KEY" "$ROWS" "$V2_BYTES" "${M_WALL[$kpush]:-}" \
       "${M_HASH[$kpush]:-}" "ratio: pushed / not pushed"
fi

# Parquet: the same rows written by DuckDB (GZIP pages, row groups of
# 122,880 rows), against the same queries on the text .gz. Needs DuckDB.
PQ=$DIR/flows_${ROWS}.log.parquet
if [ "$HAVE_DUCK" = 1 ]; then
  if [ ! -s "$PQ" ] || [ "$PQ" -ot "$V2" ]; then
    echo "  writing $(basename "$PQ") with DuckDB ..."
    node "$HERE/duck.mjs" --node "$NODE_DIR" --file "$V2" --kind v2 --threads "$DTHREADS" \
      --sql "COPY t TO '$PQ' (FORMAT parquet, COMPRESSION gzip)" >/dev/null || rm -f "$PQ"
  fi
fi
if [ -s "$PQ" ]; then
  T0=$(head -2 "$V2" | tail -1 | awk '{print $11}')
  RANGE="SELECT count(*), sum(bytes) FROM t WHERE start BETWEEN $T0 AND $((T0+600))"
  header "Parquet ($(mb "$(stat -c %s "$PQ")") MB) against the text .gz: ratio = parquet / .gz"
  for q in "count(*)|$Q1" "sum(bytes)|$SUM" "start 10-min range|$RANGE"; do
    lbl=${q%%|*}; sql=${q#*|}
    measure vpcflow "$GZ" v2 rows "$sql"; kgz=$R_KEY
    measure vpcflow "$PQ" v2 rows "$sql"
    line "$lbl .parquet" vpcflow "$R_KEY" "$ROWS" "$V2_BYTES" "" "${M_HASH[$kgz]:-}" "answer vs .gz"
    line "" "vpcflow .gz" "$kgz" "$ROWS" "$V2_BYTES" "${M_WALL[$R_KEY]:-}" ""
  done
else
  echo "  (Parquet lines need DuckDB to write the file: make bench-deps)"
fi

# S3: the .gz and the .parquet above as objects of a local S3 server
# (s3rver behind tests/s3/server.js, on 127.0.0.1), the same queries, with
# the bytes the server sent per run (its own count: server.js writes
# "URL RANGE STATUS BYTES" per answer to requests.log.bytes).
S3MOD=${BENCH_S3RVER:-$PWD/build/s3rver/node_modules/s3rver}
NODE=(node); command -v node >/dev/null &&
  [ "$(node --version | sed 's/^v//; s/\..*//')" -ge 17 ] && NODE=(node --openssl-legacy-provider)
s3_skip=""
if [ "${BENCH_S3:-1}" = 0 ]; then s3_skip="BENCH_S3=0"
elif ! command -v node >/dev/null; then s3_skip="node is not installed"
elif [ ! -f "$S3MOD/package.json" ]; then s3_skip="s3rver is not in $S3MOD (make s3-check installs it)"
elif sqlite3 -batch :memory: -cmd ".load '$SO'" "SELECT count(*) FROM vpcflow('s3://x/')" 2>&1 | grep -q 'need libcurl'; then
  s3_skip="this vpcflow.so was built without libcurl"
fi
S3_PID=""
if [ -z "$s3_skip" ]; then
  mkdir -p "$WORK/s3seed/bench" "$WORK/s3store"
  ln -s "$GZ" "$WORK/s3seed/bench/$(basename "$GZ")"
  [ -s "$PQ" ] && ln -s "$PQ" "$WORK/s3seed/bench/$(basename "$PQ")"
  echo; echo "  starting the local S3 server and uploading $(du -shL "$WORK/s3seed" | cut -f1) ..."
  "${NODE[@]}" "$HERE/../s3/server.js" "$S3MOD" "$WORK/s3store" "$WORK/s3seed" \
    "$WORK/s3req.log" "$WORK/s3port" > "$WORK/s3server.out" 2>&1 &
  S3_PID=$!
  for (( i = 0; i < 6000; i++ )); do
    [ -f "$WORK/s3port" ] && break
    kill -0 "$S3_PID" 2>/dev/null || break; sleep 0.1
  done
  if [ -f "$WORK/s3port" ]; then S3_PORT=$(cat "$WORK/s3port")
  else s3_skip="the local S3 server did not start: $(head -c 200 "$WORK/s3server.out")"; fi
fi
# s3_line LABEL FILE URL KIND CANON SQL: vpcflow from the server, beside
# the disk
s3_line() {
  local label=$1 file=$2 url=$3 kind=$4 mode=$5 sql=$6 kdisk fetched size
  measure vpcflow "$file" "$kind" "$mode" "$sql"; kdisk=$R_KEY
  : > "$WORK/s3req.log.bytes"
  measure vpcflow-s3 "$url" "$kind" "$mode" "$sql"
  size=$(fsize "$file")
  fetched=$(awk -v r="$RUNS" '{ b += $4 } END { printf "%.0f", b / r }' "$WORK/s3req.log.bytes")
  line "$label" "vpcflow s3://" "$R_KEY" "$ROWS" "$V2_BYTES" "${M_WALL[$kdisk]:-}" \
    "${M_HASH[$kdisk]:-}" "fetched $(awk -v b="$fetched" 'BEGIN{ if (b < 1e6) printf "%.1f kB", b / 1e3; else printf "%.1f MB", b / 1e6 }') of $(mb "$size") MB ($(awk -v a="$fetched" -v b="$size" 'BEGIN{printf "%.1f", 100 * a / b}')%)"
  line "" "vpcflow disk" "$kdisk" "$ROWS" "$V2_BYTES" "" ""
}
if [ -n "$s3_skip" ]; then
  echo; echo "== S3: skipped ($s3_skip)"
else
  header "S3 (local s3rver, 127.0.0.1) beside the local disk: ratio = disk / s3; answer vs disk"
  U=s3://logs/bench
  s3_line "Q1 count(*) .gz"        "$GZ" "$U/$(basename "$GZ")" v2 rows "$Q1"
  s3_line "Q2 top talkers .gz"     "$GZ" "$U/$(basename "$GZ")" v2 topk "$Q2"
  s3_line "Q3 rejects .gz"         "$GZ" "$U/$(basename "$GZ")" v2 topk "$Q3"
  s3_line "Q5 selective 3389 .gz"  "$GZ" "$U/$(basename "$GZ")" v2 rows "$Q5"
  if [ -s "$PQ" ]; then
    s3_line "count(*) .parquet"    "$PQ" "$U/$(basename "$PQ")" v2 rows "$Q1"
    s3_line "sum(bytes) .parquet"  "$PQ" "$U/$(basename "$PQ")" v2 rows "$SUM"
    s3_line "start 10-min .parquet" "$PQ" "$U/$(basename "$PQ")" v2 rows "$RANGE"
  else
    echo "  (no .parquet: its S3 lines need DuckDB to write it, make bench-deps)"
  fi
  kill "$S3_PID" 2>/dev/null; wait "$S3_PID" 2>/dev/null
fi

echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine makes timings noisy)"
echo "this output: $LOG"
if [ "$BAD" != 0 ]; then
  echo
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "!!! MISMATCH / ERROR: the engines do not agree (or a query failed)"
  printf '%s' "${MISMATCHES:-}"
  echo "!!! see the rows marked MISMATCH, UNSTABLE or ERROR above"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  exit 1
fi
echo "all answers agree"
