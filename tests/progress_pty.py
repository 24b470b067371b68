#!/usr/bin/env python3
"""progress_pty.py - the scan's progress line, byte for byte, through a pseudo-terminal.

  python3 tests/progress_pty.py ./vpcflow.so      (from the repository root)

sqlite3 runs with stdout and stderr on one pseudo-terminal (as in a real
terminal, the bytes of both arrive in the order they were written), with
VPCFLOW_PROGRESS_AFTER=0 so that the line shows from the first tick (every
65536 lines). Over a 200000-line file, each check matches the WHOLE byte
stream against the shape it must have:

 1. rows printed during the scan (log_line 100000, 200000): before each
    row the line is erased ("\\r\\x1b[K"), so no row lands on its end;
 2. a GROUP BY: after the scan the line says "scan done: 200 k records in
    S s; finishing the query (grouping, sorting)" instead of a frozen ETA,
    and is erased before the first result row;
 3. the same file gzipped: "of M MB" is the compressed size (what the
    offsets count), never more than 100 %;
 4. the file through a named pipe (no size): "200 k records ... (size
    unknown)", never "of 0 MB";
 5. the rate counts records read, not rows returned: a WHERE that returns
    one row still shows a rate above zero.
Exit status 0 when all hold.
"""
import os
import pty
import re
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ptyio  # noqa: E402

so = sys.argv[1] if len(sys.argv) > 1 else './vpcflow.so'
so = os.path.abspath(so)
fails = []
N = 200000
LINE = '2 123456789012 eni-a 10.0.0.1 10.0.0.2 443 80 6 1 100 1700000000 1700000060 ACCEPT OK\n'
HEAD = ('version account-id interface-id srcaddr dstaddr srcport dstport protocol '
        'packets bytes start end action log-status\n')


def run(sql, env_extra=None, timeout=120):
    """sqlite3 on a pseudo-terminal: every byte it writes, in order."""
    env = dict(os.environ)
    env.pop('VPCFLOW_PROGRESS', None)
    env['VPCFLOW_PROGRESS_AFTER'] = '0'
    env.update(env_extra or {})
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe('sqlite3', ['sqlite3', '-batch', ':memory:', '-cmd', '.load ' + so, sql], env)
    out = ptyio.read_all(fd, timeout=timeout)
    os.waitpid(pid, 0)
    return out


def mb(n):
    r = n / 1e6
    return '%.1f' % r if r < 10 else '%.0f' % r


def expect(name, out, pattern):
    if not re.fullmatch(pattern, out, re.S):
        fails.append('%s: the bytes do not have the expected shape:\n  %r\n  pattern %r'
                     % (name, out[-600:], pattern))
    else:
        print('progress-pty %s: ok' % name)


tmp = tempfile.mkdtemp()
plain = os.path.join(tmp, 'f.log')
with open(plain, 'w') as f:
    f.write(HEAD)
    f.write(LINE * N)
subprocess.run(['gzip', '-k', '-1', plain], check=True)
gz = plain + '.gz'

RATE = rb'[0-9.]+ (M |k )?records/s'
SCAN = (rb'\rvpcflow: file 1/1, [0-9.]+ of ' + mb(os.path.getsize(plain)).encode()
        + rb' MB \((\d|\d\d|100)%\), ' + RATE + rb', ETA (\d+ s|\?)\x1b\[K')
DONE = rb'\rvpcflow: scan done: 200 k records in \d+\.\d s; finishing the query \(grouping, sorting\)\x1b\[K'
ERASE = rb'\r\x1b\[K'

# 1. rows during the scan: each preceded by the erase when a line showed
out = run("SELECT log_line FROM vpcflow('%s') WHERE log_line %% 100000 = 1;" % plain)
# lines 100001 and 200001 are records 100000 and 200000 (line 1 is the header)
expect('rows-during-scan', out,
       rb'(' + SCAN + rb')+' + ERASE + rb'100001\r\n(' + SCAN + rb')*(' + ERASE + rb')?200001\r\n'
       + rb'(' + DONE + rb')?' + ERASE)
if re.search(rb'[^\r]\x1b\[K[0-9]', out):
    fails.append('rows-during-scan: a row follows the line without an erase')

# 2. GROUP BY: the phase after the scan, erased before the result
out = run("SELECT action, count(*) FROM vpcflow('%s') GROUP BY action;" % plain)
expect('group-by', out, rb'(' + SCAN + rb')+' + DONE + ERASE + rb'ACCEPT\|200000\r\n')

# 3. gzip: the compressed size
out = run("SELECT count(*) FROM vpcflow('%s');" % gz)
SCAN_GZ = (rb'\rvpcflow: file 1/1, [0-9.]+ of ' + mb(os.path.getsize(gz)).encode()
           + rb' MB \((\d|\d\d|100)%\), ' + RATE + rb', ETA (\d+ s|\?)\x1b\[K')
expect('gzip', out, rb'(' + SCAN_GZ + rb')+' + DONE + ERASE + rb'200000\r\n')

# 4. a named pipe: no size, so records instead of megabytes
fifo = os.path.join(tmp, 'p.log')
os.mkfifo(fifo)


def feed():
    with open(fifo, 'w') as f:
        f.write(HEAD)
        f.write(LINE * N)


t = threading.Thread(target=feed)
t.start()
out = run("SELECT count(*) FROM vpcflow('%s');" % fifo)
t.join()
SCAN_P = rb'\rvpcflow: file 1/1, [0-9.]+ (M |k )?records, ' + RATE + rb' \(size unknown\)\x1b\[K'
expect('pipe', out, rb'(' + SCAN_P + rb')+' + DONE + ERASE + rb'200000\r\n')
if b' of 0' in out:
    fails.append('pipe: "of 0" written')

# 5. a selective WHERE: the rate is of records read, so not 0
out = run("SELECT count(*) FROM vpcflow('%s') WHERE log_line = 5;" % plain)
rates = re.findall(rb', ([0-9.]+) (M |k )?records/s', out)
if not rates or any(float(r[0]) == 0 for r in rates):
    fails.append('selective: a rate of 0 (or no line): %r' % out[:300])
else:
    print('progress-pty selective: ok (rates %s)' % b', '.join(r[0] + r[1] for r in rates).decode())

for f in fails:
    print('FAILED: progress-pty ' + f)
print('progress-pty: %d failed' % len(fails))
sys.exit(1 if fails else 0)
