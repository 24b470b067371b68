#!/bin/sh
# install_check.sh - `make install` and `make uninstall`, used from outside
# the clone.
#
# 1. Always: install into a prefix under a temporary directory (LIBDIR,
#    SQLDIR, BINDIR set on the make command line), then, from another
#    temporary directory, run the installed vpcflow-hunt with relative
#    paths and compare what it prints with independent references: the
#    hunt run the documented way in the clone (sqlite3 < sql/hunt.sql with
#    fixtures/scenario/context.sql), the same logs given as one folder, as
#    three globs and on standard input; the alert exit statuses; then
#    uninstall and check that no file is left.
# 2. As root on a machine where vpcflow is not installed: the real system
#    (/usr/lib, /usr/share/vpcflow/sql, /usr/bin), `.load vpcflow` with no
#    path and vpcflow-hunt on the PATH, from /; then uninstall.
set -u
cd "$(dirname "$0")/.." || exit 1
clone=$(pwd)
pass=0; fail=0; skip=0
ok(){ pass=$((pass+1)); }
bad(){ echo "install-check: FAILED: $*"; fail=$((fail+1)); }
check(){ # description, then a command that must succeed
  d=$1; shift
  if "$@"; then ok; else bad "$d"; fi
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix; work=$tmp/work
mkdir -p "$work"
vars="LIBDIR=$prefix/lib SQLDIR=$prefix/share/vpcflow/sql BINDIR=$prefix/bin"

# --- 1. a prefix under /tmp --------------------------------------------------
# shellcheck disable=SC2086
if ! make -s install $vars >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"; bad "make install into $prefix"
  echo "install-check: $pass passed, $fail failed"; exit 1
fi
hunt=$prefix/bin/vpcflow-hunt
check "vpcflow-hunt installed, executable" test -x "$hunt"
check "hunt.sql installed" test -f "$prefix/share/vpcflow/sql/hunt.sql"
check "a detection installed" test -f "$prefix/share/vpcflow/sql/detections/port_scan.sql"
check "an Athena detection installed" test -f "$prefix/share/vpcflow/sql/athena/detections/port_scan.sql"

# The logs and the user tables, in the work directory, named relatively.
cp -R fixtures/scenario/v5 "$work/logs"
day=logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/13
# the entries of fixtures/scenario/context.sql, as the text files the
# command takes (comments, blanks, spaces around fields on purpose)
cat > "$work/ioc.txt" <<'EOF'
# threat feed
198.51.100.176/28, crypto-mining pool
203.0.113.91,Tor relay

203.0.113.200 , known scanner
203.0.113.66,C2 server (threat feed)
EOF
printf '%s\n' 10.0.0.0/24,dmz 10.0.10.0/24,dmz 10.0.1.0/24,app \
  10.0.2.0/24,data 10.0.3.0/24,mgmt > "$work/zones.csv"
printf '%s\n' dmz,app,8080 app,data,5432 app,data,6379 app,data,9200 app,app \
  'mgmt,*,22' 'mgmt,*,9100' 'mgmt,*,6380' 'dmz,*,22' '*,mgmt,88' \
  '*,mgmt,389' '*,mgmt,445' > "$work/allowed.csv"

# Reference: the hunt as the README runs it from the clone, in list mode
# (-f list), without the notes under the findings (the commands they give
# differ: sqlite3's in the clone, vpcflow-hunt's outside).
notes(){ sed '/^not printed$/,$d'; }
sqlite3 -bail -list -header :memory: -cmd '.load ./vpcflow' \
  -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5')" \
  -cmd '.read fixtures/scenario/context.sql' '.read sql/hunt.sql' 2>&1 | notes \
  > "$tmp/ref.csv" || bad "reference hunt in the clone"

cd "$work" || exit 1
out=$tmp/out
"$hunt" -f list -i ioc.txt -z zones.csv -a allowed.csv logs 2>&1 | notes > "$out.1"
check "vpcflow-hunt, one folder, ioc/zones/allowed files = the documented hunt" \
  cmp -s "$tmp/ref.csv" "$out.1"
"$hunt" --format=list --ioc=ioc.txt --zones=zones.csv --allowed=allowed.csv \
  "$day/*T0*" "$day/*T1*" "$day/*T2*" 2>&1 | notes > "$out.3"
check "three globs (one table each, one view) = one folder" cmp -s "$out.1" "$out.3"

# standard input = the same file named
f=$(ls "$day" | head -1)
gzip -dc "$day/$f" | "$hunt" -f list - 2>&1 | notes > "$out.stdin"
"$hunt" -f list "$day/$f" 2>&1 | notes > "$out.file"
check "'-' reads standard input like the file itself" cmp -s "$out.file" "$out.stdin"
check "... and that hunt found something" grep -q '^findings|[1-9]' "$out.file"

# --min-severity: exactly the critical findings the reference counts
want=$(sed -n 's/^findings|[0-9]*: \([0-9]*\) critical.*/\1/p' "$tmp/ref.csv")
"$hunt" -f csv -s critical -i ioc.txt -z zones.csv -a allowed.csv logs > "$out.crit" 2>&1
got=$(grep -c '^[0-9]*,[0-9.]*,critical,' "$out.crit")
others=$(grep -c '^[0-9]*,[0-9.]*,\(high\|medium\|low\),' "$out.crit")
check "--min-severity critical lists the $want critical findings (got $got, $others others)" \
  test "$got" = "$want" -a "$others" = 0 -a -n "$want" -a "$want" != 0

# --set: a tunable reaches the hunt (hunt.max_rows caps the list)
"$hunt" -f list --set hunt.max_rows=3 "$day/$f" > "$out.set" 2>&1
check "--set hunt.max_rows=3 prints 3 findings" \
  test "$(grep -c '^[0-9]*|[0-9.]*|\(critical\|high\|medium\|low\)|' "$out.set")" = 3

# --format json: one JSON document (examined, findings)
if command -v python3 >/dev/null 2>&1; then
  "$hunt" -f json "$day/$f" > "$out.json" 2>&1
  check "--format json is one JSON document" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["examined"]["files"] == 1 and d["findings"] and len(d["findings"]) == d["count"]["findings"]' "$out.json"
else
  skip=$((skip+1))
fi

# --alert: one status per case (sql/alert.sql)
status(){ "$hunt" --alert "$@" > "$out.alert" 2>&1; echo $?; }
check "--alert over the scenario: 2 (findings at or above high)" test "$(status logs)" = 2
mkdir -p empty nodata quiet
check "--alert over an empty folder: 1" test "$(status empty)" = 1
check "... saying why" grep -q "no flow log files in '$work/empty'" "$out.alert"
grep -E '^version|NODATA|SKIPDATA' "$clone/fixtures/v2/basic.log" > nodata/a.log
check "--alert over NODATA/SKIPDATA only: 3" test "$(status nodata)" = 3
cp "$clone/fixtures/v2/headerless.log" quiet/a.log
check "--alert over 3 quiet records: 0" test "$(status quiet)" = 0
check "--alert -s critical over the scenario: 2" test "$(status -s critical logs)" = 2

# usage errors
"$hunt" --help > "$out.help" 2>&1
check "--help: status 0" test $? = 0
check "--help: usage" grep -q '^Usage: vpcflow-hunt' "$out.help"
"$hunt" --format xml logs > "$out.err" 2>&1
check "an unknown format is an error" test $? = 1
check "... naming it" grep -q "unknown output format 'xml'" "$out.err"
"$hunt" > "$out.err" 2>&1
check "no PATH: usage on stderr, status 1" test $? = 1

cd "$clone" || exit 1
# shellcheck disable=SC2086
make -s uninstall $vars >/dev/null 2>&1 || bad "make uninstall"
left=$(find "$prefix" -type f -o -type l | head -5)
check "make uninstall leaves no file ($left)" test -z "$left"
check "... nor the SQL directories" test ! -e "$prefix/share/vpcflow"

# --- 2. the real system, as root ---------------------------------------------
lib=/usr/lib/vpcflow.so
if [ "$(id -u)" != 0 ]; then
  skip=$((skip+1))
elif [ -e "$lib" ] || [ -e /usr/bin/vpcflow-hunt ] || [ -e /usr/share/vpcflow ]; then
  skip=$((skip+1))
else
  if make -s install >/dev/null 2>&1; then
    got=$(cd / && sqlite3 :memory: '.load vpcflow' 'SELECT vpcflow_version();' 2>&1)
    want=$(sed -n 's/^#define VPCFLOW_VERSION "\(.*\)"$/\1/p' ext/vtab.h)
    check ".load vpcflow from / gave '$got', expected '$want'" test "$got" = "$want"
    got=$(cd / && vpcflow-hunt -f list "$clone/fixtures/scenario/v5" 2>&1 | grep "^files|")
    check "vpcflow-hunt on the PATH, from / ($got)" test "$got" = "files|24"
  else
    bad "make install (system)"
  fi
  make -s uninstall >/dev/null 2>&1
  check "system uninstall: nothing left" \
    test ! -e "$lib" -a ! -e /usr/bin/vpcflow-hunt -a ! -e /usr/share/vpcflow
fi

echo "install-check: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
