#!/usr/bin/env python3
"""randflows.py - dense random flow records for the normaliser's property test.

  python3 tests/hunt/randflows.py SEED ROWS OUTDIR

Writes OUTDIR/v5.log (all 29 fields) and OUTDIR/v2.log (the 14 default
fields of the same records). Values come from small pools (18 private and 10
public addresses, 4 ENIs, 9 ports or a random one, 4 protocols, a 10-minute span, every
tcp-flags case, '-' in ports/protocol/flow-direction/pkt-*, NODATA and
SKIPDATA rows) so that every rule of the normalisation meets matches,
near misses at its window edges (5, 60, 120 s), ties and NULLs. One record
in four is followed by a NAT-gateway copy (same srcaddr and ports, a
private NAT address as dstaddr, another ENI, within 0-7 s) so that
translators are found. The same SEED and ROWS always give the same files.
"""
import os
import random
import sys

seed, rows, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rnd = random.Random(seed)
priv = ['10.0.0.%d' % i for i in range(1, 16)] + ['10.1.0.9', 'fd00::5', '100.64.0.1']
pub = ['198.51.100.%d' % i for i in range(1, 8)] + ['203.0.113.9', '2001:db8::1', '8.8.8.8']
nat = '10.0.9.9'
enis = ['eni-a', 'eni-b', 'eni-c', 'eni-d', '-']
ports = ['22', '80', '443', '1023', '1024', '32767', '32768', '50000', '-']
protos = ['6', '6', '17', '1', '-']
flags = ['-', '2', '18', '16', '19', '3', '0', '22']
dirs = ['egress', 'ingress', '-', '-']
T0 = 1700000000

V5 = ('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes '
      'start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr '
      'pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service '
      'pkt-dst-aws-service flow-direction traffic-path')
V2 = ('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes '
      'start end action log-status')


def rec():
    r = {}
    r['eni'] = rnd.choice(enis)
    allv = priv + pub
    r['src'] = rnd.choice(allv)
    r['dst'] = rnd.choice(allv)
    r['sp'] = rnd.choice(ports) if rnd.random() < 0.4 else str(rnd.randrange(1024, 65536))
    r['dp'] = rnd.choice(ports) if rnd.random() < 0.6 else str(rnd.randrange(1024, 65536))
    r['proto'] = rnd.choice(protos)
    r['start'] = T0 + rnd.choice([rnd.randrange(0, 600), 0, 5, 6, 60, 61, 120, 121, 240])
    r['action'] = rnd.choice(['ACCEPT', 'ACCEPT', 'REJECT'])
    r['status'] = rnd.choice(['OK'] * 12 + ['NODATA', 'SKIPDATA'])
    r['flags'] = rnd.choice(flags)
    r['dir'] = rnd.choice(dirs)
    r['psrc'] = r['src'] if rnd.random() < 0.85 else rnd.choice(['-', rnd.choice(allv)])
    r['pdst'] = r['dst'] if rnd.random() < 0.85 else rnd.choice(['-', rnd.choice(allv)])
    return r


recs = []
while len(recs) < rows:
    r = rec()
    recs.append(r)
    if r['dst'] in pub and rnd.random() < 0.5 and len(recs) < rows:
        c = dict(r)
        c['eni'] = rnd.choice(enis)
        c['dst'] = nat
        c['pdst'] = c['dst']
        c['start'] = r['start'] + rnd.randrange(-7, 8)
        c['status'] = 'OK'
        recs.append(c)
    if rnd.random() < 0.3 and len(recs) < rows:     # a reply or a second copy
        c = dict(r)
        if rnd.random() < 0.5:
            c['src'], c['dst'], c['sp'], c['dp'] = r['dst'], r['src'], r['dp'], r['sp']
            c['psrc'], c['pdst'] = r['pdst'], r['psrc']
        c['eni'] = rnd.choice(enis)
        c['dir'] = rnd.choice(dirs)
        c['start'] = r['start'] + rnd.choice([-121, -120, -61, -60, -1, 0, 1, 59, 60, 61, 119, 120, 121])
        recs.append(c)

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, 'v5.log'), 'w') as f5, open(os.path.join(out, 'v2.log'), 'w') as f2:
    f5.write(V5 + '\n')
    f2.write(V2 + '\n')
    for r in recs:
        if r['status'] != 'OK':
            base = ['5', '123456789012', r['eni'], '-', '-', '-', '-', '-', '-', '-',
                    str(r['start']), str(r['start'] + 60), '-', r['status']]
            f5.write(' '.join(base + ['-'] * 15) + '\n')
            f2.write(' '.join(['2'] + base[1:]) + '\n')
            continue
        base = [r['eni'], r['src'], r['dst'], r['sp'], r['dp'], r['proto'], '3', '180',
                str(r['start']), str(r['start'] + 30), r['action'], 'OK']
        f5.write(' '.join(['5', '123456789012'] + base +
                          ['vpc-1', 'subnet-1', '-', r['flags'] if r['proto'] == '6' else '-',
                           'IPv4', r['psrc'], r['pdst'], 'eu-west-1', 'euw1-az1', '-', '-',
                           '-', '-', r['dir'], '-']) + '\n')
        f2.write(' '.join(['2', '123456789012'] + base) + '\n')
