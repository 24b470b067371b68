#!/bin/bash
# hunt.sh - the runner behind `make bench-hunt` (see tests/bench/bench.mk and
# tests/bench/README.md).
#
# For each dataset (KIND:RECORDS) it makes or reuses the data
# (hunt-data.sh), runs the hunt with HUNT_CMD below, the README's "Hunt"
# command, once with the working tree's sql/ and vpcflow.so ("current") and,
# where BENCH_HUNT_BASE_SETS lists the dataset, once with the hunt of git
# revision BENCH_HUNT_BASE ("base", built in a scratch directory), and
# prints records, records/s, wall time, peak RSS and the time of every phase.
# Then the issue #12 targets and whether each is met.
#
# Environment (defaults in bench.mk):
#   BENCH_HUNT_SIZES  BENCH_HUNT_KINDS   the grid of datasets (sizes x kinds)
#   BENCH_HUNT_SETS       explicit "kind:records ..." list instead of the grid
#   BENCH_HUNT_BASE       git revision of the baseline hunt ("none": no baseline)
#   BENCH_HUNT_BASE_SETS  datasets the baseline runs on ("kind:records ...";
#                         default: the smallest realistic one of the run)
#   BENCH_HUNT_DIR        data directory (datasets are reused across runs)
#   BENCH_HUNT_TIMEOUT    seconds after which one hunt is stopped (TIMEOUT)
#   BENCH_HUNT_RUNS       hunts per dataset and tree (default 1): with more,
#                         the rounds alternate the trees (current, base,
#                         current, ...), every run is printed, and the
#                         median wall (the run that has it gives the phase
#                         times) and the largest peak RSS are what the
#                         phase table and the targets use
#   BENCH_HUNT_VIEWS      1 (default): after the hunt, materialise each det_*
#                         view once more, timed (a detection whose file only
#                         defines a view spends its time in the final
#                         findings table); 0: do not
#   BENCH_HUNT_VIEWS_MAX  ... but not when the hunt took longer (default 300 s)
#   BENCH_HUNT_CMD        the hunt command: @DIR@ = dataset directory,
#                         @CONTEXT@ = its context.sql; run from the root of
#                         the hunt under test; must end in "< sql/hunt.sql"
#                         for phase times (otherwise only totals)
#   HUNTGEN BENCH_GEN BENCH_SO   binaries (set by bench.mk)
#
# Timing is informative: no number fails this script. It exits 1 when a hunt
# fails (non-zero exit, an error on stderr, no "records" line, a record
# count that differs from the generator's, or, on realistic data, an
# injected attack that no finding matches) and 2 on a usage or setup error.
# The whole script is one { ... } block, so bash parses it before running
# it: editing this file during a long run cannot derail that run.
{
set -u
export LC_ALL=C

HUNT_CMD_DEFAULT="sqlite3 -box :memory: -cmd '.load ./vpcflow' -cmd \"CREATE VIRTUAL TABLE temp.flows USING vpcflow('@DIR@')\" -cmd '.read @CONTEXT@' < sql/hunt.sql"
HUNT_CMD=${BENCH_HUNT_CMD:-$HUNT_CMD_DEFAULT}

SIZES=${BENCH_HUNT_SIZES:-1000000 2000000 4000000 10000000}
KINDS=${BENCH_HUNT_KINDS:-realistic random}
SETS=${BENCH_HUNT_SETS:-}
BASE=${BENCH_HUNT_BASE:-none}
BASE_SETS=${BENCH_HUNT_BASE_SETS:-}
DIR=${BENCH_HUNT_DIR:-/work/benchdata}
TIMEOUT=${BENCH_HUNT_TIMEOUT:-1800}
RUNS=${BENCH_HUNT_RUNS:-1}
VIEWS=${BENCH_HUNT_VIEWS:-1}
VIEWS_MAX=${BENCH_HUNT_VIEWS_MAX:-300}
case $VIEWS_MAX in ''|*[!0-9]*) die "BENCH_HUNT_VIEWS_MAX must be a number of seconds";; esac
SO=${BENCH_SO:?BENCH_SO is not set: run this through make bench-hunt}
export HUNTGEN=${HUNTGEN:?HUNTGEN is not set: run this through make bench-hunt}
export BENCH_GEN=${BENCH_GEN:?BENCH_GEN is not set: run this through make bench-hunt}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TIME=/usr/bin/time

