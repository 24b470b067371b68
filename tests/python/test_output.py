#!/usr/bin/env python3
"""test_output.py - the hunt's output: the terminal layout, JSON, JSON Lines,
CSV, OCSF and the drill-down columns, over the bundled scenario.

  python3 tests/python/test_output.py ./vpcflow.so     (from the repository root)

Every check compares with something worked out apart from the code under
test: the terminal width, the raw log lines that first_record points at
(read here with gzip), the ATT&CK id named first in each detection file's
header, the OCSF schema subset kept in tests/ocsf/, and the counts of the
other formats. Prints "output: N passed, M failed"; exit status 1 on a
failure.
"""
import csv
import gzip
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import fcntl
import termios
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import ptyio  # noqa: E402

so = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else './vpcflow.so')
SCEN = 'fixtures/scenario/v5'
SETUP = ['-cmd', '.load ' + so,
         '-cmd', "CREATE VIRTUAL TABLE temp.flows USING vpcflow('%s')" % SCEN,
         '-cmd', '.read fixtures/scenario/context.sql']
passed = failed = 0


def check(name, ok, detail=''):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print('FAILED: output %s %s' % (name, detail))


def sqlite(script, extra=()):
    p = subprocess.run(['sqlite3', '-batch', ':memory:'] + SETUP + list(extra),
                       stdin=open(script), capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def on_terminal(argv, cols=120, stdin=None):
    """argv on a pseudo-terminal of cols columns: every byte it writes."""
    pid, fd = pty.fork()
    if pid == 0:
        if stdin:
            os.dup2(os.open(stdin, os.O_RDONLY), 0)
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, cols, 0, 0))
    out = ptyio.read_all(fd)
    os.waitpid(pid, 0)
    return out.decode('utf-8', 'replace')


# ---- 1. the terminal: the README's hunt command and vpcflow-hunt, 120 columns
ref_n = None
for name, argv, stdin in [('readme-hunt', ['sqlite3', '-box', ':memory:'] + SETUP, 'sql/hunt.sql')]:
    tty = on_terminal(argv, 120, stdin)
    # the progress line is erased with \r\x1b[K; what stays on the screen:
    screen = re.sub(r'\r\x1b\[K', '', re.sub(r'\rhunt: [^\r]*\x1b\[K', '', tty))
    lines = screen.replace('\r\n', '\n').split('\n')
    wide = [l for l in lines if len(l) > 120]
    check(name + ' fits 120 columns', not wide and len(lines) > 50,
          '%d lines wider than 120, e.g. %r' % (len(wide), wide[:1]))
    m = re.search(r'(\d+) of the (\d+) findings are not printed \(hunt\.max_rows = 40\)', screen)
    rows = re.findall(r'^│ (\d+) +│ [0-9.]+ +│ (critical|high|medium|low) ', screen, re.M)
    check(name + ' says how many findings were not printed',
          m is not None and len(rows) == 40 and int(m.group(1)) == int(m.group(2)) - 40,
          repr(m and m.group(0)) + ' rows %d' % len(rows))
    if m:
        ref_n = int(m.group(2))
    check(name + ' says how to see them', 'SELECT * FROM findings' in screen
          and 'first_record' in screen and 'sql/investigate/timeline.sql' in screen)

# ---- 2. JSON, JSON Lines, CSV (sql/export/)
rc, js, err = sqlite('sql/export/json.sql')
doc = None
try:
    doc = json.loads(js)
except ValueError as e:
    check('json is one JSON document', False, str(e) + err)
if doc is not None:
    check('json is one JSON document', isinstance(doc, dict) and rc == 0)
    check('json has what was examined', doc['examined'].get('files') == 24
          and doc['examined'].get('run') == 'complete: 17 detections', repr(doc['examined'])[:200])
    n = len(doc['findings'])
    check('json holds every finding', n == doc['count']['findings'] == (ref_n or n) and n > 40,
          '%d findings, count %r, terminal %r' % (n, doc['count'], ref_n))
    scores = [f['score'] for f in doc['findings']]
    check('json findings highest score first, ranked 1..n', scores == sorted(scores, reverse=True)
          and [f['rank'] for f in doc['findings']] == list(range(1, n + 1)))
    check('json summary counts agree', doc['examined']['findings'].startswith('%d:' % n))

rc, jl, err = sqlite('sql/export/jsonl.sql')
objs = []
try:
    objs = [json.loads(l) for l in jl.splitlines()]
    check('jsonl: one JSON object per line', rc == 0 and all(isinstance(o, dict) for o in objs))
except ValueError as e:
    check('jsonl: one JSON object per line', False, str(e))
check('jsonl = json findings', doc is not None and objs == doc['findings'])

