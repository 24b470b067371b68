#!/usr/bin/env python3
"""progress_pty.py - the hunt's phase line and Ctrl-C, through a pseudo-terminal.

  python3 tests/hunt/progress_pty.py ./vpcflow.so      (from the repository root)

1. The hunt over the scenario with stderr on a terminal: the bytes show
   "\\rhunt: [1/19] prepare (normalise flows)\\x1b[K", every detection's
   "\\rhunt: [k/19] NAME", and the erase "\\r\\x1b[K" before the summary.
2. The same hunt with stderr on a pipe: no "hunt: [" and no escape byte.
3. An interactive sqlite3 on the terminal: `.read sql/hunt.sql`, Ctrl-C
   (the terminal's ^C, so SIGINT) once the line shows detection 5; then
   findings holds rows of the detections before the one that was running
   and vpcflow_state 'hunt' says the run was cut short.
Exit status 0 when all hold.
"""
import os
import pty
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import ptyio  # noqa: E402

so = sys.argv[1] if len(sys.argv) > 1 else './vpcflow.so'
SETUP = ['-cmd', '.load ' + so,
         '-cmd', "CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5')",
         '-cmd', '.read fixtures/scenario/context.sql']
DETS = ['port_scan', 'port_sweep', 'exposed_service', 'brute_force', 'lateral_movement',
        'exfiltration', 'beaconing', 'dns_tunnel', 'icmp_tunnel_tor', 'dos', 'reject_spike',
        'unusual_port', 'threat_list_match', 'trust_boundary', 'internal_reject',
        'new_destination', 'log_coverage']
fails = []


read_all = ptyio.read_all


# 1. stderr (and stdout) on a terminal
env = dict(os.environ)
env.pop('VPCFLOW_PROGRESS', None)
pid, fd = pty.fork()
if pid == 0:
    os.dup2(os.open('sql/hunt.sql', os.O_RDONLY), 0)
    os.execvpe('sqlite3', ['sqlite3', '-batch', ':memory:'] + SETUP, env)
tty = read_all(fd)
os.waitpid(pid, 0)
if os.environ.get('PTY_DUMP'):
    open(os.environ['PTY_DUMP'], 'wb').write(tty)
want = [b'\rhunt: [1/19] prepare (normalise flows)\x1b[K']
want += [('\rhunt: [%d/19] %s\x1b[K' % (k + 2, d)).encode() for k, d in enumerate(DETS)]
want += [b'\rhunt: [19/19] summary\x1b[K']
pos = 0
for w in want:
    i = tty.find(w, pos)
    if i < 0:
        fails.append('terminal: missing or out of order: %r' % w)
        break
    pos = i + len(w)
erase = tty.rfind(b'\r\x1b[K')
summary = tty.find(b'time range (UTC)')
if not (0 <= erase < summary):
    fails.append('terminal: the line is not erased before the summary prints')
if b'complete: 17 detections' not in tty:
    fails.append('terminal: the summary does not say the run was complete')

# 2. stderr on a pipe
p = subprocess.run(['sqlite3', '-batch', ':memory:'] + SETUP, stdin=open('sql/hunt.sql'),
                   capture_output=True)
if b'hunt: [' in p.stderr + p.stdout or b'\x1b' in p.stderr + p.stdout:
    fails.append('pipe: a phase line or an escape byte was written')

# 3. Ctrl-C in an interactive session keeps the finished detections
pid, fd = pty.fork()
if pid == 0:
    os.execvpe('sqlite3', ['sqlite3', '-interactive', ':memory:'] + SETUP, env)
read_all(fd, until=b'sqlite> ', timeout=30)
os.write(fd, b'.read sql/hunt.sql\n')
got = read_all(fd, until=b'[6/19]', timeout=300)
if b'[6/19]' not in got:
    fails.append('ctrl-c: the hunt never reached detection 5')
else:
    os.write(fd, b'\x03')                    # the terminal's ^C: SIGINT
    got = read_all(fd, until=b'sqlite> ', timeout=120)
    os.write(fd, b".mode list\nSELECT 'R:' || count(DISTINCT detection) || ':' || "
                 b"(SELECT v FROM vpcflow_state WHERE k = 'hunt') FROM findings;\n")
    got = read_all(fd, until=b'detections', timeout=30)
    got += read_all(fd, until=b'\n', timeout=5)
    m = re.search(rb'R:(\d+):([^\r\n]*)', got)
    if not m:
        fails.append('ctrl-c: no answer from findings after the interrupt: %r' % got[-300:])
    else:
        n, state = int(m.group(1)), m.group(2).decode()
        if not (1 <= n <= 16) or not state.startswith('cut short during '):
            fails.append('ctrl-c: findings from %d detections, state %r' % (n, state))
        else:
            print('progress ctrl-c: findings of %d detections kept; state: %s' % (n, state))
    os.write(fd, b'.quit\n')
    read_all(fd, timeout=10)
os.waitpid(pid, 0)

for f in fails:
    print('FAILED: progress ' + f)
print('progress-pty: %d failed' % len(fails))
sys.exit(1 if fails else 0)
