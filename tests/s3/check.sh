#!/bin/sh
# make s3-check: vpcflow over s3:// against a local S3-compatible server
# (tests/s3/check.py). s3rver comes from the npm registry into build/s3rver
# the first time (nothing else is fetched; the tests talk to 127.0.0.1
# only). Skipped, with the reason, without node and npm, or when the
# extension was built without libcurl.
# Usage: tests/s3/check.sh VPCFLOW_SO [asan|tsan|valgrind|valgrind-subset]
#   valgrind-subset: every check, with the statements that read the
#   objects of check.py's VALGRIND_SUBSET under valgrind (make s3-check)
#   S3RVER_VERSION  npm version of s3rver (default 3.7.1)
set -u
so=$1
mode=${2:-plain}
dir=build/s3rver
ver=${S3RVER_VERSION:-3.7.1}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "s3: SKIPPED: node and npm are needed for the local S3 server (s3rver); apt-get install nodejs npm"
  exit 0
fi
if out=$(sqlite3 -batch :memory: -cmd ".load $so" "SELECT count(*) FROM vpcflow('s3://x/')" 2>&1); [ -n "$(echo "$out" | grep 'need libcurl')" ]; then
  echo "s3: SKIPPED: $so was built without libcurl (install libcurl4-openssl-dev and rebuild)"
  exit 0
fi
if [ ! -f "$dir/node_modules/s3rver/package.json" ] ||
   ! grep -q "\"version\": \"$ver\"" "$dir/node_modules/s3rver/package.json"; then
  mkdir -p "$dir"
  echo "s3: installing s3rver@$ver into $dir (npm)"
  if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "s3rver@$ver" >"$dir/npm.log" 2>&1; then
    echo "s3: SKIPPED: npm install s3rver@$ver failed (offline?), see $dir/npm.log"
    exit 0
  fi
fi
case $mode in
  asan)
    S3CHECK_PRELOAD="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)" \
      exec python3 tests/s3/check.py "$so" "$PWD/$dir/node_modules/s3rver" "$PWD/build/s3check-asan" ;;
  tsan)
    S3CHECK_PRELOAD="$(cc -print-file-name=libtsan.so)" S3CHECK_LABEL=tsan TSAN_OPTIONS=halt_on_error=1 \
      exec python3 tests/s3/check.py "$so" "$PWD/$dir/node_modules/s3rver" "$PWD/build/s3check-tsan" ;;
  valgrind-subset)
    if ! command -v valgrind >/dev/null 2>&1; then
      echo "s3 (valgrind): SKIPPED: valgrind is not installed (apt-get install valgrind)"
      exit 0
    fi
    S3CHECK_VALGRIND=subset exec python3 tests/s3/check.py "$so" "$PWD/$dir/node_modules/s3rver" "$PWD/build/s3check-vgs" ;;
  valgrind)
    S3CHECK_VALGRIND=1 exec python3 tests/s3/check.py "$so" "$PWD/$dir/node_modules/s3rver" "$PWD/build/s3check-vg" ;;
  *)
    exec python3 tests/s3/check.py "$so" "$PWD/$dir/node_modules/s3rver" "$PWD/build/s3check" ;;
esac