rc, cs, err = sqlite('sql/export/csv.sql')
rows = list(csv.DictReader(io.StringIO(cs, newline='')))
cols = ('rank score severity detection attack src dst port protocol first_seen last_seen '
        'interface_id account_id vpc_id evidence first_record investigate').split()
check('csv: documented header', rows and list(rows[0].keys()) == cols, repr(rows[:1])[:300])
check('csv: one row per finding, as json', doc is not None and len(rows) == len(doc['findings'])
      and all(r['evidence'] == f['evidence'] and r['first_record'] == (f['first_record'] or '')
              for r, f in zip(rows, doc['findings'])))

# ---- 3. what each finding carries
findings = doc['findings'] if doc else []
heads = {}
for fn in os.listdir('sql/detections'):
    text = open(os.path.join('sql/detections', fn)).read()
    m = re.search(r'^-- ATT&CK\s+.*?\b(T\d{4}(?:\.\d{3})?)\b', text, re.M)
    if m:
        heads[fn[:-4]] = m.group(1)
check('every detection header names a technique', len(heads) == 17, repr(sorted(heads)))
bad = [(f['detection'], f['attack']) for f in findings
       if f['detection'] != 'threat_list_match' and f['attack'] != heads.get(f['detection'])]
check('attack = the first technique of the detection header', not bad, repr(bad[:3]))
check('threat_list_match: a technique of its header', all(
    f['attack'] in ('T1071', 'T1496', 'T1090.003') for f in findings if f['detection'] == 'threat_list_match'))
check('protocol on every address finding', all(f['protocol'] in ('TCP', 'UDP', 'ICMP') for f in findings
                                               if f['detection'] != 'log_coverage'))
check('account on every finding (the record behind it has it)',
      all(f['account_id'] == '123456789012' for f in findings))

# the first record: the raw line it names is a record of the finding
cache = {}


def raw_line(path, n):
    if path not in cache:
        op = gzip.open if path.endswith('.gz') else open
        with op(path, 'rt') as fh:
            cache[path] = fh.read().split('\n')
    return cache[path][n - 1]


bad = []
for f in findings:
    fr = f['first_record']
    if not fr:
        # every finding has one (an idle interface: its first NODATA record)
        bad.append((f['rank'], f['detection'], 'no first_record'))
        continue
    path, line = fr.rsplit(':', 1)
    fields = raw_line(path, int(line)).split()
    head = raw_line(path, 1).split()
    # the record's own account and VPC (v5 has both)
    if f['account_id'] != fields[head.index('account-id')] or f['vpc_id'] != fields[head.index('vpc-id')]:
        bad.append((f['rank'], 'account/vpc', f['account_id'], f['vpc_id']))
        continue
    # v5 header: version account-id interface-id srcaddr dstaddr srcport dstport protocol ... start(10) end(11) ...
    eni, sa, da, sp, dp = fields[2], fields[3], fields[4], fields[5], fields[6]
    start, end = int(fields[10]), int(fields[11])
    t = int(time.mktime(time.strptime(f['first_seen'], '%Y-%m-%dT%H:%M:%SZ'))) - time.timezone
    if f['detection'] == 'log_coverage':
        # the ENI's record at the start of the gap: ends at or after first_seen
        ok = eni == f['src'] and start >= t
    else:
        addrs = {sa, da}
        # the finding's source; or, when it names no source or one not active
        # then (exposed_service names the scanner), a record to its destination
        ok = ((f['src'] is None or f['src'] in addrs or (f['dst'] == da and str(f['port']) == dp))
              and (f['dst'] is None or f['dst'] in addrs)
              and (f['port'] is None or str(f['port']) in (sp, dp)) and start >= t
              and eni in f['interface_ids'])
    if not ok:
        bad.append((f['rank'], f['detection'], fr.rsplit('/', 1)[1], fields[2:7], start, t))
check('first_record points at a record of the finding, at or after first_seen (log_coverage: ending), with its account and VPC',
      not bad and len(findings) > 40, '%d bad, e.g. %r' % (len(bad), bad[:2]))
inv = [f for f in findings if not re.fullmatch(
    r"sqlite3 -box :memory: -cmd '\.load \./vpcflow' -cmd \"CREATE VIRTUAL TABLE temp\.flows USING "
    r"vpcflow\('fixtures/scenario/v5'\)\" -cmd '\.parameter set @ip (\S+)' < sql/investigate/timeline\.sql",
    f['investigate'] or '')]
