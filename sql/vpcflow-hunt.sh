#!/bin/sh
# vpcflow-hunt - run the vpcflow hunt (sql/hunt.sql) over flow logs, from any
# directory. `make install` installs this file as $(BINDIR)/vpcflow-hunt with
# the two paths below filled in; from a clone, sql/vpcflow-hunt.sh works as
# it is (it finds the clone's sql/ and vpcflow.so beside itself).
#
# HOW IT WORKS: the SQL library reads its parts by relative path
# (`.read sql/prepare.sql`), so that `sqlite3 ... < sql/hunt.sql` works from a
# clone. This command therefore turns every file argument into an absolute
# path, writes the set-up (load, flows, ioc/zones/allowed, tunables) into
# a private temporary directory, changes to the directory that holds sql/,
# and runs one sqlite3 process. The hunt's SQL is never copied or rewritten.
#
# Several PATHs: vpcflow() reads one path or glob per table, so each PATH
# becomes its own table (temp.flows_1, temp.flows_2, ...) and `flows` is a
# TEMP VIEW over all of them (UNION ALL) with the union of their columns, a
# column a table lacks being NULL, as CREATE VIRTUAL TABLE gives for files
# with different headers. One PATH is `flows` itself.
set -u

SQLDIR_INSTALLED='@SQLDIR@'     # replaced by make install
LIBDIR_INSTALLED='@LIBDIR@'     # replaced by make install

me=vpcflow-hunt

usage(){
  cat <<'EOF'
Usage: vpcflow-hunt [OPTION]... PATH...
       vpcflow-hunt --investigate ADDR [OPTION]... PATH...
Run every vpcflow detection over AWS VPC Flow Log files and print what was
examined and the findings, highest score first. With --investigate (or
--peers, --hourly), show what one address or interface (eni-...) did.

PATH is a file, a directory (every *.log, *.gz, *.parquet below it), a glob
in quotes ('AWSLogs/**/2026/02/*/*.log.gz'), or - for standard input (plain
or gzip). Several PATHs are read as one set of logs.

Options:
  -f, --format MODE       output: box (default: fits 120 columns), table,
                          markdown, line, list, tabs: the hunt's tables;
                          json: one JSON document (examined + findings);
                          jsonl: one JSON object per finding per line;
                          csv: one CSV line per finding (with a header);
                          ocsf: OCSF 1.1.0 Detection Findings (class 2004),
                          one JSON object per line. json, jsonl, csv and
                          ocsf hold every finding with its ATT&CK id,
                          protocol, ENIs, account, VPC, first record
                          (log_file:log_line) and investigate command
  -s, --min-severity LVL  list only findings at or above LVL (low, medium,
                          high, critical); with --alert, the alert threshold
                          (default high)
  -i, --ioc FILE          threat list: one address or CIDR per line, then
                          optionally ",note"; '#' starts a comment
  -z, --zones FILE        zones: "cidr,zone" per line (trust_boundary)
  -a, --allowed FILE      allowed zone pairs: "src_zone,dst_zone[,port]" per
                          line, '*' any zone, no port any port
  -t, --set NAME=VALUE    set a tunable (repeatable), e.g. --set
                          port_scan.min_ports=50 (each detection's header
                          in sql/detections/ lists its own)
  -F, --log-format FMT    format of files without a header line, e.g.
                          '${version} ${srcaddr} ${dstaddr} ...'
  -I, --investigate ADDR  instead of the hunt: a timeline of ADDR (an address
                          or an ENI id): a summary first (ports per peer,
                          the largest transfers, new peers), then the first
                          contacts in time order (sql/investigate/)
      --peers ADDR        instead of the hunt: ADDR's peers, biggest first
      --hourly ADDR       instead of the hunt: ADDR's bytes per hour
  -A, --alert             exit status for cron/CI (also prints the findings
                          at or above the threshold):
                            0 no finding at or above the threshold
                            1 an error (the message is on stderr)
                            2 findings at or above the threshold
                            3 no traffic records were read
      --sql-dir DIR       the SQL library (default: the installed one)
      --extension FILE    vpcflow.so to load (default: the installed one)
  -h, --help              show this help

Without --alert the exit status is 0, or 1 on any error.
Examples:
  vpcflow-hunt /data/AWSLogs/
  vpcflow-hunt -s high --ioc feed.txt 'logs/**/2026/02/1[3-4]/*.log.gz'
  vpcflow-hunt -f json /data/AWSLogs/ > hunt.json
  vpcflow-hunt --investigate 10.0.1.15 /data/AWSLogs/
  aws s3 cp s3://bucket/key.log.gz - | vpcflow-hunt -
  vpcflow-hunt --alert --min-severity critical /data/AWSLogs/ || page-me
EOF
}

