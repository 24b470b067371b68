#!/bin/sh
# A fresh machine's first `make demo`: the package step must run before the
# Makefile probes for libraries. On a machine that already has everything,
# this is staged: a copy of the tree is built with a compiler wrapper that
# sees a poisoned <isa-l/igzip_lib.h> and <zstd.h> (an #error) until the
# package step has run; the package step is a stand-in that "installs"
# them by removing the poison. A Makefile that probes before installing
# links vpcflow.so without -lisal while compiling reader.c against ISA-L,
# and `.load` then fails with "undefined symbol: isal_inflate" (the
# first-run failure of the Makefile before 2026-12-06).
# Second case: as a user who is not root, a missing package stops make
# before it builds anything, with the exact `sudo apt-get install` line.
set -u
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAILED: fresh-check: $1"; [ -f "${2:-}" ] && tail -n 20 "$2"; }

copy_tree() { # DEST: the tracked files (or the whole tree without build/)
  mkdir -p "$1"
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$1"
  else
    tar --exclude=./build --exclude=./vpcflow.so -cf - . | tar -xf - -C "$1"
  fi
  cp "${FRESH_MAKEFILE:-Makefile}" "$1/Makefile"
}

# Case 1: the probe sees what the package step installed (the stand-in
# replaces tests/deps.sh in the copy).
copy_tree "$tmp/src"
mkdir -p "$tmp/poison/isa-l"
echo '#error "not installed yet (tests/fresh_check.sh)"' > "$tmp/poison/isa-l/igzip_lib.h"
cp "$tmp/poison/isa-l/igzip_lib.h" "$tmp/poison/zstd.h"
cat > "$tmp/cc" <<CC
#!/bin/sh
if [ -e "$tmp/installed" ]; then exec cc "\$@"; fi
exec cc -I"$tmp/poison" "\$@"
CC
printf '#!/bin/sh\ntouch "%s/installed"\n' "$tmp" > "$tmp/src/tests/deps.sh"
chmod +x "$tmp/cc"
make -C "$tmp/src" --no-print-directory CC="$tmp/cc" VPCFLOW_DEPS_CHECKED= demo > "$tmp/demo.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q 'port_scan' "$tmp/demo.out" && ! grep -q 'Error' "$tmp/demo.out"; then ok
else bad "first make demo with the libraries installed by the package step (rc $rc)" "$tmp/demo.out"; fi
if sqlite3 :memory: ".load $tmp/src/vpcflow.so" 'SELECT vpcflow_version();' >/dev/null 2>&1; then ok
else bad "the vpcflow.so of the first run does not load" "$tmp/demo.out"; fi

# Case 3: in that built tree (build/ now holds the -MMD .d files), a bare
# `make` after an edit relinks vpcflow.so. The .d files are included before
# `all:`, so without .DEFAULT_GOAL their first object was make's goal and
# `make` said "build/obj/so/ahead.o is up to date" (found 2026-12-06).
sleep 1; touch "$tmp/src/ext/vpcflow.c"
make -C "$tmp/src" --no-print-directory CC="$tmp/cc" > "$tmp/make.out" 2>&1
if [ "$tmp/src/vpcflow.so" -nt "$tmp/src/ext/vpcflow.c" ]; then ok
else bad "a bare make after an edit did not rebuild vpcflow.so" "$tmp/make.out"; fi
# Case 2: not root, a package missing: the sudo line, and nothing built.
copy_tree "$tmp/user"
if [ "$(id -u)" = 0 ]; then
  chmod -R a+rX "$tmp"; chmod a+w "$tmp/user"
  as_user() { runuser -u nobody -- "$@"; }
else
  as_user() { "$@"; }
fi
as_user env VPCFLOW_DEPS_EXTRA=vpcflow-no-such-package VPCFLOW_DEPS_CHECKED= \
  make -C "$tmp/user" --no-print-directory demo > "$tmp/user.out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q 'sudo apt-get install -y.* vpcflow-no-such-package' "$tmp/user.out" \
   && [ ! -e "$tmp/user/vpcflow.so" ] && [ ! -d "$tmp/user/build/obj" ]; then ok
else bad "a user without root and a missing package (rc $rc)" "$tmp/user.out"; fi

echo "fresh-check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