die() { echo "bench-hunt: $*" >&2; exit 2; }
[ -x "$TIME" ] || die "GNU time is missing: apt-get install time"
command -v sqlite3 >/dev/null || die "sqlite3 is missing: make deps"
command -v python3 >/dev/null || die "python3 is missing"
command -v timeout >/dev/null || die "timeout (coreutils) is missing"
[ -f "$SO" ] || die "$SO is missing"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash >= 5 (EPOCHREALTIME)"
case $TIMEOUT in ''|*[!0-9]*) die "BENCH_HUNT_TIMEOUT must be a number of seconds";; esac
case $RUNS in ''|*[!0-9]*|0) die "BENCH_HUNT_RUNS must be a whole number >= 1";; esac
case $DIR in *[\ \'\"\\\$\`]*) die "BENCH_HUNT_DIR must not contain spaces, quotes, \\, \$ or \`";; esac
mkdir -p "$DIR" || die "cannot create $DIR"
DIR=$(cd "$DIR" && pwd)
export BENCH_HUNT_DIR=$DIR

# The dataset list: explicit SETS, else the grid; then the baseline's sets.
if [ -z "$SETS" ]; then
  for k in $KINDS; do for n in $SIZES; do SETS="$SETS $k:$n"; done; done
fi
# Default baseline set: the smallest realistic dataset of the run (else the
# smallest of any kind), so a quick run stays quick.
if [ "$BASE" != none ] && [ -z "$BASE_SETS" ]; then
  BASE_SETS=$(for s in $SETS; do echo "${s#*:} $s"; done | sort -n | awk '
    /realistic/ && !r {r = $2} NR == 1 {a = $2} END {print (r != "" ? r : a)}')
fi
[ "$BASE" = none ] && BASE_SETS=""
ALL=""
for s in $SETS $BASE_SETS; do
  case $s in
    realistic:[1-9]*|random:[1-9]*) ;;
    *) die "bad dataset '$s' (want realistic:RECORDS or random:RECORDS)" ;;
  esac
  case " $ALL " in *" $s "*) ;; *) ALL="$ALL $s" ;; esac
done
[ -n "$ALL" ] || die "no datasets"

WORK=$DIR/.hunt-run.$$
mkdir -p "$WORK" || die "cannot create $WORK"
# Everything printed also goes to last-hunt.txt (written under a private
# name and renamed at the end, so two runs at once do not mix).
LOG=$DIR/last-hunt.txt
exec > >(tee "$LOG.$$") 2>&1
TEE_PID=$!
# On a failure the work files (instrumented script, output, stderr, marks:
# error line numbers refer to the instrumented script) are kept.
finish() {
  if [ "${FAILED:-0}" != 0 ]; then
    rm -rf "$DIR/last-hunt-failed"; mv "$WORK" "$DIR/last-hunt-failed" 2>/dev/null
    echo "bench-hunt: the failed runs' files are in $DIR/last-hunt-failed/"
  fi
  rm -rf "$WORK"; exec 1>&- 2>&-; wait "$TEE_PID" 2>/dev/null
  mv -f "$LOG.$$" "$LOG" 2>/dev/null
}
trap finish EXIT

