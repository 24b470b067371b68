#!/bin/sh
# Make sure the Debian packages the build and the tests need are present.
# As root it installs what is missing; otherwise it prints the exact
# command and why, and fails, so that nothing is built half-equipped.
# The Makefile runs it while it is read, before it probes for libraries.
# Usage: tests/deps.sh build|test
#   VPCFLOW_DEPS_EXTRA  more package names to require (tests/fresh_check.sh
#                       uses one that does not exist to see the message)
set -u
need_build="gcc make libsqlite3-dev sqlite3 zlib1g-dev libisal-dev libzstd-dev libcurl4-openssl-dev ${VPCFLOW_DEPS_EXTRA:-}"
need_test="$need_build libcmocka-dev python3 python3-jsonschema sqlite-utils valgrind clang-14 libclang-rt-14-dev llvm-14 lcov util-linux"
case "${1:-build}" in
  build) want=$need_build; why="to build vpcflow.so (compiler, SQLite headers and shell, zlib, ISA-L, zstd, libcurl for s3:// paths: SigV4 signing, TLS and HTTP from a well-kept library)" ;;
  test)  want=$need_test; why="to build and run the tests (the build's packages, cmocka, python3, python3-jsonschema to validate the OCSF export against tests/ocsf/, sqlite-utils, valgrind, clang-14 sanitizers and libFuzzer, lcov)" ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "installing missing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null </dev/null || {
    echo "apt-get install failed for:$missing" >&2; exit 1; }
else
  echo "vpcflow needs Debian packages that are not installed, $why:" >&2
  echo "  $missing" >&2
  echo "run as root, then make again:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi
