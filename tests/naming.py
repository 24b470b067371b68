#!/usr/bin/env python3
"""make naming: the naming rule of ext/README.md ("Naming"), checked.

  - what SQLite calls through a table (a sqlite3_module's members, the
    callbacks of a VfFuncDef table or of sqlite3_create_function*/window*)
    is <prefix>Camel, as csv.c's csvtabConnect;
  - every other function is snake_case: static ones with their file's
    prefix (never vf_, which marks the API between files), the ones other
    files call vf_<module>_snake.

Prints each function that breaks it, with its file, and exits 1 if any."""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def method_tables(src):
    """The text of every place that hands a function to SQLite."""
    parts = re.findall(r'sqlite3_module\s+\w+\s*=\s*\{.*?\};', src, re.S)
    parts += re.findall(r'sqlite3_create_(?:function|window)\w*\s*\([^;]*?\);', src, re.S)
    parts += re.findall(r'VfFuncDef\s+\w+\[\]\s*=\s*\{.*?\};', src, re.S)
    return ' '.join(parts)


CAMEL = re.compile(r'[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*')
SNAKE = re.compile(r'[a-z][a-z0-9]*(?:_[a-z0-9]+)+')
DEF = re.compile(r'^(static )?(?:inline )?[A-Za-z_][A-Za-z_ *0-9]*?[ *]'
                 r'([A-Za-z_][A-Za-z_0-9]*)\([^;{]*?\)\s*\{', re.M | re.S)

PATHS = sorted(glob.glob(os.path.join(ROOT, 'ext', '*.c')))
# a method may be defined in one file and put in a table in another
methods = ' '.join(method_tables(open(p).read()) for p in PATHS)
bad = []
for path in PATHS:
    src = open(path).read()
    for m in DEF.finditer(src):
        static, name = m.group(1), m.group(2)
        if name.startswith('sqlite3_') or name in ('if', 'while', 'for', 'switch'):
            continue
        if re.search(r'\b%s\b' % re.escape(name), methods):
            ok, want = CAMEL.fullmatch(name), '<prefix>Camel (SQLite calls it)'
        elif static:
            ok = SNAKE.fullmatch(name) and not name.startswith('vf_')
            want = '<file>_snake (static)'
        else:
            ok, want = SNAKE.fullmatch(name) and name.startswith('vf_'), 'vf_<module>_snake (exported)'
        if not ok:
            bad.append('%s: %s: want %s' % (os.path.relpath(path, ROOT), name, want))

for line in bad:
    print('naming:', line)
print('naming: %d function(s) break the rule of ext/README.md "Naming"' % len(bad)
      if bad else 'naming: every function of ext/*.c follows the rule')
sys.exit(1 if bad else 0)