FAILED=0
now() { echo "$EPOCHREALTIME"; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b - a}'; }
human() {  # 993793 -> 994k, 9991437 -> 9.99M
  awk -v n="$1" 'BEGIN{ if (n >= 1e6) printf "%.2fM", n / 1e6; else printf "%.0fk", n / 1e3 }'
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem_gib=$(awk '/^MemTotal:/{printf "%.1f", $2 / 1048576}' /proc/meminfo)
echo "vpcflow bench-hunt: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($cpu_model), ${mem_gib} GiB RAM"
echo "  sqlite3 $(sqlite3 -version | cut -d' ' -f1), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  data in $DIR; datasets:$ALL"
echo "  hunt command (run from the root of the hunt under test):"
echo "    $HUNT_CMD"

# ------------------------------------------------------------ the hunts
# A private snapshot of the working tree's hunt: others may rebuild
# vpcflow.so or edit sql/ while this runs.
CUR=$WORK/current
mkdir -p "$CUR"
cp "$SO" "$CUR/vpcflow.so" && cp -R "$ROOT/sql" "$CUR/sql" || die "cannot copy the hunt"
cur_src=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)
if [ -n "$cur_src" ] && [ -n "$(cd "$ROOT" && git status --porcelain -- ext sql 2>/dev/null)" ]; then
  cur_src="$cur_src + local changes in ext/ or sql/"
fi
echo "  current: $ROOT (${cur_src:-not a git checkout}), vpcflow.so built $(date -u -r "$SO" '+%Y-%m-%d %H:%M UTC')"

BASEDIR=""
if [ "$BASE" != none ]; then
  rev=$(cd "$ROOT" && git rev-parse --verify --quiet "$BASE^{commit}") || die "BENCH_HUNT_BASE: no such revision '$BASE'"
  BASEDIR=$DIR/base-${rev:0:12}
  if [ ! -f "$BASEDIR/.built" ] || [ "$(cat "$BASEDIR/.built")" != "$rev" ] || [ ! -f "$BASEDIR/vpcflow.so" ]; then
    echo "  building the baseline hunt $BASE (${rev:0:12}) in $BASEDIR"
    rm -rf "$BASEDIR" && mkdir -p "$BASEDIR" || die "cannot create $BASEDIR"
    (cd "$ROOT" && git archive "$rev" ext sql Makefile tests) | tar -x -C "$BASEDIR" \
      || die "git archive $rev failed"
    nice -n 10 make -C "$BASEDIR" -s vpcflow.so >"$BASEDIR/build.log" 2>&1 \
      || { tail -20 "$BASEDIR/build.log"; die "building the baseline failed"; }
    echo "$rev" > "$BASEDIR/.built"
  fi
  echo "  base:    $BASE = ${rev:0:12} ($(cd "$ROOT" && git log -1 --format='%cd' --date=format:'%Y-%m-%d %H:%M' "$rev")), on:$BASE_SETS"
fi

# The command without its "< FILE" stdin, and FILE (phases need it).
CMD_BODY=$HUNT_CMD
CMD_STDIN=""
if [[ $HUNT_CMD =~ ^(.*[^[:space:]])[[:space:]]*\<[[:space:]]*([^[:space:]\<\>]+)[[:space:]]*$ ]]; then
  CMD_BODY=${BASH_REMATCH[1]}
  CMD_STDIN=${BASH_REMATCH[2]}
else
  echo "  note: the hunt command does not end in '< FILE': totals only, no phase times"
fi

# The check appended after the hunt on realistic data: every injected attack
# of truth.tsv (cell 0 is the bundled scenario) must be matched by a finding
# of its detection (the rule of tests/shell/detect_match.inc; rows of kind
# attack only: a covered_elsewhere row names an attack that its detection
# cannot see by definition, and lookalike rows are benign); prints
# detection, best rank of an attack within the detection (0 = none), best
# rank in the whole hunt, and the number of findings.
check_sql() {  # check_sql TRUTH OUT
  cat <<EOF
.output $2
.mode tabs
.import --schema temp $1 bench_truth
.mode list
.separator "\t"
WITH ranked AS (
  SELECT f.*, row_number() OVER (PARTITION BY detection ORDER BY score DESC, src, dst) AS k,
         row_number() OVER (ORDER BY score DESC, detection, src, dst) AS g
    FROM findings AS f),
matched AS (
  SELECT t.detection, r.k, r.g
    FROM bench_truth AS t JOIN ranked AS r ON r.detection = t.detection
   WHERE t.kind = 'attack'
     AND (t.src = '' OR t.src = r.src OR (instr(t.src, '/') > 0 AND r.src NOT LIKE 'eni-%'
          AND ip_in_cidr(r.src, t.src)))
     AND (t.dst = '' OR t.dst = r.dst OR (instr(t.dst, '/') > 0 AND ip_in_cidr(r.dst, t.dst)))
     AND (t.port = '' OR t.port = CAST(r.port AS TEXT)))
SELECT d.detection, coalesce((SELECT min(k) FROM matched AS m WHERE m.detection = d.detection), 0),
       coalesce((SELECT min(g) FROM matched AS m WHERE m.detection = d.detection), 0),
       (SELECT count(*) FROM findings AS f WHERE f.detection = d.detection)
  FROM (SELECT DISTINCT detection FROM bench_truth WHERE kind = 'attack') AS d ORDER BY 1;
.output stdout
EOF
}

