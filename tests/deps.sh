#!/bin/sh
# Make sure the Debian packages the build and the tests need are present.
# As root it installs what is missing; otherwise it prints the exact command.
# Usage: tests/deps.sh build|test
set -u
need_build="gcc make libsqlite3-dev sqlite3 zlib1g-dev libisal-dev"
need_test="$need_build libcmocka-dev python3 sqlite-utils valgrind clang-14 libclang-rt-14-dev lcov"
case "${1:-build}" in
  build) want=$need_build ;;
  test)  want=$need_test ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "installing missing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
    echo "apt-get install failed for:$missing" >&2; exit 1; }
else
  echo "missing Debian packages:$missing" >&2
  echo "run: sudo apt-get install -y$missing" >&2
  exit 1
fi
