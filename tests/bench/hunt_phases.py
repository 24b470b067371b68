#!/usr/bin/env python3
"""hunt_phases.py - phase timing for `make bench-hunt` (tests/bench/hunt.sh).

    hunt_phases.py instrument SCRIPT MARKS > instrumented.sql
    hunt_phases.py views NAMES MARKS [MAX_S] > views.sql
    hunt_phases.py report MARKS T_LAUNCH [MIN_NESTED_S]

instrument: copies SCRIPT (sql/hunt.sql, read relative to the current
directory, as the sqlite3 shell reads it) with every `.read FILE` line
replaced by the content of FILE, recursively, between two marker lines

    .system echo B <id> $(date +%s.%N) >> MARKS
    .system echo E <id> $(date +%s.%N) >> MARKS

and one `END` marker after the last line, which also records the shell's
peak RSS so far (VmHWM of its /proc/PID/status; the marker's sh is the
shell's child). Nothing else changes: the shell
runs the same statements in the same order (a .read file is just input
read in place), the hunt's stdout is untouched (the markers go to MARKS),
and each marker costs one fork of date(1), about 1 ms. Whatever hunt.sql
becomes, every file it reads becomes a phase; files read by those files
(prepare.sql reading summaries.sql, each detection re-reading prepare.sql)
are nested phases. The id table goes to MARKS.names.

views: for each view named in NAMES (one a line: the hunt's det_* views,
listed by the shell after END), SQL that materialises it once more as the
hunt's findings table does (CREATE TEMP TABLE AS SELECT *), between VB/VE
markers. In a hunt whose detection files only define views, that is where
each detection's time goes; it runs after END, so it adds to neither the
hunt's time nor its peak RSS as reported. When the hunt (START to END in
MARKS) took more than MAX_S seconds, nothing is timed (a "VSKIP" marker):
doubling a slow hunt's run is not worth it.

report: prints one line per phase, "depth<TAB>seconds<TAB>name", depth 1 for
the files hunt.sql reads (a file read more than once, one line a read,
named "FILE (after PREVIOUS)" by the file read before it); then each file read from those files, summed over
its reads (prepare.sql read again by every detection), when that sum is at
least MIN_NESTED_S (default 0.05); then "0<TAB>s<TAB>startup (...)" for the time
from launch to the first statement of SCRIPT, "0<TAB>s<TAB>rest of hunt.sql"
for SCRIPT's own statements (the findings table and the printed output),
and "0<TAB>s<TAB>hunt" (launch to END); "9<TAB>s<TAB>VIEW" for each view
timed; "R<TAB>kB" the peak RSS at END. Exit 1 when END is missing.
"""
import os
import re
import sys

READ = re.compile(r"^\s*\.read\s+(?:'([^']*)'|\"([^\"]*)\"|(\S+))\s*$")


def instrument(script, marks):
    names = []
    out = []

    def mark(tag):
        out.append(".system echo %s $(date +%%s.%%N) >> %s\n" % (tag, marks))

    def expand(path, depth, stack):
        with open(path) as f:
            lines = f.readlines()
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        for line in lines:
            m = READ.match(line)
            if not m:
                out.append(line)
                continue
            sub = m.group(1) or m.group(2) or m.group(3)
            if sub in stack or not os.path.isfile(sub):
                out.append(line)        # let the shell report it as it would
                continue
            ident = len(names)
            names.append((depth, sub))
            mark("B %d" % ident)
            expand(sub, depth + 1, stack + [sub])
            mark("E %d" % ident)

    mark("START")
    expand(script, 1, [script])
    out.append(".system echo END $(date +%%s.%%N) $(grep VmHWM /proc/$PPID/status) >> %s\n"
               % marks)
    with open(marks + ".names", "w") as f:
        for depth, name in names:
            f.write("%d\t%s\n" % (depth, name))
    sys.stdout.write("".join(out))