# run_hunt LABEL HUNT_ROOT KIND N DATADIR RUN: one timed hunt; sets R_*
# globals.
run_hunt() {
  local label=$1 hroot=$2 kind=$3 n=$4 data=$5 run=$6
  local tag=$WORK/$label-$kind-$n-$run
  local cmd=${CMD_BODY//@DIR@/$data}
  cmd=${cmd//@CONTEXT@/$data/context.sql}
  R_STATUS=ok; R_WALL=""; R_RSS=""; R_RECORDS=""; R_PHASES=""; R_CHECK=""
  local input=/dev/null
  if [ -n "$CMD_STDIN" ]; then
    input=$tag.sql
    (cd "$hroot" && python3 "$HERE/hunt_phases.py" instrument "$CMD_STDIN" "$tag.marks") > "$input" \
      || { R_STATUS="FAILED (cannot read $CMD_STDIN)"; FAILED=1; return; }
    [ "$kind" = realistic ] && [ -f "$data/truth.tsv" ] && check_sql "$data/truth.tsv" "$tag.check" >> "$input"
    if [ "$VIEWS" != 0 ]; then
      { echo ".output $tag.views"
        echo ".mode list"
        echo "SELECT name FROM sqlite_temp_master WHERE type = 'view' AND name LIKE 'det\_%' ESCAPE '\' ORDER BY name;"
        echo ".output stdout"
        echo ".read \"|python3 $HERE/hunt_phases.py views $tag.views $tag.marks $VIEWS_MAX\""
      } >> "$input"
    fi
  fi
  sync
  # the data in the page cache for every hunt alike (bench.sh does the same)
  find "$data" -type f -name '*.log*' -exec cat {} + > /dev/null
  local t0 t1 rc
  t0=$(now)
  (cd "$hroot" && exec "$TIME" -f '%M %e %U %S' -o "$tag.time" \
     timeout -k 10 "$TIMEOUT" bash -c "$cmd" < "$input" > "$tag.out" 2> "$tag.err")
  rc=$?
  t1=$(now)
  R_WALL=$(sub "$t0" "$t1")
  R_RSS=$(awk '$1 ~ /^[0-9]+$/ && NF == 4 {v = $1} END {if (v != "") printf "%.0f", v / 1024}' "$tag.time" 2>/dev/null)
  R_RECORDS=$(sed -n 's/^│ records[[:space:]]*│ \([0-9][0-9]*\):.*/\1/p' "$tag.out" | head -1)
  if [ -n "$CMD_STDIN" ]; then
    R_PHASES=$(python3 "$HERE/hunt_phases.py" report "$tag.marks" "$t0")
    # The hunt's own figures: launch to the END marker, peak RSS at END
    # (the views timed again and the attack check come after it).
    local w r
    w=$(printf '%s\n' "$R_PHASES" | awk -F'\t' '$1 == 0 && $3 == "hunt" {print $2}')
    r=$(printf '%s\n' "$R_PHASES" | awk -F'\t' '$1 == "R" {printf "%.0f", $2 / 1024}')
    [ -n "$w" ] && R_WALL=$w
    [ -n "$r" ] && R_RSS=$r
    R_PHASES=$(printf '%s\n' "$R_PHASES" | grep -v '^R	')
  fi
  local cut=""
  if grep -q 'Command terminated by signal\|Command exited with non-zero status 124' "$tag.time" 2>/dev/null \
     || [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    # Stopped. When the END marker is there the hunt itself completed and
    # only the steps after it (attack check, views timed again) were cut.
    if [ -n "$CMD_STDIN" ] && grep -q '^END ' "$tag.marks" 2>/dev/null; then
      cut=" (stopped after the hunt by the ${TIMEOUT} s timeout)"
      rc=0
      grep -v 'Terminated\|Killed' "$tag.err" > "$tag.err2"; mv "$tag.err2" "$tag.err"
    else
      R_STATUS="TIMEOUT after ${TIMEOUT} s"
      return
    fi
  fi
  if [ "$rc" != 0 ] || [ -s "$tag.err" ]; then
    R_STATUS="FAILED (exit $rc)"; FAILED=1
    sed 's/^/      stderr: /' "$tag.err" | head -5
    return
  fi
  if [ -z "$R_RECORDS" ]; then
    R_STATUS="FAILED (no 'records' line in the output)"; FAILED=1
    return
  fi
  local want
  want=$(sed -n '2s/^records \([0-9]*\).*/\1/p' "$data/.stamp")
  if [ -n "$want" ] && [ "$want" != "$R_RECORDS" ]; then
    R_STATUS="FAILED (hunt counted $R_RECORDS records, the generator wrote $want)"; FAILED=1
    return
  fi
  if [ -f "$tag.check" ]; then
    R_CHECK=$(cat "$tag.check")
    if awk -F'\t' '$2 == 0 {bad = 1} END {exit !bad}' "$tag.check"; then
      R_STATUS="FAILED (an injected attack is not found: $(awk -F'\t' '$2 == 0 {printf "%s ", $1}' "$tag.check"))"
      FAILED=1
    fi
  elif [ "$kind" = realistic ] && [ -n "$CMD_STDIN" ] && [ -z "$cut" ]; then
    R_STATUS="FAILED (the attack check did not run)"; FAILED=1
  fi
  R_STATUS="$R_STATUS$cut"
}

# ------------------------------------------------------------ the data
# The generator is deterministic, and its smallest realistic day of this run
# has AWS's record semantics (tests/bench/huntgen_check.sql).
smallest=$(for s in $ALL; do case $s in realistic:*) echo "${s#*:}";; esac; done | sort -n | head -1)
if [ -n "$smallest" ]; then
  echo
  "$HUNTGEN" -j 1 50000 "$WORK/det-a" >/dev/null && "$HUNTGEN" -j 1 50000 "$WORK/det-b" >/dev/null \
    || die "huntgen failed"
  if diff -r "$WORK/det-a" "$WORK/det-b" >/dev/null; then
    echo "data: huntgen is deterministic (two runs of 50000 records are byte-identical)"
  else
    echo "data: BAD huntgen wrote different bytes in two runs"; FAILED=1
  fi
  rm -rf "$WORK/det-a" "$WORK/det-b"
  data=$(bash "$HERE/hunt-data.sh" realistic "$smallest") || die "data generation failed"
  echo "data: realistic-$smallest checked against AWS's record semantics (tests/bench/huntgen_check.sql):"
  (cd "$CUR" && sqlite3 -batch :memory: -cmd '.load ./vpcflow' \
     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('$data')" \
     < "$HERE/huntgen_check.sql") > "$WORK/datacheck" 2>&1
  rc=$?
  sed 's/^/  /' "$WORK/datacheck"
  if [ "$rc" != 0 ] || grep -q 'BAD' "$WORK/datacheck"; then
    echo "data: BAD (see above)"; FAILED=1
  fi
fi

# Results by "label kind n": wall, rss, records, status.
declare -A WALL RSS RECS STAT
PHASEFILE=$WORK/phases

printf '\n%-22s %-10s %11s %8s %10s %8s  %s\n' dataset hunt records "wall s" "records/s" "RSS MB" status
for s in $ALL; do
  kind=${s%%:*}; n=${s#*:}
  data=$(bash "$HERE/hunt-data.sh" "$kind" "$n") || { FAILED=1; echo "  $s: data generation failed"; continue; }
  labels="current"
  case " $BASE_SETS " in *" $s "*) labels="current base" ;; esac
  declare -A RUNWALLS=() RUNPHASES=()
  for run in $(seq 1 "$RUNS"); do
    for label in $labels; do
      hroot=$CUR; [ "$label" = base ] && hroot=$BASEDIR
      run_hunt "$label" "$hroot" "$kind" "$n" "$data" "$run"
      key="$label $kind $n"
      shown=$label; [ "$RUNS" -gt 1 ] && shown="$label #$run"
      rps="-"
      [ -n "$R_RECORDS" ] && [ "${R_STATUS%% *}" = ok ] && rps=$(awk -v n="$R_RECORDS" -v t="$R_WALL" 'BEGIN{printf "%.0f", n / t}')
      printf '%-22s %-10s %11s %8s %10s %8s  %s\n' "$kind $(human "$n")" "$shown" "${R_RECORDS:--}" \
        "$R_WALL" "$rps" "${R_RSS:--}" "$R_STATUS"
      if [ -n "$R_CHECK" ] && [ "$run" = 1 ]; then
        printf '%s\n' "$R_CHECK" | awk -F'\t' -v L="$label" '
          { s = s sprintf(" %s %s/%s", $1, ($2 == 0 ? "MISSED" : "#" $2), ($3 == 0 ? "-" : "#" $3)) }
          END { print "      attacks (rank in detection/in hunt):" s }' | fold -s -w 110 | sed '2,$s/^/        /'
      fi
      # a failed or stopped run makes the dataset's result that status
      if [ "$run" = 1 ] || [ "${R_STATUS%% *}" != ok ]; then
        STAT[$key]=$R_STATUS; RECS[$key]=$R_RECORDS
      fi
      if [ "$run" = 1 ] || [ "${RSS[$key]:-0}" -lt "${R_RSS:-0}" ]; then RSS[$key]=$R_RSS; fi
      if [ "${R_STATUS%% *}" = ok ]; then
        RUNWALLS[$key]="${RUNWALLS[$key]:-} $R_WALL:$run"
        [ -n "$R_PHASES" ] && RUNPHASES["$key $run"]=$R_PHASES
      fi
    done
  done
  for label in $labels; do
    key="$label $kind $n"
    # the median run (the lower middle one of an even count)
    med=$(printf '%s\n' ${RUNWALLS[$key]:-} | sort -t: -k1,1g | awk -F: '{w[NR] = $1; r[NR] = $2}
      END { if (NR) { m = int((NR + 1) / 2); print w[m], r[m] } }')
    WALL[$key]=${med% *}
    if [ "$RUNS" -gt 1 ] && [ -n "$med" ]; then
      printf '%-22s %-10s %11s %8s %10s %8s  %s\n' "$kind $(human "$n")" "$label" "median" \
        "${med% *}" "" "${RSS[$key]:--}" "of $(printf '%s\n' ${RUNWALLS[$key]} | wc -l) runs: $(printf '%s\n' ${RUNWALLS[$key]} | cut -d: -f1 | tr '\n' ' ')(peak RSS: the largest)"
    fi
    if [ -n "$med" ] && [ -n "${RUNPHASES["$key ${med#* }"]:-}" ]; then
      printf '%s\n' "${RUNPHASES["$key ${med#* }"]}" | sed "s|^|$label\t$kind $(human "$n")\t|" >> "$PHASEFILE"
    fi
  done
  unset RUNWALLS RUNPHASES
done

# ------------------------------------------------------------- phases
if [ -s "$PHASEFILE" ]; then
  echo
  echo "Phase times in seconds: each file hunt.sql reads (with the files it reads), then files read from"
  echo "those files, summed over all reads (shown when >= 0.05 s), then the hunt's totals:"
  python3 - "$PHASEFILE" <<'EOF'
import sys
cols, rows, order = [], {}, []
for line in open(sys.argv[1]):
    label, ds, depth, sec, name = line.rstrip("\n").split("\t", 4)
    col = (ds, label)
    if col not in cols:
        cols.append(col)
    key = (int(depth), name)
    if key not in rows:
        rows[key] = {}
        order.append(key)
    rows[key][col] = sec
# files (in reading order), then the totals, then the views timed again
order = ([k for k in order if k[0] == 1] + [k for k in order if 1 < k[0] < 9]
         + [k for k in order if k[0] == 0] + [k for k in order if k[0] == 9])
def label(d, n):
    if d == 9:
        return "  " + n
    if d == 0:
        return n
    if d > 1:
        return "nested: " + n
    return n.replace("sql/detections/", "")
w = max(20, max(len(label(d, n)) for d, n in order))
cw = max(12, max(len(c[0]) for c in cols) + 2)
print("%-*s" % (w, "phase") + "".join("%*s" % (cw, c[0]) for c in cols))
print("%-*s" % (w, "") + "".join("%*s" % (cw, c[1]) for c in cols))
first_view = True
for d, n in order:
    if d == 9 and first_view:
        print("each det_* view materialised once more after the hunt (not part of 'hunt'):")
        first_view = False
    print("%-*s" % (w, label(d, n)) + "".join("%*s" % (cw, rows[(d, n)].get(c, "")) for c in cols))
EOF
fi

# ------------------------------------------------------------- targets
echo
echo "Issue #12 targets (timings are noisy on a shared 2-core machine; informative only):"
verdict() {  # verdict TEXT VALUE LIMIT UNIT
  local text=$1 v=$2 lim=$3 unit=$4
  if [ -z "$v" ]; then printf '  %-48s %s\n' "$text" "not measured in this run"; return; fi
  awk -v t="$text" -v v="$v" -v l="$lim" -v u="$unit" 'BEGIN{
    printf "  %-48s %10.1f %-3s (target <= %s %s): %s\n", t, v, u, l, u,
           (v <= l ? "met" : sprintf("MISSED by %.1f %s (%.1fx)", v - l, u, v / l)) }'
}
okval() {  # okval ARRAY KEY: the value when that run succeeded
  local -n arr=$1
  case ${STAT[$2]:-} in ok*) echo "${arr[$2]:-}" ;; esac
}
verdict "realistic 10M: wall" "$(okval WALL 'current realistic 10000000')" 30 s
verdict "realistic 10M: peak RSS" "$(okval RSS 'current realistic 10000000')" 1536 MB
verdict "random 10M: wall" "$(okval WALL 'current random 10000000')" 60 s
for k in realistic random; do
  a=$(okval WALL "current $k 1000000"); b=$(okval WALL "current $k 10000000")
  r=""; [ -n "$a" ] && [ -n "$b" ] && r=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", b / a}')
  verdict "$k: wall 10M / wall 1M" "$r" 11 x
done
big=""
for s in $ALL; do case $s in *:100000000) big=$s ;; esac; done
if [ -n "$big" ]; then
  verdict "${big%%:*} 100M: peak RSS" "$(okval RSS "current ${big%%:*} 100000000")" 4096 MB
  w=$(okval WALL "current ${big%%:*} 100000000")
  [ -n "$w" ] && printf '  %-48s %10.1f s   (completes: recorded, no target)\n' "${big%%:*} 100M: wall" "$w"
else
  printf '  %-48s %s\n' "100M: peak RSS <= 4096 MB" "not measured (BENCH_HUNT_SIZES=100000000 to run it)"
fi
for key in "${!STAT[@]}"; do
  case ${STAT[$key]} in TIMEOUT*) echo "  note: $key stopped after ${TIMEOUT} s (BENCH_HUNT_TIMEOUT)";; esac
done

echo
if [ "$FAILED" != 0 ]; then
  echo "bench-hunt: FAILED (a hunt errored or gave a wrong answer; see above)"
  exit 1
fi
stopped=0
for key in "${!STAT[@]}"; do case ${STAT[$key]} in TIMEOUT*) stopped=$((stopped + 1));; esac; done
if [ "$stopped" != 0 ]; then
  echo "bench-hunt: no hunt failed; $stopped stopped by the timeout before the end of the hunt (a missed target, not an error); output in $LOG"
else
  echo "bench-hunt: every hunt completed, counted every record and (realistic data) found every injected attack; output in $LOG"
fi
exit 0
}
