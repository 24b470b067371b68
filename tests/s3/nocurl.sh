#!/bin/sh
# The extension built without libcurl (Makefile: $(BUILD)/nocurl/vpcflow.so):
# it does not link libcurl, reads local files as ever, and an s3:// path is
# an error that says how to enable it.
# Usage: tests/s3/nocurl.sh VPCFLOW_SO
set -u
so=$1
fail=0
if ldd "$so" | grep -q libcurl; then
  echo "FAILED: $so links libcurl"; fail=1
fi
# fixtures/v2/basic.log holds 8 records (fixtures/README.md)
out=$(sqlite3 -batch :memory: -cmd ".load $so" "SELECT count(*) FROM vpcflow('fixtures/v2/basic.log')" 2>&1)
[ "$out" = 8 ] || { echo "FAILED: local file without libcurl: $out"; fail=1; }
for path in 's3://bucket/AWSLogs/' 's3://bucket/a/*.log.gz'; do
  out=$(sqlite3 -batch :memory: -cmd ".load $so" "SELECT count(*) FROM vpcflow('$path')" 2>&1)
  case $out in
    *"cannot read '$path': s3:// paths need libcurl"*"install libcurl4-openssl-dev"*"rebuild vpcflow (make)"*) ;;
    *) echo "FAILED: s3:// without libcurl: $out"; fail=1 ;;
  esac
done
out=$(sqlite3 -batch :memory: -cmd ".load $so" "CREATE VIRTUAL TABLE temp.t USING vpcflow('s3://bucket/x.log')" 2>&1)
case $out in
  *"install libcurl4-openssl-dev"*) ;;
  *) echo "FAILED: CREATE with s3:// without libcurl: $out"; fail=1 ;;
esac
[ $fail = 0 ] && echo "s3 (no libcurl): 5 passed, 0 failed"
exit $fail
