"""vpcflow over s3:// against a real S3-compatible server on 127.0.0.1.

Usage: python3 tests/s3/check.py VPCFLOW_SO S3RVER_MODULE WORK_DIR
  S3CHECK_PRELOAD   libraries to LD_PRELOAD into sqlite3 (ASan's runtimes)
  S3CHECK_VALGRIND  1: run every sqlite3 under valgrind; "subset": only
                    the statements that read the objects named in
                    VALGRIND_SUBSET (every check still runs; the others
                    run natively), the pass `make s3-check` makes
  S3CHECK_LABEL     the pass's name in the summary line (asan, tsan)

The objects are generated here with known content, and every expected
count or sum is computed here from what was generated (never from
vpcflow's output). The server (server.js: s3rver with a SigV4 check)
logs every request it answers, which shows what was fetched; faults come
from server.js (503 SlowDown) and from faultproxy.py (a connection
dropped mid-object, a server that stops answering).
"""
import gzip
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faultproxy import FaultProxy  # noqa: E402

SO, S3RVER, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HEADER = ('version account-id interface-id srcaddr dstaddr srcport dstport '
          'protocol packets bytes start end action log-status')
SECRET = 'wRoNgSeCrEt0123456789abcdefSECRETxyz'
TOKEN = 'tOkEnSeCrEtFQoGZXIvYXdzEJr0123456789'

failures = []
passed = 0


def check(name, ok, detail=''):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(name)
        print('FAILED: %s %s' % (name, detail))


def rec(i, t0, nbytes):
    return '2 123456789012 eni-%05d 10.0.%d.%d 10.1.0.1 %d 443 6 3 %d %d %d ACCEPT OK' % (
        i % 97, i % 200, i % 250 + 1, 1024 + i % 6000, nbytes, t0, t0 + 60)