check('investigate: the README command for the address', not inv, repr(inv[:1])[:300])
# ... and it runs: the timeline of finding #1's address
m = re.search(r"@ip (\S+)'", findings[0]['investigate'] if findings else '')
if m:
    p = subprocess.run(['sqlite3', '-batch', ':memory:', '-cmd', '.load ' + so, '-cmd',
                        "CREATE VIRTUAL TABLE temp.flows USING vpcflow('%s')" % SCEN,
                        '-cmd', '.parameter set @ip ' + m.group(1)],
                       stdin=open('sql/investigate/timeline.sql'), capture_output=True)
    check('investigate command of #1 runs', p.returncode == 0 and m.group(1).encode() in p.stdout,
          p.stderr.decode()[:200])

# ---- 4. OCSF 1.1.0 Detection Finding, against tests/ocsf's schema
try:
    import jsonschema
except ImportError:
    jsonschema = None
check('python3-jsonschema is installed (tests/deps.sh)', jsonschema is not None)
rc, oc, err = sqlite('sql/export/ocsf.sql')
events = [json.loads(l) for l in oc.splitlines()]
check('ocsf: one event per finding', rc == 0 and len(events) == len(findings), err[:200])
if jsonschema:
    schema = json.load(open('tests/ocsf/detection_finding-1.1.0.schema.json'))
    jsonschema.Draft7Validator.check_schema(schema)
    v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errs = [(i, e.message) for i, ev in enumerate(events) for e in v.iter_errors(ev)]
    check('ocsf: every event valid against the schema', not errs and events, repr(errs[:3]))
    # the schema does reject what is not a Detection Finding
    if events:
        for what, mutate in [('class_uid 2003', lambda e: e.update(class_uid=2003)),
                             ('no finding_info.uid', lambda e: e['finding_info'].pop('uid')),
                             ('a severity_id of 7', lambda e: e.update(severity_id=7)),
                             ('a misspelt key', lambda e: e.update(severity_idd=1)),
                             ('a port as text', lambda e: e['evidences'][0]['dst_endpoint'].update(port='80'))]:
            e = json.loads(json.dumps(events[1]))
            mutate(e)
            check('ocsf: the schema rejects ' + what, not v.is_valid(e))
sev = {'critical': 5, 'high': 4, 'medium': 3, 'low': 2}
check('ocsf: severity and ATT&CK as the findings', all(
    e['severity_id'] == sev[f['severity']] and e['finding_info']['attacks'][0]['technique']['uid'] == f['attack']
    and e['class_uid'] == 2004 and e['type_uid'] == 200401 for e, f in zip(events, findings)))

# ---- 5. vpcflow-hunt: -f json / csv / ocsf / jsonl, --min-severity, the box fits 120 columns
hunt = ['sh', 'sql/vpcflow-hunt.sh', '--extension', so]
p = subprocess.run(hunt + ['-f', 'json', '-s', 'high', SCEN], capture_output=True)
try:
    d = json.loads(p.stdout)
    want = sum(1 for f in d['findings'] if f['severity'] in ('high', 'critical'))
    check('vpcflow-hunt -f json -s high: only high and critical', want == len(d['findings']) > 0
          and d['count']['min_severity'] == 'high')
    check('vpcflow-hunt -f json: investigate names vpcflow-hunt', all(
        f['investigate'].startswith('vpcflow-hunt --investigate ') and f['investigate'].endswith("/fixtures/scenario/v5'")
        for f in d['findings']))
except ValueError as e:
    check('vpcflow-hunt -f json is JSON', False, str(e))
for fmt, parse in [('jsonl', lambda s: [json.loads(l) for l in s.splitlines()]),
                   ('ocsf', lambda s: [json.loads(l) for l in s.splitlines()]),
                   ('csv', lambda s: list(csv.DictReader(io.StringIO(s, newline=''))))]:
    p = subprocess.run(hunt + ['-f', fmt, SCEN], capture_output=True)
    try:
        got = parse(p.stdout.decode())
        check('vpcflow-hunt -f %s parses, one item per finding' % fmt, p.returncode == 0 and len(got) > 40)
    except ValueError as e:
        check('vpcflow-hunt -f %s parses' % fmt, False, str(e))
tty = on_terminal(hunt + [SCEN], 120)
screen = re.sub(r'\r\x1b\[K', '', re.sub(r'\r(hunt|vpcflow): [^\r]*\x1b\[K', '', tty))
lines = screen.replace('\r\n', '\n').split('\n')
wide = [l for l in lines if len(l) > 120]
check('vpcflow-hunt fits 120 columns', not wide and len(lines) > 50, repr(wide[:1]))
check('vpcflow-hunt says how to see the rest', re.search(
    r'are not printed \(hunt\.max_rows = 40\)\. All of them: vpcflow-hunt --set hunt\.max_rows=\d+', screen) is not None)

print('output: %d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