die(){ echo "$me: $*" >&2; exit 1; }

# 'text' as an SQL string literal
sql_quote(){ printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

# 'text' quoted for the shell
sh_quote(){ printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# an absolute version of a path the user gave relative to where they are
absolute(){
  case $1 in
    /*) printf '%s' "$1" ;;
    *) printf '%s/%s' "$PWD" "$1" ;;
  esac
}

# NAME=VALUE as an INSERT into tunables: a number stays a number
tunable_sql(){
  case $1 in *=*) ;; *) die "--set needs NAME=VALUE, not '$1'" ;; esac
  name=${1%%=*}; value=${1#*=}
  case $name in ''|*[!A-Za-z0-9_.]*) die "not a tunable name: '$name'" ;; esac
  case $value in
    ''|*[!0-9.-]*|*.*.*|?*-*|.|-|-.) value=$(sql_quote "$value") ;;   # text
  esac
  echo "INSERT OR REPLACE INTO tunables VALUES ('$name', $value, 'vpcflow-hunt --set');"
}

mode=box; minsev=; ioc=; zones=; allowed=; logfmt=; alert=0; inv=; invscript=
sqldir=${VPCFLOW_SQLDIR:-}; ext=${VPCFLOW_EXTENSION:-}
tunables=
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    -f|--format) [ $# -ge 2 ] || die "$1 needs a value"; mode=$2; shift 2 ;;
    --format=*) mode=${1#*=}; shift ;;
    -s|--min-severity) [ $# -ge 2 ] || die "$1 needs a value"; minsev=$2; shift 2 ;;
    --min-severity=*) minsev=${1#*=}; shift ;;
    -i|--ioc) [ $# -ge 2 ] || die "$1 needs a file"; ioc=$2; shift 2 ;;
    --ioc=*) ioc=${1#*=}; shift ;;
    -z|--zones) [ $# -ge 2 ] || die "$1 needs a file"; zones=$2; shift 2 ;;
    --zones=*) zones=${1#*=}; shift ;;
    -a|--allowed) [ $# -ge 2 ] || die "$1 needs a file"; allowed=$2; shift 2 ;;
    --allowed=*) allowed=${1#*=}; shift ;;
    -t|--set) [ $# -ge 2 ] || die "$1 needs NAME=VALUE"
       tunables="$tunables$(tunable_sql "$2")
"; shift 2 ;;
    --set=*) tunables="$tunables$(tunable_sql "${1#*=}")
"; shift ;;
    -F|--log-format) [ $# -ge 2 ] || die "$1 needs a format"; logfmt=$2; shift 2 ;;
    --log-format=*) logfmt=${1#*=}; shift ;;
    -I|--investigate) [ $# -ge 2 ] || die "$1 needs an address or ENI id"; inv=$2; invscript=timeline; shift 2 ;;
    --investigate=*) inv=${1#*=}; invscript=timeline; shift ;;
    --peers) [ $# -ge 2 ] || die "$1 needs an address or ENI id"; inv=$2; invscript=peers; shift 2 ;;
    --peers=*) inv=${1#*=}; invscript=peers; shift ;;
    --hourly) [ $# -ge 2 ] || die "$1 needs an address or ENI id"; inv=$2; invscript=hourly; shift 2 ;;
    --hourly=*) inv=${1#*=}; invscript=hourly; shift ;;
    -A|--alert) alert=1; shift ;;
    --sql-dir) [ $# -ge 2 ] || die "$1 needs a directory"; sqldir=$2; shift 2 ;;
    --sql-dir=*) sqldir=${1#*=}; shift ;;
    --extension) [ $# -ge 2 ] || die "$1 needs a file"; ext=$2; shift 2 ;;
    --extension=*) ext=${1#*=}; shift ;;
    --) shift; break ;;
    -) break ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { usage >&2; exit 1; }

case $mode in
  box|table|markdown|line|list|tabs) export= ;;
  json|jsonl|csv|ocsf) export=$mode ;;
  *) die "unknown output format '$mode': box, table, markdown, line, list, tabs, json, jsonl, csv or ocsf" ;;
esac
[ -z "$export" ] || [ "$alert" = 0 ] || die "--alert prints the alerting findings as a table: -f $mode does not go with it"
[ -z "$inv" ] || [ "$alert" = 0 ] || die "--alert and --investigate do not go together"
case $inv in
  *[!0-9A-Za-z.:-]*) die "not an address or ENI id: '$inv'" ;;
esac
case $minsev in
  ''|low|medium|high|critical) ;;
  *) die "unknown severity '$minsev': low, medium, high or critical" ;;
esac
command -v sqlite3 >/dev/null 2>&1 || \
  die "sqlite3 is not installed (Debian: sudo apt-get install -y sqlite3)"

# The SQL library: --sql-dir, $VPCFLOW_SQLDIR, the installed one, or the
# clone this script sits in. Its parent is where the hunt runs.
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "$sqldir" ]; then
  case $SQLDIR_INSTALLED in
    @*) sqldir=$here ;;                  # not installed: sql/ of the clone
    *) sqldir=$SQLDIR_INSTALLED ;;
  esac
fi
[ -f "$sqldir/hunt.sql" ] || die "no SQL library in '$sqldir' (no hunt.sql there)"
root=$(cd "$sqldir/.." && pwd)
[ "$(cd "$sqldir" && pwd)" = "$root/sql" ] || \
  die "the SQL library must be a directory named sql ('$sqldir')"

# The extension: --extension, $VPCFLOW_EXTENSION, the installed one, the
# clone's build, else the loader's search path.
if [ -z "$ext" ]; then
  case $LIBDIR_INSTALLED in
    @*) if [ -f "$here/../vpcflow.so" ]; then ext=$(cd "$here/.." && pwd)/vpcflow.so; fi ;;
    *) if [ -f "$LIBDIR_INSTALLED/vpcflow.so" ]; then ext=$LIBDIR_INSTALLED/vpcflow.so; fi ;;
  esac
  [ -n "$ext" ] || ext=vpcflow
else
  case $ext in */*) [ -f "$ext" ] || die "no such extension file '$ext'"; ext=$(absolute "$ext") ;; esac
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcflow-hunt.XXXXXX") || die "cannot make a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
setup=$tmp/setup.sql

# user tables from simple text files: comments and blank lines dropped,
# fields split on ',' and trimmed, each an SQL literal (port: a number)
table_sql(){ # file, table, number of columns
  [ -f "$1" ] && [ -r "$1" ] || die "cannot read '$1'"
  awk -F, -v t="$2" -v n="$3" '
    function lit(s){ gsub(/^[ \t\r]+|[ \t\r]+$/, "", s); if( s=="" ) return "NULL";
                     gsub(/\047/, "\047\047", s); return "\047" s "\047" }
    { sub(/#.*/, "") } /^[ \t\r]*$/ { next }
    { v = lit($1); for(i=2; i<=n; i++){
        if( i<=NF ){ f = $i; if( i==n && NF>n ) for(j=n+1; j<=NF; j++) f = f "," $j }
        else f = ""
        v = v ", " lit(f) }
      printf "INSERT INTO temp.%s VALUES (%s);\n", t, v }' "$1"
}

{
  echo ".bail on"
  echo ".load $(sql_quote "$ext")"
  # paths: '-' is copied to a file first (the table reads the columns,
  # then the rows: standard input can be read only once)
  n=0; tabs=; shpaths=
  for p in "$@"; do
    n=$((n+1))
    if [ "$p" = - ]; then
      cat > "$tmp/stdin" || die "cannot read standard input"
      p=$tmp/stdin
    else
      p=$(absolute "$p")
    fi
    if [ "$p" != "$tmp/stdin" ]; then shpaths="$shpaths $(sh_quote "$p")"; fi
    if [ $# -eq 1 ]; then t=flows; else t=flows_$n; fi
    args=$(sql_quote "$p")
    [ -z "$logfmt" ] || args="$args, format=$(sql_quote "$logfmt")"
    echo "CREATE VIRTUAL TABLE temp.$t USING vpcflow($args);"
    tabs="$tabs${tabs:+,}($n,'$t')"
  done
  if [ $# -gt 1 ]; then
    # the view's text is made by SQL (the columns depend on the headers)
    # and read back from this private directory
    cat <<EOF
.headers off
.mode list
.once '$tmp/view.sql'
WITH t(i, tab) AS (VALUES $tabs),
c AS (SELECT x.name AS col, min(t.i*100000 + x.cid) AS ord
        FROM t JOIN pragma_table_xinfo(t.tab, 'temp') AS x WHERE x.hidden = 0
       GROUP BY x.name),
s AS (SELECT t.i, 'SELECT ' || (SELECT group_concat(
          CASE WHEN EXISTS (SELECT 1 FROM pragma_table_xinfo(t.tab, 'temp') AS y
                             WHERE y.name = c.col AND y.hidden = 0)
               THEN '"' || replace(c.col, '"', '""') || '"'
               ELSE 'NULL AS "' || replace(c.col, '"', '""') || '"' END, ', ')
          FROM (SELECT col FROM c ORDER BY ord) AS c)
        || ', log_file, log_line, dt FROM temp.' || t.tab AS q FROM t)
SELECT 'CREATE TEMP VIEW flows AS ' || group_concat(q, ' UNION ALL ') || ';'
  FROM (SELECT q FROM s ORDER BY i);
.read '$tmp/view.sql'
EOF
  fi
  [ -z "$ioc" ] || { echo "CREATE TEMP TABLE ioc(addr TEXT, note TEXT);"; table_sql "$ioc" ioc 2; }
  [ -z "$zones" ] || { echo "CREATE TEMP TABLE zones(cidr TEXT, zone TEXT);"; table_sql "$zones" zones 2; }
  [ -z "$allowed" ] || { echo "CREATE TEMP TABLE allowed(src_zone TEXT, dst_zone TEXT, port INTEGER);"; table_sql "$allowed" allowed 3; }
  [ -n "$zones" ] || [ -z "$allowed" ] || die "--allowed needs --zones too"
  [ -n "$allowed" ] || [ -z "$zones" ] || \
    echo "CREATE TEMP TABLE allowed(src_zone TEXT, dst_zone TEXT, port INTEGER);"
  echo "CREATE TEMP TABLE IF NOT EXISTS tunables(name TEXT PRIMARY KEY, value, note);"
  # the command each finding's `investigate` column gives (a printf
  # format: %s is the address); logs read from standard input are gone
  # once this run ends, so those findings name the sqlite3 route instead
  echo "CREATE TEMP TABLE IF NOT EXISTS vpcflow_state(k TEXT PRIMARY KEY, v);"
  if [ -n "$shpaths" ]; then
    rest=$shpaths
    [ -z "$logfmt" ] || rest=" --log-format $(sh_quote "$logfmt")$rest"
    icmd="vpcflow-hunt --investigate %s$(printf '%s' "$rest" | sed 's/%/%%/g')"
    echo "INSERT OR REPLACE INTO vpcflow_state VALUES ('investigate', $(sql_quote "$icmd"));"
  fi
  [ -z "$minsev" ] || echo ".parameter set @min_severity $minsev"
  [ -z "$inv" ] || echo ".parameter set @ip $(sql_quote "$inv")"
  printf '%s' "$tunables"
  if [ -n "$minsev" ]; then
    echo "INSERT OR REPLACE INTO tunables VALUES ('alert.min_severity', '$minsev', 'vpcflow-hunt --min-severity');"
    # the hunt's own list is replaced by one at or above the level
    [ "$alert" = 1 ] || echo "INSERT OR REPLACE INTO tunables VALUES ('hunt.max_rows', 0, 'vpcflow-hunt --min-severity lists instead');"
  fi
  # box, table and markdown without the shell's default --wrap 60: the
  # hunt's tables are laid out to fit 120 columns as they are
  case $mode in
    box|table|markdown) echo ".mode $mode --wrap 0"; echo ".headers on" ;;
    *) [ -n "$export" ] || { echo ".mode $mode"; echo ".headers on"; } ;;
  esac
} > "$setup" || exit 1

list=$tmp/list.sql
cat > "$list" <<EOF
SELECT row_number() OVER (ORDER BY score DESC, detection, src, dst) AS "#",
       score, severity, detection, src, dst, port, first_seen, evidence
  FROM findings
 WHERE CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END
    >= CASE '$minsev' WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END
 ORDER BY score DESC, detection, src, dst;
EOF

# The SQL comes from arguments, never from standard input, which stays free
# for the logs ('-').
cd "$root" || die "cannot enter '$root'"
if [ -n "$inv" ]; then
  sqlite3 -bail -batch :memory: ".read '$setup'" ".read sql/investigate/$invscript.sql"
elif [ -n "$export" ]; then
  sqlite3 -bail -batch :memory: ".read '$setup'" ".read sql/export/$export.sql"
elif [ "$alert" = 1 ]; then
  sqlite3 -bail -batch :memory: ".read '$setup'" '.read sql/hunt.sql' '.read sql/alert.sql'
elif [ -n "$minsev" ]; then
  sqlite3 -bail -batch :memory: ".read '$setup'" '.read sql/hunt.sql' ".read '$list'"
else
  sqlite3 -bail -batch :memory: ".read '$setup'" '.read sql/hunt.sql'
fi
rc=$?
exit $rc
