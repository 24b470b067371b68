#!/bin/sh
# Check that `make install` puts vpcflow.so where `.load vpcflow` (no path)
# finds it from any directory. It changes the system, so it runs only as
# root on a machine where vpcflow is not installed already.
set -u
cd "$(dirname "$0")/.." || exit 1
if [ "$(id -u)" != 0 ]; then
  echo "install-check: 0 passed, 0 failed, 1 skipped (needs root)"; exit 0
fi
lib=/usr/lib/vpcflow.so
if [ -e "$lib" ]; then
  echo "install-check: 0 passed, 0 failed, 1 skipped ($lib exists)"; exit 0
fi
make -s install >/dev/null || { echo "install-check: 0 passed, 1 failed"; exit 1; }
got=$(cd / && sqlite3 :memory: '.load vpcflow' 'SELECT vpcflow_version();' 2>&1)
make -s uninstall >/dev/null
want=$(sed -n 's/^#define VPCFLOW_VERSION "\(.*\)"$/\1/p' ext/vtab.h)
if [ "$got" = "$want" ]; then
  echo "install-check: 1 passed, 0 failed"
else
  echo "install-check: .load vpcflow from / gave '$got', expected '$want'"
  echo "install-check: 0 passed, 1 failed"; exit 1
fi