def views(names, marks, max_s=None):
    if max_s is not None:
        t = {}
        with open(marks) as f:
            for line in f:
                p = line.split()
                if p and p[0] in ("START", "END"):
                    t[p[0]] = float(p[1])
        if "START" in t and "END" in t and t["END"] - t["START"] > max_s:
            print(".system echo VSKIP %.0f >> %s" % (t["END"] - t["START"], marks))
            return
    with open(names) as f:
        for name in f.read().split():
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                continue
            print(".system echo VB %s $(date +%%s.%%N) >> %s" % (name, marks))
            print("CREATE TEMP TABLE bench_view_copy AS SELECT * FROM \"%s\";" % name)
            print("DROP TABLE bench_view_copy;")
            print(".system echo VE %s $(date +%%s.%%N) >> %s" % (name, marks))


def report(marks, t_launch, min_nested):
    names = []
    with open(marks + ".names") as f:
        for line in f:
            d, n = line.rstrip("\n").split("\t", 1)
            names.append((int(d), n))
    begin, end, start, stop, hwm = {}, {}, None, None, None
    vb, ve = {}, {}
    try:
        with open(marks) as f:
            for line in f:
                p = line.split()
                if p[0] == "START":
                    start = float(p[1])
                elif p[0] == "END":
                    stop = float(p[1])
                    if len(p) >= 4 and p[2] == "VmHWM:":
                        hwm = int(p[3])
                elif p[0] == "VSKIP":
                    print("0\t-\tdet_* views not timed again: the hunt took %s s (BENCH_HUNT_VIEWS_MAX)" % p[1])
                elif p[0] in ("VB", "VE") and len(p) == 3:
                    (vb if p[0] == "VB" else ve)[p[1]] = float(p[2])
                elif p[0] in ("B", "E") and len(p) == 3:
                    (begin if p[0] == "B" else end)[int(p[1])] = float(p[2])
    except FileNotFoundError:
        pass
    top = 0.0
    nested = {}                 # name -> [seconds, count, first read's seconds]
    # A file hunt.sql reads more than once (sql/hunt_findings.sql, after
    # each detection: the detection's view is computed there) gets one
    # line per read, named by the file read before it.
    tops = [n for d, n in names if d == 1]
    again = {n for n in tops if tops.count(n) > 1}
    before = None
    for i, (depth, name) in enumerate(names):
        label = name
        if depth == 1:
            if name in again and before is not None:
                label = "%s (after %s)" % (name, os.path.basename(before))
            elif name not in again:
                before = name
        if i in begin and i in end:
            dt = end[i] - begin[i]
            if depth == 1:
                top += dt
                print("%d\t%.3f\t%s" % (depth, dt, label))
            else:
                acc = nested.setdefault(name, [0.0, 0, dt])
                acc[0] += dt
                acc[1] += 1
        elif i in begin and depth == 1:
            print("%d\t-\t%s (did not finish)" % (depth, label))
    for name, (dt, count, first) in nested.items():
        if dt >= min_nested:
            print("2\t%.3f\t%s" % (dt, name if count == 1 else
                                    "%s (read %d times: first %.3f, total)" % (name, count, first)))
    if start is not None:
        print("0\t%.3f\tstartup (-cmd: load, CREATE VIRTUAL TABLE, context)" % (start - t_launch))
    if start is not None and stop is not None:
        print("0\t%.3f\trest of hunt.sql (its own statements: findings table, output)"
              % (stop - start - top))
        print("0\t%.3f\thunt" % (stop - t_launch))
        for v in vb:
            if v in ve:
                print("9\t%.3f\t%s" % (ve[v] - vb[v], v))
        if hwm is not None:
            print("R\t%d" % hwm)
        return 0
    return 1


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "instrument":
        instrument(sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) in (4, 5) and sys.argv[1] == "views":
        views(sys.argv[2], sys.argv[3], float(sys.argv[4]) if len(sys.argv) == 5 else None)
        return 0
    if len(sys.argv) in (4, 5) and sys.argv[1] == "report":
        return report(sys.argv[2], float(sys.argv[3]),
                      float(sys.argv[4]) if len(sys.argv) == 5 else 0.05)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