def write(path, text, gz=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode()
    with open(path, 'wb') as f:
        f.write(gzip.compress(data, mtime=0) if gz else data)


# ---- the objects ---------------------------------------------------------
seed = os.path.join(WORK, 'seed')
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(seed)
expect = {}

# 1,100 objects under many/: two pages of ListObjectsV2 (1,000 a page)
n, s = 0, 0
for i in range(1100):
    lines = [HEADER]
    for j in range(i % 3 + 1):
        b = i * 10 + j
        lines.append(rec(i + j, 1700000000 + i, b))
        n += 1
        s += b
    write(os.path.join(seed, 'many', 'p%04d.log' % i), '\n'.join(lines) + '\n')
write(os.path.join(seed, 'many', '.hidden.log'), HEADER + '\n' + rec(1, 1, 999999) + '\n')
write(os.path.join(seed, 'many', 'readme.txt'), 'not a log\n')
expect['many'] = (n, s)

# a day of hourly-layout objects every 30 minutes, named with their time
day0 = int(datetime(2026, 12, 1, tzinfo=timezone.utc).timestamp())
DAYDIR = 'day/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/12/01'
day_keys = {}
for k in range(48):
    t = day0 + k * 1800
    stamp = datetime.fromtimestamp(t, timezone.utc).strftime('%Y%m%dT%H%MZ')
    key = '%s/123456789012_vpcflowlogs_us-east-1_fl-0abc_%s_%08x.log.gz' % (DAYDIR, stamp, k)
    day_keys[key] = t
    write(os.path.join(seed, key), '\n'.join(
        [HEADER, rec(k, t + 10, 100 + k), rec(k + 1, t + 20, 200 + k)]) + '\n', gz=True)

# the same records plain and gzip
rnd = random.Random(17)
body = [HEADER]
s = 0
for i in range(500):
    b = rnd.randrange(40, 90000)
    body.append(rec(i, 1700000000 + rnd.randrange(0, 86400), b))
    s += b
write(os.path.join(seed, 'plain', 'x.log'), '\n'.join(body) + '\n')
write(os.path.join(seed, 'gz', 'x.log.gz'), '\n'.join(body) + '\n', gz=True)
expect['x'] = (500, s)

# a key that needs percent-encoding in the URL and entities in the XML
ODD = 'odd/a b&c+d=e~f(g)<h>.log'
write(os.path.join(seed, ODD), HEADER + '\n' + rec(7, 1700000000, 4242) + '\n')

# a bucket in another region (server.js: eu-west-1)
write(os.path.join(seed, '@eulogs', 'x', 'a.log'), HEADER + '\n' + rec(1, 1700000000, 11) + '\n')
write(os.path.join(seed, '@eulogs', 'x', 'b.log'), HEADER + '\n' + rec(2, 1700000000, 22) + '\n')

# a bad line, to be named with its object and line number
write(os.path.join(seed, 'bad', 'x.log'), '\n'.join(
    [HEADER, rec(1, 1700000000, 1), rec(2, 1700000000, 2),
     '2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 notanumber 5 1700000000 1700000060 ACCEPT OK',
     rec(3, 1700000000, 3)]) + '\n')

# Parquet (fixtures/parquet/README.md gives their content)
PQDIR = os.path.join(ROOT, 'fixtures', 'parquet')
for src, dst in (('flows.parquet', 'pq/flows.parquet'),
                 ('many-gzip.parquet', 'pqm/many-gzip.parquet'),
                 ('groups.parquet', 'pqm/groups.parquet'),
                 ('truncated-footer.parquet', 'pqbad/truncated-footer.parquet'),
                 ('v2-plain.parquet', 'pqbad/good.parquet'),
                 ('v2-plain.parquet', 'flaky/slowdown.parquet'),
                 ('many-gzip.parquet', 'stallpq/x.parquet'),
                 ('many-gzip.parquet', 'pqdrop/x.parquet'),
                 ('v2-plain.parquet', 'notpq/x.log')):
    os.makedirs(os.path.dirname(os.path.join(seed, dst)), exist_ok=True)
    shutil.copy(os.path.join(PQDIR, src), os.path.join(seed, dst))

# objects for the faults: big enough that a drop falls mid-object
def big(name, count):
    lines = [HEADER]
    tot = 0
    for i in range(count):
        lines.append(rec(i, 1700000000 + i, 1000 + i))
        tot += 1000 + i
    write(os.path.join(seed, name), '\n'.join(lines) + '\n')
    return (count, tot)


expect['resume'] = big('drop/resume.log', 2000)     # about 190 KB
expect['always'] = big('drop/always.log', 20000)   # 5 x 60 KB will not do
expect['hdr'] = big('drop/hdr.log', 300)
expect['slowdown'] = big('flaky/slowdown.log', 50)
big('flaky/unavailable.log', 50)
big('stall/x.log', 10)
big('slow/stallobj.log', 2000)

# ---- the server ------------------------------------------------------------
store = os.path.join(WORK, 'store')
reqlog = os.path.join(WORK, 'requests.log')
portfile = os.path.join(WORK, 'port')
os.makedirs(store)
# s3rver 3.7.1 makes its continuation tokens with DES, which Node 17 and
# later (OpenSSL 3) offer only with the legacy provider
node_major = int(subprocess.run(['node', '--version'], stdout=subprocess.PIPE)
                 .stdout.decode().lstrip('v').split('.')[0])
NODE = ['node'] + (['--openssl-legacy-provider'] if node_major >= 17 else [])
server = subprocess.Popen(NODE + [os.path.join(HERE, 'server.js'), S3RVER, store,
                           seed, reqlog, portfile],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
deadline = time.time() + 120
while not os.path.exists(portfile):
    if server.poll() is not None or time.time() > deadline:
        print('s3 check: the server did not start:', server.stdout.read().decode())
        sys.exit(1)
    time.sleep(0.1)
PORT = int(open(portfile).read())
proxy = FaultProxy(PORT)
proxy.add('drop/resume', 'drop', 60000, times=2)
proxy.add('drop/always', 'drop', 60000)
proxy.add('prefix=stall', 'stall', 0)
proxy.add('slow/stallobj', 'stall', 20000)
proxy.add('stallpq/', 'stall', 0)
proxy.add('drop/hdr', 'drop', 100, times=2)
proxy.add('pqdrop/', 'drop', 100, times=2)    # the first 2 GETs, in their headers

home = os.path.join(WORK, 'home')
os.makedirs(os.path.join(home, '.aws'))
BASE_ENV = {k: v for k, v in os.environ.items()
            if not k.startswith('AWS_') and k not in ('LD_PRELOAD',)}
BASE_ENV['HOME'] = home


def env(**kw):
    e = dict(BASE_ENV)
    e.update({'AWS_ACCESS_KEY_ID': 'S3RVER', 'AWS_SECRET_ACCESS_KEY': 'S3RVER',
              'AWS_ENDPOINT_URL_S3': 'http://127.0.0.1:%d' % PORT})
    for k, v in kw.items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return e


# Under S3CHECK_VALGRIND=subset, the statements that hold one of these
# run under valgrind: plain, gzip and Parquet
# objects (ranged GETs, a corrupt footer), a bad line, credential errors
# (a bad secret, an unknown key, none), a missing bucket, SlowDown retries, a resumed drop, and a Ctrl-C during a ranged GET.
VALGRIND_SUBSET = ("sum(bytes) FROM vpcflow('s3://logs/plain/x.log", 's3://logs/gz/',
                   's3://logs/pqm/', 's3://logs/pqbad/', 's3://logs/bad/',
                   's3://nobucket/', "vpcflow('s3://logs/plain/')",
                   'flaky/slowdown', 'drop/resume', 'stallpq/')


def under_valgrind(text):
    v = os.environ.get('S3CHECK_VALGRIND')
    if v == 'subset':
        return any(m in text for m in VALGRIND_SUBSET)
    return bool(v)


def sqlite_cmd(vg_log, text=''):
    cmd = []
    if under_valgrind(text):
        cmd = ['valgrind', '-q', '--error-exitcode=99', '--leak-check=full',
               '--errors-for-leak-kinds=definite', '--log-file=' + vg_log]
    return cmd + ['sqlite3', '-batch', ':memory:', '-cmd', '.load ' + SO]


nrun = 0
all_output = []


def sql(text, e=None, timeout=120):
    """Run SQL in sqlite3; return (rc, stdout+stderr)."""
    global nrun
    nrun += 1
    vg = os.path.join(WORK, 'vg%d.log' % nrun)
    e = dict(e or env())
    if os.environ.get('S3CHECK_PRELOAD'):
        e['LD_PRELOAD'] = os.environ['S3CHECK_PRELOAD']
        e['ASAN_OPTIONS'] = 'detect_leaks=1'
    p = subprocess.run(sqlite_cmd(vg, text), input=text.encode(), env=e,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    out = p.stdout.decode(errors='replace')
    all_output.append(out)
    san = re.search(r'AddressSanitizer|LeakSanitizer|ThreadSanitizer|runtime error:', out)
    check('sanitizers clean (%s)' % text.strip()[:60], not san, out[-3000:])
    if os.path.exists(vg) and os.path.getsize(vg) > 0:
        check('valgrind clean (%s)' % text.strip()[:60], False, open(vg).read()[-3000:])
    return p.returncode, out.strip()


def requests():
    with open(reqlog) as f:
        return [l.split(' ') for l in f.read().splitlines()]


def reset_log():
    open(reqlog, 'w').close()
    open(reqlog + '.bytes', 'w').close()


def served(url):
    """[(first, last, bytes sent)] of the ranged GETs of url that were
    answered in full (server.js's byte count); last is None without Range."""
    out = []
    with open(reqlog + '.bytes') as f:
        for line in f.read().splitlines():
            u, rng, status, n = line.split(' ')
            if u != url or status not in ('200', '206'):
                continue
            m = re.fullmatch(r'bytes=(\d+)-(\d*)', rng)
            out.append((int(m.group(1)), int(m.group(2)) if m and m.group(2) else None,
                        int(n)) if m else (0, None, int(n)))
    return out


T = "CREATE VIRTUAL TABLE temp.t USING vpcflow('%s');\n"

# ---- listing: pagination, folders, globs -----------------------------------
reset_log()
rc, out = sql("SELECT count(*), sum(bytes), count(DISTINCT log_file) FROM vpcflow('s3://logs/many/');")
check('many: all 1,100 objects over two pages', out == '%d|%d|1100' % expect['many'], out)
lists = [r for r in requests() if 'list-type=2' in r[1]]
check('many: ListObjectsV2 continued with a token',
      len(lists) >= 2 and any('continuation-token=' in r[1] for r in lists), lists)
gets = [r for r in requests() if r[0] == 'GET' and 'list-type' not in r[1]]
ports = {r[3] for r in requests()}
check('many: 1,100 GETs over a few shared connections (client ports in the request log)',
      len(gets) == 1100 and len(ports) <= 4, '%d GETs, %d ports' % (len(gets), len(ports)))

rc, out = sql("SELECT count(DISTINCT log_file) FROM vpcflow('s3://logs/many/p00*.log');")
check('glob p00*.log', out == '100', out)
rc, out = sql("SELECT count(DISTINCT log_file) FROM vpcflow('s3://logs/day/**/*T00*Z_*.log.gz');")
check('glob with **', out == '2', out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/many');")
check('a prefix without its slash is the folder', out == str(expect['many'][0]), out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/nothing/*.log');")
check('a glob matching nothing is an error', rc != 0 and "no objects match 's3://logs/nothing/*.log'" in out, out)

# ---- pruning by key time and log_file, before any GET ------------------------
reset_log()
lo, hi = day0 + 12 * 3600, day0 + 13 * 3600
rc, out = sql(T % 's3://logs/day/' +
              "SELECT count(*), sum(bytes) FROM t WHERE start >= %d AND start < %d;" % (lo, hi))
want = [t for t in day_keys.values() if lo <= t + 10 < hi] + \
       [t for t in day_keys.values() if lo <= t + 20 < hi]
want_bytes = sum(100 + (t - day0) // 1800 for t in day_keys.values() if lo <= t + 10 < hi) + \
    sum(200 + (t - day0) // 1800 for t in day_keys.values() if lo <= t + 20 < hi)
check('pruned query: the right rows', out == '%d|%d' % (len(want), want_bytes), out)
got = [r[1] for r in requests() if r[0] == 'GET' and 'list-type' not in r[1]]
fetched = [t for k, t in day_keys.items() if ('/logs/' + k) in got]
check('pruned query: fetched the objects that hold the rows',
      all(t in fetched for t in set(want)), (fetched, want))
# CREATE reads the first line of one object per flow log for the columns
# (s3.h): the first object of the day, once; every other object far from
# the window is never asked for
probe = min(day_keys, key=lambda k: day_keys[k])
check('pruned query: one column probe, of the first object',
      got.count('/logs/' + probe) == 1, got)
far = [t for k, t in day_keys.items() if ('/logs/' + k) in got and k != probe
       and (t < lo - 7200 or t > hi + 7200)]
check('pruned query: no object 2 h or more away from the window was fetched (request log)',
      not far and len(fetched) < 12, '%d fetched, far: %s' % (len(fetched), far))

reset_log()
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/many/') WHERE log_file = 's3://logs/many/p0005.log';")
check('log_file term: the rows', out == str(5 % 3 + 1), out)
got = [r[1] for r in requests() if r[0] == 'GET' and 'list-type' not in r[1]]
check('log_file term: only that object fetched', got == ['/logs/many/p0005.log'], got)

# ---- plain, gzip, a single object, odd names, bad lines, Parquet ---------------
for name in ('plain/x.log', 'gz/x.log.gz'):
    rc, out = sql("SELECT count(*), sum(bytes) FROM vpcflow('s3://logs/%s');"
                  "SELECT count(*) FROM vpcflow_errors;" % name)
    check('object %s' % name, out == '%d|%d\n0' % expect['x'], out)
rc, out = sql("SELECT log_file, bytes FROM vpcflow('s3://logs/odd/');")
check('a key with & < > + = ~ ( ) and a space', out == 's3://logs/%s|4242' % ODD, out)
rc, out = sql("SELECT log_file, count(*) FROM vpcflow('s3://logs/%s') GROUP BY 1;" % ODD.replace("'", "''"))
check('that key as a single object', out == 's3://logs/%s|1' % ODD, out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/bad/x.log');"
              "SELECT file, line FROM vpcflow_errors;")
check('vpcflow_errors names the object and line', out == '3\ns3://logs/bad/x.log|4', out)
# ---- Parquet objects: ranged GETs ----------------------------------------------
import pqfooter  # noqa: E402
MANY = os.path.join(PQDIR, 'many-gzip.parquet')
many_size, many_foot, many_chunks = pqfooter.chunks(MANY)
# README: 6000 rows, row i has bytes i*100 and start 1600000000+i; groups
# of 2048, 2048 and 1904 rows
rc, out = sql("SELECT count(*), sum(bytes), min(start), max(start) FROM "
              "vpcflow('s3://logs/pqm/many-gzip.parquet');")
check('Parquet object: every row', out == '6000|%d|1600000000|1600005999'
      % (100 * sum(range(6000))), out)
rc, local = sql("SELECT count(*), sum(bytes), min(start), max(start) FROM "
                "vpcflow('%s');" % MANY)
check('... the same as the local file', out == local, (out, local))

reset_log()
rc, out = sql("SELECT count(*), sum(bytes) FROM vpcflow('s3://logs/pqm/many-gzip.parquet') "
              "WHERE start >= 1600004096;")
check('Parquet, last row group only: the rows',
      out == '1904|%d' % (100 * sum(range(4096, 6000))), out)
got = served('/logs/pqm/many-gzip.parquet')
total = sum(n for _, _, n in got)
print('  (Parquet over s3://, one row group of 3 and 2 columns of 7: %d bytes '
      'fetched in %d GETs of a %d-byte object)' % (total, len(got), many_size))
check('... ranged GETs only, each answered with the bytes asked for',
      got and all(b is not None and n == b - a + 1 for a, b, n in got), got)


def overlaps(a, b, start, n):
    return a < start + n and start <= b


unused = ('interface_id', 'srcport', 'dstport', 'action')
bad = [(a, b, g, c) for a, b, _ in got if b is not None
       for g, c, st, n in many_chunks
       if (g < 2 or c in unused) and overlaps(a, b, st, n)]
check('... no byte of a skipped row group or an unused column was fetched '
      '(ranges from the server, chunk places from the footer read in Python)',
      not bad, bad)
bound = 4 + 8 + (many_size - many_foot) + sum(n for g, c, st, n in many_chunks
                                             if g == 2 and c not in unused)
check('... fewer bytes than the object holds: at most magic + footer + the '
      'chunks needed (%d of %d)' % (bound, many_size),
      0 < total <= bound < many_size, (total, bound, many_size))

rc, out = sql(T % 's3://logs/pqm/' +
              "SELECT count(*), count(DISTINCT log_file) FROM t;"
              "SELECT DISTINCT log_file FROM t ORDER BY 1;")
check('Parquet in a folder, CREATE form: rows of both objects, log_file the s3:// names',
      out == '6015|2\ns3://logs/pqm/groups.parquet\ns3://logs/pqm/many-gzip.parquet', out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/pqbad/');"
              "SELECT file, reason FROM vpcflow_errors;")
check('a corrupt Parquet object beside a good one: the good rows, and '
      'vpcflow_errors names the bad object',
      out == '6\ns3://logs/pqbad/truncated-footer.parquet|corrupt Parquet '
      'file: the footer is truncated', out)
reset_log()
rc, out = sql("SELECT count(*), sum(bytes) FROM vpcflow('s3://logs/flaky/slowdown.parquet');")
check('Parquet object answered 503 SlowDown twice: retried, every row',
      out == '6|%d' % (4249 + 4249 + 8855 + 336), out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/notpq/x.log');"
              "SELECT reason FROM vpcflow_errors;")
check('a Parquet object not named .parquet: a clear error',
      "does not end in '.parquet'" in out, out)

# ---- credentials, regions, errors -----------------------------------------------
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/');",
              env(AWS_SECRET_ACCESS_KEY=SECRET, AWS_SESSION_TOKEN=TOKEN))
check('bad secret: 403 SignatureDoesNotMatch naming the path',
      rc != 0 and "cannot list 's3://logs/plain/': HTTP 403 SignatureDoesNotMatch" in out, out)
check('bad secret: no signature material in the message',
      'StringToSign' not in out and 'AWS4-HMAC' not in out
      and not re.search(r'[0-9a-f]{64}', out), out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/');",
              env(AWS_ACCESS_KEY_ID='AKIANOSUCHKEY'))
check('unknown key id: 403 InvalidAccessKeyId', rc != 0 and '403 InvalidAccessKeyId' in out, out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://nobucket/AWSLogs/');")
check('missing bucket: 404 NoSuchBucket naming it',
      rc != 0 and "'s3://nobucket/AWSLogs/': HTTP 404 NoSuchBucket" in out, out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/nosuch.log');")
check('missing key', rc != 0 and 'no flow log files' in out and 'nosuch.log' in out, out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/');",
              env(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None,
                  AWS_EC2_METADATA_DISABLED='true'))
check('no credentials: says where they are looked for',
      rc != 0 and 'instance metadata disabled' in out
      and 'no AWS credentials' in out and 'AWS_ACCESS_KEY_ID' in out, out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/');",
              env(AWS_ENDPOINT_URL_S3='ftp://127.0.0.1:1'))
check('an endpoint that is not http(s)', rc != 0 and 'must begin with http' in out, out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3:///x/');")
check('no bucket name', rc != 0 and 'no bucket name' in out, out)

cred = os.path.join(home, '.aws', 'credentials')
conf = os.path.join(home, '.aws', 'config')
with open(cred, 'w') as f:
    f.write('[default]\naws_access_key_id = AKIAWRONG\naws_secret_access_key = x\n\n'
            '[test]\n# a comment\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n')
with open(conf, 'w') as f:
    f.write('[default]\nregion = us-west-2\n[profile test]\nregion = eu-west-3\n')
reset_log()
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/x.log');",
              env(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None, AWS_PROFILE='test'))
check('profile from ~/.aws/credentials', out == '500', out)
check('region from ~/.aws/config [profile test], not [default]',
      {r[2] for r in requests()} == {'eu-west-3'}, requests())
reset_log()
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/x.log');",
              env(AWS_PROFILE='test', AWS_REGION='ap-south-1'))
check('environment credentials and AWS_REGION win',
      out == '500' and {r[2] for r in requests()} == {'ap-south-1'}, (out, requests()))
reset_log()
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/x.log');",
              env(AWS_ENDPOINT_URL_S3=None,
                  AWS_ENDPOINT_URL='http://127.0.0.1:%d/' % PORT))
check('AWS_ENDPOINT_URL; region from ~/.aws/config [default]',
      out == '500' and {r[2] for r in requests()} == {'us-west-2'}, (out, requests()))
os.unlink(conf)
reset_log()
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/x.log');")
check('no region anywhere: us-east-1',
      out == '500' and {r[2] for r in requests()} == {'us-east-1'}, (out, requests()))

reset_log()
rc, out = sql("SELECT count(*), sum(bytes) FROM vpcflow('s3://eulogs/x/');",
              env(AWS_REGION='us-east-1'))
reqs = [r[2] for r in requests()]
check('a bucket in another region: followed', out == '2|33', out)
check('... one redirect, then its objects asked for there at once',
      reqs == ['us-east-1', 'eu-west-1', 'eu-west-1', 'eu-west-1'], requests())

# ---- container and instance-metadata (IMDSv2) credentials -------------------
import http.server
import json
import threading

meta_log = []


class Meta(http.server.BaseHTTPRequestHandler):
    """The container credentials endpoint (/creds, Authorization required)
    and IMDSv2 (a token by PUT, then the role and its credentials)."""
    def log_message(self, *a):
        pass

    def reply(self, code, body):
        self.send_response(code)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def creds(self):
        return json.dumps({'AccessKeyId': 'S3RVER', 'SecretAccessKey': 'S3RVER',
                           'Token': TOKEN, 'Expiration': '2099-01-01T00:00:00Z'}).encode()

    def do_PUT(self):
        meta_log.append(('PUT', self.path))
        if self.path == '/latest/api/token' and self.headers.get('X-aws-ec2-metadata-token-ttl-seconds'):
            return self.reply(200, b'imds-session-token')
        self.reply(400, b'')

    def do_GET(self):
        meta_log.append(('GET', self.path))
        if self.path == '/creds':
            if self.headers.get('Authorization') != 'container-auth':
                return self.reply(401, b'')
            return self.reply(200, self.creds())
        if self.headers.get('X-aws-ec2-metadata-token') != 'imds-session-token':
            return self.reply(401, b'')     # IMDSv1 (no token) is refused
        if self.path == '/latest/meta-data/iam/security-credentials/':
            return self.reply(200, b'role1')
        if self.path == '/latest/meta-data/iam/security-credentials/role1':
            return self.reply(200, self.creds())
        self.reply(404, b'')


os.unlink(cred)     # (its [default] profile would come first, as it should)
meta = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Meta)
threading.Thread(target=meta.serve_forever, daemon=True).start()
MURL = 'http://127.0.0.1:%d' % meta.server_address[1]
NOKEYS = dict(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None)

rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/x.log');",
              env(AWS_CONTAINER_CREDENTIALS_FULL_URI=MURL + '/creds',
                  AWS_CONTAINER_AUTHORIZATION_TOKEN='container-auth', **NOKEYS))
check('container credentials (FULL_URI + authorization token)', out == '500', out)
authfile = os.path.join(WORK, 'auth')
with open(authfile, 'w') as f:
    f.write('container-auth\n')
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/x.log');",
              env(AWS_CONTAINER_CREDENTIALS_FULL_URI=MURL + '/creds',
                  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=authfile, **NOKEYS))
check('container credentials (authorization token file)', out == '500', out)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/x.log');",
              env(AWS_CONTAINER_CREDENTIALS_FULL_URI=MURL + '/creds',
                  AWS_CONTAINER_AUTHORIZATION_TOKEN='wrong', **NOKEYS))
check('container credentials refused: named',
      rc != 0 and 'no AWS credentials: container credentials from %s/creds: HTTP 401' % MURL in out, out)
del meta_log[:]
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/x.log');",
              env(AWS_EC2_METADATA_SERVICE_ENDPOINT=MURL + '/', **NOKEYS))
check('instance metadata, IMDSv2', out == '500', out)
check('... a session token first (PUT), then the role, then its credentials',
      meta_log[:3] == [('PUT', '/latest/api/token'),
                       ('GET', '/latest/meta-data/iam/security-credentials/'),
                       ('GET', '/latest/meta-data/iam/security-credentials/role1')], meta_log)
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/plain/x.log');",
              env(AWS_EC2_METADATA_SERVICE_ENDPOINT='http://127.0.0.1:1', **NOKEYS))
check('no instance metadata: says what was tried',
      rc != 0 and 'no AWS credentials: set AWS_ACCESS_KEY_ID' in out
      and 'no instance metadata (IMDSv2) at http://127.0.0.1:1' in out, out)

# ---- faults: SlowDown, drops mid-object ------------------------------------------
reset_log()
rc, out = sql("SELECT count(*), sum(bytes) FROM vpcflow('s3://logs/flaky/slowdown.log');")
check('503 SlowDown twice, then read', out == '%d|%d' % expect['slowdown'], out)
check('... in three GETs', sum(1 for r in requests()
                                if r[1] == '/logs/flaky/slowdown.log') == 3, requests())
reset_log()
rc, out = sql("SELECT count(*) FROM vpcflow('s3://logs/flaky/unavailable.log');"
              "SELECT file, reason FROM vpcflow_errors;")
check('503 for ever: an error after 5 tries',
      's3://logs/flaky/unavailable.log' in out and 'HTTP 503 SlowDown' in out
      and 'gave up after 5 tries' in out, out)
check('... in five GETs', sum(1 for r in requests()
                               if r[1] == '/logs/flaky/unavailable.log') == 5, requests())

penv = env(AWS_ENDPOINT_URL_S3='http://127.0.0.1:%d' % proxy.port)
rc, out = sql("SELECT count(*), sum(bytes) FROM vpcflow('s3://logs/drop/resume.log');"
              "SELECT count(*) FROM vpcflow_errors;", penv)
check('dropped twice mid-object: every row, no error', out == '%d|%d\n0' % expect['resume'], out)
rs = [r for p, r in proxy.ranges if 'resume' in p]
check('... resumed with Range from the byte reached',
      len(rs) == 2 and all(re.fullmatch(r'bytes=[1-9][0-9]*-', r) for r in rs)
      and int(rs[0][6:-1]) < int(rs[1][6:-1]), rs)
reset_log()
rc, out = sql("SELECT count(*), sum(bytes) FROM vpcflow('s3://logs/drop/hdr.log');"
              "SELECT count(*) FROM vpcflow_errors;", penv)
check('dropped twice inside the answer\'s headers: every row, no error (not an empty object)',
      out == '%d|%d\n0' % expect['hdr'], out)
check('... in three GETs', sum(1 for r in requests()
                                if r[1] == '/logs/drop/hdr.log') == 3, requests())
rc, out = sql("SELECT count(*) < %d FROM vpcflow('s3://logs/drop/always.log');"
              "SELECT file, reason FROM vpcflow_errors;" % expect['always'][0], penv)
check('dropped for ever: rows up to the drop, then the error in vpcflow_errors',
      out.startswith('1\n') and 's3://logs/drop/always.log' in out
      and 'gave up after 5 tries' in out, out)

# ---- interrupts: a listing and a GET that never finish ------------------------------
def interrupted(query, e):
    cmd = sqlite_cmd(os.path.join(WORK, 'vgint.log'), query)
    e = dict(e)
    if os.environ.get('S3CHECK_PRELOAD'):
        e['LD_PRELOAD'] = os.environ['S3CHECK_PRELOAD']
    p = subprocess.Popen(cmd + [query], env=e, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(6 if under_valgrind(query) else 1.5)
    t = time.time()
    p.send_signal(signal.SIGINT)
    try:
        out = p.communicate(timeout=8)[0].decode()
    except subprocess.TimeoutExpired:
        p.kill()
        return None, 'still running 8 s after SIGINT'
    all_output.append(out)
    return time.time() - t, out


# (the bound is loose on purpose: the point is that nothing waits for
# libcurl's 10-30 s timeouts; the machine may be busy)
dt, out = interrupted("SELECT count(*) FROM vpcflow('s3://logs/stall/');", penv)
print('  (Ctrl-C during a listing: sqlite3 ended %s after SIGINT)' % (
    '%.0f ms' % (dt * 1000) if dt is not None else 'never'))
check('Ctrl-C during a listing that never answers',
      dt is not None and dt < 3 and 'interrupt' in out, (dt, out))
dt, out = interrupted("SELECT count(*) FROM vpcflow('s3://logs/slow/stallobj.log');", penv)
print('  (Ctrl-C during a GET: sqlite3 ended %s after SIGINT)' % (
    '%.0f ms' % (dt * 1000) if dt is not None else 'never'))
check('Ctrl-C during a GET that stops mid-object',
      dt is not None and dt < 3 and 'interrupt' in out, (dt, out))

rc, out = sql("SELECT count(*), sum(bytes) FROM vpcflow('s3://logs/pqdrop/x.parquet');"
              "SELECT count(*) FROM vpcflow_errors;", penv)
check('Parquet: the first ranged GET dropped twice mid-answer: every row, no error',
      out == '6000|%d\n0' % (100 * sum(range(6000))), out)
rs = [r for p, r in proxy.ranges if 'pqdrop' in p]
check('... the dropped range asked for again, 3 times in all',
      rs.count('bytes=0-3') == 3 and all(re.fullmatch(r'bytes=\d+-\d+', r) for r in rs), rs)

dt, out = interrupted("SELECT count(*) FROM vpcflow('s3://logs/stallpq/x.parquet');", penv)
print('  (Ctrl-C during a Parquet ranged GET: sqlite3 ended %s after SIGINT)' % (
    '%.0f ms' % (dt * 1000) if dt is not None else 'never'))
check('Ctrl-C during a Parquet ranged GET that never answers',
      dt is not None and dt < 3 and 'interrupt' in out, (dt, out))

# ---- nothing secret in any message ------------------------------------------------
joined = '\n'.join(all_output)
check('the secret and the token never appear in any output',
      SECRET not in joined and TOKEN not in joined)

server.terminate()
server.wait()
label = ({'subset': 'valgrind, a subset'}.get(os.environ.get('S3CHECK_VALGRIND'), 'valgrind')
         if os.environ.get('S3CHECK_VALGRIND') else
         os.environ.get('S3CHECK_LABEL') or
         ('asan' if os.environ.get('S3CHECK_PRELOAD') else ''))
print('s3%s: %d passed, %d failed' % (' (%s)' % label if label else '',
                                      passed, len(failures)))
sys.exit(1 if failures else 0)
